"""Can this jurisdiction meet DOJ's conditions? One answer per letter x condition x day.

Each demand of a letter gets four parts, computed here and nowhere else:

- *runs the jail*: `jurisdictions.control` (status, who, which facilities);
- *law*: the state laws and the recipient's own policies in force that day that bear on
  the condition (`LawAnswer`);
- *courts*: whether a court order covered the recipient that day, for the letter's
  program and fiscal years, following the coverage rule of seed/data/README.md
  (`CourtAnswer`);
- *its answer*: the responses to this very letter, DOJ's clearance included
  (`ResponseAnswer`).

Plus the money (`awards`). `matrices(letters)` builds all of it for any number of
letters in a fixed number of queries; the day is each letter's date unless `on` is
given. Plain-words sentences live in `compliance.sentences`.
"""

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.functional import cached_property

from courts.models import RELIEF, CourtDecision
from jurisdictions.control import JailControl, PageAnswers
from laws.models import LegalMeasure
from letters.models import Demand, Letter, LetterStatus, Response
from programs.models import Award, Condition, Program
from sources.models import Source, Sourcing, distinct_sources

from . import sentences
from .verdicts import CourtVerdict, LawVerdict

BYRNE_JAG = "Byrne JAG"
PSP = "PSP"
FISCAL_YEAR = re.compile(r"FY(\d{4})")


def requested_day(request):
    """?as_of=today answers every part for today instead of each letter's date."""
    return timezone.localdate() if request.GET.get("as_of") == "today" else None


def fiscal_year_of(day):
    """The federal fiscal year containing `day` (FY2018 began on 2017-10-01)."""
    return day.year + 1 if day.month >= 10 else day.year


def letter_fiscal_years(letter):
    """(fiscal years the letter names, inferred?). A letter that names none is read as
    concerning the fiscal year it was sent in, and says so."""
    named = sorted({int(year) for year in FISCAL_YEAR.findall(letter.program_context)})
    if named:
        return named, False
    return [fiscal_year_of(letter.control_date)], True


# ----------------------------------------------------------------------------- law


@dataclass
class LawPart:
    """What one level (state law, or the recipient's own policies) says on the day."""

    level: str  # "state" or "local"
    verdict: LawVerdict
    measures: list = field(default_factory=list)  # LegalMeasure in force that bear on the condition
    whose: str = ""
    undated: list = field(default_factory=list)  # bearing on it, start date not recorded
    day: datetime.date | None = None

    @property
    def sentence(self):
        return sentences.law_part(self)

    @property
    def cited(self):
        return [*self.measures, *self.undated]

    @property
    def sources(self):
        return distinct_sources(self.cited)

    @property
    def sourcing(self):
        return Sourcing.weakest(m.sourcing for m in self.cited)


@dataclass
class LawAnswer:
    """State law, then the recipient's own policies (None for a state: its own
    policies are its state laws)."""

    state: LawPart
    local: LawPart | None
    day: datetime.date

    @property
    def parts(self):
        return [self.state] if self.local is None else [self.state, self.local]

    @cached_property
    def verdict(self):
        """The headline: the strongest finding of the parts."""
        order = list(LawVerdict)
        return min((part.verdict for part in self.parts), key=order.index)

    @property
    def measures(self):
        return [measure for part in self.parts for measure in part.measures]

    @property
    def label(self):
        return LawVerdict(self.verdict).label

    @property
    def sentence(self):
        return sentences.law(self)


EFFECTS = (LawVerdict.RESTRICTS, LawVerdict.REQUIRES, LawVerdict.FORBIDS_RESTRICTIONS)


def _law_part(level, whose, measures, researched, condition, day):
    """What one level said on `day`. A measure whose start date is not recorded (only a
    month or year, kept in its notes) is never taken to be in force: it is named as
    such, so a 2024 law cannot answer for a 2017 letter."""
    concerning = [m for m in measures if condition.pk in m.condition_ids]
    in_force = [m for m in concerning if m.start is not None and m.is_in_force_on(day)]
    undated = [m for m in concerning if m.start is None and (m.ended_on is None or day < m.ended_on)]
    for verdict in EFFECTS:
        if any(m.effect == verdict for m in in_force):
            return LawPart(level, verdict, in_force, whose, undated, day)
    if any(m.effect in EFFECTS for m in undated):
        return LawPart(level, LawVerdict.START_NOT_RECORDED, in_force, whose, undated, day)
    if any(m.effect == LegalMeasure.Effect.NONE for m in in_force):
        return LawPart(level, LawVerdict.NO_EFFECT, in_force, whose, undated, day)
    if researched:
        # Searched, and nothing in force bore on this condition that day ("none found"
        # rows are listed as what was found).
        return LawPart(level, LawVerdict.NONE_FOUND, in_force, whose, undated, day)
    return LawPart(level, LawVerdict.NOT_RESEARCHED, [], whose, [], day)


