"""CSV rows written from fragments (`CsvCells`) are the bytes csv.writer writes for the
whole row, spreadsheet-safe cells included, wherever the row is cut."""

import csv
import datetime
import io

from django.test import SimpleTestCase

from listing.exports import CsvCells, spreadsheet_safe

ROWS = [
    [1, datetime.date(2017, 8, 3), None, "", "plain"],
    ["", "", "", "", ""],
    ['say "hi"', "a,b", "two\nlines", "cr\rhere", " spaced "],
    ["=SUM(A1)", "+1", "-2.5", "@x", "\tx"],
    ["-Acting, interim", 'https://example.org/a,b?q="x"', "'quoted", "é ü", 0],
]


def whole_row(cells):
    written = io.StringIO(newline="")
    csv.writer(written).writerow([spreadsheet_safe(cell) for cell in cells])
    return written.getvalue()


class CsvCellsTests(SimpleTestCase):
    def test_fragments_joined_by_commas_are_the_whole_row(self):
        cells = CsvCells()
        for row in ROWS:
            for cut in range(2, len(row) - 1):  # every cut leaving two cells or more each side
                with self.subTest(row=row, cut=cut):
                    joined = cells(row[:cut]) + "," + cells(row[cut:]) + cells.line_end
                    self.assertEqual(joined, whole_row(row))
            self.assertEqual(cells(row) + cells.line_end, whole_row(row))
