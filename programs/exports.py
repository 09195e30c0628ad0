"""What the program and condition pages' JSON holds, declared beside them for the
OpenAPI document (they are records, not lists, so they have no list export)."""

from jurisdictions.control import ControlStatus
from listing import schema as js

from .models import ControlLocus, ProgramKind, Requirement

js.register_detail(
    "programs:detail",
    "program",
    js.record(
        slug=js.STRING,
        name=js.STRING,
        short_name=js.STRING,
        **js.coded("kind", ProgramKind),
        administering_office=js.STRING,
        funding_note=js.STRING,
        description=js.STRING,
        conditions=js.array(
            js.record(
                **js.coded("condition"),
                **js.coded("requirement", Requirement),
                effective=js.described(js.STRING, "Fiscal year or year, e.g. FY2017."),
                announced_on=js.MAYBE_DATE,
                sources=js.SOURCES,
            )
        ),
        letter_count=js.INTEGER,
        sources=js.SOURCES,
    ),
)
js.register_detail(
    "programs:condition_detail",
    "condition",
    js.record(
        code=js.STRING,
        name=js.STRING,
        legal_basis=js.STRING,
        **js.coded("control_locus", ControlLocus),
        description=js.STRING,
        demands={
            "type": "object",
            "properties": {"total": js.INTEGER, **dict.fromkeys(ControlStatus.values, js.INTEGER)},
            "additionalProperties": False,
            "description": "Demands of it in letters: in all (total), and by whether the recipient controls it "
            "on the letter's date (one count per control code); empty when no letter demanded it.",
        },
        letter_count=js.INTEGER,
        sources=js.SOURCES,
    ),
)