# -------------------------------------------------------------------------- courts


@dataclass
class Coverage:
    decision: CourtDecision
    covered_as: str

    @property
    def start(self):
        return self.decision.in_force_from

    @property
    def end(self):
        return self.decision.in_force_until


@dataclass
class CourtAnswer:
    """One program and fiscal year: covered on the day, and every period it was."""

    program: str
    fiscal_year: int
    fiscal_year_inferred: bool
    day: datetime.date
    verdict: CourtVerdict
    covering: list = field(default_factory=list)  # Coverage in force on the day
    periods: list = field(default_factory=list)  # every Coverage for this jurisdiction, by start
    precedent: list = field(default_factory=list)  # appellate holdings in its circuit by the day
    own_award: bool = False  # the recipient's own Byrne JAG award, beside a PSP letter

    @property
    def sentence(self):
        return sentences.courts(self)

    @property
    def decisions(self):
        return [c.decision for c in self.covering] + [d for d in self.precedent if d not in self.covering]

    @property
    def sources(self):
        return distinct_sources(self.decisions, sources_of=lambda decision: decision.cited_sources)

    @property
    def sourcing(self):
        return Sourcing.weakest(d.sourcing for d in self.decisions)


def _covered_as(decision, jurisdiction):
    if decision.covered == CourtDecision.Covered.NATIONWIDE:
        return "nationwide"
    if jurisdiction.pk not in decision.covered_ids:
        return None
    if decision.covered == CourtDecision.Covered.MEMBERS:
        return f"as a member of the {decision.covered_organisation}"
    if jurisdiction.name in [p.strip() for p in decision.plaintiffs.split(";")]:
        return "as a plaintiff"
    return "as a jurisdiction the order names (not itself a plaintiff)"


def letters_concerned_by(decisions):
    """Letters whose court answer `decisions` (a CourtDecision queryset) can reach, by
    `court_answer`'s own test: a demand for a condition a decision names, in a letter of
    a program it names, or a PSP letter when it names Byrne JAG (the recipient's own
    award line). Fiscal years, dates and coverage are left to the rule: a superset."""
    programs = set(Program.objects.filter(court_decisions__in=decisions).values_list("short_name", flat=True))
    if BYRNE_JAG in programs:
        programs.add(PSP)
    conditions = Condition.objects.filter(court_decisions__in=decisions).values("pk")
    return Letter.objects.filter(
        program__short_name__in=programs, pk__in=Demand.objects.filter(condition__in=conditions).values("letter")
    )


def court_answer(decisions, jurisdiction, condition, program, fiscal_year, day, *, inferred=False, own_award=False):
    """The coverage rule of seed/data/README.md, for one program and fiscal year."""
    condition_id = condition.pk  # read once, not per decision: `pk` is a property
    concerning = sorted(
        (
            d
            for d in decisions
            if program in d.program_names and condition_id in d.condition_ids and fiscal_year in d.fiscal_years
        ),
        key=lambda d: (d.decided_on or datetime.date.max, d.id),
    )
    periods = {}
    for decision in concerning:
        if decision.binding_effect in RELIEF and decision.in_force_from:
            covered_as = _covered_as(decision, jurisdiction)
            # An affirmance or a refused stay keeps the same period: name the order that
            # granted it, once.
            key = (decision.in_force_from, decision.in_force_until, covered_as)
            if covered_as and key not in periods:
                periods[key] = Coverage(decision, covered_as)
    periods = sorted(periods.values(), key=lambda c: c.start)
    covering = [c for c in periods if c.start <= day and (c.end is None or day < c.end)]
    decided = [d for d in concerning if d.decided_on and d.decided_on <= day]
    # The latest appellate holding in its circuit by that day is the precedent that stands.
    in_circuit = [d for d in decided if d.precedent_circuit and d.precedent_circuit == jurisdiction.circuit]
    precedent = [d for d in in_circuit if d.holding in ("blocked", "upheld")][-1:]
    rescinded = [
        d for d in concerning if d.binding_effect == "ends_conditions" and d.in_force_from and d.in_force_from <= day
    ]
    if rescinded:
        verdict, covering, precedent = CourtVerdict.RESCINDED, [], rescinded[-1:]
    elif covering:
        verdict = CourtVerdict.COVERED
    elif precedent and precedent[0].holding == "blocked":
        verdict = CourtVerdict.PRECEDENT_ONLY
    elif precedent:
        verdict = CourtVerdict.PRECEDENT_AGAINST
    elif any(d.holding in ("blocked", "upheld", "mixed") for d in decided):
        verdict = CourtVerdict.NOT_COVERED
    else:
        verdict = CourtVerdict.NEVER_RULED
    return CourtAnswer(program, fiscal_year, inferred, day, verdict, covering, periods, precedent, own_award=own_award)


