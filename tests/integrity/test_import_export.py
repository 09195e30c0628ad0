import csv
import io

import tablib
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from jurisdictions.models import Jurisdiction
from jurisdictions.resources import BookingResource, FacilityResource, JurisdictionResource
from letters.models import Letter
from letters.resources import LetterResource
from tests import factories as f

HEADER = LetterResource._meta.fields


def letter_row(**values):
    row = dict.fromkeys(HEADER, "")
    row.update(program="psp", recipient="city-of-stockton-ca", addressee="Stockton Police Department",
               addressee_confirmed="1", sent_on="2018-04-13", deadline="2018-05-14",
               conditions="jail_access;section_1373_compliance", sources="https://example.org/letter")  # fmt: skip
    row.update(values)
    return [row[column] for column in HEADER]


class LetterImportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.city = f.make_jurisdiction("City of Stockton")
        cls.program = f.make_program("PSP", kind="technical_assistance")
        f.make_condition("jail_access")
        f.make_condition("section_1373_compliance")
        cls.admin = get_user_model().objects.create_superuser("manager", "m@example.org", "long-passphrase-11")

    def dataset(self, *rows):
        return tablib.Dataset(*rows, headers=HEADER)

    def test_dry_run_with_a_bad_row_reports_the_line_and_writes_nothing(self):
        data = self.dataset(letter_row(), letter_row(deadline="2018-01-01"), letter_row(recipient="atlantis"))
        result = LetterResource().import_data(data, dry_run=True)
        self.assertTrue(result.has_validation_errors() or result.has_errors())
        # Numbered as spreadsheet lines: the header is line 1, data rows start at line 2.
        invalid = {row.number: row.error_dict for row in result.invalid_rows}
        self.assertEqual(sorted(invalid), [3, 4])
        self.assertIn("cannot be before the date the letter was sent", str(invalid[3]))
        self.assertIn("jurisdiction 'atlantis' does not exist", str(invalid[4]["recipient"]))
        self.assertEqual(result.row_errors(), [])
        self.assertEqual(Letter.objects.count(), 0)

    def test_a_row_reports_all_its_errors(self):
        row = letter_row(
            program="nope", recipient="atlantis", sent_on="2018-13-40", conditions="jail_access;bogus;jail_access",
            sources="not-a-url", addressee="",
        )  # fmt: skip
        result = LetterResource().import_data(self.dataset(row), dry_run=True)
        [invalid] = result.invalid_rows
        self.assertEqual(invalid.number, 2)
        errors = {field: " ".join(messages) for field, messages in invalid.error_dict.items()}
        self.assertIn("program 'nope' does not exist", errors["program"])
        self.assertIn("jurisdiction 'atlantis' does not exist", errors["recipient"])
        self.assertIn("sent_on", errors)
        self.assertIn("unknown condition code(s): bogus", errors["conditions"])
        self.assertIn("a condition is listed twice", errors["conditions"])
        self.assertIn("'not-a-url' is not a valid URL", errors["sources"])
        self.assertIn("addressee", errors)

    def test_a_bad_row_blocks_the_whole_import(self):
        data = self.dataset(letter_row(), letter_row(conditions="jail_access;jail_access"))
        LetterResource().import_data(data, dry_run=False, use_transactions=True)
        self.assertEqual(Letter.objects.count(), 0)

    def test_a_good_import_writes_every_row_with_conditions_and_sources(self):
        data = self.dataset(
            letter_row(), letter_row(sent_on="2018-01-24", deadline="2018-02-23", conditions="jail_access")
        )
        result = LetterResource().import_data(data, dry_run=False)
        self.assertFalse(result.has_errors() or result.has_validation_errors())
        self.assertEqual(Letter.objects.count(), 2)
        letter = Letter.objects.get(sent_on="2018-04-13")
        self.assertEqual(
            sorted(letter.conditions.values_list("code", flat=True)), ["jail_access", "section_1373_compliance"]
        )
        self.assertEqual(list(letter.sources.values_list("url", flat=True)), ["https://example.org/letter"])

    def test_export_then_import_round_trips_unchanged(self):
        LetterResource().import_data(self.dataset(letter_row(), letter_row(sent_on="2017-08-03")), dry_run=False)
        exported = LetterResource().export()
        before = list(Letter.objects.values())
        result = LetterResource().import_data(tablib.Dataset().load(exported.csv, format="csv"), dry_run=False)
        self.assertEqual(result.totals["skip"], 2)
        self.assertEqual(result.totals["update"] + result.totals["new"], 0)
        self.assertEqual(list(Letter.objects.values()), before)

    def test_jurisdiction_facility_and_booking_round_trips(self):
        county = f.make_jurisdiction("San Joaquin County", kind="county")
        jail = f.make_facility(county, name="San Joaquin County Jail")
        f.book(self.city, jail).sources.add(f.make_source())
        for resource in (JurisdictionResource(), FacilityResource(), BookingResource()):
            with self.subTest(resource=type(resource).__name__):
                exported = resource.export()
                result = resource.import_data(tablib.Dataset().load(exported.csv, format="csv"), dry_run=False)
                self.assertFalse(result.has_errors() or result.has_validation_errors())
                self.assertEqual(result.totals["skip"], len(exported))

    def test_admin_dry_run_preview_shows_row_errors_and_no_confirm_button(self):
        self.client.force_login(self.admin)
        csv_bytes = self.dataset(letter_row(), letter_row(deadline="2018-01-01")).csv.encode()
        response = self.client.post(
            reverse("admin:letters_letter_import"),
            {"import_file": SimpleUploadedFile("letters.csv", csv_bytes, "text/csv"), "format": "0",
             "resource": "0"},
        )  # fmt: skip
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Some rows failed to validate")
        self.assertContains(response, "<td>3 </td>", html=False)  # line 3: the second data row
        self.assertContains(response, "Nothing was imported from <strong>letters.csv</strong>")
        self.assertContains(response, "fix the lines listed below and choose it again")
        self.assertContains(response, "cannot be before the date the letter was sent")
        self.assertNotContains(response, 'name="confirm"')
        self.assertEqual(Letter.objects.count(), 0)

    def test_admin_shows_spreadsheet_lines_for_unknown_references(self):
        self.client.force_login(self.admin)
        csv_bytes = self.dataset(letter_row(), letter_row(recipient="atlantis")).csv.encode()
        response = self.client.post(
            reverse("admin:letters_letter_import"),
            {"import_file": SimpleUploadedFile("letters.csv", csv_bytes, "text/csv"), "format": "0", "resource": "0"},
        )
        self.assertContains(response, "<td>3 </td>", html=False)
        self.assertContains(response, "jurisdiction &#x27;atlantis&#x27; does not exist")
        self.assertEqual(Letter.objects.count(), 0)

    def test_a_file_with_errors_is_kept_and_can_be_checked_again_without_choosing_it(self):
        self.client.force_login(self.admin)
        csv_bytes = self.dataset(letter_row(recipient="city-of-lodi-ca")).csv.encode()
        url = reverse("admin:letters_letter_import")
        response = self.client.post(
            url,
            {"import_file": SimpleUploadedFile("letters.csv", csv_bytes, "text/csv"), "format": "0", "resource": "0"},
        )
        self.assertContains(response, "jurisdiction &#x27;city-of-lodi-ca&#x27; does not exist")
        self.assertContains(response, "The file is kept for an hour")
        token = response.context["kept_file"]
        self.assertContains(response, f'name="kept_file" value="{token}"')
        self.assertNotContains(response, 'name="import_file" required')
        f.make_jurisdiction("City of Lodi")  # the missing record is added; the file is unchanged
        again = self.client.post(url, {"kept_file": token, "format": "0", "resource": "0"})
        self.assertContains(again, 'name="confirm"')
        self.assertEqual(Letter.objects.count(), 0)  # still a preview
        confirm = again.context["confirm_form"].initial
        self.assertEqual(self.client.post(reverse("admin:letters_letter_process_import"), confirm).status_code, 302)
        self.assertEqual(Letter.objects.get().recipient.slug, "city-of-lodi-ca")

    def test_a_forged_kept_file_token_is_ignored(self):
        self.client.force_login(self.admin)
        response = self.client.post(
            reverse("admin:letters_letter_import"), {"kept_file": "/etc/passwd", "format": "0", "resource": "0"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("import_file", response.context["form"].errors)

    def test_admin_import_of_xlsx_previews_then_confirms(self):
        self.client.force_login(self.admin)
        xlsx = self.dataset(letter_row()).export("xlsx")
        formats = self.client.get(reverse("admin:letters_letter_import")).context["form"].fields["format"].choices
        xlsx_choice = next(value for value, label in formats if label.lower() == "xlsx")
        response = self.client.post(
            reverse("admin:letters_letter_import"),
            {"import_file": SimpleUploadedFile("letters.xlsx", xlsx), "format": xlsx_choice, "resource": "0"},
        )
        self.assertContains(response, "New")
        self.assertEqual(Letter.objects.count(), 0)  # preview only
        confirm = response.context["confirm_form"].initial
        response = self.client.post(reverse("admin:letters_letter_process_import"), confirm)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Letter.objects.count(), 1)
        self.assertTrue(Jurisdiction.objects.filter(slug="city-of-stockton-ca").exists())


class ImportTemplateTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = get_user_model().objects.create_superuser("manager", "m@example.org", "long-passphrase-11")

    def test_each_import_page_links_a_template_with_its_columns_and_an_example_row(self):
        self.client.force_login(self.admin)
        resources = {
            "letters_letter": LetterResource,
            "jurisdictions_jurisdiction": JurisdictionResource,
            "jurisdictions_facility": FacilityResource,
            "jurisdictions_booking": BookingResource,
        }
        for model, resource in resources.items():
            with self.subTest(model=model):
                template_url = reverse(f"admin:{model}_import_template")
                self.assertContains(self.client.get(reverse(f"admin:{model}_import")), f'href="{template_url}"')
                response = self.client.get(template_url)
                self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
                self.assertIn("attachment;", response["Content-Disposition"])
                header, example = list(csv.reader(io.StringIO(response.content.decode())))
                self.assertEqual(header, resource.template_headers())
                self.assertEqual(len(example), len(header))
                self.assertTrue(any(example))

    def test_the_template_needs_import_permission(self):
        viewer = get_user_model().objects.create_user("viewer", "v@example.org", "long-passphrase-12", is_staff=True)
        self.client.force_login(viewer)
        self.assertIn(self.client.get(reverse("admin:letters_letter_import_template")).status_code, (302, 403))

    def test_the_letter_template_imports_as_a_valid_row(self):
        county = f.make_jurisdiction("San Joaquin County", kind="county")
        f.make_jurisdiction("City of Stockton", parent=county)
        f.make_program("PSP", kind="technical_assistance")
        f.make_condition("jail_access")
        f.make_condition("release_notice_48h")
        self.client.force_login(self.admin)
        content = self.client.get(reverse("admin:letters_letter_import_template")).content.decode()
        result = LetterResource().import_data(tablib.Dataset().load(content, format="csv"), dry_run=True)
        self.assertFalse(result.has_errors() or result.has_validation_errors(), result.invalid_rows)
