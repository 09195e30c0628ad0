"""The list-entry export, declared once (a list page's CSV/JSON, the about page)."""

from itertools import batched

from jurisdictions.models import JurisdictionKind
from jurisdictions.states import State
from listing import schema as js
from listing.exports import Column, Export, coded, register
from listing.links import absolute_url
from sources.models import Sourcing

from .models import ListDispute

EXPORT_CHUNK = 2000


def entry_records(entries, request):
    """One dict per entry, in the page's order; disputes are read per chunk (one query)."""
    for chunk in batched(entries, EXPORT_CHUNK):
        disputed = {
            (list_id, jurisdiction_id)
            for list_id, jurisdiction_id in ListDispute.objects.filter(
                jurisdiction_id__in=[entry.jurisdiction_id for entry in chunk]
            ).values_list("published_list_id", "jurisdiction_id")
        }
        for entry in chunk:
            published, jurisdiction = entry.published_list, entry.jurisdiction
            yield {
                "list": published.slug,
                "list_title": published.title,
                "publisher": published.publisher,
                "published_on": published.published_on,
                "withdrawn_on": published.withdrawn_on,
                "section": entry.section,
                "name_as_printed": entry.name_as_printed,
                "jurisdiction": jurisdiction.slug,
                "jurisdiction_name": jurisdiction.name,
                "kind": jurisdiction.kind,
                "kind_label": jurisdiction.get_kind_display(),
                "state": jurisdiction.state,
                "state_label": jurisdiction.get_state_display(),
                "disputed": (published.pk, jurisdiction.pk) in disputed,
                "sourcing": entry.sourcing,
                "sourcing_label": entry.get_sourcing_display(),
                "sources": " ".join(source.url for source in entry.sources.all()),
                "notes": entry.notes,
                "url": absolute_url(jurisdiction.get_absolute_url()),
            }


LIST_ENTRIES = register(
    Export(
        name="list_entries",
        title="Published sanctuary list entries",
        columns=(
            Column("list", "The list's slug (its address on this site)."),
            Column("list_title", "The list's title."),
            Column("publisher", "The agency that published the list."),
            Column("published_on", "The day the list was published.", type="date"),
            Column("withdrawn_on", "The first day it was no longer published; empty if it still is.", type="date"),
            Column("section", "The list's own section or category for this entry, as printed."),
            Column("name_as_printed", "The name exactly as the list printed it."),
            Column("jurisdiction", "The slug of the jurisdiction we matched it to."),
            Column("jurisdiction_name", "That jurisdiction's name in our data."),
            *coded("kind", "What kind of government it is.", JurisdictionKind),
            *coded("state", "Its state, as a USPS code.", State),
            Column("disputed", "Whether the jurisdiction disputed this listing (see its page).", type="boolean"),
            *coded("sourcing", "How well the source backs the entry.", Sourcing),
            Column("sources", "Source URLs for the entry, space-separated."),
            Column("notes", "Research notes, e.g. how an inferred match was made."),
            Column("url", "The jurisdiction's page on this site.", json=js.URI),
        ),
        records=entry_records,
    )
)


def published_list_records(lists, request):
    for published in lists:
        yield {
            "list": published.slug,
            "title": published.title,
            "publisher": published.publisher,
            "published_on": published.published_on,
            "withdrawn_on": published.withdrawn_on,
            "superseded_by": published.superseded_by.slug if published.superseded_by else None,
            "entries": published.entry_count,
            "entries_complete": published.entries_complete,
            "sourcing": published.sourcing,
            "sourcing_label": published.get_sourcing_display(),
            "sources": " ".join(source.url for source in published.sources.all()),
            "url": absolute_url(published.get_absolute_url()),
        }


PUBLISHED_LISTS = register(
    Export(
        name="published_lists",
        title="Published sanctuary lists",
        columns=(
            Column("list", "The list's slug (its address on this site, and the `list` of its entries)."),
            Column("title", "The list's title."),
            Column("publisher", "The agency that published the list."),
            Column("published_on", "The day the list was published.", type="date"),
            Column("withdrawn_on", "The first day it was no longer published; empty if it still is.", type="date"),
            Column("superseded_by", "The slug of the list that replaced it; empty if none did."),
            Column("entries", "How many entries are on record for it here.", type="integer"),
            Column(
                "entries_complete",
                "Whether every entry the list printed is on record; when false, `entries` counts only the "
                "sourced entries recorded so far, not the list's length.",
                type="boolean",
            ),
            *coded("sourcing", "How well the sources back the record.", Sourcing),
            Column("sources", "Source URLs for the list, space-separated."),
            Column("url", "The list's page on this site.", json=js.URI),
        ),
        records=published_list_records,
    )
)
