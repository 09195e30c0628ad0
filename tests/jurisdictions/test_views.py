import datetime
import json

from django.test import TestCase
from django.urls import reverse

from jurisdictions.models import Booking, Jurisdiction
from jurisdictions.views import LETTERS_SHOWN
from sanctuary_lists.models import ListDispute
from tests import factories as f


class JurisdictionPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.state = f.make_jurisdiction("State of California", kind=Jurisdiction.Kind.STATE)
        cls.county = f.make_jurisdiction("Alameda County", kind=Jurisdiction.Kind.COUNTY, parent=cls.state)
        county_jail = f.make_facility(
            cls.county, name="Santa Rita Jail", operator_agency="Alameda County Sheriff's Office"
        )
        f.book(cls.county, county_jail)
        cls.berkeley = f.make_jurisdiction("City of Berkeley", parent=cls.county)
        lockup = f.make_facility(
            cls.berkeley, name="Berkeley City Jail", facility_type="city_lockup", sourcing="partly"
        )
        f.book(cls.berkeley, lockup, Booking.Stage.PRE_ARRAIGNMENT)
        f.book(cls.berkeley, county_jail, Booking.Stage.AFTER_ARRAIGNMENT)
        cls.stockton = f.make_jurisdiction("City of Stockton")
        f.book(cls.stockton, f.make_facility(f.make_jurisdiction("San Joaquin County", kind="county")))
        cls.psp = f.make_program("PSP", kind="technical_assistance")
        cls.jag = f.make_program("Byrne JAG")
        cls.jail_access = f.make_condition("jail_access")
        cls.s1373 = f.make_condition("section_1373_compliance")
        f.make_letter(cls.stockton, cls.psp, [cls.jail_access])
        f.make_letter(cls.berkeley, cls.jag, [cls.s1373, cls.jail_access])
        cls.ruling = f.make_event([cls.state], title="Court enjoins conditions in California")
        cls.list_url = reverse("jurisdictions:list")

    def names(self, params):
        response = self.client.get(self.list_url, params)
        self.assertEqual(response.status_code, 200)
        return sorted(j.name for j in response.context["object_list"])

    def test_filters(self):
        self.assertEqual(self.names({"program": "psp"}), ["City of Stockton"])
        self.assertEqual(self.names({"condition": "section_1373_compliance"}), ["City of Berkeley"])
        self.assertEqual(self.names({"runs_own_jail": "partly"}), ["City of Berkeley"])
        # San Joaquin County has no booking row but runs a county jail: it controls.
        self.assertEqual(self.names({"runs_own_jail": "yes"}), ["Alameda County", "San Joaquin County"])
        self.assertEqual(self.names({"runs_own_jail": "unknown"}), ["State of California"])
        self.assertEqual(self.names({"control": "does_not_control"}), ["City of Stockton"])
        self.assertEqual(self.names({"control": "shares"}), ["City of Berkeley"])
        self.assertEqual(self.names({"kind": "county", "q": "alameda"}), ["Alameda County"])
        self.assertEqual(self.names({"circuit": "9th", "targeted": "true"}), ["City of Berkeley", "City of Stockton"])
        self.assertEqual(self.names({"circuit": "2nd"}), [])

    def test_sort_by_letters_received(self):
        response = self.client.get(self.list_url, {"sort": "-letters"})
        self.assertEqual(response.context["object_list"][0].letter_count, 1)

    def test_bad_values_give_messages(self):
        response = self.client.get(self.list_url, {"state": "ZZ", "runs_own_jail": "maybe", "page": "x"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Some filters could not be applied")
        self.assertContains(response, "There is no page “x”")

    def test_detail_page_explains_shared_control_and_cites_sources(self):
        response = self.client.get(self.berkeley.get_absolute_url())
        self.assertContains(response, "<h1>City of Berkeley, CA</h1>", html=True)
        self.assertContains(
            response, "City of Berkeley shares control: its arrestees are also held in facilities run by"
        )
        self.assertContains(response, "Until arraignment")
        self.assertContains(response, "Alameda County Sheriff&#x27;s Office")
        self.assertContains(response, "Partly sourced")
        self.assertContains(response, "City of Berkeley controls this: it depends on its own policies.")
        self.assertContains(response, "Court enjoins conditions in California")  # an event about its state
        self.assertContains(response, self.county.get_absolute_url())
        self.assertContains(response, 'type="application/atom+xml"')

    def test_detail_page_with_no_booking_data_says_unknown(self):
        response = self.client.get(self.state.get_absolute_url())
        self.assertContains(response, "Unknown: we have no record of where State of California")

    def test_exports(self):
        response = self.client.get(self.list_url, {"format": "csv", "runs_own_jail": "partly"})
        body = b"".join(response.streaming_content).decode()
        self.assertIn("City of Berkeley", body)
        self.assertIn("Alameda County (alameda-county-ca); City of Berkeley (city-of-berkeley-ca)", body)
        data = json.loads(
            b"".join(self.client.get(self.list_url, {"format": "json", "program": "psp"}).streaming_content)
        )
        self.assertEqual([r["slug"] for r in data["results"]], ["city-of-stockton-ca"])
        detail = self.client.get(self.stockton.get_absolute_url(), {"format": "json"}).json()
        self.assertEqual(detail["letters"][0]["conditions"][0]["control"], "does_not_control")
        self.assertEqual(detail["bookings"][0]["operator"]["slug"], "san-joaquin-county-ca")

    def test_detail_page_shows_the_oldest_letters_and_links_the_rest(self):
        """The oldest LETTERS_SHOWN letters are answered; the link to all of them appears
        only when there are more (read from the letter count, not from one more answer)."""
        city = f.make_jurisdiction("City of Many Letters")
        for day in range(LETTERS_SHOWN):
            f.make_letter(city, self.jag, [self.s1373], sent_on=datetime.date(2017, 9, 1 + day), deadline=None)
        response = self.client.get(city.get_absolute_url())
        self.assertContains(response, 'class="matrix"', count=LETTERS_SHOWN)
        self.assertNotContains(response, "See, filter and export all")
        f.make_letter(city, self.jag, [self.s1373], sent_on=datetime.date(2017, 8, 31), deadline=None)
        response = self.client.get(city.get_absolute_url())
        self.assertContains(response, 'class="matrix"', count=LETTERS_SHOWN)
        self.assertContains(response, "August 31, 2017")  # the oldest, now shown
        self.assertNotContains(response, "September 20, 2017")  # the newest, now linked
        self.assertContains(response, f"See, filter and export all {LETTERS_SHOWN + 1}")

    def test_unknown_slug_is_a_404(self):
        self.assertEqual(self.client.get("/jurisdictions/atlantis/").status_code, 404)


class JurisdictionQueryCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.jag = f.make_program("Byrne JAG")
        cls.conditions = [f.make_condition("jail_access"), f.make_condition("section_1373_compliance")]
        cls.county = f.make_jurisdiction("Busy County", kind="county")
        f.make_many_letters(10, cls.jag, cls.conditions, operator=cls.county)
        cls.busy = Jurisdiction.objects.get(name="Bulk City 0")
        f.make_decision([cls.jag], cls.conditions, covered="plaintiffs", covered_jurisdictions=[cls.busy])
        # Named on a list and disputing it, so "Named on" runs all its queries in both measurements.
        cls.doj_list = f.make_list("doj")
        f.make_entry(cls.doj_list, cls.busy)
        dispute = ListDispute.objects.create(
            published_list=cls.doj_list,
            jurisdiction=cls.busy,
            occurred_on=datetime.date(2025, 8, 5),
            who="Mayor",
            statement="Not a sanctuary.",
        )
        dispute.sources.add(f.make_source())

    def grow(self):
        f.make_many_letters(190, self.jag, self.conditions, start=500)
        for _ in range(20):  # the detail page's own letters grow too, answered as the first is
            f.make_response(f.make_letter(self.busy, self.jag, self.conditions))
        for index in range(5):  # and the lists naming it
            f.make_entry(f.make_list(f"list-{index}"), self.busy, section=f"Section {index}")

    def test_list_and_detail_queries_do_not_grow(self):
        pages = [
            (reverse("jurisdictions:list"), {}),
            (
                reverse("jurisdictions:list"),
                {"program": "byrne-jag", "runs_own_jail": "no", "control": "does_not_control", "named_on": "doj"},
            ),
            (self.busy.get_absolute_url(), {}),
            (self.busy.get_absolute_url(), {"format": "json"}),
        ]
        for index, (url, params) in enumerate(pages):
            with self.assertNumQueries(JURISDICTION_QUERIES[index]):
                self.client.get(url, params)
        self.grow()
        for index, (url, params) in enumerate(pages):
            with self.subTest(url=url, params=params), self.assertNumQueries(JURISDICTION_QUERIES[index]):
                self.assertEqual(self.client.get(url, params).status_code, 200)


# list, filtered list, detail (which leads with each letter's whole answer, and lists
# the jails it runs, the court orders and the published lists that name it: "Named on"
# costs 4, its entries and disputes with their sources).
# The lists run one grouped count per facet: state, kind, program, condition, runs own
# jail, control, named on list (+7; the circuits are summed from the states' counts
# while neither is chosen), and read the published lists for the
# "named on" choices (+1); the control facet first asks whether any stored answer has
# expired, which says whether it counts the stored facts or the answers (+1).
# The detail JSON reads its record, bookings, letters, lists and events, not the page's
# answers and side panels (issue 15), and its letters as the letters export reads them
# (bookings as plain values, without booking sources: 2 fewer; the recipient read with
# the letters: 1 fewer again). The detail page's letters share the page's jurisdiction as
# their recipient, with the bookings it already read (2 fewer); its court orders and
# events no longer read the programs, which it does not show (1 fewer here, 1 more per
# list of events shown); the jails it runs are read once, for its control and its list
# of jails (1 fewer); its awards are read once, for the answers and the money table (2
# fewer: the awards and their sources).
# The unfiltered list reads the stored counts first (+1), found empty here (every write
# empties them; `StoredListFacetTests` counts the page with them stored).
JURISDICTION_QUERIES = [18, 19, 36, 14]  # the detail page +1: the cite-this data version
