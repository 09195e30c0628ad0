"""Stable export columns for letters; documented on /about/data/.

CSV has one row per demanded condition (a letter demanding three conditions gives three
rows); JSON has one record per letter with its conditions nested.
"""

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


EVENT_CSV_HEADER = ["event_id", "date", "kind", "title", "summary", "jurisdictions", "programs", "sources", "url"]


def event_record(event, request, flat=False):
    jurisdictions = [{"name": j.name, "slug": j.slug} for j in event.jurisdictions.all()]
    record = {
        "event_id": event.pk,
        "date": event.occurred_on,
        "kind": event.kind,
        "title": event.title,
        "summary": event.summary,
        "jurisdictions": jurisdictions,
        "programs": [p.short_name for p in event.programs.all()],
        "sources": [s.url for s in event.sources.all()],
        "url": request.build_absolute_uri(event.get_absolute_url()),
    }
    if flat:
        record["jurisdictions"] = "; ".join(f"{j['name']} ({j['slug']})" for j in jurisdictions)
        record["programs"] = "; ".join(record["programs"])
        record["sources"] = " ".join(record["sources"])
    return record
