"""Stable export columns for letters; documented on /about/data/.

CSV has one row per demanded condition (a letter demanding three conditions gives three
rows); JSON has one record per letter with its conditions nested.
"""

from collections import defaultdict
from itertools import batched

from django.urls import reverse

from jurisdictions.models import jail_operators_of
from programs.models import Condition

from .models import Demand, Letter

CSV_HEADER = [
    "letter_id", "sent_on", "deadline", "status", "program", "batch", "recipient", "recipient_slug",
    "recipient_kind", "state", "addressee", "sender_name", "sender_title", "condition", "control",
    "controllers", "sources", "url",
]  # fmt: skip


EXPORT_CHUNK = 2000
LETTER_FIELDS = {
    "letter_id": "pk", "sent_on": "sent_on", "deadline": "deadline", "status": "status",
    "program": "program__short_name", "batch": "batch__code", "recipient": "recipient__name",
    "recipient_slug": "recipient__slug", "recipient_kind": "recipient__kind", "state": "recipient__state",
    "addressee": "addressee", "sender_name": "sender_name", "sender_title": "sender_title",
    "recipient_id": "recipient_id",
}  # fmt: skip


def letter_records(letters, request):
    """One dict per letter, with its conditions, who controls each (the `with_control`
    rule) and its sources, in the queryset's order.

    Reads plain values in chunks (four queries per chunk) rather than model objects, so
    exporting tens of thousands of letters streams in seconds with flat memory.
    """
    ids = letters.prefetch_related(None).values_list("pk", flat=True).iterator(chunk_size=EXPORT_CHUNK)
    # reverse() per row costs a second over 50,000 letters; every detail URL has this shape.
    url_template = request.build_absolute_uri(reverse("letters:detail", kwargs={"pk": 999999999}))
    for chunk in batched(ids, EXPORT_CHUNK):
        rows = {
            row["pk"]: row for row in Letter.objects.filter(pk__in=chunk).with_status().values(*LETTER_FIELDS.values())
        }
        demands = defaultdict(list)
        for letter_id, code, control, locus in (
            Demand.objects.with_control()
            .filter(letter_id__in=chunk)
            .order_by("condition__code")
            .values_list("letter_id", "condition__code", "control", "condition__control_locus")
        ):
            demands[letter_id].append((code, control, locus))
        sources = defaultdict(list)
        for letter_id, url in Letter.sources.through.objects.filter(letter_id__in=chunk).values_list(
            "letter_id", "source__url"
        ):
            sources[letter_id].append(url)
        operators = jail_operators_of({row["recipient_id"] for row in rows.values()})
        for pk in chunk:
            row = rows[pk]
            record = {column: row[field] for column, field in LETTER_FIELDS.items() if column != "recipient_id"}
            record["batch"] = record["batch"] or ""
            own = [{"name": row["recipient__name"], "slug": row["recipient__slug"]}]
            record["conditions"] = [
                {
                    "condition": code,
                    "control": control,
                    "controllers": own
                    if locus == Condition.ControlLocus.OWN_POLICY
                    else operators[row["recipient_id"]],
                }
                for code, control, locus in demands[pk]
            ]
            record["sources"] = sources[pk]
            record["url"] = url_template.replace("999999999", str(pk))
            yield record


def letter_csv_rows(record):
    record = dict(record)
    conditions = record.pop("conditions") or [{"condition": "", "control": "", "controllers": []}]
    record["sources"] = " ".join(record["sources"])
    for condition in conditions:
        yield {
            **record,
            "condition": condition["condition"],
            "control": condition["control"],
            "controllers": "; ".join(f"{c['name']} ({c['slug']})" for c in condition["controllers"]),
        }


TIMELINE_CSV_HEADER = ["date", "kind", "title", "summary", "url", "source_url"]


def timeline_record(entry, request):
    path = reverse(f"letters:{'detail' if entry['item_type'] == 'letter' else 'timeline'}",
                   kwargs={"pk": entry["item_id"]} if entry["item_type"] == "letter" else None)  # fmt: skip
    if entry["item_type"] == "event":
        path += f"#event-{entry['item_id']}"
    return {
        "date": entry["entry_date"],
        "kind": entry["entry_kind"],
        "title": entry["entry_title"],
        "summary": entry["entry_summary"],
        "url": request.build_absolute_uri(path),
        "source_url": entry["source_url"] or "",
    }
