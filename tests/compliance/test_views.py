"""The matrix page and its exports: filters, the switch to today, and query budgets."""

import csv
import dataclasses
import datetime
import io
import json
from unittest import mock

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from compliance.exports import MATRIX
from compliance.models import StoredAnswer
from compliance.stored import store_answers
from compliance.verdicts import LawVerdict
from compliance.views import MatrixListView
from letters.models import Letter
from programs.models import Award
from tests import factories as f


class MatrixPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.state = f.make_jurisdiction("State of California", kind="state")
        county = f.make_jurisdiction("San Joaquin County", kind="county", parent=cls.state)
        cls.city = f.make_jurisdiction("City of Stockton", parent=county)
        f.book(cls.city, f.make_facility(county))
        cls.jag = f.make_program("Byrne JAG")
        cls.notice = f.make_condition("release_notice_48h")
        cls.letter = f.make_letter(cls.city, cls.jag, [cls.notice], program_context="FY2017")
        cls.law = f.make_measure(cls.state, [cls.notice], name="TRUTH Act", effective_on=datetime.date(2017, 1, 1))
        f.make_decision([cls.jag], [cls.notice], decided_on=datetime.date(2017, 9, 15))
        # A row of every kind the answer reads, so the budget is measured with all present.
        f.make_response(cls.letter).sources.add(f.make_source())
        award = Award.objects.create(program=cls.jag, jurisdiction=cls.city, fiscal_year=2017, what="award")
        award.sources.add(f.make_source())
        cls.url = reverse("compliance:matrix")

    def test_page_shows_every_part_with_sources(self):
        response = self.client.get(self.url)
        self.assertContains(response, "City of Stockton does not control this")
        self.assertContains(response, "California state law restricted compliance: TRUTH Act.")
        self.assertContains(response, "City of Stockton&#x27;s own policies: not researched.")
        self.assertContains(response, "Byrne JAG FY2017: no court had ruled on this condition by August 3, 2017.")
        self.assertContains(response, self.law.sources.get().url)

    def test_switch_to_today(self):
        response = self.client.get(self.url, {"as_of": "today"})
        self.assertContains(response, "(today)")
        self.assertContains(response, "Byrne JAG FY2017: covered on")
        self.assertNotContains(response, "Ignored unknown parameter")

    def test_the_export_answers_every_part_for_the_same_day(self):
        response = self.client.get(self.url, {"format": "csv", "as_of": "today"})
        rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
        today = timezone.localdate().isoformat()
        self.assertEqual(rows[0]["as_of"], today)
        self.assertEqual(rows[0]["courts"], "covered")  # the 2017-09-15 order, asked today
        garbage = self.client.get(self.url, {"as_of": "yesterday"})
        self.assertContains(garbage, "as_of takes only")

    def test_law_and_courts_filters(self):
        other = f.make_letter(f.make_jurisdiction("City of Elsewhere", state="NV"), self.jag, [self.notice])
        restricted = self.client.get(self.url, {"law": "restricts"}).context["object_list"]
        self.assertEqual([letter.pk for letter in restricted], [self.letter.pk])
        researched = self.client.get(self.url, {"law": "not_researched"}).context["object_list"]
        # Stockton's own policies were not researched, but California law restricted it:
        # the headline is the strongest finding, so only the Nevada letter is listed.
        self.assertEqual([letter.pk for letter in researched], [other.pk])
        bad = self.client.get(self.url, {"law": "maybe"})
        self.assertContains(bad, "Some filters could not be applied")

    def test_pages_list_the_filtered_letters_in_order_picked_by_id(self):
        """The page picks its letters by id in a subquery and reads them again with the
        answer's data (issue 15: the law and courts filters made PostgreSQL filter every
        letter before its selective test): the pages still list exactly the filtered
        letters, in the export's order, whatever the sort, and a letter demanding two of
        the chosen conditions once."""
        access = f.make_condition("jail_access")
        self.letter.conditions.add(access)
        f.make_many_letters(14, self.jag, [self.notice, access], start=5000)
        cases = (
            {},
            {"sort": "recipient", "condition": ["release_notice_48h", "jail_access"]},
            {"sort": "-deadline", "law": ["restricts", "not_researched"]},
            {"law": "restricts", "courts": "never_ruled"},
        )
        for params in cases:
            with self.subTest(params=params):
                export = json.loads(b"".join(self.client.get(self.url, {**params, "format": "json"}).streaming_content))
                expected = [record["letter_id"] for record in export["results"]]
                shown = []
                for page in (1, 2):
                    response = self.client.get(self.url, {**params, "page": page})
                    shown += [matrix.letter.pk for matrix in response.context["matrices"]]
                self.assertEqual(shown, expected)
                self.assertGreater(len(expected), 10)  # two pages
        with CaptureQueriesContext(connection) as queries:
            self.client.get(self.url, {"law": "restricts"})
        page_query = next(q["sql"] for q in queries if q["sql"].startswith('SELECT "letters_letter"."id", "letters_'))
        self.assertIn('"letters_letter"."id" IN (SELECT', page_query)

    def test_several_verdicts_are_or_ed_and_facets_count_under_them(self):
        other = f.make_letter(f.make_jurisdiction("City of Elsewhere", state="NV"), self.jag, [self.notice])
        response = self.client.get(f"{self.url}?law=restricts&law=not_researched")
        self.assertEqual({letter.pk for letter in response.context["object_list"]}, {self.letter.pk, other.pk})
        chips = [value for label, value, _ in response.context["active_filters"] if label.startswith("Law")]
        self.assertEqual(chips, ["Not researched", "Restricts compliance"])
        states = {option.value: option.count for option in response.context["facets_by_name"]["state"].options}
        self.assertEqual(states, {"CA": 1, "NV": 1})
        only_nevada = self.client.get(f"{self.url}?law=restricts&law=not_researched&state=NV")
        self.assertEqual([letter.pk for letter in only_nevada.context["object_list"]], [other.pk])

    def test_csv_and_json_carry_every_part(self):
        response = self.client.get(self.url, {"format": "csv"})
        rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0]["jail_control"], "does_not_control")
        self.assertEqual(rows[0]["law"], "restricts")
        self.assertEqual(rows[0]["courts"], "never_ruled")  # the ruling came after the letter
        self.assertEqual(rows[0]["law_sources"], self.law.sources.get().url)
        data = json.loads(b"".join(self.client.get(self.url, {"format": "json"}).streaming_content))
        self.assertEqual(data["results"][0]["conditions"][0]["law"]["parts"][0]["measures"][0]["name"], "TRUTH Act")
        self.assertEqual(self.client.get(self.url, {"format": "csv", "law": "maybe"}).status_code, 400)

    def test_law_and_courts_facets_count_letters_as_the_export_answers_them(self):
        other = f.make_letter(f.make_jurisdiction("City of Elsewhere", state="NV"), self.jag, [self.notice])
        undated = f.make_letter(f.make_jurisdiction("City of Nowhen", state="NV"), self.jag, [self.notice])
        Letter.objects.filter(pk=undated.pk).update(sent_on=None, deadline=None)
        # An undated letter's stored answer expires: it is answered now, and counted so.
        store_answers(Letter.objects.filter(pk=undated.pk))
        StoredAnswer.objects.filter(letter=undated).update(valid_until=datetime.date(2000, 1, 1))

        def exported(params, part):
            """{verdict: letters} as the CSV export answers them."""
            response = self.client.get(self.url, {**params, "format": "csv"})
            rows = csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()))
            letters = {}
            for row in rows:
                letters.setdefault(row[part], set()).add(row["letter_id"])
            return {verdict: len(ids) for verdict, ids in letters.items()}

        def counted(params, part):
            facet = self.client.get(self.url, params).context["facets_by_name"][part]
            return {option.value: option.count for option in facet.options if option.count}

        for params in ({}, {"state": "NV"}, {"courts": "never_ruled"}):
            for part in ("law", "courts"):
                with self.subTest(params=params, part=part):
                    self.assertEqual(counted(params, part), exported(params, part))
        self.assertEqual(counted({}, "law"), {"restricts": 1, "not_researched": 2})
        # A facet's own choice is left out of its counts, and kept (at 0) so it can be unticked.
        facet = self.client.get(self.url, {"law": "restricts", "state": "NV"}).context["facets_by_name"]["law"]
        self.assertEqual(
            {o.value: (o.count, o.checked) for o in facet.options},
            {
                "restricts": (0, True),
                "not_researched": (2, False),
            },
        )
        self.assertIn(
            other.pk,
            [letter.pk for letter in self.client.get(self.url, {"law": "not_researched"}).context["object_list"]],
        )
        # Answers for today are computed, not stored: offered, not counted.
        today = self.client.get(self.url, {"as_of": "today"}).context["facets_by_name"]["law"]
        self.assertEqual({option.count for option in today.options}, {None})
        self.assertEqual(len(today.options), len(LawVerdict.choices))

    def test_query_counts_do_not_grow(self):
        cases = ({}, {"as_of": "today"}, {"format": "csv"}, {"law": "restricts", "courts": "never_ruled"})
        for params in cases:
            with self.subTest(params=params), self.assertNumQueries(budget(params)):
                response = self.client.get(self.url, params)
                if params.get("format"):
                    b"".join(response.streaming_content)
        f.make_many_letters(60, self.jag, [self.notice], start=5000)
        for params in cases:
            with self.subTest(params=params, grown=True), self.assertNumQueries(budget(params)):
                response = self.client.get(self.url, params)
                if params.get("format"):
                    b"".join(response.streaming_content)
        self.assertEqual(Letter.objects.count(), 61)


