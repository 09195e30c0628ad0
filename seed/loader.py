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
from django.db.models import Q

from courts.models import CourtDecision
from jurisdictions.models import Booking, DatePrecision, Facility, Jurisdiction, LocalJailsOperator
from jurisdictions.states import STATES, Circuit, circuit_of
from laws.models import LegalMeasure
from letters.models import Batch, Demand, Event, Letter, Response
from programs.models import Award, Condition, Program, ProgramCondition, default_locus
from revisions.history import SEED_REASON
from sanctuary_lists.importing import apply_import, plan_import
from sanctuary_lists.models import ListDispute, PublishedList
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
    "responses.csv",
    "state_laws.csv",
    "local_policies.csv",
    "litigation.csv",
    "byrne_jag_awards.csv",
    # Added by Sanctuary Tracker (issue 16): the published lists, each list's entries in
    # the import format of sanctuary_lists.importing, and disputes of them.
    "sanctuary_lists.csv",
    "sanctuary_list_disputes.csv",
]

KINDS = {
    "state": Jurisdiction.Kind.STATE,
    "county": Jurisdiction.Kind.COUNTY,
    "city": Jurisdiction.Kind.CITY,
    "consolidated city-county": Jurisdiction.Kind.CONSOLIDATED,
    "intergovernmental agency": Jurisdiction.Kind.INTERGOVERNMENTAL,
}
LOCAL_JAILS = {value: value for value in LocalJailsOperator.values}
PRECISIONS = {value: value for value in DatePrecision.values}
STANCES = {value: value for value in Response.Stance.values}
# Each file's own list of kinds and effects (seed/data/README.md, "The legal layer").
STATE_LAW_KINDS = {
    "statute": LegalMeasure.Kind.STATUTE,
    "executive order": LegalMeasure.Kind.EXECUTIVE_ORDER,
    "attorney general directive": LegalMeasure.Kind.AG_DIRECTIVE,
    "court decision": LegalMeasure.Kind.COURT_DECISION,
    "regulation": LegalMeasure.Kind.REGULATION,
}
LOCAL_POLICY_KINDS = {
    "ordinance": LegalMeasure.Kind.ORDINANCE,
    "executive order": LegalMeasure.Kind.EXECUTIVE_ORDER,
    "resolution": LegalMeasure.Kind.RESOLUTION,
    "sheriff policy": LegalMeasure.Kind.SHERIFF_POLICY,
    "court decision": LegalMeasure.Kind.COURT_DECISION,
    "other": LegalMeasure.Kind.OTHER,
}
STATE_LAW_EFFECTS = {
    "restricts": LegalMeasure.Effect.RESTRICTS,
    "requires": LegalMeasure.Effect.REQUIRES,
    "forbids_restrictions": LegalMeasure.Effect.FORBIDS_RESTRICTIONS,
    "none found": LegalMeasure.Effect.NONE_FOUND,
}
LOCAL_POLICY_EFFECTS = {
    "restricts": LegalMeasure.Effect.RESTRICTS,
    "requires": LegalMeasure.Effect.REQUIRES,
    "none": LegalMeasure.Effect.NONE,
}
HOLDINGS = {value.replace("_", " "): value for value in CourtDecision.Holding.values}
BINDING_EFFECTS = {value.replace("_", " "): value for value in CourtDecision.BindingEffect.values}
# litigation.csv qualifies some binding effects in brackets; the base value is stored.
# "(no condition code)" marks executive-order orders and is implied by empty conditions.
BINDING_EFFECT_NOTES = {"no condition code", "leaves ruling below"}
CIRCUITS = {value.lower(): value for value in Circuit.values} | {"d.c.": "DC"}
ALL_FEDERAL_FUNDS = "all federal funds"
MEMBERS_OF = "members of "
# byrne_jag_awards.csv: national and per-batch aggregates, not jurisdictions.
AGGREGATE_NAMES = ("United States", "Group total")
WHOLE_DOLLARS = re.compile(r"\d+")
FISCAL_YEAR = re.compile(r"FY(\d{4})")
FISCAL_YEAR_RANGE = re.compile(r"FY\d{4}-FY\d{4}")
AWARD_PERIODS = ("unspecified", "multi-year")
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
# events.csv spells one jurisdiction differently from jurisdictions.csv.
JURISDICTION_ALIASES = {"County of Santa Clara": "Santa Clara County"}
OFFICES = ["Bureau of Justice Assistance", "Office of Justice Programs"]


