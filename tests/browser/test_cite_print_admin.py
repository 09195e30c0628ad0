"""Issue 14 in a real browser: a citation copied from an event page, the print
stylesheet applied, and no time-zone note beside the admin's date-only inputs."""

from django.contrib.auth import get_user_model

from tests import factories as f
from tests.browser.base import BrowserTestCase


class CitePrintAdminBrowserTests(BrowserTestCase):
    def setUp(self):
        self.city = f.make_jurisdiction("City of Stockton")
        self.event = f.make_event([self.city], title="Stockton answers DOJ")

    def new_page(self, **options):
        context = self.browser.new_context(viewport={"width": 1280, "height": 900}, **options)
        self.addCleanup(context.close)
        return context.new_page()

    def test_citation_is_copied_with_the_readers_date(self):
        page = self.new_page(permissions=["clipboard-read", "clipboard-write"])
        page.goto(f"{self.live_server_url}{self.event.get_absolute_url()}")
        page.get_by_text("Cite this page").click()
        citation = page.locator("#citation")
        today = page.evaluate(
            "new Date().toLocaleDateString('en-US', {year: 'numeric', month: 'long', day: 'numeric'})"
        )
        self.assertIn(f"(accessed {today}).", citation.inner_text())
        self.assertIn("“Stockton answers DOJ.”", citation.inner_text())
        page.get_by_role("button", name="Copy citation").click()
        page.get_by_text("Citation copied.").wait_for()
        self.assertEqual(page.evaluate("navigator.clipboard.readText()"), citation.inner_text())

    def test_print_hides_the_navigation_and_writes_out_link_addresses(self):
        page = self.new_page()
        page.goto(f"{self.live_server_url}{self.city.get_absolute_url()}")
        page.emulate_media(media="print")
        self.assertEqual(page.locator(".site-header").evaluate("el => getComputedStyle(el).display"), "none")
        source = page.locator(".sources a[href^='http']").first
        after = source.evaluate("el => getComputedStyle(el, '::after').content")
        self.assertIn(source.get_attribute("href"), after)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        self.assertLessEqual(scroll_width, page.evaluate("document.documentElement.clientWidth"))

    def test_date_only_admin_fields_show_no_time_zone_note(self):
        get_user_model().objects.create_superuser("manager", "m@example.org", "long-passphrase-11")
        # A browser twelve hours away from the server: Django's note would appear.
        page = self.new_page(timezone_id="Pacific/Auckland")
        page.goto(f"{self.live_server_url}/admin/login/?next=/admin/letters/letter/add/")
        page.fill("#id_username", "manager")
        page.fill("#id_password", "long-passphrase-11")
        page.click("input[type=submit]")
        page.wait_for_load_state("load")
        self.assertGreater(page.locator("input.vDateField").count(), 0)
        self.assertEqual(page.locator(".timezonewarning").count(), 0)
        self.assertIn("Sanctuary Tracker admin", page.title())
        self.assertFalse(page.locator("#id_addressee_confirmed").is_checked())
