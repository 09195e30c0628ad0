"""Keeps the stored answers true: what is expensive to derive is computed on write.

Four tables are caches of the rules' output, never edited by hand:

- `jurisdictions.JailControlPeriod`, written only by `jurisdictions.control.store_jail_control`
  (the control rule's time line per jurisdiction, so "today" can move);
- `compliance.StoredAnswer`, written only by `store_answers` below from
  `compliance.answer.matrices` (control, law and courts per demand on its letter's date),
  with `compliance.LetterFact` (each dated letter's distinct control, law and courts);
- `compliance.JurisdictionFact`, written only by `store_jurisdiction_facts` below (the
  conditions, programs and stored controls of each jurisdiction's letters).

The signal receivers here recompute what a change touches inside the transaction of
that change (admin forms and inlines, imports, the shell): a booking or facility its
jurisdictions' control; a letter or demand its answers; a jurisdiction both; a legal
measure the letters to its state; a court decision or program the letters it can
concern (`compliance.answer.letters_concerned_by`, before and after the change). Bulk
work (load_seed, the benchmark generator) runs inside `deferred()`, which
collects what was touched and stores it once at the end, still in the same transaction,
or calls `recompute_everything()`, which `manage.py recompute_control` also runs.

Undated letters are answered for today: their rows carry `valid_until`, the next day on
which a law, court order or fiscal year could change the answer; from that day they
are stale and readers answer those letters with the rule instead (see
`compliance.filters`) until `recompute_control --stale` (run daily) refreshes them.
"""

import datetime
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import Signal

from courts.models import CourtDecision
from jurisdictions.control import booking_change_days, store_jail_control
from jurisdictions.models import Booking, Facility, Jurisdiction
from laws.models import LegalMeasure
from letters.models import Demand, Letter
from programs.models import Condition, Program

from .answer import fiscal_year_of, letters_concerned_by, matrices_for
from .models import JurisdictionFact, LetterFact, StoredAnswer

CHUNK = 2000
_local = threading.local()

# Sent inside the writing transaction when bulk work has written without one signal per
# row: at the end of a `deferred()` block (whose writes the receivers of higher layers
# leave to it, see `deferring()`), and after `recompute_everything()` or
# `refresh_stale()`. What derives from the whole data set (the home page's figures,
# `dashboard.stored`) refreshes once then; this module cannot import it (layers).
bulk_written = Signal()


# ----------------------------------------------------------------------- writing


def _change_days():
    """Every day on which a law or a court order starts, ends or is decided."""
    days = set()
    for row in LegalMeasure.objects.values_list("effective_on", "enacted_on", "ended_on"):
        days.update(row)
    for row in CourtDecision.objects.values_list("decided_on", "in_force_from", "in_force_until"):
        days.update(row)
    days.discard(None)
    return sorted(days)


def _next_change(day, change_days):
    """The first day after `day` on which an answer for `day` could differ: a law or
    order changing, or a new fiscal year (an undated letter's inferred year)."""
    new_fiscal_year = datetime.date(fiscal_year_of(day), 10, 1)
    later = [d for d in change_days if d > day]
    return min([new_fiscal_year, *later[:1]])