# ----------------------------------------------------------------------- responses


@dataclass
class ResponseAnswer:
    status: str  # a LetterStatus value
    responses: list

    @property
    def sentence(self):
        return sentences.responses(self)

    @property
    def label(self):
        return LetterStatus(self.status).label

    @property
    def sources(self):
        return distinct_sources(self.responses)

    @property
    def sourcing(self):
        return Sourcing.weakest(r.sourcing for r in self.responses)


def response_answer(letter):
    """The letter's responses; its status (`LetterQuerySet.with_status`) is the verdict."""
    return ResponseAnswer(letter.status, list(letter.responses.all()))


# -------------------------------------------------------------------------- matrix


@dataclass
class Row:
    """One demanded condition of one letter, on one day."""

    condition: object
    jail: JailControl
    law: LawAnswer
    courts: list  # CourtAnswer per fiscal year (and the own-award line for PSP letters)

    @cached_property
    def court_verdict(self):
        """The headline for the letter's own program: covered if any fiscal year was."""
        own = [c for c in self.courts if not c.own_award] or self.courts
        order = list(CourtVerdict)
        return min((c.verdict for c in own), key=order.index)

    @property
    def court_label(self):
        return CourtVerdict(self.court_verdict).label


@dataclass
class Matrix:
    letter: Letter
    day: datetime.date
    as_of_today: bool
    rows: list
    answer: ResponseAnswer
    awards: list

    @property
    def jurisdiction(self):
        return self.letter.recipient


def matrix_queryset(letters, on=None, *, of_recipient=False, with_sources=True):
    """The letters with everything `matrices` reads, prefetched. `of_recipient`: the
    letters are `jurisdiction.letters_received`, whose recipient is already loaded
    (`LetterQuerySet.for_recipient_list`). Without `with_sources`, the letters' own
    sources, which pages show and `matrices` does not read, are left out."""
    if of_recipient and not with_sources:
        raise ValueError("A recipient's letters are read with their sources (`for_recipient_list`).")
    if not with_sources:
        letters = letters.for_answers(on=on)
    elif of_recipient:
        letters = letters.for_recipient_list(on=on)
    else:
        letters = letters.for_list(on=on)
    return letters.prefetch_related(Prefetch("responses", queryset=Response.objects.prefetch_related("sources")))


def matrices_for(letters, on=None):
    """The answers for a queryset of letters, fetched and answered for the same day."""
    return matrices(matrix_queryset(letters, on), on)


