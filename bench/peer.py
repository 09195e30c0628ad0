"""Side by side with a peer: Datasette serving the same benchmark SQLite file.

    python bench/peer.py BENCH_SQLITE_FILE [DATASETTE]

Starts Datasette on the file (immutable, its default settings) and our site through
gunicorn with the production settings and the page cache off, on the same file, then
measures with wrk, in the same run, the same questions asked of each:

- the letters whose deadline falls in 2020–2021: Datasette's table page filtered by that
  range against our letter list with the same filter;
- one letter as JSON: Datasette's row JSON against our letter JSON.

DATASETTE is the `datasette` executable (default: bench/out/datasette-venv/bin/datasette,
installed by bench/run into the benchmark's own environment, never the site's).
Prints a markdown table: each side's requests/s and ours divided by Datasette's.
"""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from throughput import ROOT, free_port, gunicorn, requests_per_second, wait_for

DEADLINES = ("2020-01-01", "2021-12-31")
# Datasette's filtered table page takes over a second per request: measure long enough
# that 16 connections complete many of them.
SECONDS = os.environ.get("BENCH_PEER_SECONDS", "30")


def datasette(executable, database):
    port = free_port()
    server = subprocess.Popen(
        [executable, "serve", "-i", str(database), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    wait_for(port, server, "datasette")
    return server, f"http://127.0.0.1:{port}"


def main():
    database = Path(sys.argv[1]).resolve()
    executable = sys.argv[2] if len(sys.argv) > 2 else str(ROOT / "bench/out/datasette-venv/bin/datasette")
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        (letter,) = connection.execute(
            "SELECT id FROM letters_letter WHERE deadline BETWEEN ? AND ? ORDER BY id LIMIT 1", DEADLINES
        ).fetchone()
    table = f"/{database.stem}/letters_letter"
    questions = [
        (
            "letters with a deadline in 2020–2021",
            f"{table}?deadline__gte={DEADLINES[0]}&deadline__lte={DEADLINES[1]}",
            f"/letters/?deadline_after={DEADLINES[0]}&deadline_before={DEADLINES[1]}",
        ),
        ("one letter as JSON", f"{table}/{letter}.json", f"/letters/{letter}/?format=json"),
    ]
    peer, peer_base = datasette(executable, database)
    try:
        theirs = {}
        for label, peer_path, _ in questions:
            requests_per_second(peer_base + peer_path, "5")  # warm up
            theirs[label] = requests_per_second(peer_base + peer_path, SECONDS)
    finally:
        peer.terminate()
        peer.wait(timeout=30)
    ours = {}
    with gunicorn(cache_seconds=0) as base:
        for label, _, path in questions:
            requests_per_second(base + path, "5")
            ours[label] = requests_per_second(base + path, SECONDS)
    print("| question | Datasette: URL | Datasette requests/s | ours: URL | our requests/s | ours ÷ Datasette |")
    print("|---|---|---:|---|---:|---:|")
    for label, peer_path, path in questions:
        ratio = f"{ours[label] / theirs[label]:.2f}" if theirs[label] else "n/a (Datasette answered none)"
        print(f"| {label} | `{peer_path}` | {theirs[label]:,.1f} | `{path}` | {ours[label]:,.1f} | {ratio} |")


if __name__ == "__main__":
    main()