def store_answers(letters=None):
    """Rewrite the stored answers of `letters` (a Letter queryset; every letter when
    None) from `compliance.answer`; a fixed number of queries per 2,000 letters."""
    pks = list((Letter.objects.all() if letters is None else letters).order_by().values_list("pk", flat=True))
    # The facts first: `letters` may be chosen by their stored answers (expired ones).
    for model in (LetterFact, StoredAnswer):
        (model.objects.all() if letters is None else model.objects.filter(letter__in=letters)).delete()
    change_days = _change_days() if pks else []
    undated = Letter.objects.filter(pk__in=pks, sent_on=None, deadline=None) if pks else Letter.objects.none()
    booking_days = booking_change_days(undated.values("recipient"))
    for start in range(0, len(pks), CHUNK):
        rows = []
        facts = []
        for matrix in matrices_for(Letter.objects.filter(pk__in=pks[start : start + CHUNK])):
            letter = matrix.letter
            undated = letter.sent_on is None and letter.deadline is None
            valid_until = None
            if undated:
                # Today's answer also changes when one of the recipient's bookings does.
                days = sorted({*change_days, *booking_days[letter.recipient_id]})
                valid_until = _next_change(matrix.day, days)
            demands = {demand.condition_id: demand.pk for demand in letter.demands.all()}
            rows.extend(
                StoredAnswer(
                    demand_id=demands[row.condition.pk],
                    letter_id=letter.pk,
                    recipient_id=letter.recipient_id,
                    condition_id=row.condition.pk,
                    day=matrix.day,
                    valid_until=valid_until,
                    control=row.jail.status,
                    law=row.law.verdict,
                    courts=row.court_verdict,
                )
                for row in matrix.rows
            )
            if valid_until is None:
                headlines = {
                    (kind, value)
                    for row in matrix.rows
                    for kind, value in (
                        (LetterFact.Kind.CONTROL, row.jail.status),
                        (LetterFact.Kind.LAW, row.law.verdict),
                        (LetterFact.Kind.COURTS, row.court_verdict),
                    )
                }
                facts.extend(LetterFact(letter_id=letter.pk, kind=kind, value=value) for kind, value in headlines)
        StoredAnswer.objects.bulk_create(rows, batch_size=5000)
        LetterFact.objects.bulk_create(facts, batch_size=5000)


def store_jurisdiction_facts(jurisdiction_ids=None):
    """Rewrite the facts of the jurisdictions `jurisdiction_ids` (ids, or a queryset of
    them; every jurisdiction when None) from their letters, demands and stored answers
    (so after `store_answers`)."""
    facts = JurisdictionFact.objects.all()
    sources = {
        JurisdictionFact.Kind.CONDITION: Demand.objects.values_list("letter__recipient_id", "condition__code"),
        JurisdictionFact.Kind.PROGRAM: Letter.objects.values_list("recipient_id", "program__slug"),
        JurisdictionFact.Kind.CONTROL: StoredAnswer.objects.values_list("recipient_id", "control"),
    }
    if jurisdiction_ids is not None:
        facts = facts.filter(jurisdiction_id__in=jurisdiction_ids)
        recipient = {JurisdictionFact.Kind.CONDITION: "letter__recipient_id__in"}
        sources = {
            kind: rows.filter(**{recipient.get(kind, "recipient_id__in"): jurisdiction_ids})
            for kind, rows in sources.items()
        }
    facts.delete()
    JurisdictionFact.objects.bulk_create(
        (
            JurisdictionFact(jurisdiction_id=jurisdiction, kind=kind, value=value)
            for kind, rows in sources.items()
            for jurisdiction, value in rows.order_by().distinct()
        ),
        batch_size=5000,
    )


# Any fixed number: the key of the PostgreSQL advisory lock taken by `one_writer`.
STORE_LOCK_KEY = 15_2026


