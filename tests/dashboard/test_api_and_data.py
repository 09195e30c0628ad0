import csv
import io
import json
import re
import sqlite3
import tempfile
import zipfile
from pathlib import Path
from unittest import mock

from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import TestCase, override_settings
from django.urls import reverse
from frictionless import validate

from dashboard import datafiles, datapackage
from listing.exports import REGISTRY
from tests import factories as f


class ApiPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.program = f.make_program("PSP", kind="technical_assistance")
        f.make_condition("jail_access")
        f.make_list()

    def test_documents_every_list_with_its_filter_parameters_columns_and_formats(self):
        response = self.client.get(reverse("dashboard:about_api"))
        self.assertEqual(response.status_code, 200)
        for path in ("/letters/", "/jurisdictions/", "/matrix/", "/timeline/"):
            self.assertContains(response, f"<code>{path}</code>")
        for parameter in ("sent_after", "recipient_kind", "runs_own_jail", "jail_conditions", "law", "kind", "page"):
            self.assertContains(response, f'<td data-label="Parameter"><code>{parameter}</code></td>', html=True)
        self.assertContains(response, "psp")  # choices come from the data
        for export in REGISTRY.values():
            for column in export.columns:
                self.assertContains(response, f"<code>{column.name}</code>")
        self.assertContains(response, "/events/&lt;id&gt;/?format=json")
        self.assertContains(response, "If-None-Match")

    def test_its_examples_work(self):
        response = self.client.get(reverse("dashboard:about_api"))
        for endpoint in response.context["lists"]:
            with self.subTest(path=endpoint.path):
                self.assertEqual(self.client.get(endpoint.path + endpoint.example).status_code, 200)

    def test_linked_from_every_page_footer(self):
        content = self.client.get("/").content.decode()
        self.assertIn(f'href="{reverse("dashboard:about_api")}"', content)
        self.assertIn(f'href="{reverse("dashboard:data")}"', content)


class KeptFilesInTemporaryStorage:
    """The downloads are kept as files in the default storage: each test gets its own."""

    def setUp(self):
        super().setUp()
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        override = self.settings(MEDIA_ROOT=folder.name)
        override.enable()
        self.addCleanup(override.disable)


