import django_filters
from django import forms

from jurisdictions.models import Jurisdiction
from jurisdictions.states import State
from listing.forms import ListFilterForm

from .models import ListEntry, PublishedList


class ListEntryFilter(django_filters.FilterSet):
    """The entries of one list page; the view restricts them to that list."""

    q = django_filters.CharFilter(field_name="name_as_printed", lookup_expr="icontains", label="Name contains")
    section = django_filters.CharFilter(field_name="section", lookup_expr="iexact", label="Section")
    state = django_filters.ChoiceFilter(field_name="jurisdiction__state", choices=State.choices)
    kind = django_filters.ChoiceFilter(field_name="jurisdiction__kind", choices=Jurisdiction.Kind.choices)

    class Meta:
        model = ListEntry
        fields = []
        form = ListFilterForm


class CompareForm(forms.Form):
    """Two lists by slug; `b` is the later one in the diff's words."""

    a = forms.ModelChoiceField(
        queryset=PublishedList.objects.all(),
        to_field_name="slug",
        label="From list",
        error_messages={"invalid_choice": "No list has this slug."},
    )
    b = forms.ModelChoiceField(
        queryset=PublishedList.objects.all(),
        to_field_name="slug",
        label="To list",
        error_messages={"invalid_choice": "No list has this slug."},
    )


class PublishedListIndexForm(forms.Form):
    """The lists page takes no filters (the lists are few); the form is there so the
    page is a list like the others: unknown parameters noticed, CSV/JSON export."""
