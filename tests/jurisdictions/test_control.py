"""The one rule: who controls compliance with a condition, for a jurisdiction, on a day.

Table-driven: every status and basis, at the QuerySet level (the SQL annotation), in
the JailControl answer built from the same bookings, and on the page that prints it.
"""

import datetime

from django.test import TestCase

from jurisdictions.control import Basis, ControlStatus, attach_jail_control, control_of
from jurisdictions.models import Booking, Facility, JailControlPeriod, Jurisdiction
from letters.models import Demand, Letter
from tests import factories as f

D = datetime.date


class JailControlTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.state = f.make_jurisdiction("State of Maryland", kind=Jurisdiction.Kind.STATE, state="MD")
        cls.county = f.make_jurisdiction("Alameda County", kind=Jurisdiction.Kind.COUNTY)
        county_jail = f.make_facility(cls.county, name="Santa Rita Jail")
        state_jail = f.make_facility(cls.state, facility_type=Facility.Type.STATE_JAIL)

        cls.city_held_by_state = f.make_jurisdiction("City of Baltimore", state="MD", parent=cls.state)
        f.book(cls.city_held_by_state, state_jail)

        cls.city_sharing = f.make_jurisdiction("City of Berkeley", parent=cls.county)
        lockup = f.make_facility(cls.city_sharing, facility_type=Facility.Type.CITY_LOCKUP)
        f.book(cls.city_sharing, lockup, Booking.Stage.PRE_ARRAIGNMENT)
        f.book(cls.city_sharing, county_jail, Booking.Stage.AFTER_ARRAIGNMENT)

        f.book(cls.county, county_jail)
        f.book(cls.state, state_jail)
        cls.no_data = f.make_jurisdiction("City of Nowhere")
        # A county that runs a jail but has no booking for its own arrestees.
        cls.jail_runner = f.make_jurisdiction("San Joaquin County", kind=Jurisdiction.Kind.COUNTY)
        f.make_facility(cls.jail_runner, name="San Joaquin County Jail")
        cls.county_jails_state = f.make_jurisdiction(
            "State of California", kind=Jurisdiction.Kind.STATE, local_jails_operated_by="counties"
        )
        # Oakland: its own city jail until June 2019, the county's after.
        cls.oakland = f.make_jurisdiction("City of Oakland", parent=cls.county)
        city_jail = f.make_facility(cls.oakland, facility_type=Facility.Type.CITY_LOCKUP, name="Oakland city jail")
        f.book(cls.oakland, city_jail, valid_to=D(2019, 6, 1), valid_precision="month")
        f.book(cls.oakland, county_jail, valid_from=D(2019, 6, 1), valid_precision="month")

    # (jurisdiction attribute, day, status, basis, operators named, words on the page)
    CASES = [
        (
            "county",
            None,
            ControlStatus.CONTROLS,
            Basis.BOOKINGS,
            ["Alameda County"],
            "controls this: it runs the jails",
        ),
        ("state", None, ControlStatus.CONTROLS, Basis.BOOKINGS, ["State of Maryland"], "controls this"),
        (
            "city_sharing",
            None,
            ControlStatus.SHARES,
            Basis.BOOKINGS,
            ["Alameda County", "City of Berkeley"],
            "shares control: its arrestees are also held in facilities run by",
        ),
        (
            "city_held_by_state",
            None,
            ControlStatus.DOES_NOT_CONTROL,
            Basis.BOOKINGS,
            ["State of Maryland"],
            "does not control this: its arrestees are held in a jail run by",
        ),
        ("no_data", None, ControlStatus.UNKNOWN, Basis.NO_RECORD, [], "Unknown: we have no record"),
        (
            "jail_runner",
            None,
            ControlStatus.CONTROLS,
            Basis.RUNS_A_JAIL,
            ["San Joaquin County"],
            "runs San Joaquin County Jail; its own arrestees are held there (inferred",
        ),
        (
            "county_jails_state",
            None,
            ControlStatus.DOES_NOT_CONTROL,
            Basis.COUNTY_JAILS,
            [],
            "does not run the local jails: each county",
        ),
        # Date edges: a booking that ends on a day no longer counts that day; one that
        # starts on a day counts from that day.
        ("oakland", D(2017, 8, 3), ControlStatus.CONTROLS, Basis.BOOKINGS, ["City of Oakland"], "controls this"),
        ("oakland", D(2019, 5, 31), ControlStatus.CONTROLS, Basis.BOOKINGS, ["City of Oakland"], "controls this"),
        ("oakland", D(2019, 6, 1), ControlStatus.DOES_NOT_CONTROL, Basis.BOOKINGS, ["Alameda County"], "run by"),
    ]

    def test_every_status_in_sql_in_the_answer_and_in_its_sentence(self):
        for attribute, day, status, basis, operators, words in self.CASES:
            jurisdiction = getattr(self, attribute)
            with self.subTest(jurisdiction=jurisdiction.name, day=day):
                annotated = Jurisdiction.objects.with_jail_control(day).get(pk=jurisdiction.pk)
                self.assertEqual(annotated.jail_control, status)
                answer = control_of(jurisdiction, day)
                self.assertEqual((answer.status, answer.basis), (status, basis))
                self.assertEqual([o.name for o in answer.operators], operators)
                self.assertIn(words, answer.sentence)
                self.assertTrue(answer.sentence.startswith(jurisdiction.name) or status == ControlStatus.UNKNOWN)

    def test_the_pages_print_what_the_rule_answers_today(self):
        listing = self.client.get("/jurisdictions/", {"state": "CA"})
        for attribute, day, status, _basis, _operators, words in self.CASES:
            if day is not None or getattr(self, attribute).state != "CA":
                continue
            jurisdiction = getattr(self, attribute)
            with self.subTest(jurisdiction=jurisdiction.name):
                page = self.client.get(jurisdiction.get_absolute_url())
                self.assertContains(page, f'<span class="badge control-{status}">{status.label}</span>', html=True)
                self.assertContains(page, words)
                self.assertContains(listing, f'<span class="badge control-{status}">{status.label}</span>', html=True)

    def test_held_by_lists_only_other_governments_without_a_trailing_comma(self):
        berkeley = attach_jail_control([Jurisdiction.objects.with_jail_control().get(pk=self.city_sharing.pk)])[0]
        self.assertEqual([str(o) for o in berkeley.jail.others], ["Alameda County"])
        listing = self.client.get("/jurisdictions/", {"q": "Berkeley"})
        self.assertContains(listing, "held by Alameda County</span>")

    def test_sentences_escape_names_and_link_operators(self):
        hostile = f.make_jurisdiction("<script>x</script> City", parent=self.county)
        f.book(hostile, Facility.objects.get(name="Santa Rita Jail"))
        html = control_of(hostile).sentence_html
        self.assertNotIn("<script>", html)
        self.assertIn(f'<a href="{self.county.get_absolute_url()}">Alameda County</a>', html)

    def test_filtering_on_the_annotation_in_bulk(self):
        self.assertQuerySetEqual(
            Jurisdiction.objects.with_jail_control().filter(jail_control=ControlStatus.CONTROLS).order_by("name"),
            [self.county, self.jail_runner, self.state],
        )

    def test_the_joined_status_equals_the_looked_up_one_on_every_day(self):
        # The lists filter and count through a join on the period in force
        # (`with_jail_control_joined`); it must say what the per-row lookup says, on
        # every day a status changes and around it, and "unknown" without any period.
        JailControlPeriod.objects.filter(jurisdiction=self.no_data).delete()
        days = {None, D(1900, 1, 1), D(2019, 5, 31), D(2019, 6, 1), D(2019, 6, 2)}
        for day in days:
            with self.subTest(day=day):
                looked_up = dict(Jurisdiction.objects.with_jail_control(day).values_list("pk", "jail_control"))
                joined = Jurisdiction.objects.with_jail_control_joined(day).values_list("pk", "jail_control_joined")
                self.assertEqual(len(joined), Jurisdiction.objects.count())  # one row each: periods never overlap
                self.assertEqual(dict(joined), looked_up)
        self.assertEqual(looked_up[self.no_data.pk], ControlStatus.UNKNOWN)

    def test_bulk_answers_take_four_queries_for_any_number_of_rows(self):
        # Jurisdictions with the status, then bookings, their sources and the jails run.
        with self.assertNumQueries(4):
            answers = attach_jail_control(Jurisdiction.objects.with_jail_control())
        self.assertEqual(len(answers), 8)


class DemandControlTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        county = f.make_jurisdiction("San Joaquin County", kind=Jurisdiction.Kind.COUNTY)
        cls.city = f.make_jurisdiction("City of Stockton", parent=county)
        f.book(cls.city, f.make_facility(county))
        cls.jail_access = f.make_condition("jail_access")
        cls.section_1373 = f.make_condition("section_1373_compliance")
        program = f.make_program("PSP", kind="technical_assistance")
        cls.letter = f.make_letter(cls.city, program, [cls.jail_access, cls.section_1373])
        cls.unbooked = f.make_jurisdiction("City of Elsewhere")
        cls.unbooked_letter = f.make_letter(cls.unbooked, program, [cls.jail_access, cls.section_1373])
        # Its own lockup until 2018, then the county's jail: asked in 2017 and in 2019.
        cls.moved = f.make_jurisdiction("City of Movedon", parent=county)
        lockup = f.make_facility(cls.moved, facility_type=Facility.Type.CITY_LOCKUP)
        f.book(cls.moved, lockup, valid_to=D(2018, 1, 1))
        f.book(cls.moved, county.operated_facilities.get(), valid_from=D(2018, 1, 1))
        cls.letter_2017 = f.make_letter(cls.moved, program, [cls.jail_access])
        cls.letter_2019 = f.make_letter(cls.moved, program, [cls.jail_access], sent_on=D(2019, 1, 2), deadline=None)

    def controls(self, letter, on=None):
        demands = Demand.objects.with_control(on).filter(letter=letter)
        return dict(demands.values_list("condition__code", "control"))

    def test_jail_condition_follows_the_jail_operator(self):
        self.assertEqual(self.controls(self.letter)["jail_access"], ControlStatus.DOES_NOT_CONTROL)

    def test_own_policy_condition_is_the_recipients_even_when_it_runs_no_jail(self):
        self.assertEqual(self.controls(self.letter)["section_1373_compliance"], ControlStatus.CONTROLS)
        self.assertEqual(self.controls(self.unbooked_letter)["section_1373_compliance"], ControlStatus.CONTROLS)

    def test_jail_condition_without_booking_data_is_unknown(self):
        self.assertEqual(self.controls(self.unbooked_letter)["jail_access"], ControlStatus.UNKNOWN)

    def test_control_is_asked_on_each_letters_date_or_on_request(self):
        self.assertEqual(self.controls(self.letter_2017)["jail_access"], ControlStatus.CONTROLS)
        self.assertEqual(self.controls(self.letter_2019)["jail_access"], ControlStatus.DOES_NOT_CONTROL)
        self.assertEqual(self.controls(self.letter_2017, D(2026, 1, 1))["jail_access"], ControlStatus.DOES_NOT_CONTROL)

    def test_answers_name_the_operator_or_the_recipient_and_agree_with_the_annotation(self):
        letters = Letter.objects.for_list().filter(pk__in=[self.letter.pk, self.letter_2017.pk, self.letter_2019.pk])
        answers = {}
        for letter in letters:
            for demand in letter.demands.all():
                self.assertEqual(demand.control_answer.status, demand.control)
                answers[(letter.pk, demand.condition.code)] = [o.name for o in demand.control_answer.operators]
        self.assertEqual(answers[(self.letter.pk, "jail_access")], ["San Joaquin County"])
        self.assertEqual(answers[(self.letter.pk, "section_1373_compliance")], ["City of Stockton"])
        self.assertEqual(answers[(self.letter_2017.pk, "jail_access")], ["City of Movedon"])
        self.assertEqual(answers[(self.letter_2019.pk, "jail_access")], ["San Joaquin County"])
