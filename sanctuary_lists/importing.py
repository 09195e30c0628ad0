"""Importing one published list from CSV: `plan_import` reads and matches every row and
writes nothing (the dry run the admin preview and `import_list --dry-run` show);
`apply_import` writes a clean plan in one transaction, all or nothing.

The file's columns: `jurisdiction_name,kind,state,source_url,<section column>,notes`,
where the section column's header names the list's own grouping (e.g.
`doj_list_section`), plus an optional `jurisdiction_slug` that confirms a match.
"""

import csv
import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from jurisdictions.models import Jurisdiction, JurisdictionKind
from jurisdictions.states import STATES
from sources.models import Source

from .matching import Match, Matcher, Outcome, Why
from .models import JurisdictionAlias, ListEntry, PublishedList

FIXED_COLUMNS = ("jurisdiction_name", "kind", "state", "source_url", "notes")
OPTIONAL_COLUMNS = ("jurisdiction_slug",)
BLOCKING = {Outcome.AMBIGUOUS, Outcome.INVALID}


class ImportBlocked(Exception):
    """The plan has ambiguous or invalid rows; nothing was written."""


@dataclass
class PlannedRow:
    line: int
    name: str
    kind: str
    state: str
    source_url: str
    section: str
    notes: str
    confirmed_slug: str = ""
    match: Match | None = None
    problems: list = field(default_factory=list)

    @property
    def outcome(self):
        return Outcome.INVALID if self.problems and self.match.outcome != Outcome.AMBIGUOUS else self.match.outcome

    @property
    def outcome_label(self):
        return Outcome(self.outcome).label

    @property
    def explanation(self):
        """What the preview says about the row, in words."""
        match = self.match
        if self.outcome == Outcome.MATCHED:
            return f"{match.jurisdiction.name}, {match.jurisdiction.state} ({match.why_label})"
        if self.outcome == Outcome.NEW:
            parent = f", part of {match.new.parent.name}" if match.new.parent else ""
            return f"will create {match.new.name} ({match.new.kind}, {match.new.state}{parent})"
        return "; ".join(self.problems)


@dataclass
class ImportPlan:
    section_column: str = ""
    rows: list = field(default_factory=list)
    file_problems: list = field(default_factory=list)

    @property
    def blocked(self):
        return bool(self.file_problems) or any(row.outcome in BLOCKING for row in self.rows)

    @property
    def counts(self):
        counted = Counter(row.outcome for row in self.rows)
        return {outcome.value: counted.get(outcome, 0) for outcome in Outcome}


def plan_import(text, *, confirmations=None):
    """Read and match every row of `text` (the CSV); `confirmations` maps a line number
    to the slug an editor chose for it. Reads the database, writes nothing."""
    plan = ImportPlan()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in FIXED_COLUMNS if name not in header]
    extra = [name for name in header if name not in FIXED_COLUMNS + OPTIONAL_COLUMNS]
    if missing:
        plan.file_problems.append(f"missing column(s): {', '.join(missing)}")
    if len(extra) != 1:
        plan.file_problems.append(
            "there must be exactly one section column besides "
            f"{', '.join(FIXED_COLUMNS)} (and optionally jurisdiction_slug); found {extra or 'none'}"
        )
    if plan.file_problems:
        return plan
    plan.section_column = extra[0]
    reader.fieldnames = header
    matcher = Matcher()
    confirmations = confirmations or {}
    validate_url = URLValidator()
    start = 2
    for raw in reader:
        if None in raw:
            plan.file_problems.append(f"line {start}: too many cells")
            start = reader.line_num + 1
            continue
        cells = {key: (value or "").strip() for key, value in raw.items()}
        row = PlannedRow(
            line=start,
            name=cells["jurisdiction_name"],
            kind=cells["kind"].lower(),
            state=cells["state"].upper(),
            source_url=cells["source_url"],
            section=cells[plan.section_column],
            notes=cells["notes"],
            confirmed_slug=confirmations.get(start) or cells.get("jurisdiction_slug", ""),
        )
        start = reader.line_num + 1
        if not row.name:
            row.problems.append("jurisdiction_name is empty")
        if row.kind and row.kind not in JurisdictionKind.values:
            row.problems.append(f"kind {row.kind!r} is not one of: {', '.join(JurisdictionKind.values)}")
        if row.state and row.state not in STATES:
            row.problems.append(f"state {row.state!r} is not a USPS code")
        try:
            validate_url(row.source_url)
        except ValidationError:
            row.problems.append(
                f"source_url {row.source_url!r} is not a URL" if row.source_url else "source_url is empty"
            )
        row.match = (
            matcher.match(row.name, row.kind, row.state, row.confirmed_slug)
            if not row.problems
            else Match(Outcome.INVALID)
        )
        if row.match.problem:
            row.problems.append(row.match.problem)
        plan.rows.append(row)
    if not plan.rows:
        plan.file_problems.append("the file has no rows")
    flag_collisions(plan.rows)
    return plan


