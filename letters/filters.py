import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q

from jurisdictions.control import ControlStatus
from jurisdictions.models import Jurisdiction
from jurisdictions.states import State
from programs.models import Condition, Program

from .models import Batch, Demand, Event, Letter, LetterStatus
from .selectors import LETTER_KIND, LIST_KINDS, RESPONSE_KIND

DATE_INPUT = forms.DateInput(attrs={"type": "date"})


class LetterFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    program = django_filters.ModelChoiceFilter(queryset=Program.objects.all(), to_field_name="slug")
    condition = django_filters.ModelChoiceFilter(
        queryset=Condition.objects.all(), to_field_name="code", field_name="conditions", label="Condition demanded"
    )
    state = django_filters.ChoiceFilter(field_name="recipient__state", choices=State.choices)
    recipient_kind = django_filters.ChoiceFilter(field_name="recipient__kind", choices=Jurisdiction.Kind.choices)
    recipient = django_filters.CharFilter(field_name="recipient__slug", label="Recipient (slug)")
    sender = django_filters.CharFilter(field_name="sender_name", lookup_expr="icontains")
    sent_after = django_filters.DateFilter(
        widget=DATE_INPUT, field_name="sent_on", lookup_expr="gte", label="Sent on or after"
    )
    sent_before = django_filters.DateFilter(
        widget=DATE_INPUT, field_name="sent_on", lookup_expr="lte", label="Sent on or before"
    )
    deadline_after = django_filters.DateFilter(
        widget=DATE_INPUT, field_name="deadline", lookup_expr="gte", label="Deadline on or after"
    )
    deadline_before = django_filters.DateFilter(
        widget=DATE_INPUT, field_name="deadline", lookup_expr="lte", label="Deadline on or before"
    )
    status = django_filters.ChoiceFilter(choices=LetterStatus.choices, label="Status")
    control = django_filters.ChoiceFilter(
        choices=ControlStatus.choices, method="by_control", label="Demands a condition the recipient"
    )
    batch = django_filters.ModelChoiceFilter(queryset=Batch.objects.all(), to_field_name="code")
    sort = django_filters.OrderingFilter(
        fields=[("sent_on", "sent"), ("deadline", "deadline"), ("recipient__name", "recipient")],
        field_labels={"sent_on": "Date sent", "deadline": "Deadline", "recipient__name": "Recipient"},
        label="Sort by",
    )

    class Meta:
        model = Letter
        fields = []

    def by_control(self, queryset, name, value):
        return queryset.filter(Exists(Demand.objects.with_control().filter(letter=OuterRef("pk"), control=value)))

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(recipient__name__icontains=value) | Q(addressee__icontains=value) | Q(notes__icontains=value)
        )


class TimelineForm(forms.Form):
    """The timeline's filters; `selectors.timeline_entries` takes its cleaned data."""

    jurisdiction = forms.ModelChoiceField(
        queryset=Jurisdiction.objects.all(),
        to_field_name="slug",
        widget=forms.TextInput,
        label="Jurisdiction (slug)",
        required=False,
        error_messages={"invalid_choice": "No jurisdiction has this slug."},
    )
    program = forms.ModelChoiceField(queryset=Program.objects.all(), to_field_name="slug", required=False)
    kind = forms.ChoiceField(
        choices=[
            ("", "---------"),
            (LETTER_KIND, "Letter"),
            (RESPONSE_KIND, "Response to a letter"),
            *Event.Kind.choices,
            *LIST_KINDS.items(),
        ],
        required=False,
    )
