"""Load the curated CSV files in seed/data/ into the database.

The files are a copy of the research team's dataset (see seed/data/README.md for every
column). Loading is idempotent: each row is matched on its natural key and only
written when something differs. Any malformed row raises SeedError naming the file,
line and reason; the caller runs everything in one transaction, so nothing is kept.
"""

import csv
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError

from jurisdictions.models import Booking, Facility, Jurisdiction
from jurisdictions.states import STATES, circuit_of
from letters.models import Batch, Demand, Event, Letter
from programs.models import Condition, Program, ProgramCondition
from sources.models import Source, Sourcing

DATA_DIR = Path(__file__).resolve().parent / "data"

# Load order matters: later files refer to rows of earlier ones.
FILES = [
    "jurisdictions.csv",
    "jurisdictions_added.csv",
    "facilities.csv",
    "bookings.csv",
    "programs.csv",
    "conditions.csv",
    "program_conditions.csv",
    "letters.csv",
    "events.csv",
]

KINDS = {
    "state": Jurisdiction.Kind.STATE,
    "county": Jurisdiction.Kind.COUNTY,
    "city": Jurisdiction.Kind.CITY,
    "consolidated city-county": Jurisdiction.Kind.CONSOLIDATED,
}
SOURCING = {
    "sourced": Sourcing.SOURCED,
    "sourced (partly)": Sourcing.PARTLY,
    "general knowledge": Sourcing.UNVERIFIED,
}
PROGRAM_KINDS = {
    "grant": Program.Kind.GRANT,
    "technical assistance": Program.Kind.TECHNICAL_ASSISTANCE,
}
REQUIREMENTS = {label.lower(): value for value, label in ProgramCondition.Requirement.choices}
# seed/data/README.md: jail access, release notice and detainers "can only be met by
# whoever runs the jail"; 1373 and document production fall on the recipient itself.
CONTROL_LOCUS = {
    "jail_access": Condition.ControlLocus.JAIL_OPERATOR,
    "release_notice_48h": Condition.ControlLocus.JAIL_OPERATOR,
    "detainer_48h": Condition.ControlLocus.JAIL_OPERATOR,
    "section_1373_compliance": Condition.ControlLocus.OWN_POLICY,
    "documents_production": Condition.ControlLocus.OWN_POLICY,
}
# events.csv spells one jurisdiction differently from jurisdictions.csv.
JURISDICTION_ALIASES = {"County of Santa Clara": "Santa Clara County"}
OFFICES = ["Bureau of Justice Assistance", "Office of Justice Programs"]


class SeedError(Exception):
    def __init__(self, filename, line, reason):
        super().__init__(f"{filename}, line {line}: {reason}")
        self.filename, self.line, self.reason = filename, line, reason


class RowError(Exception):
    """A problem in the row being read; the reader adds file and line."""


@dataclass
class LoadReport:
    rows: dict = field(default_factory=dict)
    written: int = 0


