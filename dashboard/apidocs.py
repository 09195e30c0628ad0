"""What /about/api/ says about each list's parameters, read from the list's own FilterSet
or form, so the page cannot drift from what the lists accept."""

from dataclasses import dataclass

from django import forms
from django.urls import reverse

from compliance.filters import MatrixFilter
from jurisdictions.filters import JurisdictionFilter
from letters.filters import LetterFilter, TimelineForm
from listing.exports import get_export
from sanctuary_lists.filters import ListEntryFilter, PublishedListIndexForm
from sanctuary_lists.models import PublishedList
from search.selectors import KINDS, RESULTS_PER_KIND

# Choice lists longer than this (states) are summarised, not printed value by value.
CHOICES_SHOWN = 12


@dataclass(frozen=True)
class Parameter:
    name: str
    label: str
    accepts: str


@dataclass(frozen=True)
class ListEndpoint:
    path: str
    title: str
    export: object
    parameters: list
    example: str
    form: object = None
    # The path with its parameters as <name>, for the OpenAPI document.
    template: str = ""


def describe_field(name, field):
    """In words, what a filter field accepts."""
    if isinstance(field, forms.ModelChoiceField):
        key = field.to_field_name or "pk"
        values = [str(value) for value in field.queryset.values_list(key, flat=True)[: CHOICES_SHOWN + 1]]
        more = ", …" if len(values) > CHOICES_SHOWN else ""
        return f"a {field.queryset.model._meta.verbose_name} {key}: " + ", ".join(values[:CHOICES_SHOWN]) + more
    if isinstance(field, forms.ChoiceField):
        choices = [(str(value), str(label)) for value, label in field.choices if value not in ("", None)]
        if name == "sort" or any(value.startswith("-") for value, _ in choices):
            return "one of " + ", ".join(value for value, _ in choices) + " (a leading - sorts descending)"
        if len(choices) > CHOICES_SHOWN:
            return f"one of {len(choices)} codes, e.g. " + ", ".join(value for value, _ in choices[:3])
        return "one of " + ", ".join(f"{value} ({label})" for value, label in choices)
    if isinstance(field, forms.NullBooleanField | forms.BooleanField):
        return "true or false"
    if isinstance(field, forms.DateField):
        return "a date, YYYY-MM-DD"
    return "text"


def parameters(form):
    return [
        Parameter(name, str(field.label or name), describe_field(name, field)) for name, field in form.fields.items()
    ]


def list_endpoints():
    """Each public list with its parameters and an example, in the order of the menu."""
    a_list = PublishedList.objects.order_by("-published_on").values_list("slug", flat=True).first()
    letters, jurisdictions, matrix = LetterFilter().form, JurisdictionFilter().form, MatrixFilter().form
    timeline, entries = TimelineForm(), ListEntryFilter().form
    return [
        ListEndpoint(
            reverse("letters:list"),
            "Letters",
            get_export("letters"),
            parameters(letters),
            "?state=CA&program=psp&format=csv",
            letters,
            reverse("letters:list"),
        ),
        ListEndpoint(
            reverse("jurisdictions:list"),
            "Jurisdictions",
            get_export("jurisdictions"),
            parameters(jurisdictions),
            "?targeted=true&runs_own_jail=no&format=json",
            jurisdictions,
            reverse("jurisdictions:list"),
        ),
        ListEndpoint(
            reverse("compliance:matrix"),
            "Can they comply? (one row per letter and condition)",
            get_export("matrix"),
            [*parameters(matrix), Parameter("as_of", "Answer as of", "today (else each letter's date)")],
            "?jail_conditions=true&law=restricts&format=csv",
            matrix,
            reverse("compliance:matrix"),
        ),
        ListEndpoint(
            reverse("letters:timeline"),
            "Timeline",
            get_export("timeline"),
            parameters(timeline),
            "?kind=court_ruling&format=json",
            timeline,
            reverse("letters:timeline"),
        ),
        ListEndpoint(
            reverse("sanctuary_lists:list"),
            "Published sanctuary lists (one row per list)",
            get_export("published_lists"),
            [],
            "?format=json",
            PublishedListIndexForm(),
            reverse("sanctuary_lists:list"),
        ),
        ListEndpoint(
            reverse("sanctuary_lists:detail", args=[a_list]) if a_list else "/lists/<slug>/",
            "A published list's entries (the lists themselves are at /lists/)",
            get_export("list_entries"),
            parameters(entries),
            "?state=CA&format=csv",
            entries,
            reverse("sanctuary_lists:list") + "<slug>/",
        ),
    ]


SEARCH_PATH = "/search/"
SEARCH_KINDS = KINDS
SEARCH_DESCRIPTION = (
    "Full-text search over letters (addressee, notes, text), responses, events and jurisdictions, "
    f"best first, at most {RESULTS_PER_KIND} hits of each kind."
)

# (path, what it is, its URL name: the key of its declared JSON in listing.schema.DETAILS)
DETAIL_ENDPOINTS = [
    (
        "/jurisdictions/<slug>/",
        "A jurisdiction: who runs its jails, and the answer for each letter it received",
        "jurisdictions:detail",
    ),
    (
        "/letters/<id>/",
        "A letter: its fields as in the letters export, its responses, its answer (matrix)",
        "letters:detail",
    ),
    (
        "/events/<id>/",
        "An event: date, kind, summary, the governments, programs and conditions it involves",
        "letters:event",
    ),
    ("/programs/<slug>/", "A program: its conditions and letter counts", "programs:detail"),
    (
        "/conditions/<code>/",
        "A condition: who controls it across the letters that demanded it",
        "programs:condition_detail",
    ),
]
