"""Stable export columns for jurisdictions; documented on /about/data/."""

from letters.exports import letter_records

from .models import ControlStatus

CSV_HEADER = [
    "slug", "name", "kind", "state", "parent", "federal_circuit", "jail_control", "jail_operators",
    "letters_received", "url",
]  # fmt: skip


def operators(jurisdiction):
    return [{"name": j.name, "slug": j.slug} for j in jurisdiction.jail_operators()]


def jurisdiction_record(jurisdiction, request):
    return {
        "slug": jurisdiction.slug,
        "name": jurisdiction.name,
        "kind": jurisdiction.kind,
        "state": jurisdiction.state,
        "parent": jurisdiction.parent.name if jurisdiction.parent else "",
        "federal_circuit": jurisdiction.circuit,
        "jail_control": jurisdiction.jail_control,
        "jail_operators": operators(jurisdiction),
        "letters_received": jurisdiction.letter_count,
        "url": request.build_absolute_uri(jurisdiction.get_absolute_url()),
    }


def flat_jurisdiction_row(record):
    return {**record, "jail_operators": "; ".join(f"{o['name']} ({o['slug']})" for o in record["jail_operators"])}


def jurisdiction_detail_record(jurisdiction, letters, events, request):
    record = jurisdiction_record(jurisdiction, request)
    record["jail_control_label"] = ControlStatus(jurisdiction.jail_control).label
    record["bookings"] = [
        {
            "facility": b.facility.name,
            "facility_type": b.facility.facility_type,
            "operator": {"name": b.facility.operator.name, "slug": b.facility.operator.slug},
            "operator_agency": b.facility.operator_agency,
            "stage": b.stage,
            "sourcing": b.sourcing,
            "sources": [s.url for s in b.sources.all()],
        }
        for b in jurisdiction.bookings.all()
    ]
    record["letters"] = list(letter_records(letters, request))
    record["events"] = [
        {"date": e.occurred_on, "kind": e.kind, "title": e.title, "summary": e.summary,
         "sources": [s.url for s in e.sources.all()]}
        for e in events
    ]  # fmt: skip
    return record
