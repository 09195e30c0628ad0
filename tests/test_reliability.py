"""Rate limits, admin saves during a database outage, import limits, branded error
pages, lock-out by address and username, admin session expiry and the login landing."""

import datetime
import html
import io
import re
import unittest

from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection
from django.test import Client, RequestFactory, TestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from letters.models import Demand
from listing.throttle import client_ip
from tests import factories as f
from tests.test_faults import REDIS_SERVER, redis_caches, start_redis

PASSWORD = "a-long-passphrase"


@override_settings(RATE_LIMIT_SEARCH="3/m", RATE_LIMIT_EXPORT="2/m")
class RateLimitTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        f.make_letter(f.make_jurisdiction("City of Stockton"), f.make_program("PSP"))

    def setUp(self):
        cache.clear()

    def test_search_over_the_limit_is_a_branded_429_with_retry_after(self):
        for _ in range(3):
            self.assertEqual(self.client.get("/search/", {"q": "Stockton"}).status_code, 200)
        response = self.client.get("/search/", {"q": "Stockton"})
        self.assertEqual(response.status_code, 429)
        self.assertTrue(1 <= int(response["Retry-After"]) <= 60)
        self.assertEqual(response["Cache-Control"], "no-store")
        self.assertContains(response, "Too many requests", status_code=429)
        self.assertContains(response, 'class="site-header"', status_code=429)

    def test_the_limit_is_per_address(self):
        for _ in range(4):
            self.client.get("/search/", {"q": "x"}, REMOTE_ADDR="203.0.113.1")
        self.assertEqual(self.client.get("/search/", {"q": "x"}, REMOTE_ADDR="203.0.113.1").status_code, 429)
        self.assertEqual(self.client.get("/search/", {"q": "x"}, REMOTE_ADDR="203.0.113.2").status_code, 200)

    def test_exports_are_limited_but_list_pages_are_not(self):
        self.assertEqual(self.client.get("/letters/", {"format": "csv"}).status_code, 200)
        self.assertEqual(self.client.get("/jurisdictions/", {"format": "json"}).status_code, 200)
        response = self.client.get("/matrix/", {"format": "csv"})
        self.assertEqual(response.status_code, 429)
        self.assertEqual(response["Content-Type"], "application/json")
        self.assertIn("retry in", response.json()["error"])
        self.assertIn("Retry-After", response)
        for _ in range(5):
            self.assertEqual(self.client.get("/letters/").status_code, 200)

    @unittest.skipUnless(REDIS_SERVER, "redis-server is not installed")
    def test_limits_are_shared_through_redis_and_lifted_when_it_dies(self):
        server, port = start_redis(self)
        with override_settings(CACHES=redis_caches(port)):
            # Two clients stand for two workers: the count lives in Redis, not in a process.
            worker_a, worker_b = Client(), Client()
            for _ in range(2):
                worker_a.get("/search/", {"q": "x"})
                worker_b.get("/search/", {"q": "x"})
            self.assertEqual(worker_a.get("/search/", {"q": "x"}).status_code, 429)
            server.kill()
            server.wait(timeout=10)
            with self.assertLogs("listing.throttle", "WARNING"):
                self.assertEqual(worker_a.get("/search/", {"q": "x"}).status_code, 200)


class ClientAddressTests(TestCase):
    def test_behind_proxies_the_address_the_outermost_trusted_proxy_saw(self):
        request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7")
        self.assertEqual(client_ip(request), "10.0.0.5")
        with override_settings(PROXY_COUNT=1):
            # The client may forge everything left of what our proxy appended.
            self.assertEqual(client_ip(request), "198.51.100.7")


def database_gone(execute, sql, params, many, context):
    """Every query fails the way an unreachable server makes it fail, from the first one
    (the session) on: the test database itself cannot be stopped under the test."""
    raise OperationalError("could not connect to server: Connection refused")


class AdminDatabaseOutageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = get_user_model().objects.create_superuser("editor", "editor@example.org", PASSWORD)
        cls.city = f.make_jurisdiction("City of Stockton")
        cls.program = f.make_program("PSP")
        cls.condition = f.make_condition("jail_access")
        cls.letter = f.make_letter(cls.city, cls.program, addressee="Stockton Police Department")

    def setUp(self):
        self.client.force_login(self.user)

    def form(self):
        return {
            "program": self.program.pk,
            "recipient": self.city.pk,
            "addressee": "Chief Eric Jones",
            "sent_on": "2017-08-03",
            "deadline": "2017-08-18",
            "notes": "Typed during an outage\nsecond line",
            "demands-TOTAL_FORMS": "1",
            "demands-INITIAL_FORMS": "0",
            "demands-0-condition": self.condition.pk,
            "demands-0-letter": self.letter.pk,
            "Letter_sources-TOTAL_FORMS": "1",
            "Letter_sources-INITIAL_FORMS": "0",
            "Letter_sources-0-source": f.make_source().pk,
            "responses-TOTAL_FORMS": "0",
            "responses-INITIAL_FORMS": "0",
        }

    def test_a_save_cut_off_midway_writes_nothing_and_gives_back_what_was_typed(self):
        def server_gone_on_inline_insert(execute, sql, params, many, context):
            # The letter's UPDATE has run; the connection dies as the first inline is written.
            if sql.startswith("INSERT") and Demand._meta.db_table in sql:
                raise OperationalError("server closed the connection unexpectedly")
            return execute(sql, params, many, context)

        url = reverse("admin:letters_letter_change", args=[self.letter.pk])
        with connection.execute_wrapper(server_gone_on_inline_insert), self.assertLogs("dataentry", "ERROR"):
            response = self.client.post(url, self.form())
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response["Retry-After"], "30")
        self.assertEqual(response["Cache-Control"], "no-store")
        self.assertContains(response, "not saved", status_code=503)
        self.assertContains(response, 'name="addressee" value="Chief Eric Jones"', status_code=503)
        self.assertContains(response, 'value="Typed during an outage', status_code=503)
        self.assertContains(response, f'action="{url}"', status_code=503)
        self.letter.refresh_from_db()
        self.assertEqual(self.letter.addressee, "Stockton Police Department")  # the UPDATE was rolled back
        self.assertFalse(Demand.objects.filter(letter=self.letter).exists())

    def test_sending_again_once_the_database_is_back_saves_it(self):
        form = self.form()
        with connection.execute_wrapper(database_gone), self.assertLogs("dataentry", "ERROR"):
            response = self.client.post(reverse("admin:letters_letter_change", args=[self.letter.pk]), form)
        self.assertEqual(response.status_code, 503)
        # What a browser sends when the editor presses "Send again": the page's hidden fields.
        resent = {
            html.unescape(name): html.unescape(value)
            for name, value in re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)">', response.text)
        }
        self.assertEqual(resent["notes"], form["notes"])
        url = reverse("admin:letters_letter_change", args=[self.letter.pk])
        self.assertEqual(self.client.post(url, resent).status_code, 302)
        self.letter.refresh_from_db()
        self.assertEqual(self.letter.addressee, "Chief Eric Jones")

    def test_passwords_are_never_echoed(self):
        form = {"username": "newcomer", "password1": "s3cret-Passw0rd!", "password2": "s3cret-Passw0rd!"}
        with connection.execute_wrapper(database_gone), self.assertLogs("dataentry", "ERROR"):
            response = self.client.post(reverse("admin:auth_user_add"), form)
        self.assertEqual(response.status_code, 503)
        self.assertNotContains(response, "s3cret", status_code=503)
        self.assertContains(response, 'value="newcomer"', status_code=503)

    def test_public_pages_are_not_handled_here(self):
        self.client.logout()
        self.assertEqual(self.client.post("/letters/").status_code, 405)


@override_settings(IMPORT_MAX_ROWS=3, IMPORT_MAX_BYTES=2000)
class ImportLimitTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = get_user_model().objects.create_superuser("editor", "editor@example.org", PASSWORD)

    def setUp(self):
        self.client.force_login(self.user)
        self.url = reverse("admin:jurisdictions_jurisdiction_import")

    def post(self, name, content):
        return self.client.post(
            self.url, {"import_file": SimpleUploadedFile(name, content), "format": "0", "resource": "0"}
        )

    def test_the_limits_are_stated_on_the_form(self):
        response = self.client.get(self.url)
        self.assertContains(response, "at most 2.0\xa0KB and 3 data rows")
        self.assertContains(response, "manage.py import")

    def test_too_many_rows_is_a_form_error_and_nothing_is_written(self):
        rows = "name,kind,state\n" + "".join(f"Town {n},city,CA\n" for n in range(4))
        response = self.post("towns.csv", rows.encode())
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "This file has 4 data rows; the admin imports at most 3 at a time.")
        self.assertNotIn("result", response.context)

    def test_three_rows_are_within_the_limit(self):
        rows = "name,kind,state\n" + "".join(f"Town {n},city,CA\n" for n in range(3))
        response = self.post("towns.csv", rows.encode())
        self.assertNotContains(response, "data rows; the admin imports")

    def test_too_big_a_file_is_refused_before_it_is_read(self):
        response = self.post("big.csv", b"name\n" + b"x" * 3000)
        self.assertContains(response, "the admin imports at most 2.0\xa0KB")

    def test_xlsx_rows_are_counted_too(self):
        book = Workbook()
        sheet = book.active
        sheet.append(["name", "kind", "state"])
        for n in range(5):
            sheet.append([f"Town {n}", "city", "CA"])
        data = io.BytesIO()
        book.save(data)
        with self.settings(IMPORT_MAX_BYTES=100_000):
            response = self.client.post(
                self.url,
                {"import_file": SimpleUploadedFile("towns.xlsx", data.getvalue()), "format": "1", "resource": "0"},
            )
        self.assertContains(response, "This file has 5 data rows")


