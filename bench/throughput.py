"""Requests per second through gunicorn with the production settings, against the
database in DATABASE_URL, loaded by wrk from a second process on 127.0.0.1.

Prints a markdown table: each page's requests/s and its ratio to a trivial view that
returns "ok" (bench/urls.py) in the same run and configuration, with the page cache on
(the production default) and off.
"""

import os
import re
import secrets
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DURATION = os.environ.get("BENCH_WRK_SECONDS", "8")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port, server, name="gunicorn"):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"{name} exited early")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    sys.exit(f"{name} did not start")


def requests_per_second(url, seconds=DURATION, headers=()):
    extra = [arg for header in headers for arg in ("-H", header)]
    finished = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{seconds}s", "--timeout", "60s", "-H", "X-Forwarded-Proto: https", *extra, url],
        capture_output=True, text=True,
    )  # fmt: skip
    output = finished.stdout
    if finished.returncode:
        sys.exit(f"wrk failed on {url}: {output} {finished.stderr}")
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        sys.exit(f"{url}: {non_2xx.group(1)} error responses\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


@contextmanager
def gunicorn(cache_seconds):
    """gunicorn with the production settings on a free port; yields its base URL."""
    port = free_port()
    env = dict(
        os.environ,
        SECRET_KEY=secrets.token_urlsafe(40),
        ALLOWED_HOSTS="127.0.0.1",
        DJANGO_ROOT_URLCONF="bench.urls",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY=os.environ.get("WEB_CONCURRENCY", "2"),
        PAGE_CACHE_SECONDS=str(cache_seconds),
        LOG_LEVEL="warning",
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    )
    env.pop("DJANGO_DEBUG", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "--access-logfile", "/dev/null",
         "sanctuary_tracker.wsgi:application"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for(port, server)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


# As browsers ask: the page cache keeps the compressed copy, so a hit compresses nothing.
BROWSER = ("Accept-Encoding: gzip, deflate, br",)


def run(cache_seconds, pages, headers=()):
    with gunicorn(cache_seconds) as base:
        results = {}
        for label, path in [("trivial view", "/bench/ok"), *pages]:
            requests_per_second(base + path, headers=headers)  # warm up workers, connections and the cache
            results[label] = requests_per_second(base + path, headers=headers)
        return results


def main():
    busy = sys.argv[1]
    pages = [("jurisdiction detail", f"/jurisdictions/{busy}/"), ("letter list", "/letters/")]
    print("| page | page cache | client | requests/s | ratio to trivial view |")
    print("|---|---|---|---:|---:|")
    for cache_seconds, label, client, headers in (
        (600, "on", "plain (wrk)", ()),
        (600, "on", "gzip (as browsers)", BROWSER),
        (0, "off", "plain (wrk)", ()),
    ):
        results = run(cache_seconds, pages, headers)
        baseline = results["trivial view"]
        for page, rps in results.items():
            ratio = "1.00" if page == "trivial view" else f"{rps / baseline:.2f}"
            print(f"| {page} | {label} | {client} | {rps:,.0f} | {ratio} |")


if __name__ == "__main__":
    main()