def court_decisions():
    """Every court decision with what the coverage rule reads, in five queries: a few
    dozen rows, so the rule runs in Python on all of them. The programs, conditions and
    covered jurisdictions are read as pairs of ids from the link tables, not prefetched
    as model objects: the rule needs only their names and ids, and building a related
    manager and a model per link cost most of a letter JSON's time (issue 15). Their
    sources are read the same way, each link with its Source in one query, into
    `cited_sources` (in the sources' own order, as `sources.all()` gives them)."""
    decisions = list(CourtDecision.objects.all())
    program_names, condition_ids, covered_ids = defaultdict(set), defaultdict(set), defaultdict(set)
    cited_sources = defaultdict(list)
    if decisions:
        links = CourtDecision.sources.through.objects.select_related("source")
        for link in links.order_by(*(f"source__{name}" for name in Source._meta.ordering)):
            cited_sources[link.courtdecision_id].append(link.source)
    links = [
        (program_names, CourtDecision.programs.through.objects.values_list("courtdecision_id", "program__short_name")),
        (condition_ids, CourtDecision.conditions.through.objects.values_list("courtdecision_id", "condition_id")),
        (
            covered_ids,
            CourtDecision.covered_jurisdictions.through.objects.values_list("courtdecision_id", "jurisdiction_id"),
        ),
    ]
    for found, pairs in links if decisions else ():  # as a prefetch, nothing to read for none
        for decision_id, value in pairs:
            found[decision_id].add(value)
    for decision in decisions:
        decision.program_names = program_names[decision.pk]
        decision.condition_ids = condition_ids[decision.pk]
        decision.covered_ids = covered_ids[decision.pk]
        decision.cited_sources = cited_sources[decision.pk]
    return decisions


def matrices(letters, on=None, *, awards=None):
    """A Matrix per letter, in order, as of each letter's date (or `on`).

    `letters` comes from `matrix_queryset`; the legal measures, court decisions and
    awards are read once for all of them (eight more queries, however many letters;
    seven when the page passes the `awards` it shows, {recipient id: [awards with
    their sources]})."""
    letters = list(letters)
    recipients = {letter.recipient_id: letter.recipient for letter in letters}
    states = {r.state for r in recipients.values()}
    measures = list(
        LegalMeasure.objects.filter(jurisdiction__state__in=states)
        .select_related("jurisdiction")
        .prefetch_related("sources")
    )
    # The conditions as pairs of ids, like the court decisions': the rule reads only ids.
    condition_ids = defaultdict(set)
    links = LegalMeasure.conditions.through.objects.filter(legalmeasure__in=[m.pk for m in measures])
    for measure_id, condition_id in links.values_list("legalmeasure_id", "condition_id") if measures else ():
        condition_ids[measure_id].add(condition_id)
    state_measures, own_measures = defaultdict(list), defaultdict(list)
    for measure in measures:
        measure.condition_ids = condition_ids[measure.pk]
        if measure.level == LegalMeasure.Level.STATE:
            state_measures[measure.jurisdiction.state].append(measure)
        else:
            own_measures[measure.jurisdiction_id].append(measure)
    decisions = court_decisions()
    if awards is None:
        awards = defaultdict(list)
        for award in Award.objects.filter(jurisdiction_id__in=recipients).prefetch_related("sources"):
            awards[award.jurisdiction_id].append(award)
    context = (state_measures, own_measures, decisions, awards, PageAnswers())
    return [_matrix(letter, on or letter.control_date, on is not None, *context) for letter in letters]


def _matrix(letter, day, as_of_today, state_measures, own_measures, decisions, awards, controls):
    recipient = letter.recipient
    fiscal_years, inferred = letter_fiscal_years(letter)
    program = letter.program.short_name
    is_state = recipient.is_state_level
    rows = []
    for demand in letter.demands.all():
        condition = demand.condition
        state_part = _law_part(
            "state",
            recipient.state_name,
            state_measures[recipient.state],
            bool(state_measures[recipient.state]),
            condition,
            day,
        )
        own = own_measures[recipient.pk]
        local_part = None if is_state else _law_part("local", recipient.name, own, bool(own), condition, day)
        courts = [
            court_answer(decisions, recipient, condition, program, year, day, inferred=inferred)
            for year in fiscal_years
        ]
        if program == PSP:
            # No court ruled on the Partnership's questions; the same notice and access
            # conditions on the recipient's own Byrne JAG award are a separate question.
            courts.append(
                court_answer(
                    decisions,
                    recipient,
                    condition,
                    BYRNE_JAG,
                    fiscal_year_of(letter.control_date),
                    day,
                    inferred=True,
                    own_award=True,
                )
            )
        # What `Demand.control_answer` reads: the recipient's bookings are the same for all its letters.
        jail = controls.get(
            (recipient.pk, condition.depends_on_jail, demand.control, day), lambda demand=demand: demand.control_answer
        )
        rows.append(Row(condition, jail, LawAnswer(state_part, local_part, day), courts))
    answer = response_answer(letter)
    money = sorted(awards[recipient.pk], key=lambda a: (a.fiscal_year or 0, a.pk))
    return Matrix(letter, day, as_of_today, rows, answer, money)
