"""The timeline: letters, responses and events as one dated list, merged in SQL."""

from django.db.models import CharField, F, OuterRef, Subquery, Value
from django.db.models.functions import Concat

from sources.models import Source

from .models import Event, Letter, Response

TIMELINE_FIELDS = ["entry_date", "entry_kind", "entry_title", "entry_summary", "item_type", "item_id", "source_url"]
LETTER_KIND = "letter"
RESPONSE_KIND = "letter_response"


def _first_source(relation):
    return Subquery(Source.objects.filter(**{relation: OuterRef("pk")}).order_by("pk").values("url")[:1])


def timeline_entries(*, jurisdiction=None, program=None, kind=None):
    """Dicts with TIMELINE_FIELDS, newest first. `kind` is an Event.Kind value,
    "letter" or "letter_response"; undated letters are left out."""
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
            source_url=_first_source("letters"),
        )
        .values(*TIMELINE_FIELDS)
    )
    responses = Response.objects.annotate(
        entry_date=F("responded_on"),
        entry_kind=Value(RESPONSE_KIND, output_field=text),
        entry_title=Concat(F("responder"), Value(" responds to DOJ"), output_field=text),
        entry_summary=F("summary"),
        item_type=Value("letter", output_field=text),
        item_id=F("letter_id"),
        source_url=_first_source("responses"),
    ).values(*TIMELINE_FIELDS)
    events = Event.objects.annotate(
        entry_date=F("occurred_on"),
        entry_kind=F("kind"),
        entry_title=F("title"),
        entry_summary=F("summary"),
        item_type=Value("event", output_field=text),
        item_id=F("pk"),
        source_url=_first_source("events"),
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