def budget(params):
    if params.get("format"):
        return MATRIX_QUERIES["csv"]
    if params.get("as_of"):
        return MATRIX_QUERIES["today"]
    return MATRIX_QUERIES["filtered" if "law" in params else "html"]


# A page of ten letters, or an export chunk of 500: the letters with their demands,
# bookings, sources and responses, then laws (3), court decisions (5) and awards (2)
# once for all of them; the page adds its count and filter choices.
# today: +9 for the facets, each counted in one grouped query (program, condition, state,
# recipient kind, month, status, control, batch; the years are the months' sums) and the
# recipient picker's names; control counts dated letters' facts and undated letters'
# answers apart (+1, issue 15); state, recipient kind, program and batch, none chosen,
# in one query (`counted_together`, -3).
# html: +5, the law and courts facets (issue 14), each counted from the dated letters'
# facts and the undated letters' answers apart (issue 15), and one for the letters whose
# stored answer has expired (counted as answered now; there are none here). Answers for
# today are computed, so `today` counts neither.
# filtered (law and courts chosen): the same queries, the filters read the stored answers
# inside the page's own queries. csv: one more, counting the letters against the
# export's limit (`MAX_LETTERS_PER_EXPORT`). html, with nothing chosen: the stored
# counts are read first (+1), found empty here (`StoredListFacetTests`).
MATRIX_QUERIES = {"html": 35, "today": 29, "filtered": 34, "csv": 20}


