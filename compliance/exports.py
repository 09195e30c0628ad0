"""The matrix export, declared once: one row per letter x demanded condition with every
part of the answer and its sources (CSV), or one record per letter with the parts
nested (JSON, and the letter and jurisdiction pages' JSON)."""

from itertools import batched

from courts.models import Covered, Holding
from jurisdictions.control import Basis, ControlStatus
from jurisdictions.states import State
from laws.models import Effect, Level, MeasureKind
from letters.models import Letter, LetterStatus, ResponseStance
from listing import schema as js
from listing.exports import Column, Export, coded, label, register
from listing.links import absolute_url
from sources.models import Sourcing

from .answer import matrices, matrices_for, requested_day
from .verdicts import CourtVerdict, LawVerdict

EXPORT_CHUNK = 500
# Each letter is answered in full (about 1 ms each at national scale): 5,000 letters
# download in about 5 s; the whole data set's matrix is in /data/'s files.
MAX_LETTERS_PER_EXPORT = 5000


def _urls(records):
    return [source.url for source in records]


def _measure(measure):
    return {
        "name": measure.name,
        "citation": measure.citation,
        "kind": measure.kind,
        "kind_label": measure.get_kind_display(),
        "level": measure.level,
        "level_label": measure.get_level_display(),
        "jurisdiction": measure.jurisdiction.name,
        "effect": measure.effect,
        "effect_label": measure.get_effect_display(),
        "in_force_from": measure.effective_on or measure.enacted_on,
        "in_force_until": measure.ended_on,
        "summary": measure.summary,
        "sourcing": measure.sourcing,
        "sourcing_label": measure.get_sourcing_display(),
        "sources": _urls(measure.sources.all()),
    }


def _coverage(coverage):
    decision = coverage.decision
    return {
        "case": decision.case_name,
        "court": decision.court,
        "decided_on": decision.decided_on,
        "covered_as": coverage.covered_as,
        "in_force_from": coverage.start,
        "in_force_until": coverage.end,
        "sourcing": decision.sourcing,
        "sourcing_label": decision.get_sourcing_display(),
        "sources": _urls(decision.cited_sources),  # read by `court_decisions`
    }


def _court(answer):
    return {
        "program": answer.program,
        "fiscal_year": answer.fiscal_year,
        "fiscal_year_inferred": answer.fiscal_year_inferred,
        "own_award": answer.own_award,
        "verdict": answer.verdict,
        "verdict_label": label(CourtVerdict, answer.verdict),
        "covering": [_coverage(c) for c in answer.covering],
        "periods": [_coverage(c) for c in answer.periods],
        "precedent": [
            {
                "case": d.case_name,
                "court": d.court,
                "decided_on": d.decided_on,
                "holding": d.holding,
                "holding_label": d.get_holding_display(),
            }
            for d in answer.precedent
        ],
        "sentence": answer.sentence,
    }


def matrix_record(matrix, request):
    letter = matrix.letter
    return {
        "letter_id": letter.pk,
        "sent_on": letter.sent_on,
        "deadline": letter.deadline,
        "as_of": matrix.day,
        "program": letter.program.short_name,
        "recipient": letter.recipient.name,
        "recipient_slug": letter.recipient.slug,
        "state": letter.recipient.state,
        "state_label": letter.recipient.get_state_display(),
        "status": letter.status,
        "status_label": label(LetterStatus, letter.status),
        "responses": [
            {
                "date": r.responded_on,
                "responder": r.responder,
                "stance": r.stance,
                "stance_label": r.get_stance_display(),
                "summary": r.summary,
                "sourcing": r.sourcing,
                "sourcing_label": r.get_sourcing_display(),
                "sources": _urls(r.sources.all()),
            }
            for r in matrix.answer.responses
        ],
        "responses_sentence": matrix.answer.sentence,
        "awards": [
            {
                "fiscal_year": a.fiscal_year,
                "period": a.period,
                "amount_awarded": a.amount_awarded,
                "amount_withheld": a.amount_withheld,
                "what": a.what,
                "sourcing": a.sourcing,
                "sourcing_label": a.get_sourcing_display(),
                "sources": _urls(a.sources.all()),
            }
            for a in matrix.awards
        ],
        "conditions": [
            {
                "condition": row.condition.code,
                "condition_label": row.condition.name,
                "jail": row.jail.as_record(),
                "law": {
                    "verdict": row.law.verdict,
                    "verdict_label": row.law.label,
                    "sentence": row.law.sentence,
                    "parts": [
                        {
                            "level": part.level,
                            "level_label": label(Level, part.level),
                            "verdict": part.verdict,
                            "verdict_label": label(LawVerdict, part.verdict),
                            "sentence": part.sentence,
                            "measures": [_measure(m) for m in part.measures],
                            "start_not_recorded": [_measure(m) for m in part.undated],
                        }
                        for part in row.law.parts
                    ],
                },
                "courts": {
                    "verdict": row.court_verdict,
                    "verdict_label": label(CourtVerdict, row.court_verdict),
                    "answers": [_court(c) for c in row.courts],
                },
            }
            for row in matrix.rows
        ],
        "url": absolute_url(letter.get_absolute_url()),
    }