# The research team marks an unconfirmed addressee inside the name ("Cook County,
# Illinois (addressee not confirmed)"); the site keeps that in addressee_confirmed and
# says it once, so the marker is taken out of the name.
CONFIRMATION_MARKER = re.compile(r"\s*\(addressee not confirmed\)|;\s*addressee not confirmed(?=\))", re.IGNORECASE)


def without_confirmation_marker(name):
    return CONFIRMATION_MARKER.sub("", name).strip()


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


def parse_amount(value, column):
    """Whole dollars, or None when the cell is empty (not stated, never 0)."""
    if not value:
        return None
    if not WHOLE_DOLLARS.fullmatch(value):
        raise RowError(f"{column} {value!r} is not a whole number of dollars")
    return int(value)


def parse_fiscal_year(value, column):
    match = FISCAL_YEAR.fullmatch(value)
    if not match:
        raise RowError(f"{column} {value!r} is not a fiscal year like FY2017")
    return int(match.group(1))


def parse_award_period(value):
    """(fiscal year, "") for `FY2017`; (None, the text) for the periods
    byrne_jag_awards.csv gives when there is no single year."""
    if FISCAL_YEAR.fullmatch(value):
        return parse_fiscal_year(value, "fiscal_year"), ""
    if value in AWARD_PERIODS or FISCAL_YEAR_RANGE.fullmatch(value):
        return None, value
    raise RowError(
        f"fiscal_year {value!r} is not FY2017, a range like FY2016-FY2017, or one of: {', '.join(AWARD_PERIODS)}"
    )