class MatrixLimitTests(TestCase):
    """Answering a letter in full is slow at national scale (about 1 ms each): the matrix
    export and the law and courts filters for today refuse more letters than one request
    can answer, with a message saying how to narrow them, instead of outlasting the
    server's timeout."""

    @classmethod
    def setUpTestData(cls):
        cls.jag = f.make_program("Byrne JAG")
        notice = f.make_condition("release_notice_48h")
        for name, state in (("City of Stockton", "CA"), ("City of Fresno", "CA"), ("City of Reno", "NV")):
            f.make_letter(f.make_jurisdiction(name, state=state), cls.jag, [notice])
        cls.url = reverse("compliance:matrix")

    def test_an_export_over_the_limit_is_a_400_that_says_how_to_narrow_it(self):
        with mock.patch.object(MatrixListView, "export", dataclasses.replace(MATRIX, max_rows=2)):
            refused = self.client.get(self.url, {"format": "csv"})
            page = self.client.get(self.url)
            narrowed = self.client.get(self.url, {"format": "csv", "state": "CA"})
        self.assertEqual(refused.status_code, 400)
        self.assertIn("at most 2 letters at a time and these filters select 3", refused.json()["error"])
        self.assertContains(page, "Downloads take at most 2 letters at a time")
        self.assertNotContains(page, "format=csv")
        self.assertEqual(narrowed.status_code, 200)
        rows = list(csv.DictReader(io.StringIO(b"".join(narrowed.streaming_content).decode())))
        self.assertEqual(sorted(row["recipient"] for row in rows), ["City of Fresno", "City of Stockton"])

    def test_law_for_today_over_too_many_letters_is_a_form_error(self):
        with mock.patch("compliance.filters.MAX_ANSWERED_FOR_TODAY", 2):
            refused = self.client.get(self.url, {"as_of": "today", "law": "not_researched"})
            export = self.client.get(self.url, {"as_of": "today", "courts": "never_ruled", "format": "json"})
            narrowed = self.client.get(self.url, {"as_of": "today", "law": "not_researched", "state": "CA"})
            own_date = self.client.get(self.url, {"law": "not_researched"})
        self.assertContains(refused, "over at most 2 letters at a time; the other filters select 3")
        self.assertEqual(list(refused.context["object_list"]), [])
        self.assertEqual(export.status_code, 400)
        self.assertIn("the other filters select 3", export.json()["fields"]["__all__"][0])
        self.assertEqual(sorted(letter.recipient.name for letter in narrowed.context["object_list"]),
                         ["City of Fresno", "City of Stockton"])  # fmt: skip
        self.assertEqual(len(own_date.context["object_list"]), 3)

    def test_with_law_for_today_other_facets_are_offered_without_counts(self):
        """Verdicts for today are answered only among the letters the other filters let
        through; a facet's count would reach beyond them, so none is shown."""
        response = self.client.get(self.url, {"as_of": "today", "law": "not_researched", "state": "CA"})
        states = response.context["facets_by_name"]["state"]
        self.assertEqual({option.count for option in states.options}, {None})
        self.assertIn("NV", {option.value for option in states.options})
        self.assertEqual(len(response.context["object_list"]), 2)
        counted = self.client.get(self.url, {"law": "not_researched", "state": "CA"}).context["facets_by_name"]
        self.assertEqual({o.value: o.count for o in counted["state"].options if o.count}, {"CA": 2, "NV": 1})
