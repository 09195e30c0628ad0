"""Aggregate reads for the home page: each figure is counted in SQL by the FilterSet of
the list it links to, never by Python arithmetic."""

from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils.http import urlencode

from compliance.filters import MatrixFilter
from jurisdictions.filters import JurisdictionFilter
from jurisdictions.models import Jurisdiction
from letters.filters import LetterFilter
from letters.models import Event, Letter


@dataclass(frozen=True)
class Figure:
    count: int
    text: str
    url: str


# (list page, its parameters, the FilterSet it uses, the base queryset, what the count means)
FIGURES = [
    ("letters:list", {}, LetterFilter, Letter.objects.for_list, "letters sent"),
    (
        "jurisdictions:list",
        {"targeted": "true"},
        JurisdictionFilter,
        Jurisdiction.objects.for_list,
        "jurisdictions received at least one letter",
    ),
    (
        "letters:list",
        {"control": "does_not_control"},
        LetterFilter,
        Letter.objects.for_list,
        "letters asked a government that did not run the jail to meet a jail condition",
    ),
    (
        "compliance:matrix",
        {"jail_conditions": "true", "law": "restricts"},
        MatrixFilter,
        Letter.objects.all,
        "letters demanded a jail condition that state law or the recipient's own policies restricted "
        "on the letter's date",
    ),
    (
        "compliance:matrix",
        {"jail_conditions": "true", "courts": "covered"},
        MatrixFilter,
        Letter.objects.all,
        "letters demanded a jail condition a court order already covered the recipient for on the letter's date",
    ),
    ("letters:list", {"status": "responded"}, LetterFilter, Letter.objects.for_list, "letters were answered"),
    (
        "letters:list",
        {"status": "cleared"},
        LetterFilter,
        Letter.objects.for_list,
        "letters ended with DOJ clearing the recipient",
    ),
    (
        "letters:list",
        {"status": "deadline_passed"},
        LetterFilter,
        Letter.objects.for_list,
        "letters have no response on record though the deadline passed",
    ),
]


def headline_figures():
    """Each figure is the count of the filtered list it links to, through that list's
    own FilterSet, so the two cannot disagree."""
    figures = []
    for view, params, filterset_class, base, text in FIGURES:
        count = filterset_class(params, queryset=base()).qs.count()
        figures.append(Figure(count, text, reverse(view) + ("?" + urlencode(params) if params else "")))
    return figures


def latest_events(*, limit=5):
    return Event.objects.order_by("-occurred_on", "-pk").for_list()[:limit]


def letters_by_month():
    """(month, program short name, letters) rows, oldest first; undated letters are left out."""
    return list(
        Letter.objects.exclude(sent_on=None)
        .annotate(month=TruncMonth("sent_on"))
        .values_list("month", "program__short_name")
        .annotate(letters=Count("pk"))
        .order_by("month", "program__short_name")
    )


def targeted_jurisdictions():
    """Every letter recipient with how far it runs the jails holding its arrestees."""
    return list(
        Jurisdiction.objects.targeted()
        .with_jail_control()
        .values("name", "slug", "state", "jail_control")
        .order_by("state", "name")
    )
