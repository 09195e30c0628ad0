"""Absolute URLs come from SITE_ORIGIN, never from the Host header; the page cache key
ignores tracking parameters and refuses junk queries; robots.txt, security.txt, favicon."""

import datetime
import json
import subprocess
import sys
from xml.etree import ElementTree

from django.core.cache import cache
from django.test import TestCase, override_settings
from django.utils import timezone

from tests import factories as f
from tests.test_settings import PRODUCTION_ENV, ROOT

ORIGIN = "https://tracker.example.org"
HOSTILE = {"HTTP_HOST": "localhost:6666"}
ATOM = "{http://www.w3.org/2005/Atom}"


def feed_links(response):
    root = ElementTree.fromstring(response.content)
    return [link.get("href") for link in root.iter(f"{ATOM}link")] + [e.text for e in root.iter(f"{ATOM}id")]


@override_settings(SITE_ORIGIN=ORIGIN)
class CanonicalUrlTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.city = f.make_jurisdiction("City of Stockton")
        cls.letter = f.make_letter(cls.city, f.make_program("PSP", kind="grant"))
        f.make_event(jurisdictions=[cls.city])

    def setUp(self):
        cache.clear()

    def assert_all_canonical(self, urls):
        self.assertTrue(urls)
        for url in urls:
            self.assertTrue(url.startswith(ORIGIN + "/"), url)

    def test_feeds_link_to_the_site_origin_whatever_the_host(self):
        for path in ("/feeds/letters/", "/feeds/events/", f"/feeds/jurisdictions/{self.city.slug}/"):
            response = self.client.get(path, **HOSTILE)
            self.assertEqual(response.status_code, 200)
            links = feed_links(response)
            self.assert_all_canonical(links)
            self.assertIn(ORIGIN + path, links)
            self.assertNotIn(b"6666", response.content)

    def test_json_and_csv_urls_use_the_site_origin(self):
        detail = self.client.get(self.letter.get_absolute_url(), {"format": "json"}, **HOSTILE).json()
        self.assertEqual(detail["url"], ORIGIN + self.letter.get_absolute_url())
        for path in ("/letters/", "/jurisdictions/", "/timeline/"):
            for fmt in ("json", "csv"):
                response = self.client.get(path, {"format": fmt}, **HOSTILE)
                self.assertEqual(response.status_code, 200, (path, fmt))
                body = b"".join(response.streaming_content) if response.streaming else response.content
                self.assertNotIn(b"6666", body, (path, fmt))
                self.assertIn(ORIGIN.encode(), body, (path, fmt))
        hits = self.client.get("/search/", {"q": "Stockton", "format": "json"}, **HOSTILE).json()["results"]
        self.assert_all_canonical([hit["url"] for hit in hits])

    def test_pages_carry_rel_canonical_without_the_query(self):
        response = self.client.get("/letters/", {"program": "psp"}, **HOSTILE)
        self.assertContains(response, f'<link rel="canonical" href="{ORIGIN}/letters/">', html=False)
        self.assertContains(response, 'rel="icon"')

    @override_settings(PAGE_CACHE_SECONDS=600)
    def test_the_cached_copy_made_for_a_hostile_host_carries_the_site_origin(self):
        for url in ("/feeds/letters/", self.letter.get_absolute_url() + "?format=json"):
            first = self.client.get(url, **HOSTILE)
            self.assertTrue(first.has_header("ETag"))
            with self.assertNumQueries(0):  # served from the cache
                second = self.client.get(url)
            self.assertEqual(first.content, second.content)
            self.assertNotIn(b"6666", second.content)
            self.assertIn(ORIGIN.encode(), second.content)


