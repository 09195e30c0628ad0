"""The jurisdiction export, declared once (list CSV/JSON, detail JSON, about page)."""

from itertools import batched

from letters.models import EventKind
from listing import schema as js
from listing.exports import Column, Export, coded, label, register
from listing.links import absolute_url
from sanctuary_lists.models import DisputeKind
from sanctuary_lists.selectors import list_slugs_naming
from sources.models import Sourcing

from .control import ControlStatus, attach_jail_control
from .models import BookingStage, FacilityType, JurisdictionKind
from .states import Circuit, State

EXPORT_CHUNK = 2000


def jurisdiction_record(jurisdiction, request, named_on=()):
    """Needs `with_jail_control()`, `with_letter_counts()` and `attach_jail_control`;
    `named_on` is the slugs of the published lists naming it."""
    return {
        "slug": jurisdiction.slug,
        "name": jurisdiction.name,
        "kind": jurisdiction.kind,
        "kind_label": jurisdiction.get_kind_display(),
        "state": jurisdiction.state,
        "state_label": jurisdiction.get_state_display(),
        "parent": jurisdiction.parent.name if jurisdiction.parent else "",
        "federal_circuit": jurisdiction.circuit,
        "federal_circuit_label": label(Circuit, jurisdiction.circuit),
        "jail_control": jurisdiction.jail.status,
        "jail_control_label": jurisdiction.jail.label,
        "jail_operators": [{"name": o.name, "slug": o.slug} for o in jurisdiction.jail.operators],
        "jail_control_sentence": jurisdiction.jail.sentence,
        "letters_received": jurisdiction.letter_count,
        "named_on": list(named_on),
        "url": absolute_url(jurisdiction.get_absolute_url()),
    }


def jurisdiction_records(jurisdictions, request):
    for chunk in batched(jurisdictions.iterator(chunk_size=EXPORT_CHUNK), EXPORT_CHUNK):
        named = list_slugs_naming(jurisdiction_ids=[jurisdiction.pk for jurisdiction in chunk])
        for jurisdiction in attach_jail_control(chunk):
            yield jurisdiction_record(jurisdiction, request, named.get(jurisdiction.pk, ()))


def flat_jurisdiction_row(record):
    operators = "; ".join(f"{o['name']} ({o['slug']})" for o in record["jail_operators"])
    return [{**record, "jail_operators": operators, "named_on": " ".join(record["named_on"])}]


JURISDICTIONS = register(
    Export(
        name="jurisdictions",
        title="Jurisdictions",
        columns=(
            Column("slug", "Its address on this site."),
            Column("name", "Name as in the research data."),
            *coded("kind", "What kind of government it is.", JurisdictionKind),
            *coded("state", "Its state, as a USPS code.", State),
            Column("parent", "The county or state it sits in (general knowledge)."),
            *coded("federal_circuit", "Its federal circuit (28 U.S.C. § 41; general knowledge).", Circuit),
            *coded("jail_control", "Does it run the jails holding its arrestees, today.", ControlStatus),
            Column("jail_operators", "Who runs those jails, as Name (slug); separated.", json=js.array(js.OPERATOR)),
            Column("jail_control_sentence", "The same answer in plain words."),
            Column("letters_received", "How many letters it received.", type="integer"),
            Column(
                "named_on",
                "Slugs of the published sanctuary lists that name it (CSV: space-separated).",
                json=js.array(js.STRING),
            ),
            Column("url", "Its page on this site.", json=js.URI),
        ),
        records=jurisdiction_records,
        csv_rows=flat_jurisdiction_row,
    )
)


js.register_detail(
    "jurisdictions:detail",
    "jurisdiction",
    JURISDICTIONS.record_schema(
        bookings=js.described(
            js.array(
                js.record(
                    facility=js.STRING,
                    **js.coded("facility_type", FacilityType),
                    operator=js.OPERATOR,
                    operator_agency=js.STRING,
                    **js.coded("stage", BookingStage),
                    valid_from=js.MAYBE_DATE,
                    valid_to=js.MAYBE_DATE,
                    **js.coded("sourcing", Sourcing),
                    sources=js.SOURCES,
                )
            ),
            "Where its arrestees are booked and held, and who runs each facility, over time.",
        ),
        letters=js.described(js.array(js.ref("letters")), "Every letter it received, as in the letters export."),
        named_on=js.described(
            js.array(
                js.record(
                    list=js.STRING,
                    title=js.STRING,
                    publisher=js.STRING,
                    published_on=js.DATE,
                    withdrawn_on=js.MAYBE_DATE,
                    entries=js.array(
                        js.record(
                            section=js.STRING,
                            name_as_printed=js.STRING,
                            **js.coded("sourcing", Sourcing),
                            sources=js.SOURCES,
                        )
                    ),
                    disputes=js.array(
                        js.record(
                            date=js.MAYBE_DATE,
                            **js.coded("kind", DisputeKind),
                            who=js.STRING,
                            statement=js.STRING,
                            sources=js.SOURCES,
                        )
                    ),
                )
            ),
            "The published sanctuary lists that name it, with its entries on each and its disputes.",
        ),
        events=js.described(
            js.array(
                js.record(
                    date=js.MAYBE_DATE,
                    **js.coded("kind", EventKind),
                    title=js.STRING,
                    summary=js.STRING,
                    sources=js.SOURCES,
                )
            ),
            "The first events involving it, oldest first.",
        ),
    ),
)
