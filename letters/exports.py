"""The letter and timeline exports, declared once: the list pages' CSV/JSON, the
letter and jurisdiction JSON and the about page all read these."""

from itertools import batched
from operator import itemgetter

from django.db.models import CharField, OuterRef, StringAgg, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse

from jurisdictions.control import ControlStatus, JailControl, Operator, held_in
from jurisdictions.models import Jurisdiction, JurisdictionKind, booking_in_force
from jurisdictions.states import State
from listing import schema as js
from listing.exports import Column, Export, coded, labels_of, register
from listing.links import absolute_url
from listing.schema import register_detail
from programs.models import Condition
from sources.models import Sourcing

from .filters import TIMELINE_KINDS
from .models import Demand, EventKind, Letter, LetterStatus, ResponseStance, control_day
from .selectors import with_source_urls

EXPORT_CHUNK = 2000
# What each chunk's query reads of a letter, by column.
LETTER_FIELDS = {
    "letter_id": "pk",
    "sent_on": "sent_on",
    "deadline": "deadline",
    "status": "status",
    "program": "program__short_name",
    "batch": "batch__code",
    "batch_label": "batch__label",
    "recipient": "recipient__name",
    "recipient_slug": "recipient__slug",
    "recipient_kind": "recipient__kind",
    "state": "recipient__state",
    "addressee": "addressee",
    "sender_name": "sender_name",
    "sender_title": "sender_title",
}
# The letter's coded columns whose labels come from choices, not from the query.
LETTER_CHOICES = {"status": LetterStatus, "recipient_kind": JurisdictionKind, "state": State}


def url_maker(viewname, **kwargs):
    """reverse() per row costs a second over 50,000 letters; every URL has this shape."""
    template = absolute_url(reverse(viewname, kwargs=dict.fromkeys(kwargs, 999999999)))
    return lambda pk: template.replace("999999999", str(pk))


def letters_in_chunks(letters):
    """Per letter, in the queryset's order: ({column: value} of its LETTER_COLUMNS, its
    demands as (Condition, control, JailControl) sorted by code, its source URLs).

    One query, read EXPORT_CHUNK rows at a time (a server-side cursor on PostgreSQL),
    gives the letters with their status and their demanded conditions (each with its
    control, `Demand.with_control`: the stored answer, the rule where none is stored)
    and sources aggregated in SQL; per chunk two more read the recipients and their
    bookings as plain values, from which `JailControl.from_held` names who runs the
    jails and writes the sentence (the export prints no booking sources, so none are
    loaded). Plain tuples, not model objects, so exporting tens of thousands of letters
    streams in seconds with flat memory.
    """
    conditions = {c.code: c for c in Condition.objects.only("code", "name", "control_locus")}
    choice_labels = [(name, f"{name}_label", labels_of(choices)) for name, choices in LETTER_CHOICES.items()]
    for chunk in batched(export_rows(letters).iterator(chunk_size=EXPORT_CHUNK), EXPORT_CHUNK):
        recipient_ids = {row[-3] for row in chunk}
        recipients = {
            pk: (Operator(name, slug), local_jails)
            for pk, name, slug, local_jails in Jurisdiction.objects.filter(pk__in=recipient_ids).values_list(
                "pk", "name", "slug", "local_jails_operated_by"
            )
        }
        bookings = held_in(recipient_ids)
        answers = {}  # one JailControl per recipient, day and kind of condition
        for row in chunk:
            *values, recipient_id, controls, urls = row
            letter = dict(zip(LETTER_FIELDS, values, strict=True))
            letter["batch"] = letter["batch"] or ""
            letter["batch_label"] = letter["batch_label"] or ""
            for name, label_name, labels in choice_labels:
                letter[label_name] = labels.get(letter[name], letter[name])
            day = control_day(letter["sent_on"], letter["deadline"])
            subject, local_jails = recipients[recipient_id]
            demands = []
            for code, control in sorted(pair.split(":") for pair in controls.split(",")) if controls else ():
                condition = conditions[code]
                on_jail = condition.depends_on_jail
                key = (recipient_id, day, on_jail, control)
                if key not in answers:
                    held = [h for start, end, h in bookings[recipient_id] if booking_in_force(start, end, day)]
                    answers[key] = JailControl.for_condition_held(subject, local_jails, on_jail, control, held, day)
                demands.append((condition, control, answers[key]))
            yield letter, demands, in_citation_order(urls)


