import datetime
import json
from collections import Counter
from urllib.parse import urlencode

from django.db import connection
from django.http import QueryDict
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from letters.filters import TimelineForm
from letters.selectors import timeline_counts, timeline_entries
from tests import factories as f


class TimelineTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.city = f.make_jurisdiction("City of Stockton")
        cls.other = f.make_jurisdiction("City of Fresno")
        cls.psp = f.make_program("PSP", kind="technical_assistance")
        cls.jag = f.make_program("Byrne JAG")
        cls.letter = f.make_letter(cls.city, cls.psp)
        f.make_response(cls.letter, responded_on=datetime.date(2017, 8, 17), responder="Chief Eric Jones")
        f.make_letter(cls.other, cls.jag, sent_on=datetime.date(2017, 11, 15), deadline=datetime.date(2017, 12, 8))
        f.make_letter(cls.other, cls.jag, sent_on=None, deadline=None)
        cls.ruling = f.make_event([cls.city], occurred_on=datetime.date(2017, 9, 15), title="Injunction")
        cls.ruling.programs.add(cls.jag)
        cls.url = reverse("letters:timeline")

    def titles(self, params=None):
        response = self.client.get(self.url, params or {})
        self.assertEqual(response.status_code, 200)
        return [entry["entry_title"] for entry in response.context["object_list"]]

    def test_letters_responses_and_events_in_date_order(self):
        self.assertEqual(
            self.titles(),
            ["Byrne JAG letter to City of Fresno", "Injunction", "Chief Eric Jones responds to DOJ",
             "PSP letter to City of Stockton"],
        )  # fmt: skip

    def test_filters(self):
        self.assertEqual(
            self.titles({"jurisdiction": self.city.slug}),
            ["Injunction", "Chief Eric Jones responds to DOJ", "PSP letter to City of Stockton"],
        )
        self.assertEqual(self.titles({"program": "byrne-jag"}), ["Byrne JAG letter to City of Fresno", "Injunction"])
        self.assertEqual(self.titles({"kind": "court_ruling"}), ["Injunction"])
        self.assertEqual(self.titles({"kind": "letter_response"}), ["Chief Eric Jones responds to DOJ"])

    def test_unknown_jurisdiction_is_a_clear_message(self):
        response = self.client.get(self.url, {"jurisdiction": "atlantis"})
        self.assertContains(response, "No jurisdiction has this slug.")

    def test_json_export_carries_sources_and_links(self):
        response = self.client.get(self.url, {"format": "json", "kind": "letter"})
        results = json.loads(b"".join(response.streaming_content))["results"]
        self.assertEqual(len(results), 2)
        self.assertTrue(all(r["source_url"].startswith("https://news.example.org/") for r in results))
        self.assertTrue(results[1]["url"].endswith(self.letter.get_absolute_url()))

    def test_query_count_does_not_grow(self):
        # version, one count per part (listing.pagination), page, program choices, then
        # one source query per kind on the page
        # (at most 3); the jurisdiction picker's names; the facets kind, program, year and
        # month, each one grouped query per part (letters, responses, events, and the
        # published lists' publications, withdrawals and disputes; program skips those),
        # year and month both added up from one count per day when neither is chosen;
        # with no kind chosen, the page's count is the kind facet's sum; with nothing
        # chosen, the stored counts are read first (+1), found empty here (every write
        # empties them; tests/dashboard/test_stored.py counts the page with them stored)
        with CaptureQueriesContext(connection) as small:
            self.client.get(self.url)
        f.make_many_letters(80, self.jag, [])
        with CaptureQueriesContext(connection) as large:
            self.client.get(self.url)
        self.assertEqual(len(small), 23)
        self.assertLessEqual(len(large), 23)

    def test_the_count_is_the_number_of_entries_with_and_without_a_kind(self):
        # A published list (and its withdrawal) and an event naming both jurisdictions too.
        f.make_entry(f.make_list(withdrawn_on=datetime.date(2025, 9, 1)), self.city)
        f.make_event([self.city, self.other], occurred_on=datetime.date(2018, 2, 1), title="Statement")
        for params in (
            {},
            {"kind": "letter"},
            {"program": self.jag.slug},
            {"kind": ["response", "letter"]},
            {"kind": ["list_published", "letter"]},
            {"jurisdiction": self.city.slug},
            {"year": "2017"},
        ):
            with self.subTest(params=params):
                response = self.client.get(self.url, params)
                form = response.context["form"]
                self.assertEqual(response.context["paginator"].count, len(timeline_entries(**form.chosen_filters())))
        response = self.client.get(self.url, {"year": "nineteen"})  # invalid: nothing listed, nothing counted
        self.assertEqual(response.context["paginator"].count, 0)


class TimelineCountsTests(TestCase):
    """The facet counts read per day and per program id give what grouping by the
    formatted date and by the program's slug gives."""

    @classmethod
    def setUpTestData(cls):
        city, other = f.make_jurisdiction("City of Stockton"), f.make_jurisdiction("City of Fresno")
        jag, psp = f.make_program("Byrne JAG"), f.make_program("PSP", kind="technical_assistance")
        days = [
            datetime.date(2016, 12, 31),
            datetime.date(2017, 1, 1),
            datetime.date(2017, 1, 1),
            datetime.date(2017, 11, 15),
        ]
        for n, day in enumerate(days):
            letter = f.make_letter(city if n % 2 else other, jag if n < 3 else psp, sent_on=day, deadline=day)
            f.make_response(letter, responded_on=day, responder="Chief")
        f.make_letter(city, jag, sent_on=None, deadline=None)
        f.make_event([city], occurred_on=datetime.date(2017, 1, 20), title="Injunction").programs.add(jag)
        cls.city, cls.jag = city, jag

    def test_years_months_and_programs(self):
        self.assertEqual(timeline_counts("year"), {"2016": 2, "2017": 7})
        self.assertEqual(timeline_counts("month"), {"2016-12": 2, "2017-01": 5, "2017-11": 2})
        self.assertEqual(timeline_counts("program"), {"byrne-jag": 7, "psp": 2})
        self.assertEqual(timeline_counts("program", jurisdiction=[self.city]), {"byrne-jag": 3, "psp": 2})
        self.assertEqual(timeline_counts("month", program=[self.jag], year=["2017"]), {"2017-01": 5})
        self.assertEqual(timeline_counts("year", month=["2017-01"]), {"2017": 5})

    def test_form_adds_up_years_and_months_from_one_count_per_day(self):
        for data in ({}, {"program": "psp"}, {"jurisdiction": self.city.slug}, {"year": "2017"}):
            with self.subTest(data=data):
                form = TimelineForm(QueryDict(urlencode(data)))
                self.assertTrue(form.is_valid())
                chosen = form.chosen_filters()
                for facet, shape in (("year", "%Y"), ("month", "%Y-%m")):
                    entries = timeline_entries(**{k: v for k, v in chosen.items() if k != facet})
                    expected = Counter(e["entry_date"].strftime(shape) for e in entries if e["entry_date"])
                    self.assertEqual(form.facet_counts(facet), dict(expected))
