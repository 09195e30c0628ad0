"""Every filter on every list page is named in words (issue 14: the timeline's program
filter once read "[invalid name]", django-filter's label for a filter whose field_name it
cannot resolve). Each page is rendered on the seed data with no filter, then with each
field of its own filter form set to a value the form offers."""

from html.parser import HTMLParser
from io import StringIO
from urllib.parse import urlencode

from django.core.management import call_command
from django.test import TestCase

from sanctuary_lists.models import PublishedList

# What django-filter and Django forms print when a label could not be worked out.
UNNAMED = ("[invalid name]", "---------")
TYPED_VALUES = {"date": "2017-08-03", "search": "county", "text": "county"}


class FilterFormFields(HTMLParser):
    """The fields of the list's filter form: {name: first value it offers}."""

    def __init__(self):
        super().__init__()
        self.fields, self.in_form, self.select = {}, False, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("aria-labelledby") == "filter-heading":
            self.in_form = True
        elif not self.in_form:
            return
        elif tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            value = attrs.get("value") if kind in ("checkbox", "radio") else TYPED_VALUES.get(kind)
            if value:
                self.fields.setdefault(attrs["name"], value)
        elif tag == "select":
            self.select = attrs.get("name")
        elif tag == "option" and self.select and attrs.get("value"):
            self.fields.setdefault(self.select, attrs["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "select":
            self.select = None


class FilterLabelTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_seed", stdout=StringIO())

    def list_pages(self):
        published = PublishedList.objects.filter(entries__isnull=False).order_by("pk").first()
        return ["/letters/", "/jurisdictions/", "/matrix/", "/timeline/", published.get_absolute_url()]

    def assert_named(self, url):
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        page = response.content.decode()
        for unnamed in UNNAMED:
            at = page.find(unnamed)
            self.assertEqual(at, -1, f"{unnamed!r} on {url}: …{page[at - 300 : at + 50]}…")
        return page

    def test_every_filter_on_every_list_page_has_a_name(self):
        for path in self.list_pages():
            form = FilterFormFields()
            form.feed(self.assert_named(path))
            self.assertGreater(len(form.fields), 3, f"{path} has no filter form")
            for name, value in form.fields.items():
                with self.subTest(page=path, field=name):
                    # Set alone, so the page shows it as a chip and counts the other facets under it.
                    self.assert_named(f"{path}?{urlencode({name: value})}")

    def test_search_results_and_the_other_lists(self):
        for path in ("/search/?q=county", "/conditions/", "/programs/", "/lists/", "/lists/compare/"):
            with self.subTest(page=path):
                self.assert_named(path)
