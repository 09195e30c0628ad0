"""Cite this, and the journalist-facing text fixes of issue 14."""

import datetime
from pathlib import Path

from django.test import TestCase, override_settings
from django.utils import timezone

from revisions.models import DataVersion
from seed.loader import without_confirmation_marker
from tests import factories as f


@override_settings(SITE_ORIGIN="https://tracker.example.org")
class CiteThisTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.county = f.make_jurisdiction("San Joaquin County", kind="county")
        cls.city = f.make_jurisdiction("City of Stockton")
        cls.program = f.make_program("PSP", kind="technical_assistance")
        cls.condition = f.make_condition("jail_access", name="DHS/ICE access to jails")
        cls.letter = f.make_letter(cls.city, cls.program, [cls.condition])
        cls.event = f.make_event([cls.city], title="Stockton answers DOJ")
        DataVersion.objects.get_or_create(pk=1)
        # update() skips auto_now: the version as if the data last changed on March 2.
        DataVersion.objects.filter(pk=1).update(
            counter=41, changed_at=datetime.datetime(2026, 3, 2, 17, tzinfo=datetime.UTC)
        )

    def pages(self):
        return {
            self.city.get_absolute_url(): "City of Stockton, CA",
            self.letter.get_absolute_url(): "PSP letter to City of Stockton of August 3, 2017",
            self.event.get_absolute_url(): "Stockton answers DOJ",
            self.condition.get_absolute_url(): "DHS/ICE access to jails",
            self.program.get_absolute_url(): "PSP program",
        }

    def test_every_record_page_has_a_citation_with_version_and_permalink(self):
        for path, title in self.pages().items():
            with self.subTest(path=path):
                response = self.client.get(path)
                self.assertEqual(response.status_code, 200)
                content = response.content.decode()
                citation = content.split('<pre class="citation" id="citation">', 1)[1].split("</pre>", 1)[0]
                self.assertIn(f"“{title}.”", citation)
                self.assertIn("Data version 41, March 2, 2026.", citation)
                self.assertIn(f"https://tracker.example.org{path}", citation)
                # The access date is the reader's, filled in by the browser; a cached page
                # (keyed by data version, revalidated for days) never claims one.
                self.assertIn("<span data-access-date>[add the date you viewed this page]</span>", citation)
                self.assertInHTML("<summary>Cite this page</summary>", content)
                self.assertIn('src="/static/js/cite.js"', content)
                self.assertNotIn("<script>", content)  # no inline script (CSP)

    def test_a_data_change_changes_the_citation_version(self):
        before = self.client.get(self.event.get_absolute_url()).content.decode()
        DataVersion.bump()
        after = self.client.get(self.event.get_absolute_url()).content.decode()
        self.assertIn("Data version 41,", before)
        self.assertIn("Data version 42,", after)


class TextFixTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.county = f.make_jurisdiction("Cook County", kind="county", state="IL")
        cls.program = f.make_program("Byrne JAG")
        cls.condition = f.make_condition("section_1373_compliance")
        cls.letter = f.make_letter(
            cls.county,
            cls.program,
            [cls.condition],
            addressee="Cook County, Illinois",
            addressee_confirmed=False,
            sender_name="Jon Adler",
            sender_title="Director, Bureau of Justice Assistance (Office of Justice Programs)",
            notes="See http://suffredin.org/news?id=5 & <b>more</b>. Split per row in letters.csv.",
        )

    def test_seed_marker_is_taken_out_of_the_addressee(self):
        self.assertEqual(
            without_confirmation_marker("Cook County, Illinois (addressee not confirmed)"), "Cook County, Illinois"
        )
        self.assertEqual(
            without_confirmation_marker("City of New Orleans (letter sought an opinion; addressee not confirmed)"),
            "City of New Orleans (letter sought an opinion)",
        )

    def test_unconfirmed_addressee_is_said_once_and_sender_title_has_no_doubled_parenthesis(self):
        for path in (self.county.get_absolute_url(), self.letter.get_absolute_url()):
            with self.subTest(path=path):
                content = self.client.get(path).content.decode()
                self.assertNotIn("(addressee not confirmed)", content)
                self.assertIn(
                    'Cook County, Illinois <span class="badge badge-partly">addressee not confirmed</span>', content
                )
                self.assertNotIn("))", content)
        self.assertContains(
            self.client.get(self.county.get_absolute_url()),
            "from Jon Adler, Director, Bureau of Justice Assistance (Office of Justice Programs).",
        )

    def test_notes_are_escaped_linked_and_without_internal_file_names(self):
        response = self.client.get(self.letter.get_absolute_url())
        self.assertContains(response, 'href="http://suffredin.org/news?id=5"')
        self.assertContains(response, "&amp; &lt;b&gt;more&lt;/b&gt;")
        self.assertNotContains(response, "letters.csv")

    def test_a_facility_row_cites_a_shared_source_once(self):
        city = f.make_jurisdiction("City of Stockton")
        jail = f.make_facility(self.county)
        booking = f.book(city, jail)
        shared = jail.sources.get()
        booking.sources.add(shared)
        other = f.make_source()
        booking.sources.add(other)
        content = self.client.get(city.get_absolute_url()).content.decode()
        table = content.split("Facilities holding", 1)[1].split("</table>", 1)[0]
        self.assertEqual(table.count(f'href="{shared.url}"'), 1)
        self.assertEqual(table.count(f'href="{other.url}"'), 1)

    def test_home_page_says_every_deadline_has_passed_instead_of_zero_upcoming(self):
        response = self.client.get("/")
        self.assertContains(response, "Every response deadline has passed; the last was")
        self.assertContains(response, "August 18, 2017")
        self.assertNotContains(response, "0 letters still within")

    def test_home_page_counts_letters_still_within_their_deadline(self):
        f.make_letter(
            self.county,
            self.program,
            sent_on=timezone.localdate(),
            deadline=timezone.localdate() + datetime.timedelta(days=9),
        )
        response = self.client.get("/")
        self.assertContains(response, "1 letter still within its response deadline")


@override_settings(SITE_ORIGIN="https://tracker.example.org")
class ShareAndPrintTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.city = f.make_jurisdiction("City of Stockton")
        cls.event = f.make_event([cls.city], title="Stockton answers DOJ", summary="The county runs the jail.")

    def test_pages_link_the_print_stylesheet_for_print_only(self):
        for path in ("/", self.city.get_absolute_url(), "/letters/"):
            with self.subTest(path=path):
                self.assertContains(
                    self.client.get(path), '<link rel="stylesheet" href="/static/css/print.css" media="print">'
                )

    def test_print_stylesheet_hides_navigation_and_prints_link_addresses(self):
        from django.contrib.staticfiles import finders

        rules = Path(finders.find("css/print.css")).read_text(encoding="utf-8")
        self.assertRegex(rules, r"\.site-header,[^{]*\{\s*display: none !important;")
        self.assertIn('content: " (" attr(href) ")";', rules)

    def test_record_pages_carry_share_cards_with_absolute_urls(self):
        response = self.client.get(self.event.get_absolute_url())
        self.assertContains(response, '<meta property="og:title" content="Stockton answers DOJ">', html=True)
        self.assertContains(response, '<meta property="og:type" content="article">', html=True)
        self.assertContains(
            response,
            f'<meta property="og:url" content="https://tracker.example.org/events/{self.event.pk}/">',
            html=True,
        )
        self.assertContains(response, "The county runs the jail.")
        self.assertContains(response, '<meta name="twitter:card" content="summary">', html=True)
        self.assertContains(
            self.client.get(self.city.get_absolute_url()),
            '<meta property="og:title" content="City of Stockton, CA">',
            html=True,
        )

    def test_other_pages_get_the_site_card(self):
        response = self.client.get("/letters/")
        self.assertContains(response, '<meta property="og:type" content="website">', html=True)
        self.assertContains(
            response, '<meta property="og:url" content="https://tracker.example.org/letters/">', html=True
        )
