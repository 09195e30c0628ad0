"""A facet's checkboxes, written by `listing.templatetags.facets` rather than a template
loop: the same markup, escaped as a template escapes."""

from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import SimpleTestCase
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from listing.facets import Facet, FacetOption

# The loop the tag replaced (includes/_facet.html before issue 15's change), to compare with.
TEMPLATE_LOOP = Template(
    """{% for option in facet.options %}<li><input type="checkbox" name="{{ facet.name }}"
    value="{{ option.value }}" id="{{ option.id }}" {% if option.checked %}checked{% endif %}>
    <label for="{{ option.id }}">{{ option.label }}{% if option.count is not None %}
    <span class="count">({{ option.count }})</span>{% endif %}</label></li>{% endfor %}"""
)


class FacetCheckboxTests(SimpleTestCase):
    def render(self, *options):
        return render_to_string("includes/_facet.html", {"facet": Facet("state", "State", list(options))})

    def test_each_option_is_a_labelled_checkbox_with_its_count(self):
        html = self.render(
            FacetOption("CA", "California", 12, True, "id_state_0"),
            FacetOption("NV", "Nevada", 0, False, "id_state_1"),
        )
        self.assertInHTML(
            '<li><input type="checkbox" name="state" value="CA" id="id_state_0" checked>'
            ' <label for="id_state_0">California <span class="count">(12)</span></label></li>',
            html,
        )
        self.assertInHTML(
            '<li><input type="checkbox" name="state" value="NV" id="id_state_1">'
            ' <label for="id_state_1">Nevada <span class="count">(0)</span></label></li>',
            html,
        )
        self.assertInHTML("<legend>State</legend>", html)

    def test_an_unknown_count_shows_no_count_rather_than_zero(self):
        html = self.render(FacetOption("CA", "California", None, False, "id_state_0"))
        self.assertInHTML('<label for="id_state_0">California</label>', html)
        self.assertNotIn('class="count"', html)

    def test_names_and_values_are_escaped_as_a_template_escapes_them(self):
        html = self.render(
            FacetOption('x" onclick="alert(1)', "<script>alert('&')</script>", 1, False, "id_state_0"),
            FacetOption("b", mark_safe("<em>already safe</em>"), 2, False, "id_state_1"),
        )
        self.assertNotIn("<script>", html)
        self.assertIn('value="x&quot; onclick=&quot;alert(1)"', html)
        self.assertIn("&lt;script&gt;alert(&#x27;&amp;&#x27;)&lt;/script&gt;", html)
        self.assertIn("<em>already safe</em>", html)

    def test_the_markup_is_the_template_loops_for_every_kind_of_value(self):
        values = ["CA", '"><script>x</script>', mark_safe("<em>safe</em>"), gettext_lazy("Lazy & <b>"), 2018, None]
        for value in values:
            for count, checked in ((3, True), (0, False), (None, False)):
                option = FacetOption(value, value, count, checked, f"id_x_{count}")
                facet = Facet('name"&', "Label", [option])
                with self.subTest(value=value, count=count):
                    tag = Template("{% load facets %}{% facet_checkboxes facet %}").render(Context({"facet": facet}))
                    self.assertHTMLEqual(tag, TEMPLATE_LOOP.render(Context({"facet": facet})))

    def test_a_facet_with_no_option_says_so(self):
        self.assertIn("No rows have a value here under the other filters.", self.render())
