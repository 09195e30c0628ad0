import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q

from jurisdictions.models import ControlStatus, Jurisdiction
from jurisdictions.states import State
from programs.models import Condition, Program

from .models import Batch, Demand, Event, Letter, LetterStatus
from .selectors import LETTER_KIND, RESPONSE_KIND, timeline_entries

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


class TimelineFilter(django_filters.FilterSet):
    """Filters the merged timeline; the merge itself lives in selectors.timeline_entries."""

    jurisdiction = django_filters.ModelChoiceFilter(
        queryset=Jurisdiction.objects.all(),
        to_field_name="slug",
        widget=forms.TextInput,
        label="Jurisdiction (slug)",
        error_messages={"invalid_choice": "No jurisdiction has this slug."},
        method="merged",
    )
    program = django_filters.ModelChoiceFilter(queryset=Program.objects.all(), to_field_name="slug", method="merged")
    kind = django_filters.ChoiceFilter(
        choices=[(LETTER_KIND, "Letter"), (RESPONSE_KIND, "Response to a letter"), *Event.Kind.choices],
        method="merged",
    )

    class Meta:
        model = Event
        fields = []

    def merged(self, queryset, name, value):
        return queryset  # applied together in `qs`

    @property
    def qs(self):
        if not hasattr(self, "_qs"):
            chosen = self.form.cleaned_data if self.is_bound and self.form.is_valid() else {}
            self._qs = timeline_entries(**{name: value for name, value in chosen.items() if value})
        return self._qs
