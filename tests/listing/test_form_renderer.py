"""The lists' filter forms are drawn by Django's Jinja2 form renderer
(`listing.facets.LIST_FORM_RENDERER`), which is quicker than its Django-template one:
every field, valid or in error, must come out the same as it would through the default
renderer, and other forms (the admin's) must keep the default."""

from django import forms
from django.forms.renderers import DjangoTemplates, Jinja2
from django.http import QueryDict
from django.test import TestCase

from compliance.filters import MatrixFilter
from jurisdictions.filters import JurisdictionFilter
from letters.filters import LetterFilter, TimelineForm
from letters.models import Letter
from tests import factories as f


class ListFormRendererTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        jag = f.make_program("Byrne JAG")
        city = f.make_jurisdiction("City of Berkeley")
        f.make_letter(city, jag, [f.make_condition("release_notice_48h")])

    def forms(self):
        """Each list's form bound to a mix of good and bad values, and the same form drawn
        by the default renderer."""
        bad = "state=CA&deadline_after=not-a-date&recipient=city-of-berkeley&sort=nonsense&jail_conditions=maybe"
        for filterset_class in (LetterFilter, MatrixFilter, JurisdictionFilter):
            for data in (None, QueryDict(bad)):
                form = filterset_class(data, queryset=filterset_class.list_rows()).form
                yield form, type(form)(data, renderer=DjangoTemplates())
        for data in (None, QueryDict("since=2020-02-01&until=2020-01-01&year=20x0")):
            yield TimelineForm(data), TimelineForm(data, renderer=DjangoTemplates())

    def test_every_field_is_drawn_by_jinja2_as_the_default_renderer_draws_it(self):
        fields = 0
        for form, by_default in self.forms():
            self.assertIsInstance(form.renderer, Jinja2)
            form.is_valid(), by_default.is_valid()
            for name in form.fields:
                with self.subTest(form=type(form).__name__, field=name, bound=form.is_bound):
                    self.assertHTMLEqual(form[name].as_field_group(), by_default[name].as_field_group())
                    fields += 1
            self.assertHTMLEqual(str(form.non_field_errors()), str(by_default.non_field_errors()))
        self.assertGreater(fields, 40)
        errors = [form.errors for form, _ in self.forms() if form.is_bound and not form.is_valid()]
        self.assertEqual(len(errors), 4)  # the bad values are drawn as errors too

    def test_other_forms_keep_the_default_renderer(self):
        # The admin's widgets have Django templates only (tests/test_admin.py draws them).
        self.assertNotIsInstance(forms.Form().renderer, Jinja2)
        self.assertNotIsInstance(forms.modelform_factory(Letter, fields="__all__")().renderer, Jinja2)
