import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import TestCase

from laws.models import LegalMeasure
from tests import factories as f

D = datetime.date


class InForceTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.state = f.make_jurisdiction("State of Oregon", kind="state", state="OR")

    def measure(self, name, **dates):
        return LegalMeasure.objects.create(
            jurisdiction=self.state, level="state", name=name, kind="statute", effect="restricts", summary="…", **dates
        )

    def test_start_is_the_effective_date_else_the_enactment_date_and_the_end_is_exclusive(self):
        measures = [
            self.measure("effective", enacted_on=D(2013, 10, 5), effective_on=D(2014, 1, 1), ended_on=D(2018, 1, 1)),
            self.measure("enacted only", enacted_on=D(2017, 8, 28)),
            self.measure("no dates"),
            self.measure("ended only", ended_on=D(2019, 3, 15)),
        ]
        expected = {
            D(2013, 12, 31): {"enacted only": False, "effective": False, "no dates": True, "ended only": True},
            D(2014, 1, 1): {"enacted only": False, "effective": True, "no dates": True, "ended only": True},
            D(2017, 8, 28): {"enacted only": True, "effective": True, "no dates": True, "ended only": True},
            D(2018, 1, 1): {"enacted only": True, "effective": False, "no dates": True, "ended only": True},
            D(2019, 3, 15): {"enacted only": True, "effective": False, "no dates": True, "ended only": False},
        }
        for day, in_force in expected.items():
            with self.subTest(day=day):
                self.assertEqual({m.name: m.is_in_force_on(day) for m in measures}, in_force)
                self.assertEqual(
                    set(LegalMeasure.objects.in_force_on(day).values_list("name", flat=True)),
                    {name for name, yes in in_force.items() if yes},
                )

    def test_a_measure_cannot_end_before_it_starts(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            self.measure("backwards", effective_on=D(2018, 1, 1), ended_on=D(2017, 1, 1))

    def test_none_found_is_for_state_rows_and_none_for_local_rows(self):
        city = f.make_jurisdiction("City of Portland", state="OR")
        local = LegalMeasure(jurisdiction=city, level="local", name="x", kind="ordinance", effect="none_found")
        with self.assertRaisesMessage(ValidationError, "“No state law found” is for state laws"):
            local.full_clean()
        local.effect = "none"
        local.summary = "Symbolic."
        local.full_clean()
        local.save()
        self.assertEqual(local.get_absolute_url(), city.get_absolute_url())