class ErrorPageTests(TestCase):
    def test_csrf_failure_is_the_sites_own_page(self):
        client = Client(enforce_csrf_checks=True)
        response = client.post(reverse("admin:login"), {"username": "x", "password": "y"})
        self.assertEqual(response.status_code, 403)
        self.assertContains(response, "The form could not be sent", status_code=403)
        self.assertContains(response, 'class="site-header"', status_code=403)
        self.assertNotContains(response, "CSRF cookie not set", status_code=403)

    def test_permission_denied_is_the_sites_own_page(self):
        staff = get_user_model().objects.create_user("reader", password=PASSWORD, is_staff=True)
        self.client.force_login(staff)
        response = self.client.get(reverse("admin:letters_letter_add"))
        self.assertEqual(response.status_code, 403)
        self.assertContains(response, "You are not allowed to see this", status_code=403)

    def test_500_and_503_render_without_a_request_or_database(self):
        from django.template.loader import render_to_string

        with self.assertNumQueries(0):
            for name in ("500.html", "503.html"):
                html = render_to_string(name)
                self.assertIn('class="site-header"', html)
                self.assertIn("Sanctuary Tracker", html)


class AdminLoginTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = get_user_model().objects.create_superuser("editor", "editor@example.org", PASSWORD)
        get_user_model().objects.create_superuser("other", "other@example.org", PASSWORD)

    def setUp(self):
        cache.clear()

    def login(self, username, password, address, next_url=None):
        url = reverse("admin:login") + (f"?next={next_url}" if next_url else "")
        return self.client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)

    def test_lockout_is_by_address_and_username_together(self):
        for _ in range(5):
            self.login("editor", "wrong", "203.0.113.9")
        locked = self.login("editor", PASSWORD, "203.0.113.9")
        self.assertEqual(locked.status_code, 429)
        self.assertContains(locked, "Too many failed sign-ins", status_code=429)
        # The same editor from elsewhere, and another user from the same address, still sign in.
        self.assertEqual(self.login("editor", PASSWORD, "198.51.100.4").status_code, 302)
        self.client.logout()
        self.assertEqual(self.login("other", PASSWORD, "203.0.113.9").status_code, 302)

    def test_an_unsafe_next_lands_on_the_admin_index(self):
        for next_url in ("//evil.example/", "https://evil.example/admin/", "/nowhere/"):
            with self.subTest(next_url=next_url):
                self.client.logout()
                response = self.login("editor", PASSWORD, "192.0.2.1", next_url)
                self.assertEqual(response.status_code, 302)
                landing = response["Location"]
                self.assertFalse(landing.startswith(("//", "http")))
                if next_url != "/nowhere/":
                    self.assertEqual(landing, reverse("admin:index"))

    def test_admin_sessions_end_after_an_idle_hour(self):
        self.assertEqual(self.login("editor", PASSWORD, "192.0.2.1").status_code, 302)
        self.assertEqual(self.client.get(reverse("admin:index")).status_code, 200)
        session = Session.objects.get()
        left = session.expire_date - timezone.now()
        self.assertLessEqual(left, datetime.timedelta(hours=1))
        self.assertGreater(left, datetime.timedelta(minutes=59))
        Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
        response = self.client.get(reverse("admin:index"))
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(reverse("admin:login")))

    def test_public_pages_create_no_session(self):
        response = self.client.get("/letters/")
        self.assertFalse(response.cookies)
        self.assertFalse(Session.objects.exists())