# The JSON shapes the builders above write (the OpenAPI document reads them; the
# schemathesis test checks real records against them).
MEASURE_SCHEMA = js.record(
    name=js.STRING,
    citation=js.STRING,
    **js.coded("kind", MeasureKind),
    **js.coded("level", Level),
    jurisdiction=js.STRING,
    **js.coded("effect", Effect),
    in_force_from=js.MAYBE_DATE,
    in_force_until=js.MAYBE_DATE,
    summary=js.STRING,
    **js.coded("sourcing", Sourcing),
    sources=js.SOURCES,
)
COVERAGE_SCHEMA = js.record(
    case=js.STRING,
    court=js.STRING,
    decided_on=js.MAYBE_DATE,
    covered_as=js.code(Covered),
    in_force_from=js.MAYBE_DATE,
    in_force_until=js.MAYBE_DATE,
    **js.coded("sourcing", Sourcing),
    sources=js.SOURCES,
)
COURT_ANSWER_SCHEMA = js.record(
    program=js.STRING,
    fiscal_year=js.MAYBE_INTEGER,
    fiscal_year_inferred=js.BOOLEAN,
    own_award=js.nullable(js.BOOLEAN),
    **js.coded("verdict", CourtVerdict),
    covering=js.array(COVERAGE_SCHEMA),
    periods=js.array(COVERAGE_SCHEMA),
    precedent=js.array(
        js.record(case=js.STRING, court=js.STRING, decided_on=js.MAYBE_DATE, **js.coded("holding", Holding))
    ),
    sentence=js.STRING,
)
JAIL_SCHEMA = js.record(
    "Who runs the jails holding the recipient's arrestees, for this condition (jurisdictions.control).",
    **js.coded("status", ControlStatus),
    **js.coded("basis", Basis),
    operators=js.array(js.OPERATOR),
    facilities=js.array(js.STRING),
    as_of=js.MAYBE_DATE,
    sentence=js.STRING,
    **js.coded("sourcing", Sourcing),
    sources=js.SOURCES,
)
CONDITION_ANSWER_SCHEMA = js.record(
    **js.coded("condition"),
    jail=JAIL_SCHEMA,
    law=js.record(
        **js.coded("verdict", LawVerdict),
        sentence=js.STRING,
        parts=js.array(
            js.record(
                **js.coded("level", Level),
                **js.coded("verdict", LawVerdict),
                sentence=js.STRING,
                measures=js.array(MEASURE_SCHEMA),
                start_not_recorded=js.array(MEASURE_SCHEMA),
            )
        ),
    ),
    courts=js.record(**js.coded("verdict", CourtVerdict), answers=js.array(COURT_ANSWER_SCHEMA)),
)
RESPONSE_SCHEMA = js.record(
    date=js.MAYBE_DATE,
    responder=js.STRING,
    **js.coded("stance", ResponseStance),
    summary=js.STRING,
    **js.coded("sourcing", Sourcing),
    sources=js.SOURCES,
)
AWARD_SCHEMA = js.record(
    fiscal_year=js.MAYBE_INTEGER,
    period=js.STRING,
    amount_awarded=js.MAYBE_INTEGER,
    amount_withheld=js.MAYBE_INTEGER,
    what=js.STRING,
    **js.coded("sourcing", Sourcing),
    sources=js.SOURCES,
)


def matrix_records(letters, request):
    on = requested_day(request)
    ids = letters.prefetch_related(None).values_list("pk", flat=True).iterator(chunk_size=EXPORT_CHUNK)
    for chunk in batched(ids, EXPORT_CHUNK):
        found = {m.letter.pk: m for m in matrices_for(Letter.objects.filter(pk__in=chunk), on)}
        for pk in chunk:
            yield matrix_record(found[pk], request)


def matrix_record_of(letter, request):
    """The record of one letter read by `answer.matrix_queryset` for the request's day
    (the letter page's own object), answered without reading the letter again."""
    return matrix_record(matrices([letter], requested_day(request))[0], request)


def _joined(items):
    return "; ".join(items)


