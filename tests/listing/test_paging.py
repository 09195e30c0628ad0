"""Filtered lists page by ids (`FilteredListView.paginate_queryset`): the page's rows
are picked by id in a subquery and read whole from the list's own rows. Every list,
sorted every way and filtered through a to-many relation (DISTINCT), still shows page
after page exactly the filtered rows in their order, each once."""

from unittest import mock

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sanctuary_lists.views import PublishedListDetailView
from tests import factories as f


class PagingByIdsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        jag = f.make_program("Byrne JAG")
        notice = f.make_condition("release_notice_48h")
        access = f.make_condition("jail_access")
        letters = f.make_many_letters(40, jag, [notice, access])
        # Letters with other dates, deadlines and recipients, so that each sort differs
        # from the others and from the order of the primary keys.
        for day, letter in enumerate(letters[:12], start=1):
            letter.sent_on = letter.sent_on.replace(day=day)
            letter.deadline = None if day % 4 == 0 else letter.deadline.replace(day=28 - day)
            letter.save()
        county = f.make_jurisdiction("Aardvark County", kind="county", state="CA")
        f.make_letter(county, jag, [notice])
        f.make_letter(county, jag, [access])
        cls.published = f.make_list()
        for city in [letter.recipient for letter in letters[:18]]:
            f.make_entry(cls.published, city, section="Counties" if city.pk % 3 else "Cities")

    def shown_pages(self, url, params):
        """The rows of each page in turn, and the filtered rows in order as the
        FilterSet gives them (what the pages used to be sliced from)."""
        shown = []
        number = 1
        while True:
            response = self.client.get(url, {**params, "page": number})
            self.assertEqual(response.status_code, 200)
            self.assertEqual(response.context["page_obj"].number, number)
            shown += [row.pk for row in response.context["object_list"]]
            if not response.context["page_obj"].has_next():
                return shown, [row.pk for row in response.context["filter"].qs], number
            number += 1

    def test_every_list_shows_the_filtered_rows_in_order_page_after_page(self):
        cases = [
            (reverse("letters:list"), {}),
            (reverse("letters:list"), {"sort": "deadline"}),
            (reverse("letters:list"), {"sort": "-recipient"}),
            (reverse("letters:list"), {"sort": "sent", "condition": ["jail_access", "release_notice_48h"]}),
            (reverse("jurisdictions:list"), {}),
            (reverse("jurisdictions:list"), {"sort": "-letters"}),
            (reverse("jurisdictions:list"), {"sort": "kind", "state": "CA"}),
            (reverse("compliance:matrix"), {"sort": "-deadline"}),
            (self.published.get_absolute_url(), {}),
        ]
        with mock.patch.object(PublishedListDetailView, "paginate_by", 6):
            for url, params in cases:
                with self.subTest(url=url, params=params):
                    shown, filtered, pages = self.shown_pages(url, params)
                    self.assertEqual(shown, filtered)
                    self.assertEqual(len(set(shown)), len(shown))
                    self.assertGreater(pages, 1)

    def test_the_page_is_read_whole_for_its_ids_only_in_the_same_query(self):
        with CaptureQueriesContext(connection) as queries:
            self.client.get(reverse("letters:list"), {"sort": "-recipient", "condition": "jail_access"})
        page_query = next(q["sql"] for q in queries if q["sql"].startswith('SELECT "letters_letter"."id", "letters_'))
        self.assertIn('"letters_letter"."id" IN (SELECT', page_query)
