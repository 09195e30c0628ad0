"""The timeline: letters, responses, events and published lists as one dated list, merged in SQL."""

from collections import defaultdict

from django.db.models import CharField, Exists, F, OuterRef, Subquery, Value
from django.db.models.functions import Concat

from listing.facets import count_by_day, counter, date_in, dates_by, grouped_count
from programs.models import Program
from sanctuary_lists.models import ListDispute, ListEntry, PublishedList

from .models import Event, Letter, Response

TIMELINE_FIELDS = ["entry_date", "entry_kind", "entry_title", "entry_summary", "item_type", "item_id", "own_id"]
# Newest first. The last two keys identify an entry, so the order is total: a page is
# the same rows however the database sorts ties (listing.pagination relies on it).
TIMELINE_ORDER = ["-entry_date", "entry_title", "entry_kind", "own_id"]
LETTER_KIND = "letter"
RESPONSE_KIND = "letter_response"
LIST_PUBLISHED_KIND = "list_published"
LIST_WITHDRAWN_KIND = "list_withdrawn"
LIST_DISPUTE_KIND = "list_dispute"
LIST_KINDS = {
    LIST_PUBLISHED_KIND: "List published",
    LIST_WITHDRAWN_KIND: "List withdrawn",
    LIST_DISPUTE_KIND: "List disputed",
}
OWNER_OF = {
    LETTER_KIND: Letter,
    RESPONSE_KIND: Response,
    LIST_PUBLISHED_KIND: PublishedList,
    LIST_WITHDRAWN_KIND: PublishedList,
    LIST_DISPUTE_KIND: ListDispute,
}


def with_source_urls(entries):
    """Add `source_url` (the first source) to timeline entries: one query per kind, for
    the entries on a page or an export chunk, not for every row of the union."""
    entries = list(entries)
    owner_of = OWNER_OF
    wanted = defaultdict(set)
    for entry in entries:
        wanted[owner_of.get(entry["entry_kind"], Event)].add(entry["own_id"])
    first = {}
    for model, ids in wanted.items():
        through = model.sources.through
        owner_column = f"{model._meta.model_name}_id"
        links = through.objects.filter(**{f"{owner_column}__in": ids}).order_by("source_id")
        for owner, url in links.values_list(owner_column, "source__url"):
            first.setdefault((model, owner), url)
    for entry in entries:
        entry["source_url"] = first.get((owner_of.get(entry["entry_kind"], Event), entry["own_id"]), "")
    return entries


EVENT_KINDS = "events"
DATE_FIELD = {
    LETTER_KIND: "sent_on",
    RESPONSE_KIND: "responded_on",
    EVENT_KINDS: "occurred_on",
    LIST_PUBLISHED_KIND: "published_on",
    LIST_WITHDRAWN_KIND: "withdrawn_on",
    LIST_DISPUTE_KIND: "occurred_on",
}
PLACE = {LETTER_KIND: "recipient", RESPONSE_KIND: "letter__recipient", EVENT_KINDS: "jurisdictions"}
# Published lists are tied to no program: a program's timeline shows none.
PROGRAM = {LETTER_KIND: "program", RESPONSE_KIND: "letter__program", EVENT_KINDS: "programs"}


