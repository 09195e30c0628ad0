"""The letter and timeline exports, declared once: the list pages' CSV/JSON, the
letter and jurisdiction JSON and the about page all read these."""

from collections import defaultdict
from itertools import batched

from django.urls import reverse

from jurisdictions.control import JailControl, bookings_for
from jurisdictions.models import Jurisdiction
from listing.exports import Column, Export, register
from listing.links import absolute_url

from .models import Demand, Letter, control_day
from .selectors import with_source_urls

EXPORT_CHUNK = 2000
LETTER_FIELDS = {
    "letter_id": "pk",
    "sent_on": "sent_on",
    "deadline": "deadline",
    "status": "status",
    "program": "program__short_name",
    "batch": "batch__code",
    "recipient": "recipient__name",
    "recipient_slug": "recipient__slug",
    "recipient_kind": "recipient__kind",
    "state": "recipient__state",
    "addressee": "addressee",
    "sender_name": "sender_name",
    "sender_title": "sender_title",
}


def url_maker(viewname, **kwargs):
    """reverse() per row costs a second over 50,000 letters; every URL has this shape."""
    template = absolute_url(reverse(viewname, kwargs=dict.fromkeys(kwargs, 999999999)))
    return lambda pk: template.replace("999999999", str(pk))


def letter_records(letters, request):
    """One dict per letter, with each demanded condition, how far the recipient
    controls it on the letter's date and who does (`jurisdictions.control`), and its
    sources, in the queryset's order.

    Reads plain values in chunks (six queries per chunk: letters, demands, sources,
    recipients, bookings and their sources) rather than model objects, so
    exporting tens of thousands of letters streams in seconds with flat memory.
    """
    ids = letters.prefetch_related(None).values_list("pk", flat=True).iterator(chunk_size=EXPORT_CHUNK)
    letter_url = url_maker("letters:detail", pk=0)
    for chunk in batched(ids, EXPORT_CHUNK):
        rows = {
            row["pk"]: row
            for row in Letter.objects.filter(pk__in=chunk).with_status().values("recipient_id", *LETTER_FIELDS.values())
        }
        demands = defaultdict(list)
        for demand in Demand.objects.with_control().filter(letter_id__in=chunk).select_related("condition"):
            demands[demand.letter_id].append(demand)
        sources = defaultdict(list)
        for letter_id, url in Letter.sources.through.objects.filter(letter_id__in=chunk).values_list(
            "letter_id", "source__url"
        ):
            sources[letter_id].append(url)
        recipient_ids = {row["recipient_id"] for row in rows.values()}
        recipients = Jurisdiction.objects.in_bulk(recipient_ids)
        bookings = bookings_for(recipient_ids)
        for pk in chunk:
            row = rows[pk]
            record = {column: row[field] for column, field in LETTER_FIELDS.items()}
            record["batch"] = record["batch"] or ""
            recipient = recipients[row["recipient_id"]]
            day = control_day(row["sent_on"], row["deadline"])
            record["conditions"] = []
            for demand in sorted(demands[pk], key=lambda d: d.condition.code):
                answer = JailControl.for_condition(
                    recipient, demand.condition.depends_on_jail, demand.control, bookings[recipient.pk], day
                )
                record["conditions"].append(
                    {
                        "condition": demand.condition.code,
                        "control": demand.control,
                        "controllers": [{"name": o.name, "slug": o.slug} for o in answer.operators],
                        "control_sentence": answer.sentence,
                    }
                )
            record["sources"] = sources[pk]
            record["url"] = letter_url(pk)
            yield record


def letter_csv_rows(record):
    record = dict(record)
    conditions = record.pop("conditions") or [
        {"condition": "", "control": "", "controllers": [], "control_sentence": ""}
    ]
    record["sources"] = " ".join(record["sources"])
    for condition in conditions:
        yield {
            **record,
            **condition,
            "controllers": "; ".join(f"{c['name']} ({c['slug']})" for c in condition["controllers"]),
        }


LETTERS = register(
    Export(
        name="letters",
        title="Letters",
        columns=(
            Column("letter_id", "The letter's number on this site."),
            Column("sent_on", "Date sent (YYYY-MM-DD); empty when no source gives it."),
            Column("deadline", "Response deadline."),
            Column("status", "open, deadline_passed (no response found by then) or responded, from its own responses."),
            Column("program", "Program short name."),
            Column("batch", "Code of the batch it was sent with."),
            Column("recipient", "The jurisdiction it was sent to."),
            Column("recipient_slug", "That jurisdiction's address on this site."),
            Column("recipient_kind", "state, county, city, consolidated or intergovernmental."),
            Column("state", "USPS code."),
            Column("addressee", "The agency or official it was addressed to."),
            Column("sender_name", "Who signed it."),
            Column("sender_title", "The signer's title."),
            Column("condition", "One demanded condition (CSV: one row per condition)."),
            Column("control", "controls, shares, does_not_control or unknown, on the letter's date."),
            Column("controllers", "Who runs what the condition depends on, as Name (slug); separated."),
            Column("control_sentence", "The same answer in plain words, as the pages show it."),
            Column("sources", "Source URLs, space-separated."),
            Column("url", "The letter's page."),
        ),
        records=letter_records,
        csv_rows=letter_csv_rows,
        note="CSV has one row per demanded condition; JSON nests the conditions under each letter.",
    )
)


def timeline_records(entries, request):
    letter_url = url_maker("letters:detail", pk=0)
    event_url = url_maker("letters:event", pk=0)
    for chunk in batched(entries, EXPORT_CHUNK):
        for entry in with_source_urls(chunk):
            is_letter = entry["item_type"] == "letter"
            yield {
                "date": entry["entry_date"],
                "kind": entry["entry_kind"],
                "title": entry["entry_title"],
                "summary": entry["entry_summary"],
                "url": letter_url(entry["item_id"]) if is_letter else event_url(entry["item_id"]),
                "source_url": entry["source_url"] or "",
            }


TIMELINE = register(
    Export(
        name="timeline",
        title="Timeline",
        columns=(
            Column("date", "When it happened."),
            Column("kind", "letter, letter_response, or an event kind (court_ruling, policy_change, …)."),
            Column("title", "Short title."),
            Column("summary", "What happened."),
            Column("url", "Its page on this site."),
            Column("source_url", "Its first source."),
        ),
        records=timeline_records,
    )
)
