"""THE rule for matching a name as a list printed it ("City of New York", "San Francisco
County", "Denver", "District of Columbia") to one of our jurisdictions.

Tried in order, the first that finds anything decides:
1. confirmed: an editor named the jurisdiction for this row (admin, or the file's
   `jurisdiction_slug` column);
2. exact: the same name in the same state;
3. alias: a name an editor confirmed for that jurisdiction on an earlier import;
4. normalised: the same name without "City of", "County", punctuation or case, in the
   same state, among jurisdictions of a compatible kind (a consolidated city-county is
   both a city and a county; DC is state-level).
One candidate is a match; several are *ambiguous*; none is *new* (created with the kind
and state of the row, and the state as parent of a new county) when the row gives a
state and kind, else *invalid*.

Everything is matched in memory against one read of the jurisdictions and aliases, so a
list of any length costs two queries.
"""

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import models

from jurisdictions.models import Jurisdiction, JurisdictionKind
from jurisdictions.states import STATES

from .models import JurisdictionAlias

PREFIXES = (
    "city and county of ",
    "consolidated city of ",
    "city of ",
    "county of ",
    "state of ",
    "commonwealth of ",
    "town of ",
    "township of ",
    "village of ",
    "borough of ",
)
SUFFIXES = (" county", " parish", " borough", " city")
COUNTY_SUFFIXES = (" County", " Parish", " Borough")

Kind = JurisdictionKind
COMPATIBLE_KINDS = {
    Kind.STATE: {Kind.STATE},
    Kind.COUNTY: {Kind.COUNTY, Kind.CONSOLIDATED},
    Kind.CITY: {Kind.CITY, Kind.CONSOLIDATED},
    Kind.CONSOLIDATED: {Kind.CONSOLIDATED, Kind.CITY, Kind.COUNTY},
    Kind.INTERGOVERNMENTAL: {Kind.INTERGOVERNMENTAL},
}


class Outcome(models.TextChoices):
    MATCHED = "matched", "Matched"
    NEW = "new", "New"
    AMBIGUOUS = "ambiguous", "Ambiguous"
    INVALID = "invalid", "Invalid"


class Why(models.TextChoices):
    CONFIRMED = "confirmed", "confirmed by an editor"
    EXACT = "exact", "exact name"
    ALIAS = "alias", "alias"
    NORMALISED = "normalised", "same state and kind, normalised name"


@dataclass(frozen=True)
class NewJurisdiction:
    name: str
    kind: str
    state: str
    parent: Jurisdiction | None


@dataclass
class Match:
    outcome: str
    jurisdiction: Jurisdiction | None = None
    why: str = ""
    candidates: list = field(default_factory=list)
    new: NewJurisdiction | None = None
    problem: str = ""

    @property
    def why_label(self):
        return Why(self.why).label if self.why else ""


def normalise(name):
    """Lower-case ASCII words without punctuation, government-type prefix or suffix:
    "City and County of San Francisco", "San Francisco County" and "San Francisco"
    all give "san francisco"; "New York City" and "City of New York" give "new york"."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())
    for prefix in PREFIXES:
        if text.startswith(prefix):
            text = text.removeprefix(prefix)
            break
    for suffix in SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            text = text.removesuffix(suffix)
            break
    return text


def fits_kind(jurisdiction, kind):
    if not kind:
        return True
    if kind == Kind.STATE:
        return jurisdiction.is_state_level
    return jurisdiction.kind in COMPATIBLE_KINDS[kind]


def derived_name(name, kind, state):
    """The name a new jurisdiction gets, in the research data's style ("City of Boston",
    "San Diego County", "State of Delaware"); inferred from the printed name."""
    name = " ".join(name.split())
    if kind == Kind.STATE:
        return "District of Columbia" if state == "DC" else f"State of {STATES[state][0]}"
    if kind == Kind.COUNTY:
        if name.lower().startswith("county of "):
            name = name[len("county of ") :]
        return name if name.endswith(COUNTY_SUFFIXES) else f"{name} County"
    if kind == Kind.CITY:
        return name if name.lower().startswith("city of ") else f"City of {name}"
    return name


class Matcher:
    def __init__(self):
        self.by_name = defaultdict(list)
        self.by_normalised = defaultdict(list)
        self.by_slug = {}
        self.state_rows = {}
        for jurisdiction in Jurisdiction.objects.order_by("state", "name", "pk"):
            self.add(jurisdiction)
        self.by_alias = defaultdict(list)
        for alias in JurisdictionAlias.objects.select_related("jurisdiction"):
            self.by_alias[alias.alias.lower()].append((alias.state, alias.jurisdiction))

    def add(self, jurisdiction):
        self.by_name[jurisdiction.name.lower()].append(jurisdiction)
        self.by_normalised[normalise(jurisdiction.name)].append(jurisdiction)
        self.by_slug[jurisdiction.slug] = jurisdiction
        if jurisdiction.kind == Kind.STATE:
            self.state_rows[jurisdiction.state] = jurisdiction

    def match(self, name, kind="", state="", confirmed_slug=""):
        """Match one printed name; `kind` and `state` may be empty."""
        if confirmed_slug:
            found = self.by_slug.get(confirmed_slug)
            if found is None:
                return Match(Outcome.INVALID, problem=f"no jurisdiction has the slug {confirmed_slug!r}")
            return Match(Outcome.MATCHED, found, Why.CONFIRMED)
        in_state = (lambda j: j.state == state) if state else (lambda j: True)
        steps = [
            (Why.EXACT, [j for j in self.by_name[name.lower()] if in_state(j)]),
            (Why.ALIAS, [j for s, j in self.by_alias[name.lower()] if not state or s == state]),
            (
                Why.NORMALISED,
                [j for j in self.by_normalised[normalise(name)] if in_state(j) and fits_kind(j, kind)],
            ),
        ]
        for why, candidates in steps:
            if len(candidates) == 1:
                return Match(Outcome.MATCHED, candidates[0], why)
            if candidates:
                return Match(Outcome.AMBIGUOUS, why=why, candidates=candidates, problem="several candidates")
        if not (state and kind):
            return Match(
                Outcome.INVALID, problem="no jurisdiction matches, and without a state and kind none is created"
            )
        new = NewJurisdiction(
            name=derived_name(name, kind, state),
            kind=kind,
            state=state,
            parent=self.state_rows.get(state) if kind == Kind.COUNTY else None,
        )
        clash = [j for j in self.by_name[new.name.lower()] if j.state == state]
        if clash:
            # The derived name is taken by a jurisdiction of another kind: a person decides.
            return Match(Outcome.AMBIGUOUS, candidates=clash, problem=f"{new.name} exists as a {clash[0].kind}")
        return Match(Outcome.NEW, new=new)