def in_citation_order(links):
    """ "link-id url link-id url ..." (URLs hold no spaces) as the URLs in the order they
    were cited. The aggregates are not ordered in SQL: SQLite before 3.44 cannot."""
    if not links:
        return []
    words = links.split(" ")
    return [url for _, url in sorted(zip(map(int, words[::2]), words[1::2], strict=True))]


def export_rows(letters):
    """`letters` (filtered and ordered as the list shows them) as tuples: LETTER_FIELDS,
    recipient id, the demands as "code:control,code:control" and the source links
    (`in_citation_order`)."""
    controls = (
        Demand.objects.filter(letter=OuterRef("pk"))
        .with_control()
        .order_by()
        .values("letter")
        .annotate(
            pairs=StringAgg(Concat("condition__code", Value(":"), "control", output_field=CharField()), Value(","))
        )
        .values("pairs")
    )
    source_links = Letter.sources.through.objects
    urls = (
        source_links.filter(letter=OuterRef("pk"))
        .order_by()
        .values("letter")
        .annotate(
            urls=StringAgg(
                Concat(Cast("pk", CharField()), Value(" "), "source__url", output_field=CharField()), Value(" ")
            )
        )
        .values("urls")
    )
    if "status" not in letters.query.annotations:  # the list's queryset has it already
        letters = letters.with_status()
    return (
        letters.prefetch_related(None)
        .annotate(demand_controls=Subquery(controls), source_urls=Subquery(urls))
        .values_list(*LETTER_FIELDS.values(), "recipient_id", "demand_controls", "source_urls")
    )


CONTROL_LABELS = labels_of(ControlStatus)


def letter_records(letters, request):
    """One dict per letter, with each demanded condition, how far the recipient
    controls it on the letter's date and who does (`jurisdictions.control`), and its
    sources, in the queryset's order."""
    letter_url = url_maker("letters:detail", pk=0)
    for letter, demands, urls in letters_in_chunks(letters):
        record = {name: letter[name] for name in LETTER_COLUMNS}
        record["conditions"] = [
            {
                "condition": condition.code,
                "condition_label": condition.name,
                "control": control,
                "control_label": CONTROL_LABELS[control],
                "controllers": [{"name": o.name, "slug": o.slug} for o in answer.operators],
                "control_sentence": answer.sentence,
            }
            for condition, control, answer in demands
        ]
        record["sources"] = urls
        record["url"] = letter_url(record["letter_id"])
        yield record


def letter_csv_table(letters, request):
    """The CSV rows as tuples, one per demanded condition (one with empty condition
    cells for a letter with none), in the order of the export's columns."""
    letter_url = url_maker("letters:detail", pk=0)
    letter_values = itemgetter(*LETTER_COLUMNS)
    last_answer = words = None
    for letter, demands, urls in letters_in_chunks(letters):
        values = letter_values(letter)
        tail = (" ".join(urls), letter_url(letter["letter_id"]))
        if not demands:
            yield (*values, "", "", "", "", "", "", *tail)
        for condition, control, answer in demands:
            if answer is not last_answer:
                # Written once per answer, not per row: a letter's jail conditions share one.
                last_answer = answer
                words = ("; ".join(f"{o.name} ({o.slug})" for o in answer.operators), answer.sentence)
            yield (*values, condition.code, condition.name, control, CONTROL_LABELS[control], *words, *tail)


LETTER_COLUMNS_DOCUMENTED = (
    Column("letter_id", "The letter's number on this site.", type="integer"),
    Column("sent_on", "Date sent (YYYY-MM-DD); empty when no source gives it.", type="date"),
    Column("deadline", "Response deadline.", type="date"),
    *coded("status", "Where it stands, from its own responses.", LetterStatus),
    Column("program", "Program short name."),
    *coded("batch", "Code of the batch it was sent with.", labelled_as="The batch's name, as the pages show it."),
    Column("recipient", "The jurisdiction it was sent to."),
    Column("recipient_slug", "That jurisdiction's address on this site."),
    *coded("recipient_kind", "What kind of government it is.", JurisdictionKind),
    *coded("state", "Its state, as a USPS code.", State),
    Column("addressee", "The agency or official it was addressed to."),
    Column("sender_name", "Who signed it."),
    Column("sender_title", "The signer's title."),
)
# The letter's own columns, in order: each is in every CSV row and JSON record.
LETTER_COLUMNS = [column.name for column in LETTER_COLUMNS_DOCUMENTED]
DEMAND_COLUMNS = (
    *coded(
        "condition",
        "One demanded condition's code (CSV: one row per condition).",
        labelled_as="The condition's name, as its page shows it.",
    ),
    *coded("control", "How far the recipient controls it, on the letter's date.", ControlStatus),
)

