import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q

from compliance.models import LetterFact, StoredAnswer
from jurisdictions.control import ControlStatus
from jurisdictions.models import Jurisdiction
from jurisdictions.states import State
from listing.facets import (
    ChoiceFacet,
    DateFacetFilter,
    FacetedFilterSet,
    ModelChoiceFacet,
    ModelValuesFilter,
    MultipleValuesWidget,
    NamePicker,
    NullsLastOrderingFilter,
    StoredCountsMixin,
    about,
    add_counts,
    build_facet,
    chooses_any,
    dates_from_days,
    facet_labels,
    grouped_count,
    month_field,
    year_field,
)
from listing.forms import ListFilterForm
from programs.models import Condition, Program

from .models import Batch, Demand, Event, Letter, LetterStatus
from .selectors import LETTER_KIND, LIST_KINDS, RESPONSE_KIND, timeline_counts

DATE_INPUT = forms.DateInput(attrs={"type": "date"})
# Shown with every picker, since a long list is not offered (`NamePicker`).
PICKER_HELP = "Or open a jurisdiction's page: it links to its letters and its timeline."


def count_by_demand_control(letters):
    """Letters with a demand of each control: a dated letter's read from its stored
    facts (`LetterFact`, a plain count), an undated letter's from its stored answers
    (`StoredAnswer.objects.with_control`, where the rule answers an expired one). No
    letter is in both, so the counts add up (issue 15)."""
    dated = about(LetterFact.objects.filter(kind=LetterFact.Kind.CONTROL), "letter", letters)
    undated = about(StoredAnswer.objects.with_control().filter(valid_until__isnull=False), "letter", letters)
    return add_counts(grouped_count("value")(dated), grouped_count("control_now", distinct="letter")(undated))


def count_by_condition(letters):
    """Letters asking for each condition (by primary key), counted as demands: a
    letter asks for a condition once (`demand_condition_once_per_letter`), so no
    DISTINCT is needed, and the letters are not joined at all when no other filter is
    set; grouped by the demand's own column, the conditions are not joined either."""
    return grouped_count("condition")(about(Demand.objects.all(), "letter", letters))


class LetterFilter(FacetedFilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    program = ModelChoiceFacet(queryset=Program.objects.all(), to_field_name="slug")
    condition = ModelChoiceFacet(
        queryset=Condition.objects.all(),
        to_field_name="code",
        field_name="conditions",
        label="Condition demanded",
        distinct=True,  # through demands: a letter asking for two of the chosen would show twice
        count=count_by_condition,
        counts_by_pk=True,
    )
    state = ChoiceFacet(field_name="recipient__state", choices=State.choices)
    recipient_kind = ChoiceFacet(field_name="recipient__kind", choices=Jurisdiction.Kind.choices)
    recipient = ModelValuesFilter(
        queryset=Jurisdiction.objects.order_by("name", "state"),
        field_name="recipient",
        to_field_name="slug",
        widget=NamePicker(any_label="Any recipient"),
        distinct=False,  # one recipient per letter
        label="Recipient",
        help_text=PICKER_HELP,
    )
    sender = django_filters.CharFilter(field_name="sender_name", lookup_expr="icontains")
    year = DateFacetFilter(field_name="sent_on", by="year", label="Year sent")
    month = DateFacetFilter(field_name="sent_on", by="month", label="Month sent")
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
    status = ChoiceFacet(choices=LetterStatus.choices, label="Status")
    control = ChoiceFacet(
        choices=ControlStatus.choices,
        method="by_control",
        label="Recipient's control over a demanded condition",
        count=count_by_demand_control,
    )
    batch = ModelChoiceFacet(queryset=Batch.objects.all(), to_field_name="code", label="Sent in the batch")
    sort = NullsLastOrderingFilter(
        fields=[("sent_on", "sent"), ("deadline", "deadline"), ("recipient__name", "recipient")],
        field_labels={"sent_on": "Date sent", "deadline": "Deadline", "recipient__name": "Recipient"},
        label="Sort by",
    )

    # Not the status: grouped with the others, its CASE of two EXISTS per letter made
    # PostgreSQL sort every letter (about 100 ms over 50,000) rather than hash them.
    counted_together = ("state", "recipient_kind", "program", "batch")
    stored_as = "letters"

    class Meta:
        model = Letter
        fields = []

    @classmethod
    def list_rows(cls):
        return Letter.objects.for_table()

    def by_control(self, queryset, name, values):
        demands = Demand.objects.with_control().filter(letter=OuterRef("pk"), control__in=values)
        return queryset.filter(Exists(demands))

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(recipient__name__icontains=value) | Q(addressee__icontains=value) | Q(notes__icontains=value)
        )