def timeline_parts(*, jurisdiction=(), program=(), kind=(), since=None, until=None, year=(), month=()):
    """The letters, responses, events and published lists' publications, withdrawals
    and disputes the filters let through, as querysets of their own rows (keyed
    LETTER_KIND, RESPONSE_KIND, EVENT_KINDS and the LIST_KINDS). Several values of one
    filter are OR-ed; filters are AND-ed. `kind` holds LETTER_KIND, RESPONSE_KIND,
    LIST_KINDS or Event.Kind values; undated letters and responses are left out. A
    jurisdiction's timeline shows the lists that named it and its disputes."""
    parts = {
        LETTER_KIND: Letter.objects.exclude(sent_on=None),
        RESPONSE_KIND: Response.objects.exclude(responded_on=None),
        EVENT_KINDS: Event.objects.all(),
        LIST_PUBLISHED_KIND: PublishedList.objects.all(),
        LIST_WITHDRAWN_KIND: PublishedList.objects.exclude(withdrawn_on=None),
        LIST_DISPUTE_KIND: ListDispute.objects.all(),
    }
    if kind:
        event_kinds = [value for value in kind if value not in (LETTER_KIND, RESPONSE_KIND, *LIST_KINDS)]
        parts = {key: rows for key, rows in parts.items() if key in kind or (key == EVENT_KINDS and event_kinds)}
        if EVENT_KINDS in parts:
            parts[EVENT_KINDS] = parts[EVENT_KINDS].filter(kind__in=event_kinds)
    if program:
        parts = {key: rows for key, rows in parts.items() if key in PROGRAM}
    for key, rows in parts.items():
        date = DATE_FIELD[key]
        if jurisdiction:
            rows = in_place(rows, key, jurisdiction)
        if program:
            rows = within(rows, f"{PROGRAM[key]}__in", program)
        if since:
            rows = rows.filter(**{f"{date}__gte": since})
        if until:
            rows = rows.filter(**{f"{date}__lte": until})
        if year:
            rows = rows.filter(date_in(date, year, "year"))
        if month:
            rows = rows.filter(date_in(date, month, "month"))
        parts[key] = rows
    return parts


def in_place(rows, key, jurisdictions):
    """Rows about any of `jurisdictions`: a list by naming one of them (Exists, not a
    join: a list may name one jurisdiction in two sections), a dispute by its own."""
    if key in (LIST_PUBLISHED_KIND, LIST_WITHDRAWN_KIND):
        naming = ListEntry.objects.filter(published_list=OuterRef("pk"), jurisdiction__in=jurisdictions)
        return rows.filter(Exists(naming))
    if key == LIST_DISPUTE_KIND:
        return rows.filter(jurisdiction__in=jurisdictions)
    return within(rows, f"{PLACE[key]}__in", jurisdictions)


def within(rows, lookup, values):
    """Rows linked to any of `values`, once each even through a many-to-many link."""
    return rows.filter(pk__in=rows.model.objects.filter(**{lookup: values}).values("pk"))


def timeline_entries(**filters):
    """Dicts with TIMELINE_FIELDS, newest first, for the filters of `timeline_parts`."""
    text = CharField()
    parts = timeline_parts(**filters)
    entries = []
    if LETTER_KIND in parts:
        entries.append(
            parts[LETTER_KIND].annotate(
                entry_date=F("sent_on"),
                entry_kind=Value(LETTER_KIND, output_field=text),
                entry_title=Concat(
                    F("program__short_name"), Value(" letter to "), F("recipient__name"), output_field=text
                ),
                entry_summary=F("addressee"),
                item_type=Value("letter", output_field=text),
                item_id=F("pk"),
                own_id=F("pk"),
            )
        )
    if RESPONSE_KIND in parts:
        entries.append(
            parts[RESPONSE_KIND].annotate(
                entry_date=F("responded_on"),
                entry_kind=Value(RESPONSE_KIND, output_field=text),
                entry_title=Concat(F("responder"), Value(" responds to DOJ"), output_field=text),
                entry_summary=F("summary"),
                item_type=Value("letter", output_field=text),
                item_id=F("letter_id"),
                own_id=F("pk"),
            )
        )
    if EVENT_KINDS in parts:
        entries.append(
            parts[EVENT_KINDS].annotate(
                entry_date=F("occurred_on"),
                entry_kind=F("kind"),
                entry_title=F("title"),
                entry_summary=F("summary"),
                item_type=Value("event", output_field=text),
                item_id=F("pk"),
                own_id=F("pk"),
            )
        )
    entries.extend(list_entries(parts, text))
    # Each part's Meta.ordering must go: SQL allows ORDER BY only on the whole union.
    first, *others = [part.values(*TIMELINE_FIELDS).order_by() for part in entries]
    combined = first.union(*others, all=True) if others else first
    return combined.order_by(*TIMELINE_ORDER)