@contextmanager
def one_writer():
    """Rewrite the stored tables one transaction at a time. A rewrite deletes rows and
    inserts them again under unique constraints (a demand's answer, a jurisdiction's
    fact, a control period): two transactions rewriting the same rows at once would
    collide on the insert, or one would keep a row the other's change removed. On
    PostgreSQL an advisory lock, held to the end of the transaction, makes the second
    wait; its statements then see what the first committed. SQLite lets one transaction
    write at a time anyway."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [STORE_LOCK_KEY])
        yield


def recompute_everything():
    """Rebuild the stored tables from the rules (recovery, load_seed)."""
    with one_writer():
        periods = store_jail_control()
        store_answers()
        store_jurisdiction_facts()
        bulk_written.send(sender=StoredAnswer)
    return periods, StoredAnswer.objects.count()


def refresh_stale(today=None):
    """Re-answer undated letters whose stored answer has expired."""
    stale = StoredAnswer.objects.stale(today).values("letter")
    # Read before they are answered again, after which none is stale.
    with one_writer():
        rows = list(Letter.objects.filter(pk__in=stale).values_list("pk", "recipient_id"))
        if rows:
            store_answers(Letter.objects.filter(pk__in=[pk for pk, _ in rows]))
            store_jurisdiction_facts({recipient for _, recipient in rows})
            bulk_written.send(sender=StoredAnswer)
    return len(rows)


# ----------------------------------------------------------------- what changed


@dataclass
class Touched:
    control: set = field(default_factory=set)  # jurisdiction ids whose control to store
    letters: set = field(default_factory=set)  # letter ids whose answers to store
    recipients: set = field(default_factory=set)  # jurisdiction ids whose letters to answer
    states: set = field(default_factory=set)  # states whose letters to answer
    programs: set = field(default_factory=set)
    former_recipients: set = field(default_factory=set)  # of letters moved or deleted: facts to store
    every_letter: bool = False

    def store(self):
        with one_writer():
            self._store()

    def _store(self):
        if self.control:
            store_jail_control(self.control)
        if self.every_letter:
            store_answers()
            store_jurisdiction_facts()
            return
        if self.letters or self.recipients or self.states or self.programs:
            letters = (
                Letter.objects.filter(pk__in=self.letters)
                | Letter.objects.filter(recipient_id__in=self.recipients)
                | Letter.objects.filter(recipient__state__in=self.states)
                | Letter.objects.filter(program_id__in=self.programs)
            )
            store_answers(letters)
            # Their recipients as a subquery: a law or a program can reach thousands.
            store_jurisdiction_facts(letters.values("recipient_id"))
        if self.former_recipients:  # after the answers: theirs name the new recipient
            store_jurisdiction_facts(self.former_recipients)

    def add(self, other):
        for name in ("control", "letters", "recipients", "states", "programs", "former_recipients"):
            getattr(self, name).update(getattr(other, name))
        self.every_letter |= other.every_letter


def touch(**changes):
    touched = Touched(**{name: set(value) if name != "every_letter" else value for name, value in changes.items()})
    pending = getattr(_local, "pending", None)
    if pending is not None:
        pending.add(touched)
    else:
        touched.store()


@contextmanager
def deferred(*, everything=False):
    """Collect what the writes inside touch and store it once on leaving (call it inside
    the transaction); with `everything`, rebuild every stored table instead."""
    if getattr(_local, "pending", None) is not None:
        yield
        return
    _local.pending = Touched()
    try:
        yield
        pending = _local.pending
        _local.pending = None
        if everything:
            recompute_everything()
        else:
            pending.store()
            bulk_written.send(sender=StoredAnswer)
    finally:
        _local.pending = None


def deferring():
    """Whether writes now happen inside `deferred()`: receivers elsewhere that derive
    from the whole data set can wait for `bulk_written` instead of acting per row."""
    return getattr(_local, "pending", None) is not None


# ---------------------------------------------------------------------- receivers


def _previous(model, instance, *fields):
    """The stored values of `fields` before this save (None for a new row)."""
    if instance.pk is None:
        return None
    return model.objects.filter(pk=instance.pk).values_list(*fields).first()


def _remember(sender, instance, raw=False, **kwargs):
    if raw:
        return
    if sender is Booking:
        instance._stored_before = _previous(Booking, instance, "jurisdiction_id")
    elif sender is Facility:
        instance._stored_before = _previous(Facility, instance, "operator_id")
    elif sender is LegalMeasure:
        instance._stored_before = _previous(LegalMeasure, instance, "jurisdiction__state")
    elif sender is Demand:
        instance._stored_before = _previous(Demand, instance, "letter_id")
    elif sender is Letter:
        instance._stored_before = _previous(Letter, instance, "recipient_id")


def _before(instance):
    return [value for value in (getattr(instance, "_stored_before", None) or ()) if value is not None]


def _changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    # Control changes reach the stored answers of the letters to those jurisdictions.
    if sender is Booking:
        jurisdictions = [instance.jurisdiction_id, *_before(instance)]
        touch(control=jurisdictions, recipients=jurisdictions)
    elif sender is Facility:
        booked = Booking.objects.filter(facility_id=instance.pk).values_list("jurisdiction_id", flat=True)
        jurisdictions = [instance.operator_id, *_before(instance), *booked]
        touch(control=jurisdictions, recipients=jurisdictions)
    elif sender is Condition:
        touch(letters=Demand.objects.filter(condition_id=instance.pk).values_list("letter_id", flat=True))
    elif sender is Jurisdiction:
        touch(control=[instance.pk], recipients=[instance.pk])
    elif sender is Letter:
        touch(letters=[instance.pk], former_recipients=[instance.recipient_id, *_before(instance)])
    elif sender is Demand:
        touch(letters=[instance.letter_id, *_before(instance)])
    elif sender is LegalMeasure:
        state = Jurisdiction.objects.filter(pk=instance.jurisdiction_id).values_list("state", flat=True).first()
        touch(states=[s for s in (state, *_before(instance)) if s])
    elif sender is CourtDecision:
        # A save leaves the decision's programs and conditions as they were (they change
        # through m2m_changed); a delete answers for the letters it concerned before.
        before = getattr(instance, "_concerned_before_delete", None)
        touch(letters=before if before is not None else _concerned([instance.pk]))
    elif sender is Program:
        touch(programs=[instance.pk])


def _concerned(decision_ids):
    return set(letters_concerned_by(CourtDecision.objects.filter(pk__in=decision_ids)).values_list("pk", flat=True))


def _before_delete(sender, instance, **kwargs):
    # Its programs and conditions are gone by post_delete.
    instance._concerned_before_delete = _concerned([instance.pk])


DECISION_LINKS = (
    CourtDecision.programs.through,
    CourtDecision.conditions.through,
    CourtDecision.covered_jurisdictions.through,
)


def _m2m_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if sender in DECISION_LINKS and not reverse:
        # The letters it concerned before a removal and after any change.
        if action in ("pre_remove", "pre_clear"):
            instance._concerned_before = _concerned([instance.pk])
        elif action in ("post_add", "post_remove", "post_clear"):
            before = getattr(instance, "_concerned_before", None) or set()
            instance._concerned_before = None
            touch(letters=_concerned([instance.pk]) | before)
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if sender is LegalMeasure.conditions.through:
        measures = LegalMeasure.objects.filter(pk__in=pk_set or ()) if reverse else [instance]
        if reverse and action == "post_clear":
            touch(every_letter=True)
            return
        touch(states=[m.jurisdiction.state for m in measures])
    elif sender in DECISION_LINKS:  # from the program's, condition's or jurisdiction's side
        touch(every_letter=True)
    elif sender is Letter.conditions.through:
        if not reverse:
            touch(letters=[instance.pk])
        elif action == "post_clear":
            touch(every_letter=True)
        else:
            touch(letters=pk_set)


SENDERS = (Booking, Facility, Jurisdiction, Letter, Demand, LegalMeasure, CourtDecision, Program, Condition)


def connect():
    for model in SENDERS:
        uid = f"stored-{model._meta.label}"
        pre_save.connect(_remember, sender=model, dispatch_uid=f"{uid}-before")
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}-delete")
    pre_delete.connect(_before_delete, sender=CourtDecision, dispatch_uid="stored-courts.CourtDecision-before-delete")
    m2m_changed.connect(_m2m_changed, dispatch_uid="stored-m2m")
