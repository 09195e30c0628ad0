"""Serve the real thing: the container's steps (collectstatic, migrate, gunicorn with the
repo's config) run outside Docker with production settings, then real HTTP requests.

Uses PostgreSQL when DATABASE_URL points at it (a fresh database beside the test one)
and Redis when CACHE_URL is set; otherwise a temporary SQLite file.
"""

import gc
import http.client
import os
import re
import runpy
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import tomllib
import unittest
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
# What the test run sets for itself (pyproject.toml [tool.pytest_env]); the served site
# must not inherit it: it runs with production settings.
TEST_ENV = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest_env"]


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def fresh_database_url(workdir):
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{workdir / 'served.sqlite3'}", None
    import psycopg2

    name = f"sanctuary_served_{os.getpid()}"
    config = dj_database_url.parse(url)
    admin = psycopg2.connect(dbname="postgres", user=config["USER"], host=config["HOST"] or HOST,
                             port=config["PORT"] or 5432, password=config["PASSWORD"] or None)  # fmt: skip
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()

    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}")), drop


class ServedSiteTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.workdir = Path(tempfile.mkdtemp())
        cls.addClassCleanup(shutil.rmtree, cls.workdir, True)
        database_url, drop = fresh_database_url(cls.workdir)
        if drop:
            cls.addClassCleanup(drop)
        cls.port = free_port()
        cls.env = {
            key: value for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "PYTEST")) and key not in ("DATABASE_URL", *TEST_ENV)
        }  # fmt: skip
        cls.env.update(
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS=HOST,
            DATABASE_URL=database_url,
            STATIC_ROOT=str(cls.workdir / "static"),
            GUNICORN_BIND=f"{HOST}:{cls.port}",
            WEB_CONCURRENCY="2",
            DJANGO_SUPERUSER_PASSWORD="served-test-passphrase-91",
            # bin/start-web calls `python` and `gunicorn` as the container's PATH has them.
            PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        )
        manage = [sys.executable, "manage.py"]
        for step in (["collectstatic", "--noinput", "-v0"], ["migrate", "--noinput", "-v0"], ["load_seed"],
                     ["createsuperuser", "--noinput", "--username", "admin", "--email", "a@example.org"]):  # fmt: skip
            subprocess.run(manage + step, cwd=ROOT, env=cls.env, check=True, capture_output=True)
        # The container's own entrypoint (migrate again: a no-op, then exec gunicorn).
        cls.server = subprocess.Popen(["sh", "bin/start-web"], cwd=ROOT, env=cls.env,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
        cls.addClassCleanup(cls.stop, cls.server)
        cls.wait_until_up(cls.port, cls.server)

    @staticmethod
    def stop(server):
        server.terminate()
        server.wait(timeout=20)

    @classmethod
    def wait_until_up(cls, port, server, deadline=30):
        give_up = time.monotonic() + deadline
        while time.monotonic() < give_up:
            if server.poll() is not None:
                raise AssertionError(f"gunicorn exited: {server.stderr.read().decode() if server.stderr else ''}")
            try:
                socket.create_connection((HOST, port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"gunicorn did not start on port {port}")

    def get(self, path, https=True, port=None, method="GET", body=None, headers=None):
        connection = http.client.HTTPConnection(HOST, port or self.port, timeout=10)
        all_headers = {"X-Forwarded-Proto": "https"} if https else {}
        all_headers.update(headers or {})
        connection.request(method, path, body=body, headers=all_headers)
        response = connection.getresponse()
        response.body = response.read()
        connection.close()
        return response

    def test_main_pages_answer_with_security_headers(self):
        for path in ["/", "/letters/", "/jurisdictions/", "/jurisdictions/city-of-baltimore-md/", "/timeline/",
                     "/conditions/jail_access/", "/letters/?format=csv"]:  # fmt: skip
            with self.subTest(path=path):
                response = self.get(path)
                self.assertEqual(response.status, 200)
                self.assertIn("max-age=31536000", response.getheader("Strict-Transport-Security"))
                csp = response.getheader("Content-Security-Policy")
                script_src = re.search(r"script-src ([^;]*)", csp).group(1)
                self.assertNotIn("unsafe-inline", script_src)
                self.assertIn("frame-ancestors 'none'", csp)
                self.assertEqual(response.getheader("X-Content-Type-Options"), "nosniff")
                self.assertEqual(response.getheader("Referrer-Policy"), "strict-origin-when-cross-origin")
                self.assertEqual(response.getheader("X-Frame-Options"), "DENY")
                self.assertIn("camera=()", response.getheader("Permissions-Policy"))
        self.assertIn(b"City of Baltimore does not control this", self.get("/jurisdictions/city-of-baltimore-md/").body)

    def test_static_files_are_served_hashed_and_compressed(self):
        home = self.get("/").body.decode()
        stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', home).group(1)
        response = self.get(stylesheet, headers={"Accept-Encoding": "gzip"})
        self.assertEqual(response.status, 200)
        self.assertEqual(response.getheader("Content-Encoding"), "gzip")
        self.assertIn("immutable", response.getheader("Cache-Control"))
        topojson = self.get("/static/vendor/topojson/usa_110m.json")  # plotly asks for the unhashed name
        self.assertEqual(topojson.status, 200)

    def test_plain_http_redirects_to_https_except_the_health_check(self):
        response = self.get("/letters/", https=False)
        self.assertEqual(response.status, 301)
        self.assertEqual(response.getheader("Location"), f"https://{HOST}:{self.port}/letters/")
        health = self.get("/healthz", https=False)
        self.assertEqual((health.status, health.body), (200, b'{"status": "ok", "database": "ok", "cache": "ok"}'))

    def test_admin_needs_login_and_sets_hardened_cookies(self):
        response = self.get("/admin/")
        self.assertEqual(response.status, 302)
        login = self.get("/admin/login/")
        cookie = login.getheader("Set-Cookie")
        self.assertRegex(cookie, r"^__Host-csrftoken=")
        self.assertIn("Secure", cookie)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.body.decode()).group(1)
        csrf_cookie = cookie.split(";")[0]
        response = self.get(
            "/admin/login/?next=/admin/",
            method="POST",
            body=f"csrfmiddlewaretoken={token}&username=admin&password=served-test-passphrase-91&next=/admin/",
            headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": csrf_cookie,
                     "Referer": f"https://{HOST}:{self.port}/admin/login/"},
        )  # fmt: skip
        self.assertEqual(response.status, 302)
        session = [v for k, v in response.getheaders() if k == "Set-Cookie" and v.startswith("__Host-sessionid=")]
        self.assertEqual(len(session), 1)
        self.assertIn("HttpOnly", session[0])
        self.assertIn("Secure", session[0])

    def test_the_docker_healthcheck_script_passes_against_the_server(self):
        env = dict(self.env, PORT=str(self.port))
        result = subprocess.run([sys.executable, "bin/healthcheck"], cwd=ROOT, env=env, timeout=10)
        self.assertEqual(result.returncode, 0)
        env["PORT"] = str(free_port())  # nothing listens there
        result = subprocess.run([sys.executable, "bin/healthcheck"], cwd=ROOT, env=env, timeout=10)
        self.assertEqual(result.returncode, 1)

    def test_health_check_is_503_when_the_database_is_unreachable(self):
        port = free_port()
        env = dict(self.env, GUNICORN_BIND=f"{HOST}:{port}", WEB_CONCURRENCY="1",
                   DATABASE_URL="postgres://nobody@127.0.0.1:9/none")  # fmt: skip
        server = subprocess.Popen([sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py",
                                   "sanctuary_tracker.wsgi:application"], cwd=ROOT, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        self.addCleanup(self.stop, server)
        self.wait_until_up(port, server)
        response = self.get("/healthz", port=port)
        self.assertEqual(response.status, 503)
        self.assertEqual(response.getheader("Cache-Control"), "max-age=0, no-cache, no-store, must-revalidate, private")
        self.assertEqual(response.body, b'{"status": "unavailable", "database": "unavailable", "cache": "ok"}')
        # A public page with nothing cached: the branded 503, with when to retry.
        page = self.get(f"/letters/?uncached={secrets.token_hex(8)}", port=port)
        self.assertEqual(page.status, 503)
        self.assertEqual(page.getheader("Retry-After"), "30")
        self.assertIn(b"temporarily unavailable", page.body)


class GunicornConfigTests(unittest.TestCase):
    def test_each_worker_takes_what_it_loaded_out_of_the_garbage_collector(self):
        config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
        gc.unfreeze()
        self.addCleanup(gc.unfreeze)
        config["post_worker_init"](worker=None)
        self.assertGreater(gc.get_freeze_count(), 0)
