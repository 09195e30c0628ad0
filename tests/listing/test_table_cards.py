"""On phones a table's rows show as cards, each cell under the label in its data-label
attribute (static/css/site.css). The label is written beside the cell, so this checks, on
every page with a table of records, that each cell's label is its column's heading: a
column added, renamed or moved without its label fails here. The browser test
(tests/browser/test_phone_cards.py) checks how the cards look."""

from html.parser import HTMLParser
from io import StringIO

from django.core.management import call_command
from django.test import TestCase

from jurisdictions.models import Jurisdiction
from letters.models import Event, Letter
from sanctuary_lists.models import PublishedList


class Tables(HTMLParser):
    """The tables inside .table-wrap: for each, its column headings and, per body row, the
    (column heading, data-label) of each data cell. A row heading (th scope=row) is the
    card's title and takes its column's place; aria-hidden text (the sort arrows) is left out."""

    def __init__(self):
        super().__init__()
        self.tables, self.table, self.cell, self.hidden, self.wrapped = [], None, None, 0, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "table-wrap" in (attrs.get("class") or "").split():
            self.wrapped += 1
        if tag == "table" and self.wrapped:
            self.table = {"headings": [], "rows": [], "section": None}
            self.tables.append(self.table)
        if not self.table:
            return
        if tag in ("thead", "tbody"):
            self.table["section"] = tag
        elif tag == "tr" and self.table["section"] == "tbody":
            self.table["rows"].append([])
        elif tag in ("th", "td"):
            self.cell = {"tag": tag, "text": "", "label": attrs.get("data-label"), "colspan": attrs.get("colspan")}
        elif attrs.get("aria-hidden") == "true" or self.hidden:
            self.hidden += 1

    def handle_endtag(self, tag):
        if self.hidden and tag not in ("th", "td"):
            self.hidden -= 1
        if not self.table:
            return
        if tag in ("th", "td") and self.cell:
            cell, self.cell = self.cell, None
            if self.table["section"] == "thead":
                self.table["headings"].append(" ".join(cell["text"].split()))
            elif not cell["colspan"]:  # a row spanning every column says "nothing here"
                self.table["rows"][-1].append(cell)
        elif tag == "table":
            self.table = None
            self.wrapped -= 1

    def handle_data(self, data):
        if self.cell and not self.hidden:
            self.cell["text"] += data


class TableCardLabelTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_seed", stdout=StringIO())

    def pages(self):
        with_bookings = Jurisdiction.objects.filter(bookings__isnull=False, awards__isnull=False).first()
        event = Event.objects.filter(jurisdictions__letters_received__isnull=False).first()
        return [
            "/letters/", "/jurisdictions/", "/matrix/?state=CA", "/conditions/", "/programs/byrne-jag/",
            "/conditions/jail_access/", "/about/api/", Letter.objects.order_by("pk").first().get_absolute_url(),
            with_bookings.get_absolute_url(), event.get_absolute_url(),
            PublishedList.objects.filter(entries__isnull=False).order_by("pk").first().get_absolute_url(),
        ]  # fmt: skip

    def test_every_cell_is_labelled_with_its_columns_heading(self):
        for path in self.pages():
            with self.subTest(page=path):
                response = self.client.get(path)
                self.assertEqual(response.status_code, 200)
                parser = Tables()
                parser.feed(response.content.decode())
                self.assertTrue(parser.tables, f"no table on {path}")
                cells = 0
                for table in parser.tables:
                    for row in table["rows"]:
                        for heading, cell in zip(table["headings"], row, strict=False):
                            if cell["tag"] == "td":
                                self.assertEqual(cell["label"], heading, f"{path}: {cell['text'].strip()[:60]!r}")
                                cells += 1
                self.assertGreater(cells, 0, f"no labelled cell on {path}")