def read_rows(path):
    """Yield (line number where the row starts, row dict)."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        start = 2
        for row in reader:
            if None in row or any(value is None for value in row.values()):
                raise SeedError(path.name, start, "wrong number of columns")
            yield start, {key: value.strip() for key, value in row.items()}
            start = reader.line_num + 1


def parse_date(value, column, required=False):
    if not value:
        if required:
            raise RowError(f"{column} is empty")
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise RowError(f"{column} {value!r} is not a YYYY-MM-DD date") from None


def choose(mapping, value, column):
    try:
        return mapping[value.lower()]
    except KeyError:
        raise RowError(f"{column} {value!r} is not one of: {', '.join(mapping)}") from None


class SeedLoader:
    def __init__(self, data_dir=DATA_DIR):
        self.data_dir = Path(data_dir)
        self.report = LoadReport()
        self.sources = {}
        self.parents = []

    def load(self):
        for filename in FILES:
            loader = getattr(self, "load_" + filename.removesuffix(".csv"))
            count = 0
            for line, row in read_rows(self.data_dir / filename):
                try:
                    loader(row)
                except RowError as error:
                    raise SeedError(filename, line, str(error)) from None
                except ValidationError as error:
                    raise SeedError(filename, line, "; ".join(error.messages)) from None
                count += 1
            self.report.rows[filename] = count
        self.link_parents()
        return self.report

    # -- helpers -------------------------------------------------------------

    def upsert(self, model, key, values, sources=()):
        obj = model.objects.filter(**key).first()
        if obj is None:
            obj = model(**key)
        changed = obj.pk is None or any(getattr(obj, name) != value for name, value in values.items())
        for name, value in values.items():
            setattr(obj, name, value)
        if changed:
            obj.full_clean()
            obj.save()
            self.report.written += 1
        if sources:
            wanted = {source.pk for source in sources}
            if set(obj.sources.values_list("pk", flat=True)) != wanted:
                obj.sources.set(wanted)
        return obj

    def source(self, url):
        if not url:
            raise RowError("source_url is empty")
        if url not in self.sources:
            found = Source.objects.filter(url=url).first()
            if found is None:
                found = Source(url=url)
                found.full_clean()
                found.save()
            self.sources[url] = found
        return self.sources[url]

    def jurisdiction(self, name, state=None):
        name = JURISDICTION_ALIASES.get(name, name)
        matches = Jurisdiction.objects.filter(name=name)
        if state:
            matches = matches.filter(state=state)
        found = list(matches[:2])
        if len(found) != 1:
            where = f" in {state}" if state else ""
            problem = "is not in jurisdictions.csv" if not found else "is ambiguous without a state"
            raise RowError(f"jurisdiction {name!r}{where} {problem}")
        return found[0]

    def program(self, label):
        """Match a program by short name, name, or the end of its name
        ("Public Safety Partnership" is the National Public Safety Partnership)."""
        label = re.sub(r"\s*\(.*\)$", "", label)
        for program in Program.objects.all():
            if label in (program.short_name, program.name) or program.name.endswith(label):
                return program
        raise RowError(f"program {label!r} is not in programs.csv")

    # -- one method per file ---------------------------------------------------

    def load_jurisdictions(self, row):
        state = row["state"]
        if state not in STATES:
            raise RowError(f"state {state!r} is not a USPS state or territory code")
        if row["federal_circuit"] != circuit_of(state):
            raise RowError(
                f"federal_circuit {row['federal_circuit']!r} disagrees with {state}'s circuit {circuit_of(state)!r}"
            )
        values = {
            "kind": choose(KINDS, row["kind"], "kind"),
            "notes": row["notes"],
            "fips": STATES[state][1] if row["kind"] == "state" else "",
            "slug": Jurisdiction.make_slug(row["name"], state),
        }
        self.upsert(Jurisdiction, {"name": row["name"], "state": state}, values)
        self.parents.append((row["name"], state, row["parent_name"]))

    load_jurisdictions_added = load_jurisdictions

    def link_parents(self):
        for name, state, parent_name in self.parents:
            child = Jurisdiction.objects.get(name=name, state=state)
            parent = Jurisdiction.objects.get(name=parent_name, state=state) if parent_name else None
            if child.parent_id != (parent.pk if parent else None):
                child.parent = parent
                child.save(update_fields=["parent"])

    def load_facilities(self, row):
        values = {
            "state": row["state"],
            "facility_type": row["facility_type"],
            "operator": self.jurisdiction(row["operator_name"], row["state"]),
            "operator_agency": row["operator_agency"],
            "sourcing": choose(SOURCING, row["source_type"], "source_type"),
            "notes": row["notes"],
        }
        self.upsert(Facility, {"name": row["facility_name"]}, values, [self.source(row["source_url"])])

    def load_bookings(self, row):
        facility = Facility.objects.filter(name=row["facility_name"]).first()
        if facility is None:
            raise RowError(f"facility {row['facility_name']!r} is not in facilities.csv")
        key = {
            "jurisdiction": self.jurisdiction(row["jurisdiction_name"], row["state"]),
            "facility": facility,
        }
        values = {
            "stage": row["stage"],
            "sourcing": choose(SOURCING, row["source_type"], "source_type"),
            "notes": row["notes"],
        }
        self.upsert(Booking, key, values, [self.source(row["source_url"])])

    def load_programs(self, row):
        values = {
            "name": row["name"],
            "slug": re.sub(r"[^a-z0-9]+", "-", row["short_name"].lower()).strip("-"),
            "administering_office": row["administering_office"],
            "kind": choose(PROGRAM_KINDS, row["kind"], "kind"),
            "funding_note": row["funding_note"],
            "description": row["description"],
            "notes": row["notes"],
        }
        self.upsert(Program, {"short_name": row["short_name"]}, values, [self.source(row["source_url"])])

    def load_conditions(self, row):
        values = {
            "name": row["name"],
            "legal_basis": row["legal_basis"],
            "who_controls": row["who_controls"],
            "description": row["description"],
            "control_locus": choose(CONTROL_LOCUS, row["code"], "code"),
            "notes": row["notes"],
        }
        self.upsert(Condition, {"code": row["code"]}, values, [self.source(row["source_url"])])

    def condition(self, code):
        found = Condition.objects.filter(code=code).first()
        if found is None:
            raise RowError(f"condition {code!r} is not in conditions.csv")
        return found

    def load_program_conditions(self, row):
        key = {
            "program": self.program(row["program_short_name"]),
            "condition": self.condition(row["condition_code"]),
            "requirement": choose(REQUIREMENTS, row["requirement"], "requirement"),
            "effective": row["effective"],
        }
        values = {"announced_on": parse_date(row["announced_on"], "announced_on"), "notes": row["notes"]}
        self.upsert(ProgramCondition, key, values, [self.source(row["source_url"])])

    def batch(self, code, notes):
        sent, _, topic = code.removeprefix("B").partition("_")
        label = f"{sent} · {topic.replace('_', ' ')}"
        return self.upsert(Batch, {"code": code}, {"label": label, "is_partial": "PARTIAL BATCH" in notes})

    def load_letters(self, row):
        if not row["conditions"]:
            raise RowError("conditions is empty")
        recipient = self.jurisdiction(row["jurisdiction_name"], row["state"])
        if KINDS.get(row["jurisdiction_kind"]) != recipient.kind:
            raise RowError(f"jurisdiction_kind {row['jurisdiction_kind']!r} disagrees with jurisdictions.csv")
        program_label = row["program"]
        context = re.search(r"\((.*)\)$", program_label)
        title = row["sender_title"]
        values = {
            "program": self.program(program_label),
            "program_context": context.group(1) if context else "",
            "sender_name": row["sender_name"],
            "sender_title": title,
            "sender_office": next((office for office in OFFICES if office in title), ""),
            "sent_on": parse_date(row["date_sent"], "date_sent"),
            "deadline": parse_date(row["response_deadline"], "response_deadline"),
            "addressee_confirmed": "not confirmed" not in (row["recipient_name"] + row["notes"]).lower(),
            "notes": row["notes"],
        }
        if row["source_url"].startswith("https://assets.documentcloud.org/"):
            values["document_url"] = row["source_url"]
        key = {
            "batch": self.batch(row["letter_batch_id"], row["notes"]),
            "recipient": recipient,
            "addressee": row["recipient_name"],
        }
        letter = self.upsert(Letter, key, values, [self.source(row["source_url"])])
        codes = [code.strip() for code in row["conditions"].split(";")]
        if len(set(codes)) != len(codes):
            raise RowError("conditions lists a condition twice")
        wanted = {self.condition(code).pk for code in codes}
        have = set(letter.demands.values_list("condition_id", flat=True))
        letter.demands.exclude(condition_id__in=wanted).delete()
        Demand.objects.bulk_create([Demand(letter=letter, condition_id=pk) for pk in wanted - have])

    def load_events(self, row):
        key = {"occurred_on": parse_date(row["date"], "date", required=True), "title": row["title"]}
        values = {"kind": row["kind"], "summary": row["summary"], "notes": row["notes"]}
        event = self.upsert(Event, key, values, [self.source(row["source_url"])])
        names = [name.strip() for name in row["jurisdiction_name"].split(";") if name.strip()]
        jurisdictions = {self.jurisdiction(name).pk for name in names}
        if set(event.jurisdictions.values_list("pk", flat=True)) != jurisdictions:
            event.jurisdictions.set(jurisdictions)
        programs = {self.program(row["program"]).pk} if row["program"] else set()
        if set(event.programs.values_list("pk", flat=True)) != programs:
            event.programs.set(programs)