def matrix_csv_rows(record):
    letter = {key: record[key] for key in ("letter_id", "sent_on", "deadline", "as_of", "program", "recipient")}
    letter.update(
        recipient_slug=record["recipient_slug"],
        state=record["state"],
        state_label=record["state_label"],
        status=record["status"],
        status_label=record["status_label"],
        responses_sentence=record["responses_sentence"],
        response_sources=" ".join(url for r in record["responses"] for url in r["sources"]),
        awards=_joined(
            f"FY{a['fiscal_year'] or a['period']}: awarded {a['amount_awarded'] or 'not stated'}, "
            f"withheld {a['amount_withheld'] or 'not stated'}"
            for a in record["awards"]
        ),
        url=record["url"],
    )
    for condition in record["conditions"]:
        jail, law, courts = condition["jail"], condition["law"], condition["courts"]
        measures = [m for part in law["parts"] for m in part["measures"]]
        decisions = [c for answer in courts["answers"] for c in answer["covering"]]
        yield {
            **letter,
            "condition": condition["condition"],
            "condition_label": condition["condition_label"],
            "jail_control": jail["status"],
            "jail_control_label": jail["status_label"],
            "jail_controllers": _joined(o["name"] for o in jail["operators"]),
            "jail_sentence": jail["sentence"],
            "jail_sourcing": jail["sourcing"],
            "jail_sourcing_label": jail["sourcing_label"],
            "jail_sources": " ".join(jail["sources"]),
            "law": law["verdict"],
            "law_label": law["verdict_label"],
            "law_measures": _joined(m["name"] for m in measures),
            "law_sentence": law["sentence"],
            "law_sources": " ".join(url for m in measures for url in m["sources"]),
            "courts": courts["verdict"],
            "courts_label": courts["verdict_label"],
            "court_orders": _joined(f"{c['case']} ({c['court']}, {c['decided_on']})" for c in decisions),
            "courts_sentence": " ".join(a["sentence"] for a in courts["answers"]),
            "court_sources": " ".join(url for c in decisions for url in c["sources"]),
        }


MATRIX = register(
    Export(
        name="matrix",
        title="Can it meet DOJ's conditions? (matrix)",
        max_rows=MAX_LETTERS_PER_EXPORT,
        row_name="letters",
        columns=(
            Column("letter_id", "The letter's number on this site.", type="integer"),
            Column("sent_on", "Date sent.", type="date"),
            Column("deadline", "Response deadline.", type="date"),
            Column(
                "as_of",
                "The day every part is answered for: the letter's date, or today with ?as_of=today.",
                type="date",
            ),
            Column("program", "Program short name."),
            Column("recipient", "The jurisdiction the letter went to."),
            Column("recipient_slug", "Its address on this site."),
            *coded("state", "Its state, as a USPS code.", State),
            *coded(
                "condition",
                "One demanded condition's code (one row per condition).",
                labelled_as="The condition's name, as its page shows it.",
            ),
            *coded("jail_control", "Does it run the jail, for this condition?", ControlStatus),
            Column("jail_controllers", "Who runs what the condition depends on; separated."),
            Column("jail_sentence", "The jail answer in plain words."),
            *coded("jail_sourcing", "How well the jail answer is sourced.", Sourcing),
            Column("jail_sources", "Sources of the bookings behind it, space-separated."),
            *coded(
                "law",
                "The strongest finding of state law and the recipient's own policies in force that day.",
                LawVerdict,
            ),
            Column("law_measures", "The laws and policies in force that bear on the condition; separated."),
            Column("law_sentence", "The law answer in plain words, state law then own policies."),
            Column("law_sources", "Their sources."),
            *coded(
                "courts",
                "Whether a court order covered it, for the letter's program and fiscal years "
                "(seed/data/README.md's coverage rule).",
                CourtVerdict,
            ),
            Column("court_orders", "The orders that covered it that day; separated."),
            Column("courts_sentence", "The court answer in plain words, per fiscal year (and own Byrne JAG award)."),
            Column("court_sources", "Sources of those orders."),
            *coded("status", "The letter's status, from its own responses.", LetterStatus),
            Column("responses_sentence", "Its responses in plain words, or that none was found."),
            Column("response_sources", "Their sources."),
            Column("awards", "Byrne JAG awards and amounts withheld per fiscal year, where a source states them."),
            Column("url", "The letter's page.", json=js.URI),
        ),
        records=matrix_records,
        csv_rows=matrix_csv_rows,
        record_of=matrix_record_of,
        json_fields=(
            *(
                Column(name, "")
                for name in ("letter_id", "sent_on", "deadline", "as_of", "program", "recipient", "recipient_slug")
            ),
            Column("state", ""),
            Column("state_label", ""),
            Column("status", ""),
            Column("status_label", ""),
            Column("responses", "The letter's responses, each with its sources.", json=js.array(RESPONSE_SCHEMA)),
            Column("responses_sentence", ""),
            Column(
                "awards",
                "Byrne JAG awards: fiscal_year, period, amounts awarded and withheld, sourcing, sources.",
                json=js.array(AWARD_SCHEMA),
            ),
            Column(
                "conditions",
                "One object per demanded condition: condition, jail (status, basis, operators, sentence, "
                "sourcing, sources), law (verdict, sentence, parts with their measures) and courts (verdict, "
                "answers), which the CSV flattens into its jail_, law_ and court columns. Every code has its "
                "label beside it (verdict_label, stance_label, …).",
                json=js.array(CONDITION_ANSWER_SCHEMA),
            ),
            Column("url", ""),
        ),
        note="Filter it like the letter list: /matrix/?state=CA&condition=jail_access&format=csv.",
    )
)
