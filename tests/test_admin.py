import datetime

from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse

from jurisdictions.control import Basis, ControlStatus, control_of
from jurisdictions.models import Booking
from letters.models import Letter
from tests import factories as f


class AdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = get_user_model().objects.create_superuser("editor", "editor@example.org", "a-long-passphrase")
        county = f.make_jurisdiction("San Joaquin County", kind="county")
        cls.city = f.make_jurisdiction("City of Stockton", parent=county)
        county_jail = f.make_facility(county, name="San Joaquin County Jail")
        f.book(cls.city, county_jail)
        f.book(county, county_jail)
        cls.program = f.make_program("PSP", kind="technical_assistance")
        cls.jail_access = f.make_condition("jail_access")
        cls.section_1373 = f.make_condition("section_1373_compliance")
        cls.letter = f.make_letter(cls.city, cls.program, [cls.jail_access, cls.section_1373])
        f.make_response(cls.letter)
        f.make_event([cls.city])

    def setUp(self):
        self.client.force_login(self.user)

    def test_every_changelist_and_add_page_renders(self):
        for model in ["jurisdiction", "facility", "booking", "program", "condition", "programcondition",
                      "letter", "batch", "response", "event", "source", "award", "legalmeasure",
                      "courtdecision"]:  # fmt: skip
            app = {"jurisdiction": "jurisdictions", "facility": "jurisdictions", "booking": "jurisdictions",
                   "program": "programs", "condition": "programs", "programcondition": "programs",
                   "source": "sources", "award": "programs", "legalmeasure": "laws",
                   "courtdecision": "courts"}.get(model, "letters")  # fmt: skip
            for view in ("changelist", "add"):
                with self.subTest(model=model, view=view):
                    response = self.client.get(reverse(f"admin:{app}_{model}_{view}"))
                    self.assertEqual(response.status_code, 200)

    def test_changelist_search_and_filters(self):
        url = reverse("admin:letters_letter_changelist")
        response = self.client.get(url, {"q": "Stockton", "status": "deadline_passed"})
        self.assertEqual(response.status_code, 200)
        response = self.client.get(reverse("admin:jurisdictions_jurisdiction_changelist"), {"jail_control": "controls"})
        self.assertContains(response, "San Joaquin County")
        self.assertNotContains(response, "City of Stockton</a>")

    def test_letter_page_shows_the_control_analysis(self):
        response = self.client.get(reverse("admin:letters_letter_change", args=[self.letter.pk]))
        self.assertContains(
            response,
            "<td>City of Stockton does not control this: its arrestees are held in a jail run by San Joaquin County."
            "</td>",
            html=True,
        )
        self.assertContains(
            response, "<td>City of Stockton controls this: it depends on its own policies.</td>", html=True
        )
        # The whole answer: law (not researched here) and courts, not only the jail.
        self.assertContains(response, "City of Stockton&#x27;s own policies: not researched.")
        self.assertContains(response, "As of 2017-08-03")

    def test_creating_a_county_jail_offers_the_operators_own_booking(self):
        county = f.make_jurisdiction("Imperial County", kind="county")
        source = f.make_source()
        data = {
            "name": "Imperial County jail",
            "state": "CA",
            "facility_type": "county_jail",
            "operator": county.pk,
            "sourcing": "sourced",
            "sources": [source.pk],
            "book_operator": "on",
        }
        response = self.client.post(reverse("admin:jurisdictions_facility_add"), data, follow=True)
        self.assertEqual(response.status_code, 200)
        booking = Booking.objects.get(jurisdiction=county)
        self.assertEqual(list(booking.sources.all()), [source])
        self.assertEqual(control_of(county).status, ControlStatus.CONTROLS)
        self.assertEqual(control_of(county).basis, Basis.BOOKINGS)

    def letter_form(self, **overrides):
        data = {
            "program": self.program.pk,
            "recipient": self.city.pk,
            "addressee": "Stockton Police Department",
            "addressee_confirmed": "on",
            "sent_on": "2018-01-24",
            "deadline": "2018-02-23",
            "demands-TOTAL_FORMS": "2",
            "demands-INITIAL_FORMS": "0",
            "demands-0-condition": self.jail_access.pk,
            "demands-1-condition": self.section_1373.pk,
            "Letter_sources-TOTAL_FORMS": "1",
            "Letter_sources-INITIAL_FORMS": "0",
            "Letter_sources-0-source": f.make_source().pk,
            "responses-TOTAL_FORMS": "0",
            "responses-INITIAL_FORMS": "0",
        }
        data.update(overrides)
        return data

    def test_a_valid_letter_with_conditions_and_a_source_is_saved(self):
        response = self.client.post(reverse("admin:letters_letter_add"), self.letter_form())
        self.assertEqual(response.status_code, 302)
        letter = Letter.objects.get(sent_on=datetime.date(2018, 1, 24))
        self.assertEqual(letter.conditions.count(), 2)
        self.assertEqual(letter.sources.count(), 1)

    def test_a_deadline_before_the_sent_date_is_a_form_error(self):
        response = self.client.post(reverse("admin:letters_letter_add"), self.letter_form(deadline="2018-01-01"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "The response deadline cannot be before the date the letter was sent.")
        self.assertEqual(Letter.objects.count(), 1)

    def test_the_same_condition_twice_is_a_form_error(self):
        form = self.letter_form(**{"demands-1-condition": self.jail_access.pk})
        response = self.client.post(reverse("admin:letters_letter_add"), form)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Please correct the duplicate data")
        self.assertEqual(Letter.objects.count(), 1)

    def test_a_letter_needs_a_source(self):
        form = self.letter_form(**{"Letter_sources-0-source": ""})
        response = self.client.post(reverse("admin:letters_letter_add"), form)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(Letter.objects.count(), 1)

    def test_a_bad_date_is_a_form_error(self):
        response = self.client.post(reverse("admin:letters_letter_add"), self.letter_form(sent_on="2018-02-30"))
        self.assertContains(response, "Enter a valid date.")


class Version2AdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        from courts.models import CourtDecision
        from laws.models import LegalMeasure
        from programs.models import Award

        cls.user = get_user_model().objects.create_superuser("manager", "manager@example.org", "a-long-passphrase")
        state = f.make_jurisdiction("State of California", kind="state")
        program = f.make_program("Byrne JAG")
        jail_access = f.make_condition("jail_access")
        cls.letter = f.make_letter(state, program, [jail_access])
        f.make_response(cls.letter, responded_on=None, stance="certified_compliance", notes="Due by 2017-06-30.")
        cls.measure = LegalMeasure.objects.create(
            jurisdiction=state, level="state", name="TRUTH Act", kind="statute", effect="restricts", summary="…"
        )
        cls.measure.conditions.add(jail_access)
        cls.decision = CourtDecision.objects.create(
            case_name="City of Chicago v. Sessions", court="N.D. Ill.", decided_on=datetime.date(2017, 9, 15),
            decision_kind="preliminary injunction", outcome="…", holding="mixed", binding_effect="grants_relief",
            fiscal_years=[2017], covered="nationwide", in_force_from=datetime.date(2017, 9, 15),
        )  # fmt: skip
        cls.decision.programs.add(program)
        cls.award = Award.objects.create(program=program, label="United States", fiscal_year=2017, what="total")

    def setUp(self):
        self.client.force_login(self.user)

    def test_the_letter_page_edits_undated_responses_with_their_sourcing_and_notes(self):
        response = self.client.get(reverse("admin:letters_letter_change", args=[self.letter.pk]))
        self.assertContains(response, 'name="responses-0-sourcing"')
        self.assertContains(response, "Due by 2017-06-30.")
        self.assertContains(response, '<option value="certified_compliance" selected>Certified compliance</option>')

    def test_change_pages_of_the_new_models_render(self):
        for name, obj in [("laws_legalmeasure", self.measure), ("courts_courtdecision", self.decision),
                          ("programs_award", self.award)]:  # fmt: skip
            with self.subTest(name):
                response = self.client.get(reverse(f"admin:{name}_change", args=[obj.pk]))
                self.assertContains(response, "Partly sourced")  # the sourcing choices
                response = self.client.get(reverse(f"admin:{name}_changelist"), {"q": "a"})
                self.assertEqual(response.status_code, 200)

    def test_fiscal_years_are_entered_as_a_list(self):
        response = self.client.get(reverse("admin:courts_courtdecision_change", args=[self.decision.pk]))
        self.assertContains(response, "[2017]")
