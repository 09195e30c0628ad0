"""The site keeps serving when its dependencies fail: a Redis that dies (a real private
redis-server, killed) costs nothing but speed, and a database that cannot be reached
serves the cached copy of a page, marked stale, or a branded 503."""

import shutil
import socket
import subprocess
import time
import unittest
from unittest import mock

from django.conf import settings
from django.core.cache import cache
from django.db import OperationalError, connections
from django.test import TestCase, override_settings

from revisions.models import LAST_VERSION_KEY, VERSION_KEY, DataVersion
from tests import factories as f

REDIS_SERVER = shutil.which("redis-server")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_redis(test):
    port = free_port()
    server = subprocess.Popen(
        [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    test.addCleanup(lambda: (server.kill(), server.wait(timeout=10)))
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server, port
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("redis-server did not start") from None
            time.sleep(0.02)


def redis_caches(port):
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
        }
    }


class Pages(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.letter = f.make_letter(f.make_jurisdiction("City of Stockton"), f.make_program("PSP", kind="grant"))
        cls.urls = ["/", "/letters/", cls.letter.get_absolute_url(), "/jurisdictions/", "/timeline/", "/matrix/"]


@unittest.skipUnless(REDIS_SERVER, "redis-server is not installed (apt-get install redis-server)")
@override_settings(PAGE_CACHE_SECONDS=600)
class RedisDownTests(Pages):
    def test_pages_keep_serving_and_healthz_says_degraded_when_redis_dies(self):
        server, port = start_redis(self)
        with override_settings(CACHES=redis_caches(port)):
            url = self.letter.get_absolute_url()
            rendered = self.client.get(url)
            with self.assertNumQueries(0):  # version and page both from Redis
                self.assertEqual(self.client.get(url).content, rendered.content)
            self.assertEqual(self.client.get("/healthz").json(), {"status": "ok", "database": "ok", "cache": "ok"})

            server.kill()
            server.wait(timeout=10)

            started = time.monotonic()
            for path in self.urls:
                with self.subTest(path=path), self.assertLogs("revisions", "WARNING"):
                    self.assertEqual(self.client.get(path).status_code, 200)
            self.assertEqual(self.client.get(url).content, rendered.content)
            self.assertEqual(self.client.get("/letters/", {"format": "csv"}).status_code, 200)
            health = self.client.get("/healthz")
            self.assertEqual(health.status_code, 200)
            self.assertEqual(health.json(), {"status": "degraded", "database": "ok", "cache": "degraded"})
            self.assertLess(time.monotonic() - started, 10)  # refused at once, no hanging worker

    def test_an_edit_made_while_redis_is_down_still_saves(self):
        server, port = start_redis(self)
        with override_settings(CACHES=redis_caches(port)):
            server.kill()
            server.wait(timeout=10)
            before = DataVersion.current()
            with self.assertLogs("revisions", "WARNING"), self.captureOnCommitCallbacks(execute=True):
                self.letter.addressee = "Chief Eric Jones"
                self.letter.save()
            self.assertEqual(DataVersion.current(), before + 1)
            self.assertContains(self.client.get(self.letter.get_absolute_url()), "Chief Eric Jones")


def database_down():
    """The test database cannot be stopped safely, so the connection refuses instead,
    the way Django reports an unreachable server."""
    return mock.patch.object(
        connections["default"], "ensure_connection", side_effect=OperationalError("connection refused")
    )


@override_settings(PAGE_CACHE_SECONDS=600)
class DatabaseDownTests(Pages):
    def setUp(self):
        cache.clear()

    def test_healthz_is_503_and_names_no_exception(self):
        with database_down(), self.assertLogs("dashboard", "WARNING"):
            response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json(), {"status": "unavailable", "database": "unavailable", "cache": "ok"})
        self.assertNotIn(b"OperationalError", response.content)

    def test_a_cached_page_is_served_without_the_database(self):
        url = self.letter.get_absolute_url()
        rendered = self.client.get(url)
        with database_down():
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, rendered.content)

    def test_with_the_version_expired_the_last_known_version_finds_the_page(self):
        url = self.letter.get_absolute_url()
        rendered = self.client.get(url)
        cache.delete(VERSION_KEY)
        with database_down(), self.assertLogs("revisions", "WARNING"):
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, rendered.content)
        self.assertIsNotNone(cache.get(LAST_VERSION_KEY))

    def test_a_page_rendered_before_the_last_edit_is_served_marked_stale(self):
        url = self.letter.get_absolute_url()
        rendered = self.client.get(url)
        DataVersion.bump()  # an edit, then the database goes away before the page is rendered again
        with database_down(), self.assertLogs("revisions", "WARNING"):
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, rendered.content)
        self.assertEqual(response["X-Cache-Stale"], "1")
        self.assertFalse(response.has_header("ETag"))

    def test_a_page_never_cached_is_a_branded_503_with_retry_after(self):
        with database_down(), self.assertLogs("revisions", "WARNING"):
            response = self.client.get("/jurisdictions/")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response["Retry-After"], "30")
        self.assertContains(response, "Sanctuary Tracker is temporarily unavailable", status_code=503)
        self.assertNotContains(response, "OperationalError", status_code=503)

    def test_a_signed_in_reader_gets_the_cached_page_or_the_503(self):
        url = self.letter.get_absolute_url()
        rendered = self.client.get(url)
        self.client.cookies[settings.SESSION_COOKIE_NAME] = "some-session"
        with database_down():
            self.assertEqual(self.client.get(url).content, rendered.content)
        with database_down(), self.assertLogs("revisions", "WARNING"):
            response = self.client.get("/jurisdictions/")
        self.assertEqual(response.status_code, 503)
        self.assertContains(response, "Sanctuary Tracker is temporarily unavailable", status_code=503)

    def test_an_export_fails_before_its_200_is_sent(self):
        # A streamed export used to run its first query in the response body: the outage
        # cut off a 200 (or, before the first byte, became gunicorn's bare 500).
        for url in (
            "/letters/?format=csv",
            "/letters/?format=json",
            "/jurisdictions/?format=csv",
            "/matrix/?format=csv",
        ):
            with self.subTest(url=url), database_down(), self.assertLogs("revisions", "WARNING"):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 503)
                self.assertFalse(response.streaming)