def split_list(value):
    return [item.strip() for item in value.split(";") if item.strip()]


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
        self.supersessions = []

    def load(self):
        for filename in FILES:
            loader = getattr(self, "load_" + filename.removesuffix(".csv"))
            count = 0
            for line, row in read_rows(self.data_dir / filename):
                self.line = line
                try:
                    loader(row)
                except RowError as error:
                    raise SeedError(filename, line, str(error)) from None
                except ValidationError as error:
                    raise SeedError(filename, line, "; ".join(error.messages)) from None
                except KeyError as error:
                    raise SeedError(filename, line, f"column {error} is missing") from None
                count += 1
            self.report.rows[filename] = count
        self.link_parents()
        self.link_supersessions()
        return self.report

    # -- helpers -------------------------------------------------------------

    def upsert(self, model, key, values, sources=None):
        """Match on `key`, write `values` only if one differs; `sources` (a list, possibly
        empty) replaces the record's sources if given."""
        obj = model.objects.filter(**key).first()
        if obj is None:
            obj = model(**key)
        changed = obj.pk is None or any(getattr(obj, name) != value for name, value in values.items())
        for name, value in values.items():
            setattr(obj, name, value)
        if changed:
            obj.full_clean()
            obj._change_reason = SEED_REASON  # the public change log says where it came from
            obj.save()
            self.report.written += 1
        if sources is not None:
            self.set_m2m(obj, "sources", {source.pk for source in sources})
        return obj

    def set_m2m(self, obj, name, wanted):
        related = getattr(obj, name)
        if set(related.values_list("pk", flat=True)) != set(wanted):
            related.set(wanted)
            self.report.written += 1

    def source(self, url):
        if not url:
            raise RowError("source_url is empty")
        if url not in self.sources:
            found = Source.objects.filter(url=url).first()
            if found is None:
                found = Source(url=url)
                found._change_reason = SEED_REASON
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
            **self.local_jails(row),
        }
        self.upsert(Jurisdiction, {"name": row["name"], "state": state}, values)
        self.parents.append((row["name"], state, row["parent_name"]))

    load_jurisdictions_added = load_jurisdictions

    def local_jails(self, row):
        """The local_jails_* columns (v2; jurisdictions_added.csv has none): all empty,
        or who runs the state's local jails with the page that says so."""
        operated_by = row.get("local_jails_operated_by", "")
        url = row.get("local_jails_source_url", "")
        source_type = row.get("local_jails_source_type", "")
        if not operated_by:
            if url or source_type:
                raise RowError("local_jails_source_url/_source_type given without local_jails_operated_by")
            return {"local_jails_operated_by": "", "local_jails_source": None, "local_jails_sourcing": ""}
        if not url:
            raise RowError("local_jails_source_url is empty")
        return {
            "local_jails_operated_by": choose(LOCAL_JAILS, operated_by, "local_jails_operated_by"),
            "local_jails_source": self.source(url),
            "local_jails_sourcing": choose(SOURCING, source_type, "local_jails_source_type"),
        }

    def link_parents(self):
        for name, state, parent_name in self.parents:
            child = Jurisdiction.objects.get(name=name, state=state)
            parent = Jurisdiction.objects.get(name=parent_name, state=state) if parent_name else None
            if child.parent_id != (parent.pk if parent else None):
                child.parent = parent
                child._change_reason = SEED_REASON
                child.save(update_fields=["parent"])
                self.report.written += 1

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
        valid_from = parse_date(row["valid_from"], "valid_from")
        valid_to = parse_date(row["valid_to"], "valid_to")
        precision = row["valid_precision"]
        if (valid_from or valid_to) and not precision:
            raise RowError("valid_precision is empty for a dated row")
        if precision and not (valid_from or valid_to):
            raise RowError("valid_precision is given for an undated row")
        # A jurisdiction can have two rows for one facility (stages, periods).
        key = {
            "jurisdiction": self.jurisdiction(row["jurisdiction_name"], row["state"]),
            "facility": facility,
            "stage": row["stage"],
            "valid_from": valid_from,
        }
        values = {
            "valid_to": valid_to,
            "valid_precision": choose(PRECISIONS, precision, "valid_precision") if precision else "",
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
            "control_locus": default_locus(row["code"]),
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
            "addressee": without_confirmation_marker(row["recipient_name"]),
            "addressee_confirmed": "not confirmed" not in (row["recipient_name"] + row["notes"]).lower(),
            "notes": row["notes"],
        }
        if row["source_url"].startswith("https://assets.documentcloud.org/"):
            values["document_url"] = row["source_url"]
        # One letter per recipient and batch; the addressee is a value, since research
        # confirms addressees over time (v2 named Oregon's and Oakland's).
        if not row["letter_batch_id"]:
            raise RowError("letter_batch_id is empty")
        key = {"batch": self.batch(row["letter_batch_id"], row["notes"]), "recipient": recipient}
        letter = self.upsert(Letter, key, values, [self.source(row["source_url"])])
        codes = [code.strip() for code in row["conditions"].split(";")]
        if len(set(codes)) != len(codes):
            raise RowError("conditions lists a condition twice")
        wanted = {self.condition(code).pk for code in codes}
        have = set(letter.demands.values_list("condition_id", flat=True))
        removed, _ = letter.demands.exclude(condition_id__in=wanted).delete()
        added = Demand.objects.bulk_create([Demand(letter=letter, condition_id=pk) for pk in wanted - have])
        self.report.written += removed + len(added)

    def load_events(self, row):
        key = {"occurred_on": parse_date(row["date"], "date", required=True), "title": row["title"]}
        values = {
            "kind": row["kind"],
            "summary": row["summary"],
            "sourcing": choose(SOURCING, row["source_type"], "source_type"),
            "notes": row["notes"],
        }
        event = self.upsert(Event, key, values, [self.source(row["source_url"])])
        names = split_list(row["jurisdiction_name"])
        self.set_m2m(event, "jurisdictions", {self.jurisdiction(name).pk for name in names})
        self.set_m2m(event, "programs", {self.program(row["program"]).pk} if row["program"] else set())

    def load_responses(self, row):
        recipient = self.jurisdiction(row["jurisdiction_name"], row["state"])
        letters = list(Letter.objects.filter(batch__code=row["letter_batch_id"], recipient=recipient)[:2])
        if len(letters) != 1:
            problem = "no letter" if not letters else "more than one letter"
            raise RowError(f"{problem} in batch {row['letter_batch_id']!r} to {recipient.name!r} in letters.csv")
        key = {
            "letter": letters[0],
            "responded_on": parse_date(row["date"], "date"),
            "responder": row["responder"],
        }
        values = {
            "stance": choose(STANCES, row["stance"], "stance"),
            "summary": row["summary"],
            "sourcing": choose(SOURCING, row["source_type"], "source_type"),
            "notes": row["notes"],
        }
        self.upsert(Response, key, values, [self.source(row["source_url"])])

    def conditions(self, value):
        codes = split_list(value)
        if len(set(codes)) != len(codes):
            raise RowError("conditions lists a condition twice")
        return {self.condition(code).pk for code in codes}

    def state_row(self, state):
        """The `State of X` row, or for DC the District of Columbia (coded consolidated)."""
        found = list(
            Jurisdiction.objects.filter(state=state)
            .filter(Q(kind=Jurisdiction.Kind.STATE) | Q(state="DC", name="District of Columbia"))
            .order_by("pk")[:2]
        )
        if len(found) != 1:
            raise RowError(f"state {state!r} has no single state row in jurisdictions.csv")
        return found[0]

    def legal_measure(self, row, *, jurisdiction, level, name, enacted, kinds, effects):
        values = {
            "level": level,
            "citation": row["citation"],
            "kind": choose(kinds, row["kind"], "kind"),
            "enacted_on": parse_date(row[enacted], enacted),
            "effective_on": parse_date(row["effective_on"], "effective_on"),
            "ended_on": parse_date(row["repealed_or_superseded_on"], "repealed_or_superseded_on"),
            "effect": choose(effects, row["effect"], "effect"),
            "summary": row["summary"],
            "applies_to": row.get("applies_to", ""),
            "sourcing": choose(SOURCING, row["source_type"], "source_type"),
            "notes": row["notes"],
        }
        conditions = self.conditions(row["conditions"])
        key = {"jurisdiction": jurisdiction, "name": name}
        measure = self.upsert(LegalMeasure, key, values, [self.source(row["source_url"])])
        self.set_m2m(measure, "conditions", conditions)

    def load_state_laws(self, row):
        self.legal_measure(
            row,
            jurisdiction=self.state_row(row["state"]),
            level=LegalMeasure.Level.STATE,
            name=row["law_name"],
            enacted="enacted_on",
            kinds=STATE_LAW_KINDS,
            effects=STATE_LAW_EFFECTS,
        )

    def load_local_policies(self, row):
        self.legal_measure(
            row,
            jurisdiction=self.jurisdiction(row["jurisdiction_name"], row["state"]),
            level=LegalMeasure.Level.LOCAL,
            name=row["policy_name"],
            enacted="adopted_on",
            kinds=LOCAL_POLICY_KINDS,
            effects=LOCAL_POLICY_EFFECTS,
        )

    def load_litigation(self, row):
        programs, all_federal_funds = set(), False
        for label in split_list(row["programs"]):
            if label.lower() == ALL_FEDERAL_FUNDS:
                all_federal_funds = True
            else:
                programs.add(self.program(label).pk)
        conditions = self.conditions(row["conditions"])
        effect, _, qualifier = row["binding_effect"].partition("(")
        qualifier = qualifier.removesuffix(")").strip()
        if qualifier and qualifier not in BINDING_EFFECT_NOTES:
            raise RowError(f"binding_effect qualifier {qualifier!r} is not one of: {', '.join(BINDING_EFFECT_NOTES)}")
        if qualifier == "no condition code" and conditions:
            raise RowError("binding_effect says (no condition code) but conditions is not empty")
        covered, organisation = row["covered"], ""
        if covered.lower().startswith(MEMBERS_OF):
            covered, organisation = CourtDecision.Covered.MEMBERS, covered[len(MEMBERS_OF) :].strip()
        elif covered:
            covered = choose({"plaintiffs": "plaintiffs", "nationwide": "nationwide"}, covered, "covered")
        fiscal_years = [parse_fiscal_year(year, "fiscal_years") for year in split_list(row["fiscal_years"])]
        circuit = row["precedent_circuit"]
        if row["source_url"]:
            sources = [self.source(row["source_url"])]
        elif row["source_type"] == "general knowledge":
            sources = []  # the "no ruling found" placeholder cites nothing, and says so
        else:
            raise RowError("source_url is empty")
        key = {
            "case_name": row["case_name"],
            "court": row["court"],
            "decided_on": parse_date(row["decision_date"], "decision_date"),
        }
        values = {
            "decision_kind": row["decision_kind"],
            "outcome": row["outcome"],
            "plaintiffs": row["plaintiffs"],
            "scope": row["scope"],
            "all_federal_funds": all_federal_funds,
            "holding": choose(HOLDINGS, row["holding_on_conditions"], "holding_on_conditions"),
            "binding_effect": choose(BINDING_EFFECTS, effect.strip(), "binding_effect"),
            "fiscal_years": fiscal_years,
            "covered": covered,
            "covered_organisation": organisation,
            "in_force_from": parse_date(row["in_force_from"], "in_force_from"),
            "in_force_until": parse_date(row["in_force_until"], "in_force_until"),
            "precedent_circuit": choose(CIRCUITS, circuit, "precedent_circuit") if circuit else "",
            "sourcing": choose(SOURCING, row["source_type"], "source_type"),
            "notes": row["notes"],
        }
        # Names in any state; an ambiguous or unknown name is an error (never guessed).
        covered_jurisdictions = {self.jurisdiction(name).pk for name in split_list(row["covered_jurisdictions"])}
        decision = self.upsert(CourtDecision, key, values, sources)
        self.set_m2m(decision, "programs", programs)
        self.set_m2m(decision, "conditions", conditions)
        self.set_m2m(decision, "covered_jurisdictions", covered_jurisdictions)
        self.supersessions.append((self.line, decision, row["superseded_by"]))

    def link_supersessions(self):
        """Resolve superseded_by (`case | court | date`) once every decision is loaded."""
        for line, decision, text in self.supersessions:
            target = None
            if text:
                parts = [part.strip() for part in text.split("|")]
                if len(parts) != 3:
                    raise SeedError("litigation.csv", line, f"superseded_by {text!r} is not `case | court | date`")
                case_name, court, decided = parts
                try:
                    decided_on = parse_date(decided, "superseded_by date")
                except RowError as error:
                    raise SeedError("litigation.csv", line, str(error)) from None
                target = CourtDecision.objects.filter(case_name=case_name, court=court, decided_on=decided_on).first()
                if target is None or target.pk == decision.pk:
                    raise SeedError("litigation.csv", line, f"superseded_by {text!r} matches no other row")
            if decision.superseded_by_id != (target.pk if target else None):
                decision.superseded_by = target
                decision._change_reason = SEED_REASON
                decision.save(update_fields=["superseded_by"])
                self.report.written += 1
                self.report.written += 1

    def load_byrne_jag_awards(self, row):
        name = row["jurisdiction_name"]
        if name.startswith(AGGREGATE_NAMES):
            jurisdiction, label = None, name
        else:
            jurisdiction, label = self.jurisdiction(name, row["state"]), ""
        fiscal_year, period = parse_award_period(row["fiscal_year"])
        key = {
            "program": self.program("Byrne JAG"),
            "jurisdiction": jurisdiction,
            "label": label,
            "fiscal_year": fiscal_year,
            "period": period,
            "what": row["what"],
        }
        values = {
            "amount_awarded": parse_amount(row["amount_awarded"], "amount_awarded"),
            "amount_withheld": parse_amount(row["amount_withheld"], "amount_withheld"),
            "award_number": row["award_number"],
            "sourcing": choose(SOURCING, row["source_type"], "source_type"),
            "notes": row["notes"],
        }
        self.upsert(Award, key, values, [self.source(row["source_url"])])

    def load_sanctuary_lists(self, row):
        superseded_by = None
        if row["superseded_by"]:
            superseded_by = PublishedList.objects.filter(slug=row["superseded_by"]).first()
            if superseded_by is None:
                raise RowError(f"superseded_by {row['superseded_by']!r} is not an earlier row's slug")
        values = {
            "title": row["title"],
            "publisher": row["publisher"],
            "published_on": parse_date(row["published_on"], "published_on", required=True),
            "withdrawn_on": parse_date(row["withdrawn_on"], "withdrawn_on"),
            "superseded_by": superseded_by,
            "entries_complete": choose({"yes": True, "no": False}, row["entries_complete"], "entries_complete"),
            "sourcing": choose(SOURCING, row["source_type"], "source_type"),
            "notes": row["notes"],
        }
        sources = [self.source(url) for url in row["source_urls"].split()]
        if not sources:
            raise RowError("source_urls is empty")
        if not row["entries_file"]:
            self.upsert(PublishedList, {"slug": row["slug"]}, values, sources)
            return
        plan = plan_import((self.data_dir / row["entries_file"]).read_text(encoding="utf-8"))
        if plan.blocked:
            problems = plan.file_problems + [
                f"line {r.line}: {r.name}: {'; '.join(r.problems)}" for r in plan.rows if r.problems
            ]
            raise RowError(f"{row['entries_file']} cannot be imported: {' | '.join(problems)}")
        result = apply_import(
            plan, slug=row["slug"], list_values=values, list_source_urls=[source.url for source in sources]
        )
        self.report.written += result.written

    def load_sanctuary_list_disputes(self, row):
        published = PublishedList.objects.filter(slug=row["list_slug"]).first()
        if published is None:
            raise RowError(f"list_slug {row['list_slug']!r} is not in sanctuary_lists.csv")
        key = {
            "published_list": published,
            "jurisdiction": self.jurisdiction(row["jurisdiction_name"], row["state"]),
            "occurred_on": parse_date(row["date"], "date", required=True),
            "who": row["who"],
        }
        values = {
            "kind": choose({value: value for value in ListDispute.Kind.values}, row["kind"], "kind"),
            "statement": row["statement"],
            "sourcing": choose(SOURCING, row["source_type"], "source_type"),
            "notes": row["notes"],
        }
        self.upsert(ListDispute, key, values, [self.source(row["source_url"])])