TIMELINE_KINDS = [
    (LETTER_KIND, "Letter"),
    (RESPONSE_KIND, "Response to a letter"),
    *Event.Kind.choices,
    *LIST_KINDS.items(),
]


class TimelineForm(StoredCountsMixin, ListFilterForm):
    """The timeline's filters; `selectors.timeline_entries` takes its cleaned data."""

    FACETS = ("program", "kind", "year", "month")
    stored_as = "timeline"  # its counts with nothing chosen (`StoredCountsMixin`)

    jurisdiction = forms.ModelMultipleChoiceField(
        queryset=Jurisdiction.objects.order_by("name", "state"),
        to_field_name="slug",
        widget=NamePicker(any_label="Any jurisdiction"),
        label="Jurisdiction",
        help_text=PICKER_HELP,
        required=False,
        error_messages={"invalid_choice": "No jurisdiction has this slug."},
    )
    program = forms.ModelMultipleChoiceField(
        queryset=Program.objects.all(),
        to_field_name="slug",
        widget=MultipleValuesWidget,
        label="Program",
        required=False,
    )
    kind = forms.MultipleChoiceField(
        choices=TIMELINE_KINDS, widget=MultipleValuesWidget, label="What happened", required=False
    )
    year = year_field(label="Year")
    month = month_field(label="Month")
    since = forms.DateField(widget=DATE_INPUT, label="On or after", required=False)
    until = forms.DateField(widget=DATE_INPUT, label="On or before", required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("since") and cleaned.get("until") and cleaned["since"] > cleaned["until"]:
            self.add_error("until", "The end of the date range is before its start.")
        return cleaned

    def chosen_filters(self):
        return {name: value for name, value in self.cleaned_data.items() if value} if self.is_bound else {}

    @classmethod
    def counted_afresh(cls):
        """{facet: counts} of every facet with nothing chosen, counted (not read from the
        store): what the store keeps (`dashboard.stored.LISTS`)."""
        form = cls(read_stored_counts=False)
        return {name: form.facet_counts(name) for name in cls.FACETS}

    def is_unfiltered(self):
        """Is nothing chosen? A page number is no choice; an invalid form is not
        unfiltered (its counts are not shown)."""
        return not self.is_bound or (self.is_valid() and not chooses_any(self.data, self.fields))

    def facets(self):
        """Program, kind, year and month, each counted under the other filters."""
        valid = not self.is_bound or self.is_valid()
        facets = {}
        for name in self.FACETS:
            bound_field = self[name]
            chosen = set(self.data.getlist(name)) if self.is_bound else set()
            counts = self.facet_counts(name) if valid else None
            labels = facet_labels(bound_field.field, counts, chosen, name in ("year", "month"))
            facets[name] = build_facet(bound_field, counts, chosen, labels)
        return facets

    def entry_count(self):
        """The number of entries the filters select, if the facets count it anyway:
        with no kind chosen, the kind facet counts each part under every other filter,
        which is then every filter, so its sum is the count. None otherwise."""
        if (self.is_bound and not self.is_valid()) or self.chosen_filters().get("kind"):
            return None
        return sum(self.facet_counts("kind").values())

    def count_afresh(self, name, counted):
        """One facet's counts under the other filters; with neither a year nor a month
        chosen, both from one count per day (`dates_from_days`: one query per part fewer)."""
        chosen = self.chosen_filters()
        if name in ("year", "month") and not (chosen.get("year") or chosen.get("month")):
            return dates_from_days(counted, "day", name, lambda: timeline_counts("day", **chosen))
        return timeline_counts(name, **chosen)
