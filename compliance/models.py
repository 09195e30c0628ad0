from django.db import models
from django.db.models import Case, F, OuterRef, Q, Subquery, When
from django.utils import timezone

from jurisdictions.control import ControlStatus
from letters.models import Demand, Letter
from programs.models import Condition

from .verdicts import CourtVerdict, LawVerdict


def still_answers(today=None):
    """Q: the stored row still answers: every dated letter's, and an undated letter's
    until the next day on which its answer could change."""
    today = today or timezone.localdate()
    return Q(valid_until__isnull=True) | Q(valid_until__gt=today)


class StoredAnswerQuerySet(models.QuerySet):
    def current(self, today=None):
        return self.filter(still_answers(today))

    def with_control(self):
        """Annotate `control_now`: what `Demand.objects.with_control()` says of each
        row's demand, read from this table alone. A current row's stored control is
        that answer; a stale row's is asked of `with_control`, whose rule then answers
        it. So counts by control need no join to the demands (issue 15), and every
        demand is counted since `compliance.stored` stores one row for each."""
        demand = Demand.objects.with_control().filter(pk=OuterRef("demand_id"))
        return self.annotate(
            control_now=Case(
                When(still_answers(), then=F("control")),
                default=Subquery(demand.values("control")[:1]),
                output_field=models.CharField(),
            )
        )

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
    # The letter's recipient, so counts of jurisdictions by control need no join to the
    # letters (a third of the jurisdiction lists' control facet, issue 15).
    recipient = models.ForeignKey("jurisdictions.Jurisdiction", on_delete=models.CASCADE, related_name="+")
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


class AskedCondition(models.Model):
    """A jurisdiction was asked for a condition by at least one of its letters: one row
    per pair, so the jurisdiction lists count and filter by condition over about 71,000
    pairs rather than joining 124,000 demands to their letters and counting distinct
    recipients (about 100 ms a page at national scale, issue 15). Derived data, never
    edited: `compliance.stored` rewrites a jurisdiction's rows in the transaction of
    every change to its letters or their demands; `manage.py recompute_control`
    rebuilds them."""

    is_derived_cache = True

    jurisdiction = models.ForeignKey("jurisdictions.Jurisdiction", on_delete=models.CASCADE, related_name="+")
    condition = models.ForeignKey(Condition, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "condition"], name="asked_condition_once"),
        ]
        indexes = [models.Index(fields=["condition", "jurisdiction"], name="asked_condition_by_condition")]

    def __str__(self):
        return f"jurisdiction {self.jurisdiction_id} asked for condition {self.condition_id}"
