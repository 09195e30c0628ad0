"""What readers get when Redis or PostgreSQL dies under load, and how fast the site
recovers: gunicorn with the production settings against a private PostgreSQL cluster
and a private redis-server (both started here, so stopping them disturbs nothing else),
loaded by 64 connections with a mix of public pages, exports, search and /healthz.

    .venv/bin/python bench/outage.py        (about 3 minutes; needs initdb and redis-server)

Three runs of LOAD_SECONDS each: a baseline; Redis killed half-way; PostgreSQL stopped
(immediate shutdown) half-way and started again RESTART_AFTER seconds later. Prints a
markdown table per run and the row counts before and after. The load generator is
Python threads on the same 2 cores as gunicorn, so latencies include its own overhead.
"""

import collections
import contextlib
import http.client
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONNECTIONS = int(os.environ.get("OUTAGE_CONNECTIONS", "64"))
LOAD_SECONDS = float(os.environ.get("OUTAGE_SECONDS", "30"))
RESTART_AFTER = float(os.environ.get("OUTAGE_DOWN_SECONDS", "8"))
PG_BIN = Path(next(Path("/usr/lib/postgresql").glob("*/bin")))
MIX = [
    "/",
    "/letters/",
    "/letters/?state=CA",
    "/jurisdictions/",
    "/jurisdictions/city-of-stockton-ca/",
    "/jurisdictions/city-of-baltimore-md/",
    "/matrix/",
    "/timeline/",
    "/programs/",
    "/conditions/jail_access/",
    "/search/?q=jail",
    "/letters/?format=csv",
    "/healthz",
]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    sys.exit(f"nothing listening on {port}")


class Postgres:
    """A throwaway cluster owned by the postgres user, trust auth, on a free port."""

    def __init__(self, root):
        self.data = root / "pgdata"
        self.port = free_port()
        self.data.parent.chmod(0o777)
        self.as_postgres([PG_BIN / "initdb", "-D", self.data, "-A", "trust", "-U", "postgres"])

    def as_postgres(self, command):
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *map(str, command)], check=True, stdout=subprocess.DEVNULL)

    def start(self):
        options = f"-p {self.port} -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100"
        self.as_postgres([PG_BIN / "pg_ctl", "-D", self.data, "-o", options, "-w", "-l", self.data / "log", "start"])

    def stop(self):
        self.as_postgres([PG_BIN / "pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop"])

    @property
    def url(self):
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"


class Redis:
    def __init__(self):
        self.port = free_port()
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--maxmemory", "256mb", "--maxmemory-policy", "allkeys-lru"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for_port(self.port)

    def stop(self):
        self.process.kill()
        self.process.wait(timeout=10)


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def row_counts(env):
    script = (
        "from django.apps import apps\n"
        "for label in ('jurisdictions.Jurisdiction', 'letters.Letter', 'letters.Response', 'letters.Event'):\n"
        "    print('rows', label.split('.')[1], apps.get_model(label).objects.count())"
    )
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    counts = [line.split()[1:] for line in out.stdout.splitlines() if line.startswith("rows ")]
    return {model: int(n) for model, n in counts}


