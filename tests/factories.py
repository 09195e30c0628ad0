"""Small builders for test data: each fills sensible defaults the test does not care about."""

import datetime
import itertools

from compliance.stored import store_answers
from courts.models import CourtDecision
from jurisdictions.control import store_jail_control
from jurisdictions.models import Booking, Facility, Jurisdiction
from laws.models import LegalMeasure
from letters.models import Batch, Demand, Event, Letter, Response
from programs.models import Award, Condition, Program, default_locus
from sources.models import Source

_counter = itertools.count(1)


def make_source(**kwargs):
    kwargs.setdefault("url", f"https://news.example.org/story-{next(_counter)}")
    return Source.objects.create(**kwargs)


def make_jurisdiction(name=None, **kwargs):
    kwargs.setdefault("kind", Jurisdiction.Kind.CITY)
    kwargs.setdefault("state", "CA")
    return Jurisdiction.objects.create(name=name or f"Place {next(_counter)}", **kwargs)


def make_facility(operator, **kwargs):
    kwargs.setdefault("name", f"{operator.name} jail {next(_counter)}")
    kwargs.setdefault("state", operator.state)
    kwargs.setdefault("facility_type", Facility.Type.COUNTY_JAIL)
    facility = Facility.objects.create(operator=operator, **kwargs)
    facility.sources.add(make_source())
    return facility


def book(jurisdiction, facility, stage=Booking.Stage.ALL, **kwargs):
    return Booking.objects.create(jurisdiction=jurisdiction, facility=facility, stage=stage, **kwargs)


def make_program(short_name="Byrne JAG", **kwargs):
    kwargs.setdefault("name", f"{short_name} program")
    kwargs.setdefault("slug", short_name.lower().replace(" ", "-"))
    kwargs.setdefault("kind", Program.Kind.GRANT)
    return Program.objects.create(short_name=short_name, **kwargs)


def make_condition(code, locus=None, **kwargs):
    kwargs.setdefault("name", code.replace("_", " "))
    return Condition.objects.create(code=code, control_locus=locus or default_locus(code), **kwargs)


def make_letter(recipient, program, conditions=(), **kwargs):
    kwargs.setdefault("sent_on", datetime.date(2017, 8, 3))
    kwargs.setdefault("deadline", datetime.date(2017, 8, 18))
    kwargs.setdefault("addressee", f"{recipient.name} Police Department")
    kwargs.setdefault("addressee_confirmed", True)
    letter = Letter.objects.create(recipient=recipient, program=program, **kwargs)
    letter.conditions.add(*conditions)  # through the signals that store its answers
    letter.sources.add(make_source())
    return letter


def make_batch(code="B2017-08-03_PSP", **kwargs):
    kwargs.setdefault("label", code)
    return Batch.objects.create(code=code, **kwargs)


def make_response(letter, **kwargs):
    kwargs.setdefault("responded_on", datetime.date(2017, 8, 17))
    kwargs.setdefault("responder", "Police chief")
    kwargs.setdefault("stance", Response.Stance.DISPUTED)
    kwargs.setdefault("summary", "Says the questions do not apply.")
    return Response.objects.create(letter=letter, **kwargs)


def make_event(jurisdictions=(), **kwargs):
    kwargs.setdefault("occurred_on", datetime.date(2017, 9, 15))
    kwargs.setdefault("kind", Event.Kind.COURT_RULING)
    kwargs.setdefault("title", f"Ruling {next(_counter)}")
    kwargs.setdefault("summary", "A court ruled.")
    event = Event.objects.create(**kwargs)
    event.jurisdictions.set(jurisdictions)
    event.sources.add(make_source())
    return event


