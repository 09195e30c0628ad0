"""Generate a national-scale data set for benchmarks into a separate database.

Every U.S. state and county with real names and FIPS codes (from the addfips package),
generated cities up to 20,000 jurisdictions, 5,000 facilities, 50,000 letters with one
to four conditions, responses and events. Deterministic (seeded) and bulk-loaded.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sanctuary_bench python bench/generate.py

Refuses any database whose name does not contain "bench", so it can never touch the
seed or production data.
"""

import csv
import datetime
import io
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanctuary_tracker.settings")

JURISDICTIONS = 20_000
FACILITIES = 5_000
LETTERS = 50_000
RESPONSES = 5_000
EVENTS = 2_000
BUSY_LETTERS = 300  # letters to one city, for the "detail page with many letters" figure
BATCH = 2_000


def main():
    import addfips
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils.text import slugify

    from compliance.stored import recompute_everything
    from jurisdictions.models import Booking, Facility, Jurisdiction
    from jurisdictions.states import STATES
    from letters.models import Batch, Demand, Event, Letter, Response
    from programs.models import Condition, Program
    from revisions.models import DataVersion
    from sources.models import Source

    name = str(settings.DATABASES["default"]["NAME"])
    if "bench" not in Path(name).name:
        sys.exit(f"Refusing to write benchmark data into {name!r}: its name must contain 'bench'.")

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    call_command("load_seed", stdout=io.StringIO())  # programs, conditions and the real letters
    rng = random.Random(2017)
    data_dir = Path(addfips.__file__).parent / "data"

    with transaction.atomic():
        existing = set(Jurisdiction.objects.values_list("slug", flat=True))
        existing_names = set(Jurisdiction.objects.values_list("name", "state"))
        states = {j.state: j for j in Jurisdiction.objects.filter(kind="state")}
        new_states = [
            Jurisdiction(name=f"State of {state_name}", slug=f"state-of-{code.lower()}-bench", kind="state",
                         state=code, fips=fips)
            for code, (state_name, fips, _) in STATES.items() if code not in states
        ]  # fmt: skip
        for state in Jurisdiction.objects.bulk_create(new_states):
            states[state.state] = state
        code_by_fips = {fips: code for code, (_, fips, _) in STATES.items()}

        counties = []
        with (data_dir / "counties_2020.csv").open() as handle:
            for row in csv.DictReader(handle):
                code = code_by_fips.get(row["statefp"])
                # slugify: county names such as "St. Helena Parish" hold characters a slug may not.
                slug = slugify(f"{row['name']}-{code}-{row['statefp']}{row['countyfp']}")
                if code and slug not in existing and (row["name"], code) not in existing_names:
                    fips = row["statefp"] + row["countyfp"]
                    counties.append(
                        Jurisdiction(
                            name=row["name"], slug=slug, kind="county", state=code, parent=states[code], fips=fips
                        )
                    )
        counties = Jurisdiction.objects.bulk_create(counties, batch_size=BATCH)

        remaining = JURISDICTIONS - Jurisdiction.objects.count()
        cities = Jurisdiction.objects.bulk_create(
            [
                Jurisdiction(name=f"City of Benchville {i}", slug=f"city-of-benchville-{i}", kind="city",
                             state=(county := rng.choice(counties)).state, parent=county)
                for i in range(remaining)
            ],
            batch_size=BATCH,
        )  # fmt: skip

        source = Source.objects.create(url="https://bench.example.org/source")
        jails = Facility.objects.bulk_create(
            [Facility(name=f"{c.name} jail ({c.fips})", state=c.state, facility_type="county_jail", operator=c)
             for c in counties], batch_size=BATCH,
        )  # fmt: skip
        jail_of = {jail.operator_id: jail for jail in jails}
        lockup_cities = cities[: FACILITIES - Facility.objects.count()]
        lockups = Facility.objects.bulk_create(
            [Facility(name=f"{c.name} lockup", state=c.state, facility_type="city_lockup", operator=c)
             for c in lockup_cities], batch_size=BATCH,
        )  # fmt: skip
        bookings = [Booking(jurisdiction=c, facility=jail_of[c.pk]) for c in counties]
        bookings += [Booking(jurisdiction=c, facility=lockup, stage="pre_arraignment")
                     for c, lockup in zip(lockup_cities, lockups, strict=True)]  # fmt: skip
        bookings += [
            Booking(jurisdiction=c, facility=jail_of[c.parent_id],
                    stage="after_arraignment" if i < len(lockups) else "all")
            for i, c in enumerate(cities)
        ]  # fmt: skip
        Booking.objects.bulk_create(bookings, batch_size=BATCH)
        Facility.sources.through.objects.bulk_create(
            [Facility.sources.through(facility_id=f.pk, source_id=source.pk) for f in jails + lockups], batch_size=BATCH
        )

        programs = list(Program.objects.all())
        conditions = list(Condition.objects.all())
        batch = Batch.objects.create(code="bench", label="Benchmark letters")
        recipients = cities + counties
        busy = cities[0]
        letters = []
        for i in range(LETTERS - Letter.objects.count()):
            sent = datetime.date(2017, 1, 1) + datetime.timedelta(days=rng.randrange(0, 2900))
            recipient = busy if i < BUSY_LETTERS else rng.choice(recipients)
            letters.append(Letter(
                batch=batch, program=rng.choice(programs), recipient=recipient,
                addressee="Police Department", sender_name="Bench Sender", sent_on=sent,
                deadline=sent + datetime.timedelta(days=rng.choice([14, 30, 45])),
            ))  # fmt: skip
        letters = Letter.objects.bulk_create(letters, batch_size=BATCH)
        Demand.objects.bulk_create(
            [
                Demand(letter=letter, condition=c)
                for letter in letters
                for c in rng.sample(conditions, rng.randint(1, 4))
            ],
            batch_size=BATCH,
        )
        Letter.sources.through.objects.bulk_create(
            [Letter.sources.through(letter_id=letter.pk, source_id=source.pk) for letter in letters], batch_size=BATCH
        )
        responses = Response.objects.bulk_create(
            [Response(letter=letter, responded_on=letter.deadline, responder="City attorney", stance="disputed",
                      summary="Says the conditions are not the city's to meet.")
             for letter in rng.sample(letters, RESPONSES)], batch_size=BATCH,
        )  # fmt: skip
        Response.sources.through.objects.bulk_create(
            [Response.sources.through(response_id=r.pk, source_id=source.pk) for r in responses], batch_size=BATCH
        )
        events = Event.objects.bulk_create(
            [Event(occurred_on=datetime.date(2017, 1, 1) + datetime.timedelta(days=rng.randrange(0, 3000)),
                   kind=rng.choice(["court_ruling", "policy_change", "announcement", "response"]),
                   title=f"Bench event {i}", summary="A generated event about a sanctuary policy.")
             for i in range(EVENTS)], batch_size=BATCH,
        )  # fmt: skip
        Event.jurisdictions.through.objects.bulk_create(
            [Event.jurisdictions.through(event_id=e.pk, jurisdiction_id=rng.choice(recipients).pk) for e in events],
            batch_size=BATCH,
        )
        Event.sources.through.objects.bulk_create(
            [Event.sources.through(event_id=e.pk, source_id=source.pk) for e in events], batch_size=BATCH
        )
        stored_started = time.monotonic()
        recompute_everything()  # bulk writes skip the signals that keep the stored answers true
        print(f"stored control and answers in {time.monotonic() - stored_started:.1f} s")
        DataVersion.bump()
    # What autovacuum (PostgreSQL) or a maintenance job (SQLite) gives a live database:
    # planner statistics and, on PostgreSQL, a visibility map for index-only scans. A
    # freshly bulk-loaded database measured without them ran some pages 1.5x slower.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    counts = {
        model.__name__: model.objects.count()
        for model in (Jurisdiction, Facility, Booking, Letter, Demand, Response, Event)
    }
    print(f"generated in {time.monotonic() - started:.1f} s:", ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    print(f"busy jurisdiction: {busy.slug}")


if __name__ == "__main__":
    main()
