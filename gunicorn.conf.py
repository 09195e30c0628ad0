"""gunicorn settings for production; every value can be overridden by environment."""

import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
# The classic 2 x cores + 1, capped so a big host does not exhaust database connections.
workers = int(os.environ.get("WEB_CONCURRENCY", min(multiprocessing.cpu_count() * 2 + 1, 9)))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
max_requests = 2000  # recycle workers now and then to bound memory growth
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
access_log_format = (
    '{"time": "%(t)s", "remote": "%(h)s", "method": "%(m)s", "path": "%(U)s", "query": "%(q)s", '
    '"status": %(s)s, "bytes": "%(B)s", "duration_us": %(D)s, "agent": "%(a)s"}'
)
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_worker_init(worker):
    """Once the worker has loaded Django and the site, take what it loaded (modules,
    models, URL patterns, compiled templates: objects that live as long as the worker)
    out of the garbage collector's generations (`gc.freeze`). A full collection then no
    longer walks them: it had added 40-60 ms to one uncached render in roughly a hundred
    (the matrix through gunicorn at national scale, p99 108-111 -> 74-78 ms, p50 and
    throughput unchanged; bench/HISTORY.md)."""
    gc.collect()
    gc.freeze()