def make_many_letters(count, program, conditions, *, operator=None, start=0):
    """`count` letters, each to its own city whose arrestees are held in `operator`'s jail."""
    operator = operator or make_jurisdiction(f"Bulk County {start}", kind=Jurisdiction.Kind.COUNTY)
    jail = make_facility(operator)
    source = make_source()
    cities = Jurisdiction.objects.bulk_create(
        [
            Jurisdiction(name=f"Bulk City {start + i}", slug=f"bulk-city-{start + i}", kind="city", state="CA")
            for i in range(count)
        ]
    )
    Booking.objects.bulk_create([Booking(jurisdiction=city, facility=jail) for city in cities])
    letters = Letter.objects.bulk_create(
        [
            Letter(
                recipient=city,
                program=program,
                addressee=f"{city.name} Police",
                sent_on=datetime.date(2017, 11, 15),
                deadline=datetime.date(2017, 12, 8),
            )
            for city in cities
        ]
    )
    Demand.objects.bulk_create([Demand(letter=letter, condition=c) for letter in letters for c in conditions])
    Letter.sources.through.objects.bulk_create(
        [Letter.sources.through(letter=letter, source=source) for letter in letters]
    )
    # Every part of each letter's answer has a row to read: its own policy, an award,
    # a response, so query budgets are checked with the data growing everywhere.
    measures = LegalMeasure.objects.bulk_create(
        [
            LegalMeasure(
                jurisdiction=city,
                level=LegalMeasure.Level.LOCAL,
                name=f"{city.name} ordinance",
                kind=LegalMeasure.Kind.ORDINANCE,
                effective_on=datetime.date(2015, 1, 1),
                effect=LegalMeasure.Effect.RESTRICTS,
                summary="Limits cooperation.",
            )
            for city in cities
        ]
    )
    LegalMeasure.conditions.through.objects.bulk_create(
        [LegalMeasure.conditions.through(legalmeasure=m, condition=c) for m in measures for c in conditions]
    )
    LegalMeasure.sources.through.objects.bulk_create(
        [LegalMeasure.sources.through(legalmeasure=m, source=source) for m in measures]
    )
    awards = Award.objects.bulk_create(
        [
            Award(program=program, jurisdiction=city, fiscal_year=2017, amount_awarded=1000, what="award")
            for city in cities
        ]
    )
    Award.sources.through.objects.bulk_create([Award.sources.through(award=a, source=source) for a in awards])
    responses = Response.objects.bulk_create(
        [
            Response(letter=letter, responded_on=datetime.date(2017, 12, 1), responder="Chief", stance="disputed")
            for letter in letters
        ]
    )
    Response.sources.through.objects.bulk_create(
        [Response.sources.through(response=r, source=source) for r in responses]
    )
    # Bulk writes skip the signals: store what they change, as the bench generator does.
    store_jail_control([city.pk for city in cities])
    store_answers(Letter.objects.filter(pk__in=[letter.pk for letter in letters]))
    return letters


def make_measure(jurisdiction, conditions=(), **kwargs):
    kwargs.setdefault("level", LegalMeasure.Level.STATE if jurisdiction.kind == "state" else LegalMeasure.Level.LOCAL)
    kwargs.setdefault("name", f"Measure {next(_counter)}")
    kwargs.setdefault("kind", LegalMeasure.Kind.STATUTE)
    kwargs.setdefault("effect", LegalMeasure.Effect.RESTRICTS)
    kwargs.setdefault("summary", "Limits cooperation.")
    measure = LegalMeasure.objects.create(jurisdiction=jurisdiction, **kwargs)
    measure.conditions.set(conditions)
    measure.sources.add(make_source())
    return measure


def make_decision(programs=(), conditions=(), covered_jurisdictions=(), **kwargs):
    kwargs.setdefault("case_name", f"City v. Sessions {next(_counter)}")
    kwargs.setdefault("court", "N.D. Ill.")
    kwargs.setdefault("decided_on", datetime.date(2017, 9, 15))
    kwargs.setdefault("decision_kind", "preliminary injunction")
    kwargs.setdefault("outcome", "Enjoined the conditions.")
    kwargs.setdefault("holding", CourtDecision.Holding.BLOCKED)
    kwargs.setdefault("binding_effect", CourtDecision.BindingEffect.GRANTS_RELIEF)
    kwargs.setdefault("fiscal_years", [2017])
    kwargs.setdefault("covered", CourtDecision.Covered.NATIONWIDE)
    kwargs.setdefault("in_force_from", kwargs["decided_on"])
    decision = CourtDecision.objects.create(**kwargs)
    decision.programs.set(programs)
    decision.conditions.set(conditions)
    decision.covered_jurisdictions.set(covered_jurisdictions)
    decision.sources.add(make_source())
    return decision


def make_pdf(text):
    """A minimal one-page PDF showing `text` in Helvetica (pypdf extracts it back)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    body = b"%PDF-1.4\n"
    offsets = []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += f"{number} 0 obj\n".encode() + content + b"\nendobj\n"
    xref = len(body)
    body += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    body += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    body += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return body


def make_list(slug="doj-2025-08-05", **kwargs):
    from sanctuary_lists.models import PublishedList

    kwargs.setdefault("title", f"List {slug}")
    kwargs.setdefault("publisher", "U.S. Department of Justice")
    kwargs.setdefault("published_on", datetime.date(2025, 8, 5))
    published = PublishedList.objects.create(slug=slug, **kwargs)
    published.sources.add(make_source())
    return published


def make_entry(published_list, jurisdiction, section="Cities", **kwargs):
    from sanctuary_lists.models import ListEntry

    kwargs.setdefault("name_as_printed", jurisdiction.name)
    entry = ListEntry.objects.create(
        published_list=published_list, jurisdiction=jurisdiction, section=section, **kwargs
    )
    entry.sources.add(make_source())
    return entry