def flag_collisions(rows):
    """Two rows for one jurisdiction (or two new rows that would create the same one) are
    ambiguous unless an editor confirmed every one of them: a list may really name a
    consolidated city-county once as a county and once as a city."""
    targets = defaultdict(list)
    for row in rows:
        if row.outcome == Outcome.MATCHED:
            targets[("existing", row.match.jurisdiction.pk)].append(row)
        elif row.outcome == Outcome.NEW:
            targets[("new", row.match.new.name.lower(), row.match.new.state)].append(row)
    for group in targets.values():
        if len(group) < 2:
            continue
        lines = ", ".join(str(row.line) for row in group)
        if len({row.section.lower() for row in group}) < len(group):
            problem = f"lines {lines} match the same jurisdiction in the same section"
        elif not all(row.match.why == Why.CONFIRMED for row in group):
            problem = f"lines {lines} match the same jurisdiction; confirm each to keep both"
        else:
            continue
        for row in group:
            row.match.outcome = Outcome.AMBIGUOUS
            row.problems.append(problem)


@dataclass
class ImportResult:
    published_list: PublishedList
    created_jurisdictions: list
    entries: int
    removed_entries: int
    aliases_added: int
    written: int


def apply_import(plan, *, slug, list_values, list_source_urls=(), origin=""):
    """Write the list, its entries, any new jurisdictions and the confirmed aliases, or
    nothing: raises ImportBlocked for a plan with a blocking row, and any validation
    error rolls the whole import back. Re-importing the same file changes nothing."""
    if plan.blocked:
        raise ImportBlocked("the file has ambiguous or invalid rows; nothing was imported")
    sources = {}

    def source(url):
        if url not in sources:
            found = Source.objects.filter(url=url).first()
            if found is None:
                found = Source(url=url)
                found.full_clean()
                found.save()
            sources[url] = found
        return sources[url]

    written = 0
    with transaction.atomic():
        published = PublishedList.objects.filter(slug=slug).first() or PublishedList(slug=slug)
        values = {**list_values, "section_label": plan.section_column}
        if published.pk is None or any(getattr(published, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(published, name, value)
            published.full_clean()
            published.save()
            written += 1
        if list_source_urls and set(published.sources.values_list("url", flat=True)) != set(list_source_urls):
            published.sources.set([source(url) for url in list_source_urls])
            written += 1
        created, aliases, kept = {}, 0, []
        for row in plan.rows:
            jurisdiction = row.match.jurisdiction
            if jurisdiction is None:
                new = row.match.new
                key = (new.name.lower(), new.state)
                if key not in created:
                    created[key] = make_jurisdiction(new, row.name, origin or published.title)
                jurisdiction = created[key]
            elif row.match.why == Why.CONFIRMED:
                aliases += remember_alias(row, jurisdiction)
            entry = ListEntry.objects.filter(
                published_list=published, jurisdiction=jurisdiction, section=row.section
            ).first() or ListEntry(published_list=published, jurisdiction=jurisdiction, section=row.section)
            if entry.pk is None or (entry.name_as_printed, entry.notes) != (row.name, row.notes):
                entry.name_as_printed, entry.notes = row.name, row.notes
                entry.full_clean()
                entry.save()
                written += 1
            if set(entry.sources.values_list("url", flat=True)) != {row.source_url}:
                entry.sources.set([source(row.source_url)])
                written += 1
            kept.append(entry.pk)
        removed, _ = published.entries.exclude(pk__in=kept).delete()
    written += removed + len(created) + aliases
    return ImportResult(published, list(created.values()), len(kept), removed, aliases, written)


def make_jurisdiction(new, printed, origin):
    jurisdiction = Jurisdiction(
        name=new.name,
        kind=new.kind,
        state=new.state,
        parent=new.parent,
        fips=STATES[new.state][1] if new.kind == JurisdictionKind.STATE else "",
        notes=f"Added by the import of {origin}, which printed “{printed}”. Name and kind inferred from the list; "
        "not in the research data.",
    )
    jurisdiction.slug = Jurisdiction.make_slug(new.name, new.state)
    jurisdiction.full_clean()
    jurisdiction.save()
    return jurisdiction


def remember_alias(row, jurisdiction):
    """Keep an editor's confirmation as an alias for the next import (1 if added)."""
    state = row.state or jurisdiction.state
    if row.name.lower() == jurisdiction.name.lower():
        return 0
    alias = JurisdictionAlias.objects.filter(alias__iexact=row.name, state=state).first()
    if alias is not None and alias.jurisdiction_id == jurisdiction.pk:
        return 0
    alias = alias or JurisdictionAlias(alias=row.name, state=state)
    alias.jurisdiction = jurisdiction
    alias.full_clean()
    alias.save()
    return 1
