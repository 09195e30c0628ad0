import django_filters
from django.db.models import Exists, OuterRef, Q

from compliance.models import JurisdictionFact, StoredAnswer
from letters.models import Demand, Letter
from listing.facets import (
    ChoiceFacet,
    FacetedFilterSet,
    ModelChoiceFacet,
    NullsLastOrderingFilter,
    YesNoFilter,
    about,
    grouped_count,
)
from programs.models import Condition, Program
from sanctuary_lists.models import ListEntry, PublishedList

from .control import ControlStatus
from .models import Jurisdiction
from .states import Circuit, State, circuit_of

RUNS_OWN_JAIL = {
    "yes": ControlStatus.CONTROLS,
    "partly": ControlStatus.SHARES,
    "no": ControlStatus.DOES_NOT_CONTROL,
    "unknown": ControlStatus.UNKNOWN,
}


def count_by_circuit(jurisdictions):
    return circuits_of_states(grouped_count("state")(jurisdictions))


def circuits_of_states(counts):
    """{circuit: n} summed from {state: n}; a territory's (no circuit) is left out."""
    by_circuit = {}
    for state, n in counts.items():
        circuit = circuit_of(state)
        if circuit:
            by_circuit[circuit] = by_circuit.get(circuit, 0) + n
    return by_circuit


def count_facts(kind, jurisdictions):
    """Jurisdictions per value of their stored facts of `kind` (`JurisdictionFact`: one
    row per jurisdiction and value, so a plain count, no letters or demands joined)."""
    facts = about(JurisdictionFact.objects.filter(kind=kind), "jurisdiction", jurisdictions)
    return grouped_count("value")(facts)


def has_fact(kind, values):
    """Q: the jurisdiction has a stored fact of `kind` among `values`. The facts'
    jurisdictions as a subquery the database reads once from `jurisdiction_fact_by_value`:
    as a correlated EXISTS, SQLite asks it again for each of 20,000 jurisdictions (2.5x
    slower there; PostgreSQL plans both as one semi-join)."""
    return Q(pk__in=JurisdictionFact.objects.filter(kind=kind, value__in=values).values("jurisdiction"))


def count_by_program(jurisdictions):
    return count_facts(JurisdictionFact.Kind.PROGRAM, jurisdictions)


def count_by_condition(jurisdictions):
    return count_facts(JurisdictionFact.Kind.CONDITION, jurisdictions)


def count_by_list(jurisdictions):
    entries = about(ListEntry.objects.all(), "jurisdiction", jurisdictions)
    return grouped_count("published_list__slug", distinct="jurisdiction")(entries)


def count_by_jail_control(jurisdictions):
    answer = {status: value for value, status in RUNS_OWN_JAIL.items()}
    rows = about(Jurisdiction.objects.all(), "pk", jurisdictions).with_jail_control_joined()
    return {answer[status]: n for status, n in grouped_count("jail_control_joined")(rows).items()}


def count_by_demand_control(jurisdictions):
    """Jurisdictions asked for a condition of each control. The stored facts hold each
    jurisdiction's stored controls, which are the answers while every stored answer is
    current; from an undated letter's answer expiring until the daily refresh
    (`recompute_control --stale`), the answers are counted themselves, an expired one
    answered by the rule (`StoredAnswer.objects.with_control`)."""
    if StoredAnswer.objects.stale().exists():
        answers = about(StoredAnswer.objects.with_control(), "recipient", jurisdictions)
        return grouped_count("control_now", distinct="recipient")(answers)
    return count_facts(JurisdictionFact.Kind.CONTROL, jurisdictions)


class JurisdictionFilter(FacetedFilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="Name contains")
    state = ChoiceFacet(choices=State.choices)
    kind = ChoiceFacet(choices=Jurisdiction.Kind.choices)
    circuit = ChoiceFacet(choices=Circuit.choices, method="in_circuit", label="Federal circuit", count=count_by_circuit)
    program = ModelChoiceFacet(
        queryset=Program.objects.all(),
        to_field_name="slug",
        method="received_under",
        label="Got a letter under",
        count=count_by_program,
    )
    condition = ModelChoiceFacet(
        queryset=Condition.objects.all(),
        to_field_name="code",
        method="asked_for",
        label="Was asked for",
        count=count_by_condition,
    )
    targeted = YesNoFilter(method="by_targeted", label="Received a letter")
    runs_own_jail = ChoiceFacet(
        choices=[("yes", "Yes"), ("partly", "Partly"), ("no", "No"), ("unknown", "Unknown")],
        method="by_jail_control",
        label="Runs the jails holding its arrestees",
        count=count_by_jail_control,
    )
    # "Unknown" is a choice too, so "does not control or unknown" is two ticks.
    control = ChoiceFacet(
        choices=ControlStatus.choices,
        method="asked_for_condition_it",
        label="Control over a condition it was asked for",
        count=count_by_demand_control,
    )
    named_on = ModelChoiceFacet(
        queryset=PublishedList.objects.all(),
        to_field_name="slug",
        method="by_list",
        label="Named on list",
        count=count_by_list,
    )
    sort = NullsLastOrderingFilter(
        fields=[("name", "name"), ("state", "state"), ("kind", "kind"), ("letter_count", "letters")],
        field_labels={"name": "Name", "state": "State", "kind": "Kind", "letter_count": "Letters received"},
        label="Sort by",
    )

    # State and kind are counted apart (no `counted_together`): SQLite counts each from an
    # index, but both together by sorting every jurisdiction (13 ms against 4).
    counted_from = {"circuit": ("state", circuits_of_states)}
    stored_as = "jurisdictions"

    class Meta:
        model = Jurisdiction
        fields = []

    @classmethod
    def list_rows(cls):
        return Jurisdiction.objects.for_list()

    def in_circuit(self, queryset, name, circuits):
        return queryset.in_circuit(*circuits)

    # A model facet left empty arrives as an empty queryset, which django-filter's
    # method call does not treat as "no choice".
    def received_under(self, queryset, name, programs):
        if not programs:
            return queryset
        return queryset.filter(has_fact(JurisdictionFact.Kind.PROGRAM, [program.slug for program in programs]))

    def asked_for(self, queryset, name, conditions):
        if not conditions:
            return queryset
        return queryset.filter(has_fact(JurisdictionFact.Kind.CONDITION, [condition.code for condition in conditions]))

    def by_targeted(self, queryset, name, value):
        received = Exists(Letter.objects.filter(recipient=OuterRef("pk")))
        return queryset.filter(received if value else ~received)

    def by_jail_control(self, queryset, name, values):
        statuses = [RUNS_OWN_JAIL[value] for value in values]
        return queryset.with_jail_control_joined().filter(jail_control_joined__in=statuses)

    def asked_for_condition_it(self, queryset, name, values):
        demands = Demand.objects.with_control().filter(letter__recipient=OuterRef("pk"), control__in=values)
        return queryset.filter(Exists(demands))

    def by_list(self, queryset, name, published_lists):
        if not published_lists:
            return queryset
        return queryset.filter(
            Exists(ListEntry.objects.filter(jurisdiction=OuterRef("pk"), published_list__in=published_lists))
        )
