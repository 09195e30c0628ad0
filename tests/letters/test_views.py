import csv
import io
import json

from django.test import TestCase
from django.urls import reverse

from jurisdictions.models import Jurisdiction
from tests import factories as f


class LetterPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.state = f.make_jurisdiction("State of Maryland", kind=Jurisdiction.Kind.STATE, state="MD")
        cls.baltimore = f.make_jurisdiction("City of Baltimore", state="MD", parent=cls.state)
        f.book(cls.baltimore, f.make_facility(cls.state, name="Baltimore Central Booking", facility_type="state_jail"))
        cls.psp = f.make_program("PSP", kind="technical_assistance")
        cls.jag = f.make_program("Byrne JAG")
        cls.jail_access = f.make_condition("jail_access")
        cls.notice = f.make_condition("release_notice_48h")
        cls.s1373 = f.make_condition("section_1373_compliance")
        cls.batch = f.make_batch()
        cls.psp_letter = f.make_letter(cls.baltimore, cls.psp, [cls.jail_access, cls.notice], batch=cls.batch)
        cls.jag_letters = f.make_many_letters(9, cls.jag, [cls.s1373])
        cls.list_url = reverse("letters:list")

    def test_detail_page_says_who_controls_each_condition_with_sources(self):
        response = self.client.get(self.psp_letter.get_absolute_url())
        self.assertContains(response, "<title>PSP letter to City of Baltimore · Sanctuary Tracker</title>", html=True)
        self.assertContains(
            response, "City of Baltimore does not control this: its arrestees are held in a jail run by"
        )
        self.assertContains(response, f'href="{self.state.get_absolute_url()}"')
        self.assertContains(response, self.psp_letter.sources.get().url)
        self.assertContains(response, 'aria-label="Breadcrumb"')

    def test_list_filters_by_program_and_shows_active_filters(self):
        response = self.client.get(self.list_url, {"program": "psp"})
        self.assertEqual(list(response.context["object_list"]), [self.psp_letter])
        self.assertEqual(response.context["active_filters"], [("Program", "PSP", "?")])
        self.assertContains(response, "?program=psp&amp;format=csv")

    def test_removing_one_filter_keeps_the_others(self):
        response = self.client.get(self.list_url, {"program": "byrne-jag", "state": "CA"})
        removals = {label: url for label, _, url in response.context["active_filters"]}
        self.assertEqual(removals["Program"], "?state=CA")
        self.assertEqual(removals["Recipient state"], "?program=byrne-jag")

    def test_filter_by_deadline_range_status_condition_and_control(self):
        cases = {
            (("deadline_after", "2017-08-01"), ("deadline_before", "2017-08-31")): [self.psp_letter.pk],
            (("condition", "jail_access"),): [self.psp_letter.pk],
            (("control", "does_not_control"),): [self.psp_letter.pk],
            (("status", "deadline_passed"), ("recipient_kind", "city"), ("state", "MD")): [self.psp_letter.pk],
            (("batch", self.batch.code),): [self.psp_letter.pk],
            (("q", "Bulk City 3"),): [self.jag_letters[3].pk],
            (("sent_after", "2017-11-01"),): sorted(letter.pk for letter in self.jag_letters),
        }
        for params, expected in cases.items():
            with self.subTest(params=params):
                response = self.client.get(self.list_url, dict(params))
                self.assertEqual(sorted(letter.pk for letter in response.context["object_list"]), expected)

    def test_sorting_by_deadline(self):
        response = self.client.get(self.list_url, {"sort": "deadline"})
        self.assertEqual(response.context["object_list"][0], self.psp_letter)
        response = self.client.get(self.list_url, {"sort": "-deadline"})
        self.assertNotEqual(response.context["object_list"][0], self.psp_letter)

    def test_bad_input_gives_a_clear_message_not_an_error(self):
        params = {"deadline_after": "notadate", "state": "ZZ", "page": "999", "sort": "drop table", "utm": "x"}
        response = self.client.get(self.list_url, params)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Some filters could not be applied")
        self.assertContains(response, "Enter a valid date.")
        self.assertContains(response, "Select a valid choice. ZZ is not one of the available choices.")
        self.assertContains(response, "Ignored unknown parameter: utm.")
        self.assertEqual(list(response.context["object_list"]), [])

    def test_out_of_range_page_shows_the_last_page_with_a_notice(self):
        response = self.client.get(self.list_url, {"page": "999"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "There is no page “999”; showing page 1 of 1.")

    def test_csv_export_has_one_row_per_demand_with_control_analysis_for_all_pages(self):
        f.make_many_letters(30, self.jag, [self.s1373], start=100)  # more than one page
        response = self.client.get(self.list_url, {"format": "csv", "program": "byrne-jag"})
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
        self.assertEqual(len(rows), 39)
        self.assertEqual({row["control"] for row in rows}, {"controls"})
        psp_rows = list(
            csv.DictReader(
                io.StringIO(
                    b"".join(
                        self.client.get(self.list_url, {"format": "csv", "program": "psp"}).streaming_content
                    ).decode()
                )
            )
        )
        self.assertEqual(
            [(row["condition"], row["control"], row["controllers"]) for row in psp_rows],
            [
                ("jail_access", "does_not_control", "State of Maryland (state-of-maryland-md)"),
                ("release_notice_48h", "does_not_control", "State of Maryland (state-of-maryland-md)"),
            ],
        )

    def test_json_export_nests_conditions(self):
        response = self.client.get(self.list_url, {"format": "json", "program": "psp"})
        results = json.loads(b"".join(response.streaming_content))["results"]
        self.assertEqual(len(results), 1)
        self.assertEqual(results[0]["sent_on"], "2017-08-03")
        self.assertEqual(
            results[0]["conditions"][0],
            {
                "condition": "jail_access",
                "condition_label": "jail access",
                "control": "does_not_control",
                "control_label": "Does not control",
                "controllers": [{"name": "State of Maryland", "slug": "state-of-maryland-md"}],
                "control_sentence": "City of Baltimore does not control this: its arrestees are held in a jail "
                "run by State of Maryland.",
            },
        )

    def test_exports_reject_bad_values_with_400(self):
        for params in (
            {"format": "csv", "deadline_after": "notadate"},
            {"format": "json", "state": "ZZ"},
            {"format": "xml"},
        ):
            with self.subTest(params=params):
                response = self.client.get(self.list_url, params)
                self.assertEqual(response.status_code, 400)
                self.assertIn("error", response.json())

    def test_detail_json(self):
        data = self.client.get(self.psp_letter.get_absolute_url(), {"format": "json"}).json()
        self.assertEqual(data["recipient_slug"], "city-of-baltimore-md")
        self.assertEqual([c["condition"] for c in data["conditions"]], ["jail_access", "release_notice_48h"])

    def test_unknown_letter_is_a_404(self):
        self.assertEqual(self.client.get("/letters/999999/").status_code, 404)


class LetterQueryCountTests(TestCase):
    """Queries per page are the same with 10 and with 200 letters."""

    @classmethod
    def setUpTestData(cls):
        cls.jag = f.make_program("Byrne JAG")
        cls.conditions = [f.make_condition("section_1373_compliance"), f.make_condition("jail_access")]
        f.make_many_letters(10, cls.jag, cls.conditions)
        cls.batch = f.make_batch()
        cls.letter = f.make_letter(f.make_jurisdiction("City of Test"), cls.jag, cls.conditions, batch=cls.batch)
        # A court order the letter's answer reads, with its programs, conditions and covered places.
        f.make_decision([cls.jag], cls.conditions, [cls.letter.recipient])

    def assert_constant_queries(self, expected, url, params=None):
        with self.assertNumQueries(expected):
            self.client.get(url, params or {})
        f.make_many_letters(190, self.jag, self.conditions, start=1000)
        Jurisdiction.objects.filter(name__startswith="Bulk City 10").update(parent=None)
        with self.assertNumQueries(expected):
            response = self.client.get(url, params or {})
        self.assertEqual(response.status_code, 200)

    def test_letter_list(self):
        self.assert_constant_queries(LETTER_LIST_QUERIES, reverse("letters:list"))

    def test_letter_list_with_every_filter(self):
        params = {
            "program": "byrne-jag",
            "condition": "jail_access",
            "state": "CA",
            "recipient_kind": "city",
            "sent_after": "2017-01-01",
            "deadline_before": "2018-01-01",
            "status": "responded",
            "control": "does_not_control",
            "q": "Bulk",
            "sort": "-deadline",
        }
        self.assert_constant_queries(LETTER_LIST_FILTERED_QUERIES, reverse("letters:list"), params)
        self.assertEqual(self.client.get(reverse("letters:list"), params).context["total_count"], 200)

    def test_letter_detail(self):
        self.assert_constant_queries(LETTER_DETAIL_QUERIES, self.letter.get_absolute_url())

    def test_letter_detail_json(self):
        self.assert_constant_queries(LETTER_JSON_QUERIES, self.letter.get_absolute_url(), {"format": "json"})

    def test_csv_export(self):
        with self.assertNumQueries(LETTER_EXPORT_QUERIES):
            b"".join(self.client.get(reverse("letters:list"), {"format": "csv"}).streaming_content)


# The version, the count, the page and its demands (`for_table`: no bookings, their
# sources or the letters' sources, which the table does not show); +9 for the facets,
# one grouped count each (program, condition, state, recipient kind, month, status,
# control, batch; the years are the months' sums), and the recipient picker's names;
# control counts dated letters' facts and undated letters' answers apart (+1, issue 15);
# state, recipient kind, program and batch, none chosen, in one (`counted_together`, -3);
# with nothing chosen, the stored counts are read first (+1), found empty here (every
# write empties them; `StoredListFacetTests` counts the page with them stored)
LETTER_LIST_QUERIES = 15
# With the letter's whole answer: laws, courts, awards; the cite-this data version. A
# court order to read costs four more: its sources, programs, conditions and covered
# places (`court_decisions`; as columns of the orders' rows they were fewer queries but
# slower, 5.5 ms against 3.5).
LETTER_DETAIL_QUERIES = 18
LETTER_LIST_FILTERED_QUERIES = 19
# The record, its responses, its batch and its whole answer; not the HTML page's context
# (issue 15: the letter was answered twice, once for the page and once for the record);
# its export record reads bookings as plain values, without their sources (one fewer);
# its matrix record is answered from the page's own object, not read again (22 -> 16);
# its export record reads its recipient with the letter (16 -> 15); its export record
# is written from the letter the page read, whose demands' answers its matrix shows,
# with its sources' URLs a column of the letter's row (15 -> 11: no conditions, no
# bookings as plain values, no export query, no Source rows of the letter's own).
# With a court order to read: four more, as on the page.
LETTER_JSON_QUERIES = 15
# data version, conditions, the recipients' bookings as plain values (without their
# sources, which the export does not print), the letters (one query read in chunks, with
# their recipients); was 8, then 7, then 5 with two queries per chunk of 2,000 letters.
LETTER_EXPORT_QUERIES = 4
