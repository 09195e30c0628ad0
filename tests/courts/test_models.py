import datetime

from django.core.exceptions import ValidationError
from django.test import TestCase

from courts.models import CourtDecision, validate_fiscal_years


def decision(**kwargs):
    values = {
        "case_name": "City of Chicago v. Sessions",
        "court": "N.D. Ill.",
        "decided_on": datetime.date(2017, 9, 15),
        "decision_kind": "preliminary injunction",
        "outcome": "Enjoined the notice and access conditions.",
        "holding": "blocked",
        "binding_effect": "grants_relief",
        "fiscal_years": [2017],
        "covered": "nationwide",
        "in_force_from": datetime.date(2017, 9, 15),
        **kwargs,
    }
    return CourtDecision(**values)


class FiscalYearsTests(TestCase):
    def test_a_list_of_distinct_years_or_an_empty_list_is_valid(self):
        validate_fiscal_years([])
        validate_fiscal_years([2017, 2018])

    def test_anything_else_is_rejected(self):
        for bad in ["FY2017", [2017, 2017], ["2017"], [17], [2017.0], [True], {"2017": 1}]:
            with self.subTest(bad=bad), self.assertRaises(ValidationError):
                validate_fiscal_years(bad)

    def test_full_clean_runs_the_validator(self):
        with self.assertRaises(ValidationError) as caught:
            decision(fiscal_years=["FY2017"]).full_clean()
        self.assertIn("fiscal_years", caught.exception.message_dict)


class CoverageConstraintTests(TestCase):
    def test_a_valid_decision_passes(self):
        decision().full_clean()

    def test_members_need_an_organisation_and_only_members_have_one(self):
        with self.assertRaisesMessage(ValidationError, "Name the organisation exactly when members are covered."):
            decision(covered="members").full_clean()
        with self.assertRaisesMessage(ValidationError, "Name the organisation exactly when members are covered."):
            decision(covered_organisation="U.S. Conference of Mayors").full_clean()
        decision(covered="members", covered_organisation="U.S. Conference of Mayors").full_clean()

    def test_in_force_from_before_until_and_relief_needs_a_start(self):
        with self.assertRaisesMessage(ValidationError, "An order must start to bind before it stops."):
            decision(in_force_until=datetime.date(2017, 9, 15)).full_clean()
        with self.assertRaisesMessage(ValidationError, "needs an in-force-from date"):
            decision(in_force_from=None).full_clean()
        decision(in_force_from=None, binding_effect="no_relief").full_clean()

    def test_choices_are_checked(self):
        for field, value in [("holding", "struck"), ("binding_effect", "halts"), ("covered", "everyone"),
                             ("precedent_circuit", "12th")]:  # fmt: skip
            with self.subTest(field=field), self.assertRaises(ValidationError) as caught:
                decision(**{field: value}).full_clean()
            self.assertIn(field, caught.exception.message_dict)

    def test_circuits_reuse_the_jurisdictions_circuit_values(self):
        decision(precedent_circuit="DC").full_clean()
        self.assertEqual(str(decision()), "City of Chicago v. Sessions (N.D. Ill., 2017-09-15)")
        self.assertEqual(decision().key, "City of Chicago v. Sessions | N.D. Ill. | 2017-09-15")
