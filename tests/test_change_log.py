import datetime

from django.test import TestCase

from revisions.history import change_log
from tests import factories as f


class ChangeLogInWordsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.city = f.make_jurisdiction("City of Stockton")
        cls.county = f.make_jurisdiction("San Joaquin County", kind="county")
        cls.program = f.make_program("PSP", kind="technical_assistance")
        cls.letter = f.make_letter(cls.city, cls.program)

    def test_a_change_names_each_field_with_its_old_and_new_value(self):
        self.letter.deadline = datetime.date(2017, 9, 1)
        self.letter.addressee_confirmed = False
        self.letter.notes = "A long research note."
        self.letter.save()
        latest = change_log(self.letter)[0]
        self.assertEqual(latest.action, "Letter changed")
        self.assertIn("Deadline changed from August 18, 2017 to September 1, 2017", latest.details)
        self.assertIn("Addressee confirmed changed from yes to no", latest.details)
        self.assertIn("Notes edited", latest.details)
        self.assertEqual(change_log(self.letter)[1].action, "Letter added")

    def test_a_related_record_is_named_not_numbered(self):
        self.city.parent = self.county
        self.city.save()
        [latest, created] = change_log(self.city)
        self.assertEqual(latest.details, ["Parent set to San Joaquin County, CA"])
        response = self.client.get(self.city.get_absolute_url())
        self.assertContains(response, "Jurisdiction changed: Parent set to San Joaquin County, CA.")
        self.assertNotContains(response, "(parent)")

    def test_names_are_looked_up_once_per_kind_of_relation(self):
        other = f.make_jurisdiction("Fresno County", kind="county")
        for parent in (self.county, other, self.county):
            self.city.parent = parent
            self.city.save()
        with self.assertNumQueries(2):  # the history records, then the parents' names
            log = change_log(self.city)
        self.assertEqual(log[0].details, ["Parent changed from Fresno County, CA to San Joaquin County, CA"])
