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

    def current_undated(self, today=None):
        """The current rows that can expire (undated letters'): `current()` less the
        dated letters' rows, as the one range of `valid_until` its index reads."""
        today = today or timezone.localdate()
        return self.filter(valid_until__gt=today)

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


class LetterFact(models.Model):
    """One headline of a dated letter's stored answers: a control, law verdict or courts
    verdict that at least one of its demands has on the letter's date. One row per
    letter, kind and value, so the letter lists and the matrix count letters by a plain
    count over a row or two per letter, not distinct letters over every stored answer
    (60 to 90 ms for each of the three at national scale, issue 15). Only dated letters
    have facts: their answers never expire. Undated letters, whose answers do, are
    counted from their stored answers (few rows), so the two counts add up. Derived
    data, written only by `compliance.stored.store_answers` with the answers it comes
    from."""

    class Kind(models.TextChoices):
        CONTROL = "control", "control over a demanded condition"
        LAW = "law", "law, for a demanded condition"
        COURTS = "courts", "courts, for a demanded condition"

    is_derived_cache = True

    # Indexed by `letter_fact_once`, which starts with it.
    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="+", db_index=False)
    kind = models.CharField(max_length=20, choices=Kind)
    value = models.CharField(max_length=30, help_text="A control status, a law verdict or a courts verdict.")

    class Meta:
        ordering = ["letter", "kind", "value"]
        constraints = [
            models.UniqueConstraint(fields=["letter", "kind", "value"], name="letter_fact_once"),
            models.CheckConstraint(condition=Q(kind__in=["control", "law", "courts"]), name="letter_fact_kind"),
        ]
        indexes = [models.Index(fields=["kind", "value", "letter"], name="letter_fact_by_value")]

    def __str__(self):
        return f"letter {self.letter_id}: {self.kind} {self.value}"


class JurisdictionFact(models.Model):
    """One thing a jurisdiction's letters say about it: a condition one of them asked
    for (its code), a program one came under (its slug), or a control one of their
    stored answers gives (a ControlStatus). One row per jurisdiction, kind and value,
    so the jurisdiction lists count and filter jurisdictions by a plain count over a few
    rows each, not distinct recipients over every demand or letter (about 100 ms for
    the conditions alone at national scale, issue 15). Derived data, never edited:
    `compliance.stored` rewrites a jurisdiction's facts in the transaction of every
    change to its letters, their demands or their stored answers;
    `manage.py recompute_control` rebuilds them."""

    class Kind(models.TextChoices):
        CONDITION = "condition", "was asked for the condition"
        PROGRAM = "program", "got a letter under the program"
        CONTROL = "control", "has this control over a condition it was asked for (stored answers)"

    is_derived_cache = True

    # Indexed by `jurisdiction_fact_once`, which starts with it.
    jurisdiction = models.ForeignKey(
        "jurisdictions.Jurisdiction", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    kind = models.CharField(max_length=20, choices=Kind)
    value = models.CharField(max_length=60, help_text="A condition's code, a program's slug or a control status.")

    class Meta:
        ordering = ["jurisdiction", "kind", "value"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "kind", "value"], name="jurisdiction_fact_once"),
            models.CheckConstraint(
                condition=Q(kind__in=["condition", "program", "control"]), name="jurisdiction_fact_kind"
            ),
        ]
        indexes = [models.Index(fields=["kind", "value", "jurisdiction"], name="jurisdiction_fact_by_value")]

    def __str__(self):
        return f"jurisdiction {self.jurisdiction_id}: {self.kind} {self.value}"