@override_settings(PAGE_CACHE_SECONDS=600)
class PageCacheKeyTests(TestCase):
    def setUp(self):
        cache.clear()

    def test_tracking_parameters_share_the_entry_without_them(self):
        first = self.client.get("/about/data/")
        with self.assertNumQueries(0):
            second = self.client.get("/about/data/?utm_source=x&fbclid=1&gclid=2&UTM_Medium=y")
        self.assertEqual(first["ETag"], second["ETag"])
        self.assertEqual(first.content, second.content)

    def test_parameters_the_page_reads_keep_their_own_entry(self):
        self.assertNotEqual(self.client.get("/letters/")["ETag"], self.client.get("/letters/?state=CA")["ETag"])

    def test_parameters_the_page_never_reads_are_answered_uncached(self):
        for url in ("/about/data/?x=1", "/letters/?junk=1", "/letters/?state=CA&junk=1", "/?utm_source=a&n=2"):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assertFalse(response.has_header("ETag"))
                self.assertFalse(self.client.get(url).has_header("ETag"))
        self.assertTrue(self.client.get("/letters/?state=CA&utm_source=a").has_header("ETag"))

    def test_overlong_or_crowded_queries_are_answered_uncached(self):
        for query in ("q=" + "a" * 600, "&".join(f"p{n}=1" for n in range(21))):
            response = self.client.get(f"/about/data/?{query}")
            self.assertEqual(response.status_code, 200)
            self.assertFalse(response.has_header("ETag"))
            second = self.client.get(f"/about/data/?{query}")
            self.assertFalse(second.has_header("ETag"))


@override_settings(SITE_ORIGIN=ORIGIN, SECURITY_CONTACT="mailto:security@tracker.example.org", ADMIN_URL="backstage/")
class PublicFilesTests(TestCase):
    def test_robots_txt_disallows_only_the_admin(self):
        response = self.client.get("/robots.txt")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/plain; charset=utf-8")
        lines = response.content.decode().splitlines()
        self.assertIn("User-agent: *", lines)
        self.assertIn("Disallow: /backstage/", lines)
        self.assertIn(f"Sitemap: {ORIGIN}/sitemap.xml", lines)

    def test_sitemap_lists_every_page_kind_under_the_site_origin(self):
        city = f.make_jurisdiction("City of Stockton")
        letter = f.make_letter(city, f.make_program("PSP", kind="grant"), conditions=[f.make_condition("jail_access")])
        response = self.client.get("/sitemap.xml", **HOSTILE)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Type"].startswith("application/xml"))
        root = ElementTree.fromstring(response.content)
        locations = [e.text for e in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
        for obj in (city, letter, letter.program, letter.demands.get().condition):
            self.assertIn(ORIGIN + obj.get_absolute_url(), locations)
        self.assertTrue(all(url.startswith(ORIGIN + "/") for url in locations))

    def test_security_txt_follows_rfc_9116(self):
        response = self.client.get("/.well-known/security.txt", **HOSTILE)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/plain; charset=utf-8")
        fields = dict(line.split(": ", 1) for line in response.content.decode().splitlines())
        self.assertEqual(fields["Contact"], "mailto:security@tracker.example.org")
        self.assertEqual(fields["Canonical"], f"{ORIGIN}/.well-known/security.txt")
        expires = datetime.datetime.strptime(fields["Expires"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.UTC)
        self.assertAlmostEqual((expires - timezone.now()).days, 364, delta=1)

    def test_favicon_ico_redirects_to_the_svg(self):
        response = self.client.get("/favicon.ico")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].endswith("favicon.svg"))
        self.assertTrue((ROOT / "static" / "favicon.svg").read_text().startswith("<svg"))

    def test_read_only_views_refuse_other_methods(self):
        for path in (
            "/",
            "/about/data/",
            "/healthz",
            "/robots.txt",
            "/.well-known/security.txt",
            "/favicon.ico",
            "/sitemap.xml",
        ):
            self.assertEqual(self.client.generic("TRACE", path).status_code, 405, path)
            self.assertEqual(self.client.post(path).status_code, 405, path)


class SiteOriginSettingTests(TestCase):
    PROBE = "import json; from sanctuary_tracker import settings as s; print(json.dumps(s.SITE_ORIGIN))"

    def origin(self, value):
        env = dict(PRODUCTION_ENV) if value is None else {**PRODUCTION_ENV, "SITE_ORIGIN": value}
        return subprocess.run(
            [sys.executable, "-c", self.PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
        )

    def test_default_and_valid_origins(self):
        self.assertEqual(json.loads(self.origin(None).stdout), "http://127.0.0.1:8000")
        self.assertEqual(json.loads(self.origin("https://Tracker.example.org/").stdout), "https://tracker.example.org")

    def test_anything_but_an_http_origin_is_refused(self):
        for value in (
            "tracker.example.org",
            "ftp://x.org",
            "https://x.org/path",
            "https://x.org?q=1",
            "https://u@x.org",
        ):
            result = self.origin(value)
            self.assertNotEqual(result.returncode, 0, value)
            self.assertIn("SITE_ORIGIN", result.stderr)