def list_entries(parts, text):
    """Published lists' publications and withdrawals, and disputes of them (issue 16)."""
    entries = []
    if LIST_PUBLISHED_KIND in parts:
        entries.append(
            parts[LIST_PUBLISHED_KIND].annotate(
                entry_date=F("published_on"),
                entry_kind=Value(LIST_PUBLISHED_KIND, output_field=text),
                entry_title=Concat(F("publisher"), Value(" publishes “"), F("title"), Value("”"), output_field=text),
                entry_summary=F("notes"),
                item_type=Value("list", output_field=text),
                item_id=F("pk"),
                own_id=F("pk"),
            )
        )
    if LIST_WITHDRAWN_KIND in parts:
        entries.append(
            parts[LIST_WITHDRAWN_KIND].annotate(
                entry_date=F("withdrawn_on"),
                entry_kind=Value(LIST_WITHDRAWN_KIND, output_field=text),
                entry_title=Concat(F("publisher"), Value(" withdraws “"), F("title"), Value("”"), output_field=text),
                entry_summary=Value("", output_field=text),
                item_type=Value("list", output_field=text),
                item_id=F("pk"),
                own_id=F("pk"),
            )
        )
    if LIST_DISPUTE_KIND in parts:
        entries.append(
            parts[LIST_DISPUTE_KIND].annotate(
                entry_date=F("occurred_on"),
                entry_kind=Value(LIST_DISPUTE_KIND, output_field=text),
                entry_title=Concat(
                    F("jurisdiction__name"),
                    Value(": "),
                    F("who"),
                    Value(" on “"),
                    F("published_list__title"),
                    Value("”"),
                    output_field=text,
                ),
                entry_summary=F("statement"),
                item_type=Value("list", output_field=text),
                item_id=F("published_list_id"),
                own_id=F("pk"),
            )
        )
    return entries


def timeline_counts(facet, **filters):
    """{value: entries} for one timeline facet ("kind", "program", "year" or "month";
    "day" gives {date: entries}, from which `listing.facets.dates_by` adds up both the
    others) under the other filters: one grouped query per part."""
    filters.pop(facet, None)
    if facet in ("year", "month"):
        return dates_by(timeline_counts("day", **filters), facet)
    parts = timeline_parts(**filters)
    counts = defaultdict(int)
    for key, rows in parts.items():
        if facet == "kind":
            found = grouped_count("kind")(rows) if key == EVENT_KINDS else {key: rows.count()}
        elif facet == "program":
            if key in (LETTER_KIND, RESPONSE_KIND):
                found = count_by_program(rows, PROGRAM[key])
            else:
                found = grouped_count(f"{PROGRAM[key]}__slug")(rows) if key in PROGRAM else {}
        else:
            found = count_by_day(rows, DATE_FIELD[key])
        for value, n in found.items():
            counts[value] += n
    return {value: n for value, n in counts.items() if n}


class OncePerGroup(Subquery):
    """A subquery that reads only the GROUP BY's key, run once per group: Django would
    also group by the subquery itself, which makes PostgreSQL run it for every row."""

    def get_group_by_cols(self):
        return []


def count_by_program(rows, path):
    """{program slug: n}, as grouped_count(f"{path}__slug"), grouping by the program's id
    (a letter's own column) and reading the few programs' slugs once per group, not
    joining every letter to its program (a third of the facet's time over 50,000)."""
    slug = OncePerGroup(Program.objects.filter(pk=OuterRef(path)).order_by().values("slug"))
    counted = rows.order_by().values_list(path).annotate(n=counter(rows, path, "pk"), slug=slug)
    return {slug: n for slug, n in counted.values_list("slug", "n") if slug is not None}
