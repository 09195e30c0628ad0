"""The three users' journeys in headless Chromium against a live server, with axe-core
accessibility checks and screenshots of every page type (test-artifacts/screenshots/)."""

import csv
import re
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command

from corrections.models import Correction
from jurisdictions.models import Jurisdiction
from letters.models import Letter
from tests.browser.base import BrowserTestCase

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"

# Charts re-layout on window resize after a debounce; ask plotly to do it now instead.
RESIZE_CHARTS = """async () => { for (const el of document.querySelectorAll('.js-plotly-plot'))
  { await window.Plotly.Plots.resize(el); } }"""

CHARTS = ("chart-control", "chart-map", "chart-letters")


def draw_charts(page):
    """Charts are drawn when they come near the viewport (static/js/charts.js)."""
    for chart in CHARTS:
        page.locator(f"#{chart}").scroll_into_view_if_needed()
        page.wait_for_selector(f"#{chart} svg.main-svg")


class BrowserJourneyTests(BrowserTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def setUp(self):
        call_command("load_seed", stdout=StringIO())
        # bypass_csp lets the test inject axe-core; the site's own pages never need it.
        self.context = self.browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True,
                                                accept_downloads=True)  # fmt: skip
        self.page = self.context.new_page()
        self.requested_hosts = set()
        self.page.on("request", lambda request: self.requested_hosts.add(urlsplit(request.url).netloc))
        self.addCleanup(self.context.close)

    def url(self, path):
        return f"{self.live_server_url}{path}"

    def assert_accessible(self, name):
        self.page.add_script_tag(path=str(AXE))
        result = self.page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        serious = [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        self.assertEqual(serious, [], f"accessibility violations on {name}")

    def screenshot(self, name):
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}-desktop.png"), full_page=True)
        self.page.set_viewport_size({"width": 390, "height": 844})
        self.page.evaluate(RESIZE_CHARTS)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}-phone.png"), full_page=True)
        width = self.page.evaluate("document.documentElement.scrollWidth")
        self.assertLessEqual(width, 400, f"{name} scrolls sideways on a phone")
        self.page.set_viewport_size({"width": 1280, "height": 900})

    def test_journalist_finds_who_controls_baltimores_jail(self):
        self.page.goto(self.url("/"))
        self.page.get_by_role("navigation", name="Main").get_by_role("link", name="Jurisdictions").click()
        self.page.get_by_label("Name contains").fill("Baltimore")
        self.page.get_by_role("button", name="Apply filters").click()
        self.page.get_by_role("link", name="City of Baltimore").click()
        self.assertEqual(self.page.title(), "City of Baltimore, MD · Sanctuary Tracker")
        heading = self.page.get_by_role("heading", name="Can City of Baltimore meet DOJ's conditions?")
        self.assertTrue(heading.is_visible())
        rows = self.page.locator(".can-comply .matrix-table tbody tr")
        self.assertEqual(rows.count(), 3)
        for index in range(3):
            jail_cell = rows.nth(index).locator("td").first.inner_text()
            self.assertIn(
                "City of Baltimore does not control this: its arrestees are held in a jail run by State of Maryland.",
                jail_cell,
            )
        self.assertIn("(the letter's date)", self.page.locator(".can-comply .matrix").first.inner_text())
        letter = Letter.objects.get(recipient__slug="city-of-baltimore-md")
        source = self.page.locator(".can-comply .matrix > p .sources a").first  # the letter's own source
        self.assertEqual(source.get_attribute("href"), letter.sources.get().url)
        self.page.get_by_role("link", name="Show today instead").click()
        self.assertIn("(today)", self.page.locator(".can-comply .matrix").first.inner_text())
        with self.page.expect_navigation():  # a loaded machine can be slower than the next line
            self.page.get_by_role("link", name="State of Maryland").first.click()
        self.assertEqual(self.page.title(), "State of Maryland, MD · Sanctuary Tracker")

    def test_researcher_filters_reloads_permalink_and_downloads_matching_csv(self):
        self.page.goto(self.url("/letters/"))
        self.page.get_by_role("group", name="Program").get_by_label(re.compile(r"^Byrne JAG \(\d+\)$")).check()
        self.page.get_by_label("Deadline on or after").fill("2018-02-01")
        self.page.get_by_label("Deadline on or before").fill("2018-03-01")
        self.page.get_by_role("button", name="Apply filters").click()
        expected = Letter.objects.filter(program__short_name="Byrne JAG", deadline__range=("2018-02-01", "2018-03-01"))
        self.assertIn(
            f"{expected.count()} letters match these filters", self.page.locator(".result-count").inner_text()
        )
        chips = self.page.get_by_role("list", name="Active filters").inner_text()
        for text in ("Program: Byrne JAG", "Deadline on or after: 2018-02-01", "Deadline on or before: 2018-03-01"):
            self.assertIn(text, chips)
        shown = self.shown_letter_ids()
        self.assertEqual(shown, set(expected.values_list("pk", flat=True)))
        permalink = self.page.url
        self.page.goto(permalink)
        self.assertEqual(self.shown_letter_ids(), shown)
        with self.page.expect_download() as download:
            self.page.get_by_role("link", name="CSV").click()
        with open(download.value.path(), encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        self.assertEqual({int(row["letter_id"]) for row in rows}, shown)
        self.assertEqual({row["control"] for row in rows}, {"controls"})

    def test_researcher_picks_two_states_then_a_month_and_reads_the_list_on_a_phone(self):
        self.page.goto(self.url("/jurisdictions/"))
        states = self.page.get_by_role("group", name="State", exact=True)
        expected = 0
        for name in ("California", "Illinois"):
            label = states.locator("label", has_text=re.compile(rf"^\s*{name} \(\d+\)\s*$"))
            expected += int(re.search(r"\((\d+)\)", label.inner_text()).group(1))  # its count, shown beside it
            states.get_by_label(re.compile(rf"^{name} \(")).check()
        self.page.get_by_role("button", name="Apply filters").click()
        # Only the fields that are set travel, in the form's order.
        self.assertEqual(urlsplit(self.page.url).query, "state=CA&state=IL")
        self.assertIn(
            f"{expected} jurisdictions match these filters",
            self.page.locator(".result-count").inner_text(),
        )
        shown_states = set(self.page.locator("table tbody td:nth-child(3)").all_inner_texts())
        self.assertEqual(shown_states, {"CA", "IL"})
        chips = self.page.get_by_role("list", name="Active filters").get_by_role("listitem")
        self.assertEqual(chips.all_inner_texts(), ["State: California ✕", "State: Illinois ✕"])
        self.page.get_by_role("link", name="Remove filter State: California").click()
        self.assertEqual(urlsplit(self.page.url).query, "state=IL")
        self.page.get_by_role("columnheader", name=re.compile("^Name")).get_by_role("link").click()
        self.assertEqual(
            self.page.get_by_role("columnheader", name=re.compile("^Name")).get_attribute("aria-sort"), "ascending"
        )

        self.page.goto(self.url("/timeline/"))
        self.page.get_by_role("group", name="Month").get_by_label(re.compile(r"^November 2017 \(\d+\)$")).check()
        self.page.get_by_role("button", name="Apply filters").click()
        self.assertEqual(urlsplit(self.page.url).query, "month=2017-11")
        dates = self.page.locator("ol.events time").evaluate_all("times => times.map(t => t.dateTime)")
        self.assertTrue(dates)
        self.assertTrue(all(date.startswith("2017-11") for date in dates), dates)
        self.assertIn("Month: November 2017", self.page.get_by_role("list", name="Active filters").inner_text())

        # On a phone the filters fold away above the results, which start on the first screen,
        # and each letter is a card (tests/browser/test_phone_cards.py): nothing scrolls sideways.
        self.page.set_viewport_size({"width": 390, "height": 844})
        self.page.goto(self.url("/letters/?state=CA"))
        panel = self.page.locator("details.filters")
        self.assertIsNone(panel.get_attribute("open"))
        self.assertIn("Filters (1 active)", panel.locator("summary").inner_text())
        self.assertLess(self.page.locator(".result-count").bounding_box()["y"], 844)
        self.assertLess(self.page.locator("table tbody tr").first.bounding_box()["y"], 844 * 1.5)
        table = self.page.get_by_role("region", name="Letters (table)")
        self.assertEqual(table.evaluate("box => box.scrollWidth - box.clientWidth"), 0)
        self.assertFalse(self.page.locator(".scroll-hint").first.is_visible())
        first_row = self.page.locator("table tbody tr").first
        self.assertEqual(first_row.evaluate("row => getComputedStyle(row).display"), "block")
        self.assertLessEqual(self.page.evaluate("document.documentElement.scrollWidth"), 390)
        panel.locator("summary").click()
        self.assertTrue(self.page.get_by_role("button", name="Apply filters").is_visible())
        self.screenshot("letters-filtered")

    def shown_letter_ids(self):
        hrefs = self.page.locator("table tbody td:first-child a").evaluate_all("links => links.map(a => a.pathname)")
        return {int(href.strip("/").split("/")[-1]) for href in hrefs}

    def choose(self, field_id, text):
        """Pick `text` in one of the admin's autocomplete (select2) widgets."""
        self.page.locator(f"#{field_id} + .select2 .select2-selection").click()
        self.page.locator(".select2-search__field").last.fill(text)
        self.page.locator(".select2-results__option", has_text=text).first.click()

    def test_reader_suggests_a_correction_and_an_editor_resolves_it(self):
        self.page.goto(self.url("/jurisdictions/city-of-baltimore-md/"))
        self.page.get_by_role("link", name="Suggest a correction to City of Baltimore", exact=True).click()
        self.assertEqual(self.page.title(), "Suggest a correction to City of Baltimore, MD · Sanctuary Tracker")
        self.assert_accessible("the correction form")
        self.screenshot("correction-form")
        self.page.get_by_label("What is wrong").fill("The page says the state runs the jail.")
        self.page.get_by_label("What is right").fill("It still does; the booking date is off by a year.")
        self.page.get_by_label("A source that shows it").fill("https://news.example.org/baltimore-booking")
        self.page.get_by_label("Your email (optional)").fill("reader@example.org")
        self.page.get_by_role("button", name="Send the correction").click()
        self.assertEqual(self.page.get_by_role("heading", level=1).inner_text(), "Thank you")
        correction = Correction.objects.get()
        self.assertEqual(correction.record, Jurisdiction.objects.get(slug="city-of-baltimore-md"))

        get_user_model().objects.create_superuser("editor", "editor@example.org", "long-enough-passphrase-7")
        self.page.goto(self.url("/admin/"))
        self.page.get_by_label("Username").fill("editor")
        self.page.get_by_label("Password").fill("long-enough-passphrase-7")
        self.page.get_by_role("button", name="Log in").click()
        self.page.get_by_role("link", name="1 new correction from readers").click()
        self.page.locator("#result_list tbody tr th a").first.click()
        self.assertIn("The page says the state runs the jail.", self.page.locator("#content").inner_text())
        self.page.get_by_label("Status").select_option("rejected")
        self.page.get_by_label("Editor note").fill("The booking date matches the source.")
        self.page.locator("input[name=_save]").click()
        self.page.locator(".messagelist").wait_for()
        self.assertIn("The reader was told by email.", self.page.locator(".messagelist").inner_text())
        correction.refresh_from_db()
        self.assertEqual(correction.status, Correction.Status.REJECTED)
        self.assertEqual(correction.resolved_by.username, "editor")
        self.assertEqual([message.to for message in mail.outbox], [["reader@example.org"]])
        self.page.goto(self.url("/admin/"))
        self.assertIn("No new corrections from readers.", self.page.locator("#content").inner_text())

    def test_admin_enters_a_letter_and_sees_it_public_then_gets_a_form_error(self):
        get_user_model().objects.create_superuser("editor", "editor@example.org", "long-enough-passphrase-7")
        self.page.goto(self.url("/admin/letters/letter/add/"))
        self.page.get_by_label("Username").fill("editor")
        self.page.get_by_label("Password").fill("long-enough-passphrase-7")
        self.page.get_by_role("button", name="Log in").click()
        self.fill_letter(sent_on="2018-03-01", deadline="2018-03-30")
        self.page.locator("input[name=_save]").click()
        self.page.locator(".messagelist").wait_for()
        self.assertIn("was added successfully", self.page.locator(".messagelist").inner_text())
        letter = Letter.objects.get(sent_on="2018-03-01", recipient__slug="city-of-stockton-ca")
        self.assertEqual(
            sorted(letter.conditions.values_list("code", flat=True)), ["jail_access", "section_1373_compliance"]
        )
        self.page.goto(self.url("/jurisdictions/city-of-stockton-ca/"))
        card = self.page.locator(".can-comply .matrix", has=self.page.locator(f'a[href="/letters/{letter.pk}/"]'))
        text = card.inner_text()
        self.assertIn(
            "City of Stockton does not control this: its arrestees are held in a jail run by San Joaquin County.", text
        )
        self.assertIn("City of Stockton controls this: it depends on its own policies.", text)

        self.page.goto(self.url("/admin/letters/letter/add/"))
        self.fill_letter(sent_on="2018-03-01", deadline="2018-02-01")
        self.page.locator("input[name=_save]").click()
        errors = self.page.locator(".errorlist")
        errors.first.wait_for()
        self.assertIn("The response deadline cannot be before the date the letter was sent.", errors.all_inner_texts())
        self.assertEqual(Letter.objects.filter(deadline="2018-02-01").count(), 0)

    def fill_letter(self, *, sent_on, deadline):
        self.choose("id_program", "PSP")
        self.choose("id_recipient", "City of Stockton")
        self.page.fill("#id_addressee", "Stockton Police Department")
        self.page.fill("#id_sent_on", sent_on)
        self.page.fill("#id_deadline", deadline)
        self.choose("id_demands-0-condition", "DHS/ICE access")
        self.choose("id_demands-1-condition", "Certify/prove compliance")
        self.choose("id_Letter_sources-0-source", "recordnet")

    def test_home_charts_draw_under_the_enforced_content_security_policy(self):
        context = self.browser.new_context(viewport={"width": 390, "height": 844})  # the CSP enforced
        self.addCleanup(context.close)
        page = context.new_page()
        console = []
        page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
        page.add_init_script(
            "window.cspViolations = []; document.addEventListener('securitypolicyviolation',"
            " (e) => window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));"
        )
        response = page.goto(self.url("/"))
        self.assertIn("script-src", response.headers["content-security-policy"])
        self.assertNotIn("unsafe-eval", response.headers["content-security-policy"])
        draw_charts(page)
        self.assertGreater(page.locator("#chart-map .geo path").count(), 10)
        self.assertEqual(page.evaluate("window.cspViolations"), [])
        self.assertEqual([line for line in console if line.startswith("error")], [])
        # Each chart keeps its data table for readers without scripts or sight of the chart.
        self.assertEqual(page.locator(".chart-grid section details table").count(), 3)

    def test_charts_draw_offline_and_every_page_type_is_accessible(self):
        self.page.goto(self.url("/"))
        draw_charts(self.page)
        self.assertGreater(self.page.locator("#chart-map .geo path").count(), 10)
        self.assertGreater(self.page.locator("#chart-control .bars path").count(), 0)
        self.assertEqual(self.requested_hosts, {urlsplit(self.live_server_url).netloc})
        baltimore = Jurisdiction.objects.get(slug="city-of-baltimore-md")
        letter = Letter.objects.filter(recipient=baltimore).get()
        pages = {
            "home": "/", "letters": "/letters/", "letter": letter.get_absolute_url(),
            "jurisdictions": "/jurisdictions/", "jurisdiction": baltimore.get_absolute_url(),
            "programs": "/programs/", "program": "/programs/psp/", "conditions": "/conditions/",
            "condition": "/conditions/jail_access/", "timeline": "/timeline/", "about": "/about/data/",
            "filter-errors": "/letters/?deadline_after=notadate&page=99", "not-found": "/jurisdictions/atlantis/",
            "matrix": "/matrix/?state=CA", "state": "/jurisdictions/state-of-california-ca/",
        }  # fmt: skip
        for name, path in pages.items():
            with self.subTest(page=name):
                self.page.goto(self.url(path))
                if name == "home":
                    draw_charts(self.page)
                self.assertTrue(self.page.title().endswith("· Sanctuary Tracker"))
                self.assert_accessible(name)
                self.screenshot(name)
        self.assertEqual(self.requested_hosts, {urlsplit(self.live_server_url).netloc})
