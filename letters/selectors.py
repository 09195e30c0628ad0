"""The timeline: letters, responses and events as one dated list, merged in SQL."""

from collections import defaultdict

from django.db.models import CharField, F, Value
from django.db.models.functions import Concat

from .models import Event, Letter, Response

TIMELINE_FIELDS = ["entry_date", "entry_kind", "entry_title", "entry_summary", "item_type", "item_id", "own_id"]
LETTER_KIND = "letter"
RESPONSE_KIND = "letter_response"


def with_source_urls(entries):
    """Add `source_url` (the first source) to timeline entries: one query per kind, for
    the entries on a page or an export chunk, not for every row of the union."""
    entries = list(entries)
    owner_of = {LETTER_KIND: Letter, RESPONSE_KIND: Response}
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


def timeline_entries(*, jurisdiction=None, program=None, kind=None):
    """Dicts with TIMELINE_FIELDS, newest first. `kind` is an Event.Kind value,
    "letter" or "letter_response"; undated letters and responses are left out."""
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
    parts = {LETTER_KIND: letters, RESPONSE_KIND: responses}
    if kind in parts:
        return parts[kind].order_by("-entry_date", "entry_title")
    if kind:
        return events.filter(kind=kind).order_by("-entry_date", "entry_title")
    # Each part's Meta.ordering must go: SQL allows ORDER BY only on the whole union.
    combined = letters.order_by().union(responses.order_by(), events.order_by(), all=True)
    return combined.order_by("-entry_date", "entry_title")
