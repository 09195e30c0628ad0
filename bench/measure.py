"""Latency and query counts of the main pages, in process, on the database in DATABASE_URL.

python bench/measure.py pages BUSY_SLUG   -> one markdown table row per page
python bench/measure.py export            -> CSV export of every letter: seconds, rows, peak MB
python bench/measure.py write BUSY_SLUG   -> an editor's letter save: the transaction, then the
                                             home figures computed again after the commit

BENCH_ONLY="home;matrix" limits `pages` to the pages with those labels (";"-separated).
"""

import os
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanctuary_tracker.settings")
os.environ.setdefault("PAGE_CACHE_SECONDS", "0")  # measure rendering, not the page cache
RUNS = int(os.environ.get("BENCH_RUNS", "20"))


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def pages(busy_slug):
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from letters.models import Letter

    letter = Letter.objects.filter(recipient__slug=busy_slug).order_by("pk").first()
    targets = [
        ("home", "/"),
        ("jurisdiction list", "/jurisdictions/"),
        ("jurisdiction list, 3 filters", "/jurisdictions/?kind=city&runs_own_jail=partly&program=byrne-jag"),
        ("jurisdiction detail (300 letters)", f"/jurisdictions/{busy_slug}/"),
        ("jurisdiction detail JSON", f"/jurisdictions/{busy_slug}/?format=json"),
        ("letter list, deadline filter", "/letters/?deadline_after=2020-01-01&deadline_before=2021-12-31"),
        ("letter detail JSON", f"/letters/{letter.pk}/?format=json"),
        ("timeline", "/timeline/"),
        ("search", "/search/?q=sanctuary"),
        ("matrix", "/matrix/"),
        ("matrix, law and courts filters", "/matrix/?jail_conditions=true&law=restricts&courts=covered"),
    ]
    only = [label for label in os.environ.get("BENCH_ONLY", "").split(";") if label]
    targets = [(label, url) for label, url in targets if not only or label in only]
    client = Client(HTTP_HOST="localhost")
    print("| page | p50 ms | p95 ms | queries | p95 ms from the page cache |")
    print("|---|---:|---:|---:|---:|")
    for label, url in targets:
        settings.PAGE_CACHE_SECONDS = 0
        for _ in range(2):
            response = client.get(url, secure=True)
            assert response.status_code == 200, (url, response.status_code)
        timings = timed(client, url)
        with CaptureQueriesContext(connection) as queries:
            client.get(url, secure=True)
        query_count = len(queries)  # read now: the next request resets the query log
        settings.PAGE_CACHE_SECONDS = 600
        client.get(url, secure=True)
        cached = timed(client, url)
        print(
            f"| {label} | {statistics.median(timings):.1f} | {percentile(timings, 0.95):.1f} | {query_count} "
            f"| {percentile(cached, 0.95):.1f} |"
        )


def timed(client, url):
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        client.get(url, secure=True)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def export():
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    client.get("/letters/?format=csv&state=ZZ", secure=True)  # warm up imports and connection
    idle_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    response = client.get("/letters/?format=csv", secure=True)
    rows = sum(chunk.count(b"\n") for chunk in response.streaming_content) - 1
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"| CSV export of every letter | {seconds:.2f} s | {rows:,} rows | {peak_mb - idle_mb:.0f} MB above idle |")


def write(busy_slug):
    """Saves one letter of BUSY_SLUG (it writes: run it on a copy of the data) and times
    the transaction (the save, its stored answers, emptying the home figures) apart from
    what runs after the commit (`dashboard.stored` computing the figures again)."""
    from django.db import transaction

    from letters.models import Letter

    letter = Letter.objects.filter(recipient__slug=busy_slug).order_by("pk").first()
    transactions, after_commit = [], []
    for n in range(min(RUNS, 5)):
        committed = []
        started = time.perf_counter()
        with transaction.atomic():
            # Registered first, so it runs first after the commit.
            transaction.on_commit(lambda marks=committed: marks.append(time.perf_counter()))
            letter.notes = f"bench write {n}"
            letter.save()
        finished = time.perf_counter()
        transactions.append((committed[0] - started) * 1000)
        after_commit.append((finished - committed[0]) * 1000)
    print("| letter save | p50 ms | max ms |")
    print("|---|---:|---:|")
    for label, timings in [("transaction", transactions), ("home figures after the commit", after_commit)]:
        print(f"| {label} | {statistics.median(timings):.0f} | {max(timings):.0f} |")


if __name__ == "__main__":
    import django

    django.setup()
    if sys.argv[1] == "pages":
        pages(sys.argv[2])
    elif sys.argv[1] == "write":
        write(sys.argv[2])
    else:
        export()
