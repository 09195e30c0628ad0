"""The letter and timeline exports, declared once: the list pages' CSV/JSON, the
letter and jurisdiction JSON and the about page all read these."""

from itertools import batched, chain
from operator import itemgetter

from django.db.models import CharField, OuterRef, StringAgg, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.urls import reverse

from jurisdictions.control import ControlStatus, JailControl, Operator, held_in
from jurisdictions.models import JurisdictionKind, booking_in_force
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
# What the export's query reads of a letter, by column (no batch: empty);
# `letter_record_of` reads the same of a letter already loaded (`loaded_value`).
LETTER_FIELDS = {
    "letter_id": "pk",
    "sent_on": "sent_on",
    "deadline": "deadline",
    "status": "status",
    "program": "program__short_name",
    "batch": Coalesce("batch__code", Value("")),
    "batch_label": Coalesce("batch__label", Value("")),
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


def letters_with_answers(letters, words):
    """Per letter, in the queryset's order: (its LETTER_COLUMNS values, its demands as
    (Condition, control, `words(answer)`) sorted by code, its source links as
    `in_citation_order` reads them).

    Three queries however many letters. The conditions; the bookings of every
    recipient, as plain values (`held_in`: the export prints no booking sources, so
    none are loaded); and one for the letters, read EXPORT_CHUNK rows at a time (a
    server-side cursor on PostgreSQL), with their status, their recipient and their
    demanded conditions (each with its control, `Demand.with_control`: the stored
    answer, the rule where none is stored) and sources aggregated in SQL. From those,
    `JailControl.for_condition_held` names who runs the jails and writes the sentence,
    and `words` turns that answer into what the export prints of it, once per recipient,
    day, kind of condition and control among the last letters (a letter's jail
    conditions share one). Plain tuples, not model objects, so exporting tens of
    thousands of letters streams in seconds with flat memory.
    """
    conditions = {c.code: c for c in Condition.objects.only("code", "name", "control_locus")}
    # {the aggregated "code:control,..." of a letter: its demands, parsed and sorted}: a
    # few hundred combinations of conditions and controls recur over every letter.
    parsed = {"": ()}
    bookings = held_in(letters.order_by().values("recipient_id"))
    answers = {}  # {(recipient id, day, kind of condition, control): words}
    # Whole chunks are read before any row is handed on, so an export that fits in one
    # has closed its server-side cursor before the response starts: a response that is
    # never read to the end (a client gone, a test) then leaves no cursor open, whose
    # late close, after its transaction ended, would fail the connection's next one.
    rows = chain.from_iterable(batched(export_rows(letters).iterator(chunk_size=EXPORT_CHUNK), EXPORT_CHUNK))
    for row in rows:
        if len(answers) > EXPORT_CHUNK:
            # Most are shared within a letter: keeping every one would grow with the letters.
            answers.clear()
        values, (recipient_id, local_jails, controls, links) = row[:RECIPIENT], row[RECIPIENT:]
        pairs = parsed.get(controls or "")
        if pairs is None:
            pairs = parsed[controls] = tuple(
                (conditions[code], control, conditions[code].depends_on_jail)
                for code, control in sorted(pair.split(":") for pair in controls.split(","))
            )
        day = control_day(values[SENT_ON], values[DEADLINE])
        demands = []
        for condition, control, on_jail in pairs:
            key = (recipient_id, day, on_jail, control)
            said = answers.get(key)
            if said is None:
                subject = Operator(values[RECIPIENT_NAME], values[RECIPIENT_SLUG])
                held = [h for start, end, h in bookings.get(recipient_id, ()) if booking_in_force(start, end, day)]
                answer = JailControl.for_condition_held(subject, local_jails, on_jail, control, held, day)
                said = answers[key] = words(answer)
            demands.append((condition, control, said))
        yield letter_values(values), demands, links


def in_citation_order(links):
    """ "link-id url link-id url ..." (URLs hold no spaces) as the URLs in the order they
    were cited. The aggregates are not ordered in SQL: SQLite before 3.44 cannot."""
    if not links:
        return []
    words = links.split(" ")
    if len(words) == 2:  # most letters cite one source
        return [words[1]]
    return [url for _, url in sorted(zip(map(int, words[::2]), words[1::2], strict=True))]


def export_rows(letters):
    """`letters` (filtered and ordered as the list shows them) as tuples: LETTER_FIELDS,
    then from RECIPIENT on the recipient's id and who runs its local jails, the demands
    as "code:control,code:control" and the source links (`in_citation_order`)."""
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
    if "status" not in letters.query.annotations:  # the list's queryset has it already
        letters = letters.with_status()
    return (
        letters.prefetch_related(None)
        .annotate(demand_controls=Subquery(controls), source_urls=cited_source_urls())
        .values_list(
            *LETTER_FIELDS.values(),
            "recipient_id",
            "recipient__local_jails_operated_by",
            "demand_controls",
            "source_urls",
        )
    )


def cited_source_urls():
    """SQL for a letter's source links, "link-id url link-id url ...", which
    `in_citation_order` reads: a column of the letter's own row, not a query of its own."""
    urls = (
        Letter.sources.through.objects.filter(letter=OuterRef("pk"))
        .order_by()
        .values("letter")
        .annotate(
            urls=StringAgg(
                Concat(Cast("pk", CharField()), Value(" "), "source__url", output_field=CharField()), Value(" ")
            )
        )
        .values("urls")
    )
    return Subquery(urls)


# Where `export_rows` puts what `letters_with_answers` reads by position.
SENT_ON, DEADLINE, RECIPIENT_NAME, RECIPIENT_SLUG = (
    list(LETTER_FIELDS).index(name) for name in ("sent_on", "deadline", "recipient", "recipient_slug")
)
RECIPIENT = len(LETTER_FIELDS)
CONTROL_LABELS = labels_of(ControlStatus)
# The coded columns' labels, looked up by their codes' positions in LETTER_FIELDS.
CODES_LABELLED = [(list(LETTER_FIELDS).index(name), labels_of(choices)) for name, choices in LETTER_CHOICES.items()]


def letter_values(values):
    """A letter's LETTER_COLUMNS values, in their order: its LETTER_FIELDS values with
    each code's label beside it."""
    labels = [labels.get(values[at], values[at]) for at, labels in CODES_LABELLED]
    return IN_COLUMN_ORDER((*values, *labels))


def letter_records(letters, request):
    """One dict per letter, with each demanded condition, how far the recipient
    controls it on the letter's date and who does (`jurisdictions.control`), and its
    sources, in the queryset's order."""
    letter_url = url_maker("letters:detail", pk=0)
    for values, demands, links in letters_with_answers(letters, record_words):
        yield letter_record(values, demands, links, letter_url)


def record_words(answer):
    """What a record says of a control answer: who runs the jails, and the sentence."""
    return [(o.name, o.slug) for o in answer.operators], answer.sentence


def letter_record(values, demands, links, letter_url):
    """One letter's record from its LETTER_COLUMNS values, its demands as (Condition,
    control, ([(operator name, slug)], sentence)) and its source links."""
    record = dict(zip(LETTER_COLUMNS, values, strict=True))
    record["conditions"] = [
        {
            "condition": condition.code,
            "condition_label": condition.name,
            "control": control,
            "control_label": CONTROL_LABELS[control],
            "controllers": [{"name": name, "slug": slug} for name, slug in operators],
            "control_sentence": sentence,
        }
        for condition, control, (operators, sentence) in demands
    ]
    record["sources"] = in_citation_order(links)
    record["url"] = letter_url(record["letter_id"])
    return record


def letter_record_of(letter, request):
    """The record `letter_records` writes, of one letter the letter page read for its
    own date (`LetterQuerySet.for_answers`, annotated with `cited_source_urls`), from
    what the page already holds: its demands' control answers are those its matrix
    shows, not read again as plain values (issue 15: four queries fewer). A letter read
    otherwise (without `cited_source_urls`, or as of another day, whose demands answer
    for that day) has its record read as the export reads it."""
    if not hasattr(letter, "cited_source_urls"):
        return next(letter_records(Letter.objects.filter(pk=letter.pk), request))
    demands = [(d.condition, d.control, record_words(d.control_answer)) for d in letter.demands.all()]
    values = letter_values(tuple(loaded_value(letter, field) for field in LETTER_FIELDS.values()))
    return letter_record(values, demands, letter.cited_source_urls, url_maker("letters:detail", pk=0))


def loaded_value(letter, field):
    """What the export's query reads for `field` (a LETTER_FIELDS value), read from a
    letter already loaded: its path followed attribute by attribute, and a Coalesce's
    path or ""."""
    if isinstance(field, Coalesce):
        return loaded_value(letter, field.source_expressions[0].name) or ""
    value = letter
    for name in field.split("__"):
        value = getattr(value, name) if value is not None else None  # a missing relation: None
    return value


def letter_csv_lines(letters, request, cells):
    """The CSV rows, one per demanded condition (one with empty condition cells for a
    letter with none), as text made of `cells` fragments: the letter's own cells once
    per letter, a condition's with its control once, an answer's once."""
    letter_url = url_maker("letters:detail", pk=0)
    no_condition = cells(("",) * DEMAND_CELLS)
    condition_cells = {}  # {(code, control): its four cells}
    end = cells.line_end

    def words(answer):
        return cells(("; ".join(f"{o.name} ({o.slug})" for o in answer.operators), answer.sentence))

    for values, demands, links in letters_with_answers(letters, words):
        start = cells(values) + ","
        tail = "," + cells((" ".join(in_citation_order(links)), letter_url(values[LETTER_ID]))) + end
        if not demands:
            yield start + no_condition + tail
        for condition, control, said in demands:
            head = condition_cells.get((condition.code, control))
            if head is None:
                head = condition_cells[condition.code, control] = (
                    cells((condition.code, condition.name, control, CONTROL_LABELS[control])) + ","
                )
            yield start + head + said + tail


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
LETTER_ID = LETTER_COLUMNS.index("letter_id")
# Picks the LETTER_COLUMNS out of a letter's LETTER_FIELDS values followed by its labels.
IN_COLUMN_ORDER = itemgetter(
    *(
        list(LETTER_FIELDS).index(name)
        if name in LETTER_FIELDS
        else len(LETTER_FIELDS) + list(LETTER_CHOICES).index(name.removesuffix("_label"))
        for name in LETTER_COLUMNS
    )
)
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
        record_of=letter_record_of,
        csv_lines=letter_csv_lines,
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
# A CSV row's cells between the letter's and its sources: empty for a letter without conditions.
DEMAND_CELLS = len(LETTERS.columns) - len(LETTER_COLUMNS) - 2


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
