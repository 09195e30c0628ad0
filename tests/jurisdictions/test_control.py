"""The one rule: who controls compliance with a condition, for a jurisdiction."""

from django.test import TestCase

from jurisdictions.control import ControlStatus
from jurisdictions.models import Booking, Facility, Jurisdiction
from letters.models import Demand
from tests import factories as f


class JailControlTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.state = f.make_jurisdiction("State of Maryland", kind=Jurisdiction.Kind.STATE, state="MD")
        cls.county = f.make_jurisdiction("Alameda County", kind=Jurisdiction.Kind.COUNTY)
        county_jail = f.make_facility(cls.county)
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

    def status_of(self, jurisdiction):
        return Jurisdiction.objects.with_jail_control().get(pk=jurisdiction.pk).jail_control

    def test_county_running_its_own_jail_controls(self):
        self.assertEqual(self.status_of(self.county), ControlStatus.CONTROLS)

    def test_state_running_its_own_jail_controls(self):
        self.assertEqual(self.status_of(self.state), ControlStatus.CONTROLS)

    def test_city_with_lockup_then_county_jail_shares(self):
        self.assertEqual(self.status_of(self.city_sharing), ControlStatus.SHARES)

    def test_city_held_in_state_jail_does_not_control_and_names_the_state(self):
        self.assertEqual(self.status_of(self.city_held_by_state), ControlStatus.DOES_NOT_CONTROL)
        city = Jurisdiction.objects.for_detail_page().get(pk=self.city_held_by_state.pk)
        self.assertEqual(city.jail_operators(), [self.state])

    def test_no_facility_on_record_is_unknown_not_a_guess(self):
        self.assertEqual(self.status_of(self.no_data), ControlStatus.UNKNOWN)

    def test_filtering_on_the_annotation_in_bulk(self):
        self.assertQuerySetEqual(
            Jurisdiction.objects.with_jail_control().filter(jail_control=ControlStatus.CONTROLS).order_by("name"),
            [self.county, self.state],
        )

    def test_bulk_annotation_runs_one_query_for_any_number_of_rows(self):
        with self.assertNumQueries(1):
            statuses = {j.name: j.jail_control for j in Jurisdiction.objects.with_jail_control()}
        self.assertEqual(len(statuses), 5)


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

    def controls(self, letter):
        demands = Demand.objects.with_control().filter(letter=letter)
        return dict(demands.values_list("condition__code", "control"))

    def test_jail_condition_follows_the_jail_operator(self):
        self.assertEqual(self.controls(self.letter)["jail_access"], ControlStatus.DOES_NOT_CONTROL)

    def test_own_policy_condition_is_the_recipients_even_when_it_runs_no_jail(self):
        self.assertEqual(self.controls(self.letter)["section_1373_compliance"], ControlStatus.CONTROLS)
        self.assertEqual(self.controls(self.unbooked_letter)["section_1373_compliance"], ControlStatus.CONTROLS)

    def test_jail_condition_without_booking_data_is_unknown(self):
        self.assertEqual(self.controls(self.unbooked_letter)["jail_access"], ControlStatus.UNKNOWN)

    def test_controllers_name_the_operator_or_the_recipient(self):
        from letters.models import Letter

        letter = Letter.objects.for_list().get(pk=self.letter.pk)
        by_code = {d.condition.code: [j.name for j in d.controllers()] for d in letter.demands.all()}
        self.assertEqual(by_code["jail_access"], ["San Joaquin County"])
        self.assertEqual(by_code["section_1373_compliance"], ["City of Stockton"])
