"""Settings come from environment variables alone, and logs are one JSON object a line.

The test run sets its own variables (pyproject.toml [tool.pytest_env]), so production
settings are evaluated here in a fresh interpreter with a production-like environment.
"""

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

from django.test import SimpleTestCase, TestCase

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "PATH": os.environ.get("PATH", ""),
    "SECRET_KEY": "production-like-key-" + "x" * 40,
    "ALLOWED_HOSTS": "tracker.example.org",
    "DATABASE_URL": "postgres://tracker:secret@db.example.org:5432/sanctuary",
}
PROBE = """
import json
from sanctuary_tracker import settings as s
print(json.dumps({
    "DEBUG": s.DEBUG, "SECRET_KEY": s.SECRET_KEY, "ALLOWED_HOSTS": s.ALLOWED_HOSTS,
    "ENGINE": s.DATABASES["default"]["ENGINE"], "SECURE_SSL_REDIRECT": s.SECURE_SSL_REDIRECT,
    "SESSION_COOKIE_SECURE": s.SESSION_COOKIE_SECURE, "CSRF_COOKIE_SECURE": s.CSRF_COOKIE_SECURE,
    "SESSION_COOKIE_NAME": s.SESSION_COOKIE_NAME, "CSRF_COOKIE_NAME": s.CSRF_COOKIE_NAME,
    "SECURE_HSTS_SECONDS": s.SECURE_HSTS_SECONDS, "PAGE_CACHE_SECONDS": s.PAGE_CACHE_SECONDS,
    "STATICFILES": s.STORAGES["staticfiles"]["BACKEND"],
}))
"""


def evaluate_settings(env):
    return subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


class ProductionSettingsTests(SimpleTestCase):
    def test_production_environment_gives_production_settings(self):
        result = evaluate_settings(PRODUCTION_ENV)
        self.assertEqual(result.returncode, 0, result.stderr)
        values = json.loads(result.stdout)
        self.assertIs(values["DEBUG"], False)
        self.assertEqual(values["SECRET_KEY"], PRODUCTION_ENV["SECRET_KEY"])
        self.assertEqual(values["ALLOWED_HOSTS"], ["tracker.example.org"])
        self.assertEqual(values["ENGINE"], "django.db.backends.postgresql")
        self.assertIs(values["SECURE_SSL_REDIRECT"], True)
        self.assertIs(values["SESSION_COOKIE_SECURE"], True)
        self.assertIs(values["CSRF_COOKIE_SECURE"], True)
        self.assertEqual(values["SESSION_COOKIE_NAME"], "__Host-sessionid")
        self.assertEqual(values["CSRF_COOKIE_NAME"], "__Host-csrftoken")
        self.assertEqual(values["SECURE_HSTS_SECONDS"], 31536000)
        self.assertEqual(values["PAGE_CACHE_SECONDS"], 600)
        self.assertEqual(values["STATICFILES"], "whitenoise.storage.CompressedManifestStaticFilesStorage")

    def test_without_secret_key_the_settings_refuse_to_load(self):
        env = {key: value for key, value in PRODUCTION_ENV.items() if key != "SECRET_KEY"}
        result = evaluate_settings(env)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("ImproperlyConfigured: SECRET_KEY must be set when DJANGO_DEBUG is off", result.stderr)

    def test_debug_gives_local_development_defaults(self):
        env = {"PATH": PRODUCTION_ENV["PATH"], "DJANGO_DEBUG": "1"}
        result = evaluate_settings(env)
        self.assertEqual(result.returncode, 0, result.stderr)
        values = json.loads(result.stdout)
        self.assertIs(values["DEBUG"], True)
        self.assertIs(values["SECURE_SSL_REDIRECT"], False)
        self.assertEqual(values["PAGE_CACHE_SECONDS"], 0)
        self.assertEqual(values["STATICFILES"], "django.contrib.staticfiles.storage.StaticFilesStorage")


class JsonLoggingTests(TestCase):
    def capture(self):
        """Point the configured stdout handler at a buffer for the rest of the test."""
        handler = logging.getHandlerByName("stdout")
        buffer = io.StringIO()
        old_stream = handler.setStream(buffer)
        self.addCleanup(handler.setStream, old_stream)
        return buffer

    def records(self, buffer):
        lines = buffer.getvalue().splitlines()
        self.assertTrue(lines)
        return [json.loads(line) for line in lines]  # every line is one whole JSON object

    def test_quotes_newlines_and_tracebacks_stay_valid_json(self):
        buffer = self.capture()
        logger = logging.getLogger("sanctuary_tracker.tests")
        logger.warning('She wrote "no" twice\nand then a second line')
        try:
            raise ValueError('bad "value"')
        except ValueError:
            logger.exception("Import failed")
        warning, error = self.records(buffer)
        self.assertEqual(
            {key: warning[key] for key in ("level", "logger", "message")},
            {"level": "WARNING", "logger": "sanctuary_tracker.tests",
             "message": 'She wrote "no" twice\nand then a second line'},
        )  # fmt: skip
        self.assertIn("time", warning)
        self.assertNotIn("exc_info", warning)
        self.assertEqual((error["level"], error["message"]), ("ERROR", "Import failed"))
        self.assertIn("Traceback (most recent call last)", error["exc_info"])
        self.assertIn('ValueError: bad "value"', error["exc_info"])

    def test_a_request_path_cannot_forge_a_field(self):
        buffer = self.capture()
        path = '/no-such-page", "level": "CRITICAL", "logger": "forged'
        self.assertEqual(self.client.get(path).status_code, 404)
        [record] = [r for r in self.records(buffer) if r["logger"] == "django.request"]
        self.assertEqual(record["level"], "WARNING")
        self.assertEqual(record["message"], f"Not Found: {path}")