@override_settings(SITE_ORIGIN="https://tracker.example.org")
class DataPackageTests(KeptFilesInTemporaryStorage, TestCase):
    @classmethod
    def setUpTestData(cls):
        county = f.make_jurisdiction("San Joaquin County", kind="county")
        cls.city = f.make_jurisdiction("City of Stockton", parent=county)
        f.book(cls.city, f.make_facility(county))
        program = f.make_program("PSP", kind="technical_assistance")
        cls.letter = f.make_letter(cls.city, program, [f.make_condition("jail_access")], notes="=HYPERLINK(1)")
        f.make_event([cls.city], title="Stockton answers DOJ")

    def download(self):
        response = self.client.get(reverse("dashboard:data_zip"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/zip")
        self.assertRegex(response["Content-Disposition"], r'attachment; filename="sanctuary-tracker-data-v\d+\.zip"')
        return zipfile.ZipFile(io.BytesIO(response.getvalue()))

    def test_zip_holds_a_readme_a_descriptor_and_one_csv_per_export(self):
        archive = self.download()
        self.assertEqual(
            sorted(archive.namelist()),
            sorted(["README.md", "datapackage.json", *(f"{name}.csv" for name in REGISTRY)]),
        )
        package = json.loads(archive.read("datapackage.json"))
        self.assertEqual(package["licenses"][0]["name"], "CC-BY-4.0")
        self.assertEqual(package["homepage"], "https://tracker.example.org/")
        for resource in package["resources"]:
            header = next(csv.reader(io.StringIO(archive.read(resource["path"]).decode())))
            self.assertEqual(header, [field["name"] for field in resource["schema"]["fields"]])
            self.assertEqual(header, REGISTRY[resource["name"]].header)
        letters = list(csv.DictReader(io.StringIO(archive.read("letters.csv").decode())))
        self.assertEqual(letters[0]["url"], f"https://tracker.example.org/letters/{self.letter.pk}/")
        readme = archive.read("README.md").decode()
        self.assertIn("Creative Commons Attribution 4.0", readme)
        self.assertIn("compiled from public records", readme)

    def test_the_package_validates_with_frictionless(self):
        archive = self.download()
        with tempfile.TemporaryDirectory() as folder:
            archive.extractall(folder)
            report = validate(str(Path(folder) / "datapackage.json"))
        self.assertTrue(report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"]))

    def test_a_data_change_is_in_the_next_download(self):
        first = self.download().read("timeline.csv").decode()
        with self.captureOnCommitCallbacks(execute=True):  # the data version moves on commit
            f.make_event([self.city], title="A later ruling")
        second = self.download().read("timeline.csv").decode()
        self.assertNotIn("A later ruling", first)
        self.assertIn("A later ruling", second)

    def test_download_page_states_the_licence_and_version(self):
        response = self.client.get(reverse("dashboard:data"))
        self.assertContains(response, 'rel="license noopener external"')
        self.assertContains(response, "Creative Commons Attribution 4.0")
        self.assertContains(response, f'href="{reverse("dashboard:data_zip")}"')
        self.assertContains(response, "<code>matrix.csv</code>", html=True)


@override_settings(SITE_ORIGIN="https://tracker.example.org")
class SqliteDownloadTests(KeptFilesInTemporaryStorage, TestCase):
    @classmethod
    def setUpTestData(cls):
        county = f.make_jurisdiction("San Joaquin County", kind="county")
        cls.city = f.make_jurisdiction("City of Stockton", parent=county)
        f.book(cls.city, f.make_facility(county))
        program = f.make_program("PSP", kind="technical_assistance")
        cls.letter = f.make_letter(cls.city, program, [f.make_condition("jail_access")], addressee="=HYPERLINK(1)")
        f.make_event([cls.city], title="Stockton answers DOJ")

    def download(self):
        response = self.client.get(reverse("dashboard:data_sqlite"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/vnd.sqlite3")
        disposition = response["Content-Disposition"]
        match = re.fullmatch(r'attachment; filename="sanctuary-tracker-data-v(\d+)\.sqlite3"', disposition)
        self.assertIsNotNone(match, disposition)
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        path = Path(folder.name) / "data.sqlite3"
        path.write_bytes(response.getvalue())
        database = sqlite3.connect(path)
        self.addCleanup(database.close)
        return database, int(match[1])

    def csv_rows(self, name):
        archive = zipfile.ZipFile(io.BytesIO(self.client.get(reverse("dashboard:data_zip")).getvalue()))
        return list(csv.reader(io.StringIO(archive.read(f"{name}.csv").decode())))

    def test_one_table_per_export_with_the_csv_columns_and_row_counts(self):
        database, _ = self.download()
        tables = {row[0] for row in database.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        self.assertEqual(tables, {*REGISTRY, "metadata"})
        for name, export in REGISTRY.items():
            with self.subTest(name):
                columns = [row[1] for row in database.execute(f'PRAGMA table_info("{name}")')]
                self.assertEqual(columns, export.header)
                header, *rows = self.csv_rows(name)
                (count,) = database.execute(f'SELECT count(*) FROM "{name}"').fetchone()
                self.assertEqual(count, len(rows))
        self.assertGreater(database.execute("SELECT count(*) FROM letters").fetchone()[0], 0)
        self.assertGreater(database.execute("SELECT count(*) FROM timeline").fetchone()[0], 0)

    def test_values_are_plain_data(self):
        database, counter = self.download()
        letter_id, addressee, url = database.execute("SELECT letter_id, addressee, url FROM letters").fetchone()
        self.assertEqual(letter_id, self.letter.pk)  # an integer column holds integers
        self.assertEqual(addressee, "=HYPERLINK(1)")  # the spreadsheet guard is for spreadsheets only
        self.assertEqual(url, f"https://tracker.example.org/letters/{self.letter.pk}/")
        metadata = dict(database.execute("SELECT key, value FROM metadata"))
        self.assertEqual(metadata["version"], f"{counter}.0.0")
        self.assertIn("Creative Commons Attribution 4.0", metadata["license"])

    def test_a_data_change_is_in_the_next_download(self):
        first, _ = self.download()
        with self.captureOnCommitCallbacks(execute=True):  # the data version moves on commit
            f.make_event([self.city], title="A later ruling")
        second, _ = self.download()
        query = "SELECT count(*) FROM timeline WHERE title = 'A later ruling'"
        self.assertEqual(first.execute(query).fetchone(), (0,))
        self.assertEqual(second.execute(query).fetchone(), (1,))

    def test_linked_from_the_download_page(self):
        response = self.client.get(reverse("dashboard:data"))
        self.assertContains(response, f'href="{reverse("dashboard:data_sqlite")}"')


@override_settings(SITE_ORIGIN="https://tracker.example.org")
class KeptDataFilesTests(KeptFilesInTemporaryStorage, TestCase):
    """At national scale the files take over a minute to build: a scheduled command
    builds them and readers get the newest built file, never a build while they wait."""

    @classmethod
    def setUpTestData(cls):
        cls.city = f.make_jurisdiction("City of Stockton")
        f.make_letter(cls.city, f.make_program("PSP", kind="technical_assistance"), [f.make_condition("jail_access")])

    def timeline_titles(self, response):
        archive = zipfile.ZipFile(io.BytesIO(response.getvalue()))
        return {row["title"] for row in csv.DictReader(io.StringIO(archive.read("timeline.csv").decode()))}

    def test_a_large_site_serves_the_built_file_and_says_which_version_it_holds(self):
        with mock.patch("dashboard.datafiles.ON_REQUEST_LETTERS", 0):
            before = self.client.get(reverse("dashboard:data_zip"))
            self.assertEqual(before.status_code, 503)
            self.assertEqual(before["Retry-After"], "3600")
            self.assertContains(before, "has not been built yet", status_code=503)
            self.assertContains(self.client.get(reverse("dashboard:data")), "they have not been built yet")

            call_command("build_data_files", stdout=io.StringIO())
            built = datapackage.version()["counter"]
            with self.captureOnCommitCallbacks(execute=True):  # the data version moves on commit
                f.make_event([self.city], title="A later ruling")
            response = self.client.get(reverse("dashboard:data_zip"))
            self.assertEqual(
                response["Content-Disposition"], f'attachment; filename="sanctuary-tracker-data-v{built}.zip"'
            )
            self.assertNotIn("A later ruling", self.timeline_titles(response))
            sqlite = self.client.get(reverse("dashboard:data_sqlite"))
            self.assertIn(f"v{built}.sqlite3", sqlite["Content-Disposition"])
            page = self.client.get(reverse("dashboard:data"))
            now = datapackage.version()["counter"]
            self.assertContains(page, f"they hold data version {built}, and the site is now at version {now}")

            call_command("build_data_files", stdout=io.StringIO())
            response = self.client.get(reverse("dashboard:data_zip"))
            self.assertIn(f"v{now}.zip", response["Content-Disposition"])
            self.assertIn("A later ruling", self.timeline_titles(response))
        self.assertEqual(sorted(datafiles.built("zip")), [now])  # the older file is gone

    def test_a_small_site_builds_on_request_once_per_version(self):
        first = self.client.get(reverse("dashboard:data_zip"))
        self.assertEqual(first.status_code, 200)
        self.assertEqual(list(datafiles.built("zip")), [datapackage.version()["counter"]])
        with self.assertNumQueries(2):  # the data version (the page cache's, then ours): nothing is built
            self.client.get(reverse("dashboard:data_zip"))
        self.assertContains(self.client.get(reverse("dashboard:data")), "The files match the site's current data")

    def test_the_download_page_is_not_kept_by_the_page_cache(self):
        """It says which built file is offered, which changes without the data changing."""
        with mock.patch("dashboard.datafiles.ON_REQUEST_LETTERS", 0), self.settings(PAGE_CACHE_SECONDS=600):
            self.assertContains(self.client.get(reverse("dashboard:data")), "they have not been built yet")
            call_command("build_data_files", stdout=io.StringIO())
            self.assertContains(self.client.get(reverse("dashboard:data")), "The files match the site's current data")

    def test_a_file_being_written_is_never_listed(self):
        folder = Path(default_storage.path(datafiles.FOLDER))
        folder.mkdir(parents=True)
        (folder / "partial-sanctuary-tracker-data-v99.zip").write_bytes(b"PK")
        self.assertEqual(datafiles.built("zip"), {})
