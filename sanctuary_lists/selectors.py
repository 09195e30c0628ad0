"""Reads other pages share: which lists name a jurisdiction, and what changed between two
lists. Keyword-only, a fixed number of queries however many rows."""

from collections import defaultdict
from dataclasses import dataclass, field

from .models import ListDispute, ListEntry


@dataclass
class Naming:
    """One list that named a jurisdiction: its entries (usually one section) and the
    jurisdiction's disputes of it."""

    published_list: object
    entries: list = field(default_factory=list)
    disputes: list = field(default_factory=list)

    @property
    def sections(self):
        return [entry.section for entry in self.entries if entry.section]


def lists_naming(*, jurisdiction):
    """Every list that named `jurisdiction` or that it disputed, oldest first (4 queries)."""
    namings = {}
    for entry in ListEntry.objects.naming(jurisdiction):
        namings.setdefault(entry.published_list_id, Naming(entry.published_list)).entries.append(entry)
    disputes = (
        ListDispute.objects.filter(jurisdiction=jurisdiction)
        .select_related("published_list")
        .prefetch_related("sources")
    )
    for dispute in disputes:
        namings.setdefault(dispute.published_list_id, Naming(dispute.published_list)).disputes.append(dispute)
    return sorted(namings.values(), key=lambda n: (n.published_list.published_on, n.published_list.title))


def list_slugs_naming(*, jurisdiction_ids):
    """{jurisdiction id: [list slug, …]} for an export chunk (one query)."""
    named = defaultdict(list)
    rows = (
        ListEntry.objects.filter(jurisdiction_id__in=jurisdiction_ids)
        .order_by("published_list__published_on", "published_list__slug")
        .values_list("jurisdiction_id", "published_list__slug")
        .distinct()
    )
    for jurisdiction_id, slug in rows:
        if slug not in named[jurisdiction_id]:
            named[jurisdiction_id].append(slug)
    return named


@dataclass
class ListDiff:
    added: list  # entries of b whose jurisdiction a does not name
    removed: list  # entries of a whose jurisdiction b does not name
    renamed: list  # (entry in a, entry in b): same jurisdiction, printed name or section changed
    unchanged: int


def compare_lists(*, a, b):
    """What changed from list `a` to list `b`, matched by jurisdiction (2 queries)."""

    def entries(published_list):
        by_jurisdiction = {}
        for entry in (
            ListEntry.objects.filter(published_list=published_list)
            .select_related("jurisdiction")
            .order_by("section", "name_as_printed", "pk")
        ):
            by_jurisdiction.setdefault(entry.jurisdiction_id, entry)
        return by_jurisdiction

    before, after = entries(a), entries(b)
    renamed = [
        (before[pk], after[pk])
        for pk in before.keys() & after.keys()
        if (before[pk].name_as_printed, before[pk].section) != (after[pk].name_as_printed, after[pk].section)
    ]
    return ListDiff(
        added=[entry for pk, entry in after.items() if pk not in before],
        removed=[entry for pk, entry in before.items() if pk not in after],
        renamed=sorted(renamed, key=lambda pair: pair[1].name_as_printed),
        unchanged=len(before.keys() & after.keys()) - len(renamed),
    )
