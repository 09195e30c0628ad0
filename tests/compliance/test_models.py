"""The stored answers' querysets: which rows still answer."""

import datetime

from django.test import TestCase
from django.utils import timezone

from compliance.models import StoredAnswer
from compliance.stored import store_answers
from letters.models import Letter
from tests import factories as f


class StoredAnswerQuerySetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        jag = f.make_program("Byrne JAG")
        notice = f.make_condition("release_notice_48h")
        cls.dated = f.make_letter(f.make_jurisdiction("City of Stockton"), jag, [notice])
        cls.live, cls.expiring = (
            f.make_letter(f.make_jurisdiction(name), jag, [notice]) for name in ("City of Nowhen", "City of Elsewhen")
        )
        undated = Letter.objects.filter(pk__in=[cls.live.pk, cls.expiring.pk])
        undated.update(sent_on=None, deadline=None)
        store_answers(undated)
        today = timezone.localdate()
        StoredAnswer.objects.filter(letter=cls.live).update(valid_until=today + datetime.timedelta(days=1))
        StoredAnswer.objects.filter(letter=cls.expiring).update(valid_until=today)  # stale from today

    def letters(self, answers):
        return set(answers.values_list("letter_id", flat=True))

    def test_current_undated_is_the_current_rows_less_the_dated_letters(self):
        self.assertEqual(self.letters(StoredAnswer.objects.current()), {self.dated.pk, self.live.pk})
        self.assertEqual(self.letters(StoredAnswer.objects.current_undated()), {self.live.pk})
        self.assertEqual(self.letters(StoredAnswer.objects.stale()), {self.expiring.pk})
