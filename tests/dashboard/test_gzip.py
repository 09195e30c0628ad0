"""Public pages and exports are gzipped when the client accepts it; anything that can
carry a secret (the admin, a CSRF token, a session, a private response) is not."""

import gzip

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory, TestCase, override_settings

from dashboard.middleware import PublicGZipMiddleware
from tests import factories as f

GZIP = {"Accept-Encoding": "gzip, deflate, br"}


def vary(response):
    return [part.strip().lower() for part in response.get("Vary", "").split(",")]


class PublicGZipTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.letter = f.make_letter(f.make_jurisdiction("City of Stockton"), f.make_program("PSP", kind="grant"))

    def test_a_public_page_is_compressed_for_clients_that_accept_gzip(self):
        plain = self.client.get("/letters/")
        compressed = self.client.get("/letters/", headers=GZIP)
        self.assertFalse(plain.has_header("Content-Encoding"))
        self.assertIn("accept-encoding", vary(plain))
        self.assertEqual(compressed["Content-Encoding"], "gzip")
        self.assertIn("accept-encoding", vary(compressed))
        self.assertEqual(gzip.decompress(compressed.content), plain.content)
        self.assertLess(len(compressed.content), len(plain.content) / 3)

    def test_exports_stream_compressed(self):
        plain = b"".join(self.client.get("/letters/", {"format": "csv"}).streaming_content)
        response = self.client.get("/letters/", {"format": "csv"}, headers=GZIP)
        self.assertEqual(response["Content-Encoding"], "gzip")
        self.assertEqual(gzip.decompress(b"".join(response.streaming_content)), plain)

    def test_the_admin_is_never_compressed(self):
        response = self.client.get(f"/{settings.ADMIN_URL}login/", headers=GZIP)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(response.has_header("Content-Encoding"))

    def test_a_page_that_sets_a_cookie_or_is_private_is_not_compressed(self):
        def page(cookie=False, cache_control=None):
            def view(request):
                response = HttpResponse("<p>" + "public text " * 100 + "</p>")
                if cookie:
                    get_token(request)
                    response.set_cookie(settings.CSRF_COOKIE_NAME, "token")
                if cache_control:
                    response["Cache-Control"] = cache_control
                return response

            return PublicGZipMiddleware(view)

        request = RequestFactory().get("/letters/", headers=GZIP)
        self.assertEqual(page()(request)["Content-Encoding"], "gzip")
        self.assertFalse(page(cookie=True)(request).has_header("Content-Encoding"))
        self.assertFalse(page(cache_control="private")(request).has_header("Content-Encoding"))
        self.assertFalse(page(cache_control="no-store")(request).has_header("Content-Encoding"))

    def test_a_signed_in_visitor_gets_uncompressed_pages(self):
        self.client.cookies[settings.SESSION_COOKIE_NAME] = "some-session"
        self.assertFalse(self.client.get("/letters/", headers=GZIP).has_header("Content-Encoding"))


@override_settings(PAGE_CACHE_SECONDS=600)
class GZipWithThePageCacheTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.letter = f.make_letter(f.make_jurisdiction("City of Stockton"), f.make_program("PSP", kind="grant"))

    def setUp(self):
        cache.clear()

    def test_a_cached_page_is_compressed_once_and_plain_clients_have_their_own_entry(self):
        url = self.letter.get_absolute_url()
        first = self.client.get(url, headers=GZIP)
        plain_first = self.client.get(url)
        with self.assertNumQueries(0):
            cached = self.client.get(url, headers=GZIP)
            plain = self.client.get(url)
        self.assertEqual(cached["Content-Encoding"], "gzip")
        # Gzip pads each compression with random bytes: the same bytes mean the hit
        # served what was compressed at render time.
        self.assertEqual(cached.content, first.content)
        self.assertFalse(plain.has_header("Content-Encoding"))
        self.assertEqual(plain.content, plain_first.content)
        self.assertEqual(gzip.decompress(cached.content), plain.content)

    def test_each_variant_has_its_own_etag_and_answers_304(self):
        url = self.letter.get_absolute_url()
        compressed_etag = self.client.get(url, headers=GZIP)["ETag"]
        plain_etag = self.client.get(url)["ETag"]
        self.assertTrue(compressed_etag.startswith('W/"'))
        self.assertTrue(plain_etag.startswith('"'))
        self.assertNotEqual(compressed_etag.removeprefix("W/"), plain_etag)
        for etag, headers in ((compressed_etag, GZIP), (plain_etag, {})):
            not_modified = self.client.get(url, headers={**headers, "If-None-Match": etag})
            self.assertEqual(not_modified.status_code, 304)
            self.assertEqual(not_modified["ETag"], etag)
            self.assertEqual(not_modified.content, b"")
            # A 304 repeats what the 200 says about caching (RFC 9110).
            self.assertEqual(not_modified["Cache-Control"], "public, max-age=0, must-revalidate")
            self.assertIn("accept-encoding", vary(not_modified))
        # A plain client holding the compressed copy's ETag gets the plain page.
        self.assertEqual(self.client.get(url, headers={"If-None-Match": compressed_etag}).status_code, 200)

    def test_a_signed_in_visitor_is_served_the_cached_page_but_nothing_rendered_for_them_is_kept(self):
        url = self.letter.get_absolute_url()
        anonymous = self.client.get(url, headers=GZIP)
        self.client.cookies[settings.SESSION_COOKIE_NAME] = "made-up-session"
        with self.assertNumQueries(0):  # a made-up session cookie buys no fresh render
            self.assertEqual(self.client.get(url, headers=GZIP).content, anonymous.content)
        other = self.client.get(url, {"program": "psp"}, headers=GZIP)
        self.assertFalse(other.has_header("Content-Encoding"))  # rendered for a session
        self.assertFalse(other.has_header("ETag"))
        del self.client.cookies[settings.SESSION_COOKIE_NAME]
        fresh = self.client.get(url, {"program": "psp"}, headers=GZIP)
        self.assertEqual(fresh["Content-Encoding"], "gzip")  # rendered again, not the session's copy
