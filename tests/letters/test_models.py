import datetime

from django.db import IntegrityError, connection, transaction
from django.test import TestCase

from letters.models import Demand, Letter, LetterStatus
from tests import factories as f


class LetterConstraintTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.city = f.make_jurisdiction("City of Stockton")
        cls.program = f.make_program()
        cls.condition = f.make_condition("jail_access")

    def test_a_deadline_before_the_sent_date_is_refused_by_the_database(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            f.make_letter(
                self.city, self.program, sent_on=datetime.date(2017, 8, 3), deadline=datetime.date(2017, 8, 1)
            )

    def test_a_letter_without_a_program_or_recipient_is_refused(self):
        for missing in ("program", "recipient"):
            values = {"program": self.program, "recipient": self.city, "addressee": "Chief"}
            values[missing] = None
            with self.subTest(missing=missing), self.assertRaises(IntegrityError), transaction.atomic():
                Letter.objects.create(**values)

    def test_a_condition_cannot_be_demanded_twice_by_one_letter(self):
        letter = f.make_letter(self.city, self.program, [self.condition])
        with self.assertRaises(IntegrityError), transaction.atomic():
            Demand.objects.create(letter=letter, condition=self.condition)

    def test_undated_letters_are_allowed(self):
        letter = f.make_letter(self.city, self.program, sent_on=None, deadline=None)
        self.assertIsNone(Letter.objects.get(pk=letter.pk).sent_on)


class LetterStatusTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        program = f.make_program()
        cls.city = f.make_jurisdiction("City of Stockton")
        other = f.make_jurisdiction("City of Oakland")
        cls.passed = f.make_letter(other, program)
        cls.open = f.make_letter(
            other, program, sent_on=datetime.date(2026, 11, 1), deadline=datetime.date(2026, 12, 1)
        )
        cls.answered = f.make_letter(cls.city, program)
        f.make_response(cls.answered)
        cls.answered_by_event = f.make_letter(f.make_jurisdiction("County of Cook"), program)
        f.make_event([cls.answered_by_event.recipient], kind="response", occurred_on=datetime.date(2017, 8, 10))

    def status(self, letter):
        return Letter.objects.with_status(today=datetime.date(2026, 11, 23)).get(pk=letter.pk).status

    def test_statuses(self):
        self.assertEqual(self.status(self.passed), LetterStatus.DEADLINE_PASSED)
        self.assertEqual(self.status(self.open), LetterStatus.OPEN)
        self.assertEqual(self.status(self.answered), LetterStatus.RESPONDED)
        # A later event (a lawsuit, a statement) is not a response to this letter.
        self.assertEqual(self.status(self.answered_by_event), LetterStatus.DEADLINE_PASSED)

    def test_a_no_response_found_row_is_not_a_response_and_a_clearance_clears(self):
        researched = f.make_letter(f.make_jurisdiction("City of Quiet"), self.passed.program)
        f.make_response(researched, stance="no_response_found", responded_on=None)
        self.assertEqual(self.status(researched), LetterStatus.DEADLINE_PASSED)
        cleared = f.make_letter(f.make_jurisdiction("City of Cleared"), self.passed.program)
        f.make_response(cleared, stance="disputed")
        f.make_response(cleared, stance="cleared_by_doj", responder="DOJ")
        self.assertEqual(self.status(cleared), LetterStatus.CLEARED)

    def test_domain_words_are_the_status_annotation(self):
        today = datetime.date(2026, 11, 23)
        self.assertQuerySetEqual(
            Letter.objects.deadline_passed(today).order_by("pk"), [self.passed, self.answered_by_event]
        )
        self.assertQuerySetEqual(Letter.objects.upcoming(today).order_by("pk"), [self.open])
        self.assertQuerySetEqual(Letter.objects.responded().order_by("pk"), [self.answered])


class ListOrderIndexTests(TestCase):
    def test_the_lists_default_order_has_its_index(self):
        # letters/migrations/0008: newest sent first, undated last, newest id first.
        with connection.cursor() as cursor:
            constraints = connection.introspection.get_constraints(cursor, Letter._meta.db_table)
        self.assertEqual(constraints["letter_list_order"]["columns"], ["sent_on", "id"])
        self.assertEqual(constraints["letter_list_order"]["orders"], ["DESC", "DESC"])