def hammer(port, stop_at, results, started):
    """One connection's loop: requests in turn from MIX, recording (t, status, ms, stale)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=35)
    i = secrets.randbelow(len(MIX))
    while time.monotonic() < stop_at:
        path = MIX[i % len(MIX)]
        i += 1
        begun = time.monotonic()
        try:
            conn.request("GET", path, headers={"X-Forwarded-Proto": "https", "Host": "127.0.0.1"})
            response = conn.getresponse()
            response.read()
            status, stale = response.status, response.getheader("X-Cache-Stale") == "1"
        except (OSError, http.client.HTTPException):
            status, stale = 0, False  # connection refused or reset: what a proxy shows as 502
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=35)
        results.append((begun - started, status, (time.monotonic() - begun) * 1000, stale, path))


def load(port, seconds, event=None):
    """Run the load; `event(started)` is called once half-way, from this thread."""
    results = []
    started = time.monotonic()
    stop_at = started + seconds
    threads = [threading.Thread(target=hammer, args=(port, stop_at, results, started)) for _ in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    if event:
        time.sleep(seconds / 2)
        event(started)
    for thread in threads:
        thread.join()
    return results


def percentile(values, share):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * share))] if values else 0


def summarise(title, results, event_at=None, restored_at=None):
    print(f"\n### {title}\n")
    print("| period | requests | 200 fresh | 200 stale | 429 | 503 | other 5xx | refused | p50 ms | p99 ms |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    periods = [("whole run", 0, float("inf"))]
    if event_at is not None:
        periods += [("before", 0, event_at), ("after the failure", event_at, restored_at or float("inf"))]
    if restored_at is not None:
        periods.append(("after the restart", restored_at, float("inf")))
    for name, start, end in periods:
        rows = [r for r in results if start <= r[0] < end]
        count = collections.Counter(
            "stale" if s == 200 and stale else s if s in (200, 429, 503, 0) else "5xx" if s >= 500 else s
            for _, s, _, stale, _ in rows
        )
        latencies = [ms for _, _, ms, _, _ in rows]
        p50, p99 = percentile(latencies, 0.5), percentile(latencies, 0.99)
        print(
            f"| {name} | {len(rows):,} | {count[200]:,} | {count['stale']:,} | {count[429]:,} | {count[503]:,} "
            f"| {count['5xx']:,} | {count[0]:,} | {p50:.0f} | {p99:.0f} |"
        )
    others = collections.Counter((s, p) for _, s, _, _, p in results if s not in (200, 429, 503, 0))
    if others:
        print("\nOther statuses:", dict(others))
    if restored_at is not None:
        # Recovery: from the restart to the first second in which every request got a fresh 200.
        by_second = collections.defaultdict(list)
        for t, s, _, stale, _ in results:
            if t >= restored_at:
                by_second[int(t - restored_at)].append(s == 200 and not stale)
        healthy = [second for second, oks in sorted(by_second.items()) if all(oks)]
        print(f"\nRecovered (every request a fresh 200) {healthy[0] if healthy else 'never'} s after the restart.")


def main():
    if not shutil.which("redis-server"):
        sys.exit("redis-server is needed")
    root = Path(tempfile.mkdtemp(prefix="outage-"))
    postgres, redis = Postgres(root), Redis()
    postgres.start()
    redis.start()
    port = free_port()
    env = dict(
        os.environ,
        SECRET_KEY=secrets.token_urlsafe(40),
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=postgres.url,
        CACHE_URL=f"redis://127.0.0.1:{redis.port}/0",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        STATIC_ROOT=str(root / "static"),
        LOG_LEVEL="error",
        # One address sends everything here; the limits are tested in tests/test_reliability.py.
        RATE_LIMIT_SEARCH="1000000/m",
        RATE_LIMIT_EXPORT="1000000/m",
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    )
    env.pop("DJANGO_DEBUG", None)
    server = None
    try:
        manage(env, "migrate", "-v0")
        manage(env, "load_seed")
        manage(env, "collectstatic", "--noinput", "-v0")
        before = row_counts(env)
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "--access-logfile", "/dev/null",
             "sanctuary_tracker.wsgi:application"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for_port(port)
        load(port, 5)  # warm up: workers, connections, and the page cache as readers would
        print(
            f"{CONNECTIONS} connections, {LOAD_SECONDS:.0f} s per run, gunicorn workers as gunicorn.conf.py sets them"
        )
        summarise("Baseline", load(port, LOAD_SECONDS))
        summarise(
            "Redis killed half-way", load(port, LOAD_SECONDS, lambda started: redis.stop()), event_at=LOAD_SECONDS / 2
        )
        redis.start()

        marks = {}

        def stop_and_restart_postgres(started):
            marks["down"] = time.monotonic() - started
            postgres.stop()
            time.sleep(RESTART_AFTER)
            postgres.start()
            marks["up"] = time.monotonic() - started

        results = load(port, LOAD_SECONDS, stop_and_restart_postgres)
        summarise(
            f"PostgreSQL stopped half-way, started again {RESTART_AFTER:.0f} s later",
            results,
            event_at=marks["down"],
            restored_at=marks["up"],
        )
        after = row_counts(env)
        print(f"\nRows before: {before}\nRows after:  {after}")
    finally:
        if server:
            server.terminate()
            server.wait(timeout=30)
        redis.process.kill()
        with contextlib.suppress(subprocess.CalledProcessError):
            postgres.stop()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
