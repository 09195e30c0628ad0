from unittest import mock

from django.core import mail
from django.core.cache import cache
from django.test import TestCase, override_settings
from django.urls import reverse

from corrections.models import Correction
from corrections.records import record_reference, suggest_url
from tests import factories as f

LOCAL_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ratelimit"}}
# Nothing listens on port 1: every cache call fails, as with Redis down.
UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


def suggestion(about, **overrides):
    data = {
        "about": about,
        "what_is_wrong": "The page says the county runs the jail.",
        "what_is_right": "The state runs it since 1991.",
        "source_url": "https://news.example.org/state-jail",
        "email": "",
        "website": "",
    }
    return {**data, **overrides}


@override_settings(CACHES=LOCAL_CACHE)
class SuggestCorrectionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.county = f.make_jurisdiction("Sample County", kind="county")
        cls.jail = f.make_facility(cls.county, name="Sample County Jail")
        cls.city = f.make_jurisdiction("City of Sample", parent=cls.county)
        f.book(cls.city, cls.jail)

    def setUp(self):
        cache.clear()

    def test_record_pages_link_to_the_form_and_set_no_cookie(self):
        response = self.client.get(self.city.get_absolute_url())
        self.assertContains(response, suggest_url(self.city))
        self.assertContains(response, suggest_url(self.jail))
        self.assertNotContains(response, "csrfmiddlewaretoken")
        self.assertEqual(response.cookies, {})

    def test_the_form_names_the_record_and_posts_a_stored_suggestion(self):
        url = suggest_url(self.jail)
        form_page = self.client.get(url)
        self.assertContains(form_page, "Sample County Jail")
        self.assertContains(form_page, 'name="csrfmiddlewaretoken"')
        self.assertContains(form_page, "nothing you write is published")

        response = self.client.post(url, suggestion(record_reference(self.jail), email="reader@example.org"))

        self.assertRedirects(response, reverse("corrections:thanks"))
        correction = Correction.objects.get()
        self.assertEqual(correction.record, self.jail)
        self.assertEqual(correction.record_label, "Sample County Jail")
        self.assertEqual(correction.status, Correction.Status.NEW)
        self.assertEqual(correction.email, "reader@example.org")
        self.assertEqual(mail.outbox, [])  # nothing is sent until an editor resolves it
        self.assertContains(self.client.get(reverse("corrections:thanks")), "Thank you")

    def test_csrf_is_enforced(self):
        client = self.client_class(enforce_csrf_checks=True)
        response = client.post(reverse("corrections:new"), suggestion(record_reference(self.city)))
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Correction.objects.exists())

    def test_honeypot_is_thanked_but_not_stored(self):
        response = self.client.post(
            reverse("corrections:new"), suggestion(record_reference(self.city), website="http://spam.example")
        )
        self.assertRedirects(response, reverse("corrections:thanks"))
        self.assertFalse(Correction.objects.exists())

    def test_missing_and_overlong_fields_are_form_errors(self):
        response = self.client.post(
            reverse("corrections:new"),
            suggestion(record_reference(self.city), what_is_right="", what_is_wrong="x" * 2001, source_url="nope"),
        )
        self.assertEqual(response.status_code, 200)
        form = response.context["form"]
        self.assertEqual(set(form.errors), {"what_is_right", "what_is_wrong", "source_url"})
        self.assertFalse(Correction.objects.exists())

    def test_a_reference_to_no_public_record_is_a_400(self):
        user_type = "auth.user:1"
        for about in ["", "jurisdictions.jurisdiction:999999", "jurisdictions.jurisdiction:abc", user_type,
                      "nonsense", "letters.letter:1e9"]:  # fmt: skip
            with self.subTest(about=about):
                self.assertEqual(self.client.get(reverse("corrections:new"), {"about": about}).status_code, 400)
                response = self.client.post(reverse("corrections:new"), suggestion(about))
                self.assertEqual(response.status_code, 400)
        self.assertFalse(Correction.objects.exists())

    def test_every_correctable_record_type_resolves(self):
        program = f.make_program()
        condition = f.make_condition("jail_access")
        letter = f.make_letter(self.city, program, [condition])
        records = [
            self.city, self.jail, self.city.bookings.get(), letter, f.make_response(letter), f.make_event([self.city]),
            f.make_measure(self.city), f.make_decision([program]), program, condition,
        ]  # fmt: skip
        for record in records:
            with self.subTest(record=type(record).__name__):
                self.assertContains(self.client.get(suggest_url(record)), "Suggest a correction")

    def test_rate_limit_per_address_is_a_429_page(self):
        about = record_reference(self.city)
        for _ in range(10):
            self.assertEqual(self.client.post(reverse("corrections:new"), suggestion(about)).status_code, 302)
        response = self.client.post(reverse("corrections:new"), suggestion(about))
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "sent this form many times in the last hour", status_code=429)
        self.assertTrue(1 <= int(response["Retry-After"]) <= 3600)
        self.assertEqual(Correction.objects.count(), 10)
        # Another address is not limited.
        response = self.client.post(reverse("corrections:new"), suggestion(about), REMOTE_ADDR="192.0.2.7")
        self.assertEqual(response.status_code, 302)

    @override_settings(CACHES=UNREACHABLE_REDIS)
    def test_rate_limit_fails_open_when_the_cache_is_down(self):
        about = record_reference(self.city)
        with mock.patch("listing.throttle.logger") as logger:
            for _ in range(12):
                self.assertEqual(self.client.post(reverse("corrections:new"), suggestion(about)).status_code, 302)
        self.assertEqual(Correction.objects.count(), 12)
        logger.warning.assert_called()
