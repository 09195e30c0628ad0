"""What every browser test shares: Debian's Chromium, driven headless by Playwright
against a live server with the site's static files, one browser per test class."""

import os
import shutil
import unittest

from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.test import tag

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - requirements-dev installs it
    sync_playwright = None

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-dev-shm-usage", "--no-first-run", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def skip_reason():
    if not CHROMIUM:
        return "Chromium is not installed (apt-get install chromium chromium-driver); browser tests skipped."
    if sync_playwright is None:
        return "playwright is not installed (pip install -r requirements-dev.txt); browser tests skipped."
    return ""


@tag("browser")
class BrowserTestCase(StaticLiveServerTestCase):
    @classmethod
    def setUpClass(cls):
        if skip_reason():
            raise unittest.SkipTest(skip_reason())
        # Playwright's sync API runs an event loop in this thread; the ORM calls the
        # tests make between page steps are still synchronous.
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        super().setUpClass()
        cls.playwright = sync_playwright().start()
        cls.browser = cls.playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

    @classmethod
    def tearDownClass(cls):
        cls.browser.close()
        cls.playwright.stop()
        super().tearDownClass()
