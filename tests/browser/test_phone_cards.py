"""Issue 14, phone-first lists, in headless Chromium: at 390 px every table of records shows
each row as a card with every cell under its column's name, nothing is clipped and the page
never scrolls sideways; at 1280 px the tables are tables. Screenshots of each page at both
widths go to test-artifacts/screenshots/phone-cards/ (printed when the tests start)."""

import sys
from io import StringIO
from pathlib import Path

from django.core.management import call_command

from jurisdictions.models import Jurisdiction
from letters.models import Letter
from sanctuary_lists.models import PublishedList
from tests.browser.base import BrowserTestCase

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots" / "phone-cards"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

# For each table row in a .table-wrap: how it is laid out, and for each data cell its
# label as drawn (the ::before content), whether that label takes up room, and where the
# cell sits, so the test can tell a card from a row and a clipped cell from a shown one.
TABLES = """() => [...document.querySelectorAll('.table-wrap table')].map(table => ({
  caption: table.caption ? table.caption.textContent.trim() : '',
  headerHeight: table.tHead ? table.tHead.getBoundingClientRect().height : 0,
  rows: [...table.tBodies[0].rows].filter(row => !row.querySelector('[colspan]')).map(row => ({
    display: getComputedStyle(row).display,
    cells: [...row.cells].filter(cell => cell.tagName === 'TD').map(cell => {
      const before = getComputedStyle(cell, '::before'), box = cell.getBoundingClientRect();
      return {label: cell.dataset.label, drawn: before.content, shown: before.display !== 'none',
              left: box.left, right: box.right, width: box.width, height: box.height};
    }),
  })),
}))"""


class PhoneCardTests(BrowserTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        # Written past pytest's capture so that whoever runs the test knows where to look.
        print(f"\nphone-card screenshots: {SCREENSHOTS}", file=sys.__stderr__)

    def setUp(self):
        call_command("load_seed", stdout=StringIO())
        self.context = self.browser.new_context(viewport=PHONE)
        self.addCleanup(self.context.close)
        self.page = self.context.new_page()

    def record_pages(self):
        """Every page with a table of records, by a name for its screenshot."""
        held_elsewhere = Jurisdiction.objects.filter(bookings__isnull=False, awards__isnull=False).order_by("pk")
        published = PublishedList.objects.filter(entries__isnull=False).order_by("pk").first()
        return {
            "letters": "/letters/", "jurisdictions": "/jurisdictions/", "matrix": "/matrix/?state=CA",
            "conditions": "/conditions/", "program": "/programs/byrne-jag/", "condition": "/conditions/jail_access/",
            "letter": Letter.objects.order_by("pk").first().get_absolute_url(),
            "jurisdiction": held_elsewhere.first().get_absolute_url(),
            "published-list": published.get_absolute_url(),
        }  # fmt: skip

    def assert_no_sideways_scroll(self, name):
        width, inner = self.page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        self.assertLessEqual(width, inner, f"{name} scrolls sideways at {inner} px")

    def test_rows_are_labelled_cards_on_a_phone_and_rows_on_a_desktop(self):
        for name, path in self.record_pages().items():
            with self.subTest(page=name):
                self.page.set_viewport_size(PHONE)
                self.page.goto(f"{self.live_server_url}{path}")
                tables = self.page.evaluate(TABLES)
                self.assertTrue(tables, f"no table on {name}")
                cells = 0
                for table in tables:
                    # The heading row is out of sight but still in the page for screen readers.
                    self.assertLessEqual(table["headerHeight"], 1, table["caption"])
                    for row in table["rows"]:
                        self.assertEqual(row["display"], "block", table["caption"])
                        for cell in row["cells"]:
                            # Each cell shows its column's name, and all of it is on screen.
                            self.assertTrue(cell["label"], f"{name}: a cell without a label in {table['caption']}")
                            self.assertEqual(cell["drawn"], f'"{cell["label"]}"')
                            self.assertTrue(cell["shown"] and cell["height"] > 0, cell)
                            self.assertGreaterEqual(cell["left"], 0, cell)
                            self.assertLessEqual(cell["right"], PHONE["width"], cell)
                            cells += 1
                self.assertGreater(cells, 0, name)
                self.assert_no_sideways_scroll(name)
                self.page.screenshot(path=str(SCREENSHOTS / f"{name}-390.png"), full_page=True)

                self.page.set_viewport_size(DESKTOP)
                for table in self.page.evaluate(TABLES):
                    self.assertGreater(table["headerHeight"], 1, table["caption"])
                    for row in table["rows"]:
                        self.assertEqual(row["display"], "table-row", table["caption"])
                        self.assertTrue(all(cell["drawn"] in ("none", "normal") for cell in row["cells"]), row)
                self.page.screenshot(path=str(SCREENSHOTS / f"{name}-1280.png"), full_page=True)

    def test_a_card_table_is_still_a_table_to_screen_readers(self):
        """Chromium's own accessibility tree at 390 px, not the markup: display: block on
        table parts must not turn the table into plain text."""
        self.page.goto(f"{self.live_server_url}/letters/")
        session = self.context.new_cdp_session(self.page)
        nodes = session.send("Accessibility.getFullAXTree")["nodes"]
        roles = [node.get("role", {}).get("value") for node in nodes if not node.get("ignored")]
        self.assertEqual(roles.count("table"), 1)
        self.assertEqual(roles.count("columnheader"), 6)
        self.assertGreaterEqual(roles.count("row"), 21)  # the heading row and 20 letters
        self.assertGreaterEqual(roles.count("cell"), 120)

    def test_lists_without_tables_do_not_scroll_sideways_either(self):
        for name, path in {"timeline": "/timeline/", "search": "/search/?q=county", "lists": "/lists/"}.items():
            with self.subTest(page=name):
                self.page.goto(f"{self.live_server_url}{path}")
                self.assert_no_sideways_scroll(name)
                self.page.screenshot(path=str(SCREENSHOTS / f"{name}-390.png"), full_page=True)

    def test_a_keyboard_user_sees_the_heading_row_of_the_sort_link_in_focus(self):
        self.page.goto(f"{self.live_server_url}/letters/")
        heading_row = self.page.locator(".table-wrap thead")
        self.assertLessEqual(heading_row.bounding_box()["height"], 1)
        self.page.get_by_role("link", name="Recipient").first.focus()
        self.assertGreater(heading_row.bounding_box()["height"], 20)
        self.assertTrue(self.page.get_by_role("columnheader", name="Recipient").get_by_role("link").is_visible())
        self.assert_no_sideways_scroll("letters, heading row in focus")
