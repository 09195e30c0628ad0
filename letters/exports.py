"""Stable export columns for letters; documented on /about/data/.

CSV has one row per demanded condition (a letter demanding three conditions gives three
rows); JSON has one record per letter with its conditions nested.
"""

from django.urls import reverse

CSV_HEADER = [
    "letter_id", "sent_on", "deadline", "status", "program", "batch", "recipient", "recipient_slug",
    "recipient_kind", "state", "addressee", "sender_name", "sender_title", "condition", "control",
    "controllers", "sources", "url",
]  # fmt: skip


def demand_record(demand):
    return {
        "condition": demand.condition.code,
        "control": demand.control,
        "controllers": [{"name": j.name, "slug": j.slug} for j in demand.controllers()],
    }


def letter_record(letter, request):
    return {
        "letter_id": letter.pk,
        "sent_on": letter.sent_on,
        "deadline": letter.deadline,
        "status": letter.status,
        "program": letter.program.short_name,
        "batch": letter.batch.code if letter.batch else "",
        "recipient": letter.recipient.name,
        "recipient_slug": letter.recipient.slug,
        "recipient_kind": letter.recipient.kind,
        "state": letter.recipient.state,
        "addressee": letter.addressee,
        "sender_name": letter.sender_name,
        "sender_title": letter.sender_title,
        "conditions": [demand_record(d) for d in letter.demands.all()],
        "sources": [s.url for s in letter.sources.all()],
        "url": request.build_absolute_uri(letter.get_absolute_url()),
    }


def letter_csv_rows(letter, request):
    record = letter_record(letter, request)
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
