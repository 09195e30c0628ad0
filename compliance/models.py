from django.db import models
from django.db.models import Q
from django.utils import timezone

from jurisdictions.control import ControlStatus
from letters.models import Demand, Letter
from programs.models import Condition

from .verdicts import CourtVerdict, LawVerdict


class StoredAnswerQuerySet(models.QuerySet):
    def current(self, today=None):
        """Rows that still answer: every dated letter's, and an undated letter's until
        the next day on which its answer could change."""
        today = today or timezone.localdate()
        return self.filter(Q(valid_until__isnull=True) | Q(valid_until__gt=today))

    def stale(self, today=None):
        today = today or timezone.localdate()
        return self.filter(valid_until__lte=today)


class StoredAnswer(models.Model):
    """Stored output of `compliance.answer` for one demand on its letter's date: the
    control, law and courts headlines the filters, tallies and home figures count. Derived
    data, never edited: `compliance.stored` rewrites it in the transaction of every
    change that affects it; `manage.py recompute_control` rebuilds it."""

    # Tells revisions.signals this table is a cache of other rows, not data of its own.
    is_derived_cache = True

    demand = models.OneToOneField(Demand, on_delete=models.CASCADE, primary_key=True, related_name="stored_answer")
    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="+")
    condition = models.ForeignKey(Condition, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(help_text="The day answered for: the letter's date.")
    valid_until = models.DateField(
        null=True, blank=True, help_text="Undated letters (answered for today): the next day the answer can change."
    )
    control = models.CharField(max_length=20, choices=ControlStatus, help_text="Who runs the jail, for this condition.")
    law = models.CharField(max_length=30, choices=LawVerdict)
    courts = models.CharField(max_length=30, choices=CourtVerdict)

    objects = StoredAnswerQuerySet.as_manager()

    class Meta:
        ordering = ["letter", "condition"]
        indexes = [
            models.Index(fields=["law", "letter"], name="stored_answer_law"),
            models.Index(fields=["courts", "letter"], name="stored_answer_courts"),
            models.Index(fields=["valid_until"], name="stored_answer_expiry"),
            models.Index(fields=["condition", "control"], name="stored_answer_control"),
        ]

    def __str__(self):
        return f"demand {self.demand_id} on {self.day}: law {self.law}, courts {self.courts}"