DEMAND_SCHEMA = js.record(
    **js.coded("condition"),
    **js.coded("control", ControlStatus),
    controllers=js.array(js.OPERATOR),
    control_sentence=js.STRING,
)

LETTERS = register(
    Export(
        name="letters",
        title="Letters",
        columns=(
            *LETTER_COLUMNS_DOCUMENTED,
            *DEMAND_COLUMNS,
            Column("controllers", "Who runs what the condition depends on, as Name (slug); separated."),
            Column("control_sentence", "The same answer in plain words, as the pages show it."),
            Column("sources", "Source URLs, space-separated."),
            Column("url", "The letter's page."),
        ),
        records=letter_records,
        csv_table=letter_csv_table,
        json_fields=(
            *(Column(name, "") for name in LETTER_COLUMNS),
            Column(
                "conditions",
                "The demanded conditions, each with "
                + ", ".join(column.name for column in DEMAND_COLUMNS)
                + ", controllers (name and slug of each) and control_sentence, as in the CSV's columns of "
                "those names.",
                json=js.array(DEMAND_SCHEMA),
            ),
            Column("sources", "Source URLs.", json=js.SOURCES),
            Column("url", "The letter's page.", json=js.URI),
        ),
        note="CSV has one row per demanded condition; JSON nests the conditions under each letter.",
    )
)


def timeline_records(entries, request):
    letter_url = url_maker("letters:detail", pk=0)
    list_url = url_maker("sanctuary_lists:by_id", pk=0)
    event_url = url_maker("letters:event", pk=0)
    page_of = {"letter": letter_url, "list": list_url, "event": event_url}
    kind_labels = labels_of(TIMELINE_KINDS)
    for chunk in batched(entries, EXPORT_CHUNK):
        for entry in with_source_urls(chunk):
            yield {
                "date": entry["entry_date"],
                "kind": entry["entry_kind"],
                "kind_label": kind_labels.get(entry["entry_kind"], entry["entry_kind"]),
                "title": entry["entry_title"],
                "summary": entry["entry_summary"],
                "url": page_of[entry["item_type"]](entry["item_id"]),
                "source_url": entry["source_url"] or "",
            }


TIMELINE = register(
    Export(
        name="timeline",
        title="Timeline",
        columns=(
            Column("date", "When it happened.", type="date"),
            *coded("kind", "What happened: a letter, a response, a list's change or an event.", TIMELINE_KINDS),
            Column("title", "Short title."),
            Column("summary", "What happened."),
            Column("url", "Its page on this site.", json=js.URI),
            Column("source_url", "Its first source."),
        ),
        records=timeline_records,
    )
)


register_detail(
    "letters:detail",
    "letter",
    LETTERS.record_schema(
        responses=js.array(
            js.record(date=js.MAYBE_DATE, responder=js.STRING, **js.coded("stance", ResponseStance), summary=js.STRING)
        ),
        batch_letters=js.described(js.array(js.INTEGER), "Other letters of its batch (numbers), the first few."),
        matrix=js.described(js.ref("matrix"), "The letter's answer, as one record of the matrix export."),
    ),
)
register_detail(
    "letters:event",
    "event",
    js.record(
        event_id=js.INTEGER,
        date=js.MAYBE_DATE,
        **js.coded("kind", EventKind),
        title=js.STRING,
        summary=js.STRING,
        actor=js.STRING,
        outcome=js.STRING,
        **js.coded("sourcing", Sourcing),
        jurisdictions=js.described(js.array(js.STRING), "Slugs of the jurisdictions it involves."),
        programs=js.described(js.array(js.STRING), "Slugs of the programs it involves."),
        conditions=js.described(js.array(js.STRING), "Codes of the conditions it involves."),
        letters=js.described(js.array(js.INTEGER), "Numbers of the letters it bears on."),
        sources=js.SOURCES,
        url=js.URI,
    ),
)
