import django_filters
from django.db.models import Exists, OuterRef

from letters.models import Demand, Letter
from programs.models import Condition, Program
from sanctuary_lists.models import ListEntry, PublishedList

from .control import ControlStatus
from .models import Jurisdiction
from .states import Circuit, State

RUNS_OWN_JAIL = {
    "yes": ControlStatus.CONTROLS,
    "partly": ControlStatus.SHARES,
    "no": ControlStatus.DOES_NOT_CONTROL,
    "unknown": ControlStatus.UNKNOWN,
}


class JurisdictionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="Name contains")
    state = django_filters.ChoiceFilter(choices=State.choices)
    kind = django_filters.ChoiceFilter(choices=Jurisdiction.Kind.choices)
    circuit = django_filters.ChoiceFilter(choices=Circuit.choices, method="in_circuit", label="Federal circuit")
    program = django_filters.ModelChoiceFilter(
        queryset=Program.objects.all(), to_field_name="slug", method="received_under", label="Got a letter under"
    )
    condition = django_filters.ModelChoiceFilter(
        queryset=Condition.objects.all(), to_field_name="code", method="asked_for", label="Was asked for"
    )
    targeted = django_filters.BooleanFilter(method="by_targeted", label="Received a letter")
    runs_own_jail = django_filters.ChoiceFilter(
        choices=[("yes", "Yes"), ("partly", "Partly"), ("no", "No"), ("unknown", "Unknown")],
        method="by_jail_control",
        label="Runs the jails holding its arrestees",
    )
    control = django_filters.ChoiceFilter(
        choices=[c for c in ControlStatus.choices if c[0] != ControlStatus.UNKNOWN],
        method="asked_for_condition_it",
        label="Was asked for a condition it",
    )
    named_on = django_filters.ModelChoiceFilter(
        queryset=PublishedList.objects.all(), to_field_name="slug", method="by_list", label="Named on list"
    )
    sort = django_filters.OrderingFilter(
        fields=[("name", "name"), ("state", "state"), ("kind", "kind"), ("letter_count", "letters")],
        field_labels={"name": "Name", "state": "State", "kind": "Kind", "letter_count": "Letters received"},
        label="Sort by",
    )

    class Meta:
        model = Jurisdiction
        fields = []

    def in_circuit(self, queryset, name, value):
        return queryset.in_circuit(value)

    def received_under(self, queryset, name, program):
        return queryset.filter(Exists(Letter.objects.filter(recipient=OuterRef("pk"), program=program)))

    def asked_for(self, queryset, name, condition):
        return queryset.filter(Exists(Demand.objects.filter(letter__recipient=OuterRef("pk"), condition=condition)))

    def by_targeted(self, queryset, name, value):
        received = Exists(Letter.objects.filter(recipient=OuterRef("pk")))
        return queryset.filter(received if value else ~received)

    def by_jail_control(self, queryset, name, value):
        return queryset.filter(jail_control=RUNS_OWN_JAIL[value])

    def asked_for_condition_it(self, queryset, name, value):
        demands = Demand.objects.with_control().filter(letter__recipient=OuterRef("pk"), control=value)
        return queryset.filter(Exists(demands))

    def by_list(self, queryset, name, published_list):
        return queryset.filter(
            Exists(ListEntry.objects.filter(jurisdiction=OuterRef("pk"), published_list=published_list))
        )
