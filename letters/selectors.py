"""The timeline: letters, responses, events and published lists as one dated list, merged in SQL."""

from collections import defaultdict

from django.db.models import CharField, Exists, F, OuterRef, Value
from django.db.models.functions import Concat

from sanctuary_lists.models import ListDispute, ListEntry, PublishedList

from .models import Event, Letter, Response

TIMELINE_FIELDS = ["entry_date", "entry_kind", "entry_title", "entry_summary", "item_type", "item_id", "own_id"]
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


def list_parts(text):
    """Published lists' publications and withdrawals, and disputes of them (issue 16)."""
    published = PublishedList.objects.annotate(
        entry_date=F("published_on"),
        entry_kind=Value(LIST_PUBLISHED_KIND, output_field=text),
        entry_title=Concat(F("publisher"), Value(" publishes “"), F("title"), Value("”"), output_field=text),
        entry_summary=F("notes"),
        item_type=Value("list", output_field=text),
        item_id=F("pk"),
        own_id=F("pk"),
    ).values(*TIMELINE_FIELDS)
    withdrawn = (
        PublishedList.objects.exclude(withdrawn_on=None)
        .annotate(
            entry_date=F("withdrawn_on"),
            entry_kind=Value(LIST_WITHDRAWN_KIND, output_field=text),
            entry_title=Concat(F("publisher"), Value(" withdraws “"), F("title"), Value("”"), output_field=text),
            entry_summary=Value("", output_field=text),
            item_type=Value("list", output_field=text),
            item_id=F("pk"),
            own_id=F("pk"),
        )
        .values(*TIMELINE_FIELDS)
    )
    disputes = ListDispute.objects.annotate(
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
    ).values(*TIMELINE_FIELDS)
    return {LIST_PUBLISHED_KIND: published, LIST_WITHDRAWN_KIND: withdrawn, LIST_DISPUTE_KIND: disputes}


def timeline_entries(*, jurisdiction=None, program=None, kind=None):
    """Dicts with TIMELINE_FIELDS, newest first. `kind` is an Event.Kind value,
    "letter", "letter_response" or a LIST_KINDS value; undated letters and responses
    are left out. A jurisdiction's timeline shows the lists that named it and its
    disputes; a program's shows no list (lists are not tied to a program)."""
    text = CharField()
    letters = (
        Letter.objects.exclude(sent_on=None)
        .annotate(
            entry_date=F("sent_on"),
            entry_kind=Value(LETTER_KIND, output_field=text),
            entry_title=Concat(F("program__short_name"), Value(" letter to "), F("recipient__name"), output_field=text),
            entry_summary=F("addressee"),
            item_type=Value("letter", output_field=text),
            item_id=F("pk"),
            own_id=F("pk"),
        )
        .values(*TIMELINE_FIELDS)
    )
    responses = (
        Response.objects.exclude(responded_on=None)
        .annotate(
            entry_date=F("responded_on"),
            entry_kind=Value(RESPONSE_KIND, output_field=text),
            entry_title=Concat(F("responder"), Value(" responds to DOJ"), output_field=text),
            entry_summary=F("summary"),
            item_type=Value("letter", output_field=text),
            item_id=F("letter_id"),
            own_id=F("pk"),
        )
        .values(*TIMELINE_FIELDS)
    )
    events = Event.objects.annotate(
        entry_date=F("occurred_on"),
        entry_kind=F("kind"),
        entry_title=F("title"),
        entry_summary=F("summary"),
        item_type=Value("event", output_field=text),
        item_id=F("pk"),
        own_id=F("pk"),
    ).values(*TIMELINE_FIELDS)

    if jurisdiction is not None:
        letters = letters.filter(recipient=jurisdiction)
        responses = responses.filter(letter__recipient=jurisdiction)
        events = events.filter(jurisdictions=jurisdiction)
    if program is not None:
        letters = letters.filter(program=program)
        responses = responses.filter(letter__program=program)
        events = events.filter(programs=program)
    lists = list_parts(text)
    if jurisdiction is not None:
        # Exists, not a join: a list may name one jurisdiction in two sections.
        naming = Exists(ListEntry.objects.filter(published_list=OuterRef("pk"), jurisdiction=jurisdiction))
        lists[LIST_PUBLISHED_KIND] = lists[LIST_PUBLISHED_KIND].filter(naming)
        lists[LIST_WITHDRAWN_KIND] = lists[LIST_WITHDRAWN_KIND].filter(naming)
        lists[LIST_DISPUTE_KIND] = lists[LIST_DISPUTE_KIND].filter(jurisdiction=jurisdiction)
    if program is not None:
        lists = {}
    parts = {LETTER_KIND: letters, RESPONSE_KIND: responses, **lists}
    if kind in parts:
        return parts[kind].order_by("-entry_date", "entry_title")
    if kind in LIST_KINDS:
        return events.none()
    if kind:
        return events.filter(kind=kind).order_by("-entry_date", "entry_title")
    # Each part's Meta.ordering must go: SQL allows ORDER BY only on the whole union.
    others = [responses.order_by(), events.order_by(), *(part.order_by() for part in lists.values())]
    combined = letters.order_by().union(*others, all=True)
    return combined.order_by("-entry_date", "entry_title")
