"""Who runs the jails that hold a jurisdiction's arrestees, on a given day.

This is the one home of the control rule. Everything that shows or counts control
(pages, exports, feeds, charts, the admin and, through `letters`, each demand) reads:

- `jail_control_expression()`: the status as a SQL expression, so lists can filter,
  sort and count by it (`Jurisdiction.objects.with_jail_control()`);
- `JailControl`: the status together with who runs the jails and which facilities,
  built from the same bookings (`JailControl.of`), with its label and sentence.

The rule, for jurisdiction J on day D, over J's bookings in force on D:
- every facility holding J's arrestees is J's own: controls;
- some are (a city lockup before arraignment, a county jail after): shares;
- none are: does not control;
- no booking in force, but J is a state whose local jails its counties run: does not
  control (no single booking can name every county's sheriff, see seed/data/README.md);
- no booking in force, but J runs a county or state jail: controls (its own arrestees
  go to its own jail; shown as inferred);
- otherwise: unknown, never a guess.

The rule is evaluated on write, not on read (issue 15). `rule_expression()` is the
rule in SQL; `store_jail_control()` runs it and stores its output in
`JailControlPeriod`, in the transaction of the change (see `compliance.stored` for who
calls it), and `jail_control_expression()`, which every page reads, is an index lookup
in that table. The status depends on the day (bookings start and end), so what is
stored is not a snapshot but the whole time line: for each jurisdiction, periods
[valid_from, valid_until) cut at every date on which one of its bookings starts or
ends, the only dates on which the rule's inputs change, with adjacent periods of equal
status merged. So "today" moves without anything going stale: a booking that ends next
month already ends the period, the same table answers a letter's date and today, and
nothing needs recomputing when the calendar turns.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Case, Count, Exists, F, FilteredRelation, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from sources.models import Sourcing, distinct_sources

from .models import Booking, Facility, JailControlPeriod, Jurisdiction, LocalJailsOperator

# Jails that hold people after booking; a city lockup holds them only until arraignment.
JAIL_TYPES = [Facility.Type.COUNTY_JAIL, Facility.Type.STATE_JAIL, Facility.Type.REGIONAL_JAIL]


class ControlStatus(models.TextChoices):
    """How far a jurisdiction controls compliance with a condition."""

    CONTROLS = "controls", "Controls"
    SHARES = "shares", "Shares control"
    DOES_NOT_CONTROL = "does_not_control", "Does not control"
    UNKNOWN = "unknown", "Unknown"


class Basis(models.TextChoices):
    """Why the status is what it is, for the sentence and the export."""

    OWN_POLICY = "own_policy", "its own policies"
    BOOKINGS = "bookings", "where its arrestees are held"
    COUNTY_JAILS = "county_jails", "each county's sheriff runs the local jails"
    RUNS_A_JAIL = "runs_a_jail", "it runs a county or state jail"
    NO_RECORD = "no_record", "no record of where its arrestees are held"


def jail_control_expression(jurisdiction="pk", on=None):
    """SQL: the control status of the jurisdiction at path `jurisdiction` on day `on`,
    read from the stored periods (one index lookup per row).

    `jurisdiction` is the outer query's path to a Jurisdiction ("pk" on jurisdictions,
    "letter__recipient" on demands); `on` is a date or an expression such as
    `OuterRef("letter__sent_on")`, today when None.
    """
    on = timezone.localdate() if on is None else on
    period = JailControlPeriod.objects.filter(period_in_force(on), jurisdiction=OuterRef(jurisdiction))
    # No stored row only if the cache was never built: say unknown, never guess.
    return Coalesce(
        Subquery(period.order_by("-valid_from").values("status")[:1]),
        Value(ControlStatus.UNKNOWN),
        output_field=models.CharField(),
    )


def period_in_force(on, path=""):
    """The condition that the stored period at `path` (its own fields when empty) is in
    force on day `on`: it began by then and has not ended."""
    prefix = f"{path}__" if path else ""
    return Q(**{f"{prefix}valid_from__lte": on}) & (
        Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gt": on})
    )


def in_force_period(on=None):
    """The join from a jurisdiction to its stored period in force on day `on` (today
    when None): at most one row, since `store_jail_control` writes adjacent periods
    that never overlap. Use with `joined_status`."""
    on = timezone.localdate() if on is None else on
    return FilteredRelation("control_periods", condition=period_in_force(on, "control_periods"))


def joined_status(alias):
    """SQL: the status read through the join `alias` (an `in_force_period`): the same
    answer as `jail_control_expression`. A filter or a count that reads the status of
    every row gets one hash join instead of one lookup per row; a page of 25 rows is
    cheaper with `jail_control_expression`, which the database evaluates after LIMIT."""
    return Coalesce(F(f"{alias}__status"), Value(ControlStatus.UNKNOWN), output_field=models.CharField())


def rule_expression(jurisdiction="pk", on=None):
    """SQL: the control rule itself, evaluated from the bookings, for the jurisdiction at
    path `jurisdiction` on day `on` (same arguments as `jail_control_expression`). Only
    `store_jail_control` and the tests that check the stored table call it."""
    prefix = "" if jurisdiction == "pk" else f"{jurisdiction}__"
    on = timezone.localdate() if on is None else on
    # One correlated aggregate over the jurisdiction's bookings (an index lookup per
    # row). EXISTS tests read the same, but PostgreSQL turns them into hashed subplans
    # that scan every booking on each query.
    bookings = (
        Booking.objects.filter(jurisdiction=OuterRef(jurisdiction))
        .in_force_on(on)
        .order_by()
        .values("jurisdiction")
        .annotate(
            total=Count("pk"),
            own=Count("pk", filter=Q(facility__operator=OuterRef(jurisdiction))),
        )
        .annotate(
            status=Case(
                When(own=F("total"), then=Value(ControlStatus.CONTROLS)),
                When(own__gt=0, then=Value(ControlStatus.SHARES)),
                default=Value(ControlStatus.DOES_NOT_CONTROL),
                output_field=models.CharField(),
            )
        )
    )
    runs_a_jail = Exists(Facility.objects.filter(operator=OuterRef(jurisdiction), facility_type__in=JAIL_TYPES))
    without_bookings = Case(
        When(
            Q(**{f"{prefix}local_jails_operated_by": LocalJailsOperator.COUNTIES}),
            then=Value(ControlStatus.DOES_NOT_CONTROL),
        ),
        When(runs_a_jail, then=Value(ControlStatus.CONTROLS)),
        default=Value(ControlStatus.UNKNOWN),
        output_field=models.CharField(),
    )
    return Coalesce(Subquery(bookings.values("status")), without_bookings, output_field=models.CharField())


@dataclass(frozen=True)
class Operator:
    name: str
    slug: str

    def __str__(self):
        return self.name

    @property
    def url(self):
        # Reversed when a page links it, not for each of an export's 100,000 answers.
        return Jurisdiction.url_for(self.slug)

    @classmethod
    def of(cls, jurisdiction):
        """`jurisdiction`: anything with a name and a slug (a Jurisdiction, an Operator)."""
        return cls(jurisdiction.name, jurisdiction.slug)


@dataclass(frozen=True, slots=True)
class Held:
    """One booking in force, as the answer reads it: who runs the facility, and its name."""

    operator_id: int
    operator: Operator
    facility: str


@dataclass
class JailControl:
    """The whole answer to "who runs the jails holding its arrestees" for one
    jurisdiction on one day: status, who, which facilities, and on what basis."""

    status: ControlStatus
    basis: Basis
    subject: str
    subject_slug: str
    operators: list[Operator] = field(default_factory=list)
    facilities: list[str] = field(default_factory=list)
    on: object = None
    sources: list = field(default_factory=list)
    sourcing: str = Sourcing.SOURCED

    @property
    def label(self):
        return ControlStatus(self.status).label

    @property
    def others(self):
        """Operators other than the jurisdiction itself (the "held by" list)."""
        return [o for o in self.operators if o.slug != self.subject_slug]

    @property
    def wording(self):
        """The parts of the answer its sentence reads (not the day, nor the sources):
        answers of different days or demands with equal wordings say the same thing
        (`PageAnswers` writes it once)."""
        return (self.status, self.basis, self.subject, self.subject_slug, tuple(self.operators), tuple(self.facilities))

    @cached_property
    def sentence(self):
        return sentence(self)

    @cached_property
    def sentence_html(self):
        return mark_safe(sentence(self, html=True))  # every part escaped by `sentence`

    def word_as(self, other):
        """Take the sentences of `other`, an answer with the same `wording`."""
        self.sentence, self.sentence_html = other.sentence, other.sentence_html

    def as_record(self):
        return {
            "status": str(self.status),
            "status_label": self.label,
            "basis": str(self.basis),
            "basis_label": Basis(self.basis).label,
            "operators": [{"name": o.name, "slug": o.slug} for o in self.operators],
            "facilities": self.facilities,
            "as_of": self.on,
            "sentence": self.sentence,
            "sourcing": self.sourcing,
            "sourcing_label": Sourcing(self.sourcing).label,
            "sources": [source.url for source in self.sources],
        }

    @classmethod
    def of(cls, jurisdiction, status, bookings, on, runs_jails=()):
        """Build the answer from the SQL status and the jurisdiction's bookings (any
        period; those not in force on `on` are skipped), with its sources. `runs_jails`
        are the jails the jurisdiction operates, for the inferred case."""
        in_force = [b for b in bookings if b.in_force_on(on)]
        held = [Held(b.facility.operator_id, Operator.of(b.facility.operator), b.facility.name) for b in in_force]
        answer = cls.from_held(
            Operator.of(jurisdiction), jurisdiction.local_jails_operated_by, status, held, on, runs_jails
        )
        if in_force:
            answer.sources, answer.sourcing = distinct_sources(in_force), Sourcing.weakest(b.sourcing for b in in_force)
        elif answer.basis == Basis.COUNTY_JAILS:
            answer.sources = [jurisdiction.local_jails_source] if jurisdiction.local_jails_source_id else []
            answer.sourcing = jurisdiction.local_jails_sourcing or Sourcing.UNVERIFIED
        return answer

    @classmethod
    def from_held(cls, subject, local_jails_operated_by, status, held, on, runs_jails=()):
        """The rule's answer from plain values, without its sources (`of` adds them):
        `subject` is the jurisdiction as an Operator, `held` a `Held` for each of its
        bookings in force on `on`. Exports that print no sources call it directly,
        which spares loading bookings, facilities and sources as model objects."""
        status = ControlStatus(status)
        if held:
            basis = Basis.BOOKINGS
            operators = {h.operator_id: h.operator for h in held}
            facilities = sorted({h.facility for h in held})
        elif local_jails_operated_by == LocalJailsOperator.COUNTIES:
            basis, operators, facilities = Basis.COUNTY_JAILS, {}, []
        elif status == ControlStatus.CONTROLS:
            # Inferred from the jail it runs; the facility's sources say who runs it, not
            # whose arrestees it holds.
            basis = Basis.RUNS_A_JAIL
            operators = {None: subject}
            facilities = sorted(f.name for f in runs_jails)
        else:
            basis, operators, facilities = Basis.NO_RECORD, {}, []
        ordered = sorted(operators.values(), key=lambda o: o.name)
        return cls(status, basis, subject.name, subject.slug, ordered, facilities, on, [], Sourcing.UNVERIFIED)

    @classmethod
    def for_condition(cls, jurisdiction, depends_on_jail, status, bookings, on, runs_jails=()):
        """The answer for one demanded condition: its own policies are the recipient's;
        a jail condition follows the jail rule (`status` from `jail_control_expression`)."""
        if depends_on_jail:
            return cls.of(jurisdiction, status, bookings, on, runs_jails)
        return cls.own_policy(jurisdiction, on)

    @classmethod
    def for_condition_held(cls, subject, local_jails_operated_by, depends_on_jail, status, held, on):
        """`for_condition` from plain values, without sources (`from_held`)."""
        if depends_on_jail:
            return cls.from_held(subject, local_jails_operated_by, status, held, on)
        return cls.own_policy(subject, on)

    @classmethod
    def own_policy(cls, jurisdiction, on=None):
        """`jurisdiction`: anything with a name and a slug."""
        # The condition's own definition (conditions.csv) is what says the recipient
        # controls it; it is cited on the condition's page.
        return cls(
            ControlStatus.CONTROLS,
            Basis.OWN_POLICY,
            jurisdiction.name,
            jurisdiction.slug,
            [Operator.of(jurisdiction)],
            [],
            on,
        )


class PageAnswers:
    """The control answers of one page (or export), each built and worded once: the
    rows of a busy jurisdiction's page repeat the same few answers (issue 15: 52 rows,
    each building its answer and its sentence again, read two distinct sentences)."""

    def __init__(self):
        self._answers = {}
        self._worded = {}  # {wording: the first answer with it}

    def get(self, key, build):
        """The answer for `key`, which must name everything `build()` reads: built on
        the first call, the same object after."""
        answer = self._answers.get(key)
        if answer is None:
            answer = self._answers[key] = build()
            worded = self._worded.setdefault(answer.wording, answer)
            if worded is not answer:
                answer.word_as(worded)
        return answer


def _join(items):
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def sentence(control, html=False):
    """The plain-words answer; the only place it is written. With `html`, every name
    is escaped and each operator is a link to its page."""
    text = conditional_escape if html else str
    who = text(control.subject)

    def operators(items):
        if html:
            return _join(format_html('<a href="{}">{}</a>', o.url, o.name) for o in items)
        return _join(o.name for o in items)

    if control.basis == Basis.OWN_POLICY:
        return f"{who} controls this: it depends on its own policies."
    if control.basis == Basis.COUNTY_JAILS:
        return f"{who} does not run the local jails: each county's sheriff runs its own."
    if control.basis == Basis.RUNS_A_JAIL:
        jails = _join(text(name) for name in control.facilities) or "a jail"
        return f"{who} runs {jails}; its own arrestees are held there (inferred: no booking is recorded)."
    if control.status == ControlStatus.CONTROLS:
        return f"{who} controls this: it runs the jails that hold its arrestees."
    if control.status == ControlStatus.SHARES:
        return f"{who} shares control: its arrestees are also held in facilities run by {operators(control.others)}."
    if control.status == ControlStatus.DOES_NOT_CONTROL:
        jails = "a jail" if len(control.facilities) == 1 else "jails"
        return f"{who} does not control this: its arrestees are held in {jails} run by {operators(control.others)}."
    return f"Unknown: we have no record of where {who}'s arrestees are held."


# The first stored period starts here: "since before any booking".
EVER = datetime.date(1, 1, 1)


def booking_change_days(jurisdiction_ids=None):
    """{jurisdiction id: the dates on which its bookings start or end}: the only days
    its control can change."""
    points = defaultdict(set)
    bookings = Booking.objects.all()
    if jurisdiction_ids is not None:
        bookings = bookings.filter(jurisdiction_id__in=jurisdiction_ids)
    for jurisdiction_id, start, end in bookings.values_list("jurisdiction_id", "valid_from", "valid_to"):
        points[jurisdiction_id].update(day for day in (start, end) if day is not None)
    return points


def store_jail_control(jurisdiction_ids=None):
    """Rewrite the stored control periods of these jurisdictions (every one when None)
    from the rule; five queries however many. Call it inside the transaction of the
    change, so readers never see the change without its consequence."""
    if jurisdiction_ids is not None:
        jurisdiction_ids = list(Jurisdiction.objects.filter(pk__in=set(jurisdiction_ids)).values_list("pk", flat=True))
    scope = (
        JailControlPeriod.objects.all()
        if jurisdiction_ids is None
        else JailControlPeriod.objects.filter(jurisdiction_id__in=jurisdiction_ids)
    )
    scope.delete()
    points = booking_change_days(jurisdiction_ids)
    ids = Jurisdiction.objects.values_list("pk", flat=True) if jurisdiction_ids is None else jurisdiction_ids
    # One candidate period per change point; the rule then answers for all of them in
    # one query, each on its own first day.
    JailControlPeriod.objects.bulk_create(
        (
            JailControlPeriod(jurisdiction_id=pk, valid_from=day, status="")
            for pk in ids
            for day in [EVER, *sorted(points[pk])]
        ),
        batch_size=5000,
    )
    evaluated = scope.annotate(rule=rule_expression("jurisdiction", OuterRef("valid_from"))).order_by(
        "jurisdiction_id", "valid_from"
    )
    merged = []
    for jurisdiction_id, valid_from, status in evaluated.values_list("jurisdiction_id", "valid_from", "rule"):
        previous = merged[-1] if merged and merged[-1].jurisdiction_id == jurisdiction_id else None
        if previous and previous.status == status:
            continue
        if previous:
            previous.valid_until = valid_from
        merged.append(JailControlPeriod(jurisdiction_id=jurisdiction_id, valid_from=valid_from, status=status))
    scope.delete()
    JailControlPeriod.objects.bulk_create(merged, batch_size=5000)
    return len(merged)


def held_in(jurisdiction_ids):
    """{jurisdiction id: [(valid_from, valid_to, Held) of every booking, any period]} of
    `jurisdiction_ids` (ids, or a queryset of them), empty for one without bookings,
    read as plain values in one query: `JailControl.from_held` takes those in force on
    a day (`booking_in_force`). One Operator per operating government is shared."""
    found = defaultdict(list)
    operators = {}
    rows = Booking.objects.filter(jurisdiction_id__in=jurisdiction_ids).values_list(
        "jurisdiction_id",
        "valid_from",
        "valid_to",
        "facility__name",
        "facility__operator_id",
        "facility__operator__name",
        "facility__operator__slug",
    )
    # Within a jurisdiction, Booking's own order (which `bookings_for` follows), so ties
    # between operators of the same name come out the same.
    rows = rows.order_by("jurisdiction_id", "stage", "facility__state", "facility__name")
    for jurisdiction_id, valid_from, valid_to, facility, operator_id, name, slug in rows:
        if operator_id not in operators:
            operators[operator_id] = Operator(name, slug)
        found[jurisdiction_id].append((valid_from, valid_to, Held(operator_id, operators[operator_id], facility)))
    return found


def bookings_for(jurisdiction_ids):
    """{jurisdiction id: [bookings of every period, with facility and operator]} in one query."""
    found = {pk: [] for pk in jurisdiction_ids}
    bookings = Booking.objects.filter(jurisdiction_id__in=found)
    for booking in bookings.select_related("facility__operator").prefetch_related("sources"):
        found[booking.jurisdiction_id].append(booking)
    return found


def jails_run_by(jurisdiction_ids):
    found = {pk: [] for pk in jurisdiction_ids}
    for facility in Facility.objects.filter(operator_id__in=found, facility_type__in=JAIL_TYPES):
        found[facility.operator_id].append(facility)
    return found


def attach_jail_control(jurisdictions, on=None, *, bookings=None, jails=None):
    """Set `.jail` (a JailControl) on jurisdictions annotated by `with_jail_control(on)`;
    two queries however many there are, none if their `bookings` and the `jails` each
    runs (any facilities it operates: those not jails are skipped) are passed in."""
    jurisdictions = list(jurisdictions)
    on = on or timezone.localdate()
    ids = [j.pk for j in jurisdictions]
    bookings = bookings or bookings_for(ids)
    if jails is None:
        jails = jails_run_by(ids)
    else:
        jails = {pk: [f for f in facilities if f.facility_type in JAIL_TYPES] for pk, facilities in jails.items()}
    for j in jurisdictions:
        j.jail = JailControl.of(j, j.jail_control, bookings[j.pk], on, jails[j.pk])
    return jurisdictions


def control_of(jurisdiction, on=None):
    """JailControl of one jurisdiction (three queries)."""
    annotated = Jurisdiction.objects.with_jail_control(on).get(pk=jurisdiction.pk)
    return attach_jail_control([annotated], on)[0].jail
