from django.template import engines
from django.test import SimpleTestCase
from django.urls import NoReverseMatch, reverse, set_script_prefix

from listing.links import record_path


class RecordPathTests(SimpleTestCase):
    """`record_path` reverses a record page's path once per shape (issue 15); it must
    give what reverse() gives for every value, script prefix and converter."""

    CASES = [
        ("letters:detail", "pk", 7),
        ("letters:detail", "pk", 8675309000111),
        ("jurisdictions:detail", "slug", "city-of-chicago-il"),
        ("jurisdictions:detail", "slug", "a"),
        ("programs:detail", "slug", "byrne-jag"),
        ("programs:condition_detail", "code", "jail_access"),
    ]

    def test_same_as_reverse(self):
        for viewname, name, value in self.CASES:
            with self.subTest(viewname=viewname, value=value):
                self.assertEqual(record_path(viewname, name, value), reverse(viewname, kwargs={name: value}))

    def test_a_value_the_converter_refuses_still_raises(self):
        with self.assertRaises(NoReverseMatch):  # an unsaved letter has no page
            record_path("letters:detail", "pk", None)
        for value in ["needs quoting/é&?", ""]:
            with self.subTest(value=value), self.assertRaises(NoReverseMatch):
                record_path("programs:condition_detail", "code", value)

    def test_each_script_prefix_has_its_own_shape(self):
        self.addCleanup(set_script_prefix, "/")
        for prefix in ["/", "/tracker/", "/"]:
            set_script_prefix(prefix)
            with self.subTest(prefix=prefix):
                self.assertEqual(record_path("letters:detail", "pk", 3), reverse("letters:detail", kwargs={"pk": 3}))
                self.assertTrue(record_path("letters:detail", "pk", 3).startswith(prefix))

    def test_the_template_tag_renders_what_url_renders(self):
        template = engines["django"].from_string(
            "{% load links %}{% record_url 'letters:event' 'pk' 12 %}|{% url 'letters:event' 12 %}"
        )
        ours, djangos = template.render({}).split("|")
        self.assertEqual(ours, djangos)
