"""The lists' filter forms are drawn by Django's Jinja2 form renderer
(`listing.forms.LIST_FORM_RENDERER`), which is quicker than its Django-template one:
every field, valid or in error, must come out the same as it would through the default
renderer, and other forms (the admin's) must keep the default."""

from django import forms
from django.contrib.auth import get_user_model
from django.forms.renderers import DjangoTemplates, Jinja2
from django.http import QueryDict
from django.test import TestCase
from django.urls import reverse

from compliance.filters import MatrixFilter
from jurisdictions.filters import JurisdictionFilter
from letters.filters import LetterFilter, TimelineForm
from letters.models import Letter
from sanctuary_lists.filters import ListEntryFilter
from sanctuary_lists.models import ListEntry
from tests import factories as f


class ListFormRendererTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        jag = f.make_program("Byrne JAG")
        city = f.make_jurisdiction("City of Berkeley")
        f.make_letter(city, jag, [f.make_condition("release_notice_48h")])

    def forms(self):
        """Each list's form, unbound and bound to a mix of good and bad values, and the
        same form drawn by the default renderer."""
        bad = "state=CA&deadline_after=not-a-date&recipient=city-of-berkeley&sort=nonsense&jail_conditions=maybe"
        for filterset_class in (LetterFilter, MatrixFilter, JurisdictionFilter):
            for data in (None, QueryDict(bad)):
                form = filterset_class(data, queryset=filterset_class.list_rows()).form
                yield form, type(form)(data, renderer=DjangoTemplates())
        for data in (None, QueryDict("state=ZZ&kind=city&q=a")):
            form = ListEntryFilter(data, queryset=ListEntry.objects.all()).form
            yield form, type(form)(data, renderer=DjangoTemplates())
        for data in (None, QueryDict("since=2020-02-01&until=2020-01-01&year=20x0")):
            yield TimelineForm(data), TimelineForm(data, renderer=DjangoTemplates())

    def test_every_field_is_drawn_by_jinja2_as_the_default_renderer_draws_it(self):
        fields = 0
        invalid = 0
        for form, by_default in self.forms():
            self.assertIsInstance(form.renderer, Jinja2)
            self.assertNotIsInstance(by_default.renderer, Jinja2)
            invalid += form.is_bound and not form.is_valid()
            by_default.is_valid()
            for name in form.fields:
                with self.subTest(form=type(form).__name__, field=name, bound=form.is_bound):
                    self.assertHTMLEqual(form[name].as_field_group(), by_default[name].as_field_group())
                    fields += 1
            self.assertHTMLEqual(str(form.non_field_errors()), str(by_default.non_field_errors()))
        self.assertGreater(fields, 40)
        self.assertEqual(invalid, 5)  # the bad values are drawn as errors too

    def test_other_forms_keep_the_default_renderer(self):
        list(self.forms())  # the list forms first: they must not change what others inherit
        self.assertNotIsInstance(forms.Form().renderer, Jinja2)
        self.assertNotIsInstance(forms.modelform_factory(Letter, fields="__all__")().renderer, Jinja2)
        # The admin's widgets have Django templates only: its forms draw as before.
        self.client.force_login(get_user_model().objects.create_superuser("editor", "e@example.org", "x"))
        response = self.client.get(reverse("admin:letters_letter_add"))
        self.assertEqual(response.status_code, 200)
        self.assertNotIsInstance(response.context["adminform"].form.renderer, Jinja2)
        self.assertContains(response, 'class="related-widget-wrapper"')
