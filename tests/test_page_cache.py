"""Public pages are cached and carry ETags under the data version; edits show up at once."""

from django.conf import settings
from django.core.cache import cache
from django.test import TestCase, override_settings

from corrections.records import suggest_url
from letters.models import Letter
from revisions.models import DataVersion
from tests import factories as f


@override_settings(PAGE_CACHE_SECONDS=600)
class PageCacheTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.letter = f.make_letter(f.make_jurisdiction("City of Stockton"), f.make_program("PSP", kind="grant"))

    def setUp(self):
        cache.clear()

    def test_a_repeat_request_is_served_from_cache_with_one_query(self):
        url = self.letter.get_absolute_url()
        first = self.client.get(url)
        with self.assertNumQueries(0):  # the data version comes from the cache too
            second = self.client.get(url)
        self.assertEqual(first.content, second.content)
        self.assertEqual(first["ETag"], second["ETag"])

    def test_conditional_get_answers_304_until_the_data_changes(self):
        url = self.letter.get_absolute_url()
        etag = self.client.get(url)["ETag"]
        self.assertEqual(self.client.get(url, headers={"If-None-Match": etag}).status_code, 304)
        with self.captureOnCommitCallbacks(execute=True):
            Letter.objects.get(pk=self.letter.pk).save()
        response = self.client.get(url, headers={"If-None-Match": etag})
        self.assertEqual(response.status_code, 200)
        self.assertNotEqual(response["ETag"], etag)

    def test_an_edit_shows_up_on_the_next_request(self):
        url = self.letter.get_absolute_url()
        self.assertNotContains(self.client.get(url), "Chief Eric Jones")
        with self.captureOnCommitCallbacks(execute=True):
            self.letter.addressee = "Chief Eric Jones"
            self.letter.save()
        self.assertContains(self.client.get(url), "Chief Eric Jones")

    def test_each_address_has_its_own_entry_and_exports_stream_uncached(self):
        first = self.client.get("/letters/", {"program": "psp"})
        second = self.client.get("/letters/", {"program": "byrne-jag"})
        self.assertNotEqual(first["ETag"], second["ETag"])
        export = self.client.get("/letters/", {"format": "csv"})
        self.assertFalse(export.has_header("ETag"))

    def test_a_page_that_sets_a_cookie_is_never_cached(self):
        # The correction form renders a CSRF token and sets its cookie: a cached copy
        # would hand one visitor's token to the next.
        url = suggest_url(self.letter.recipient)
        first = self.client.get(url)
        self.assertIn(settings.CSRF_COOKIE_NAME, first.cookies)
        self.assertFalse(first.has_header("ETag"))
        self.client.cookies.clear()
        second = self.client.get(url)
        self.assertIn(settings.CSRF_COOKIE_NAME, second.cookies)
        self.assertNotEqual(first.context["csrf_token"], second.context["csrf_token"])

    def test_a_cached_page_still_checks_the_host_and_the_query(self):
        url = self.letter.get_absolute_url()
        self.assertEqual(self.client.get(url).status_code, 200)
        self.assertEqual(self.client.get(url, headers={"Host": "evil.example"}).status_code, 400)
        # Tracking parameters are left out of the cache key, but not out of the check.
        self.assertEqual(self.client.get(url, {"utm_source": "a\x00b"}).status_code, 400)
        self.assertEqual(self.client.get(url, {"utm_source": "newsletter"}).status_code, 200)

    def test_admin_and_health_check_are_never_cached(self):
        self.assertFalse(self.client.get("/healthz").has_header("ETag"))
        self.assertFalse(self.client.get("/admin/login/").has_header("ETag"))

    def test_version_bumps(self):
        before = DataVersion.current()
        DataVersion.bump()
        DataVersion.bump()
        self.assertEqual(DataVersion.current(), before + 2)
