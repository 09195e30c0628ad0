import shutil
import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase

from jurisdictions.models import Jurisdiction
from sanctuary_lists.models import ListDispute, ListEntry, PublishedList
from seed.loader import DATA_DIR


class SeededListsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_seed", stdout=StringIO())

    def test_doj_list_has_35_sourced_entries_in_three_sections(self):
        doj = PublishedList.objects.get(slug="doj-2025-08-05")
        entries = ListEntry.objects.filter(published_list=doj)
        self.assertEqual(entries.count(), 35)
        self.assertEqual(
            {s: entries.filter(section=s).count() for s in ("States", "Counties", "Cities")},
            {"States": 13, "Counties": 4, "Cities": 18},
        )
        self.assertFalse(entries.filter(sources=None).exists())
        sf = Jurisdiction.objects.get(name="City and County of San Francisco")
        self.assertEqual(entries.filter(jurisdiction=sf).count(), 2)  # once as a county, once as a city
        boston = Jurisdiction.objects.get(name="City of Boston", state="MA")
        self.assertIn("inferred", boston.notes)

    def test_dhs_list_is_recorded_without_entries(self):
        dhs = PublishedList.objects.get(slug="dhs-2025-05-29")
        self.assertFalse(dhs.entries_complete)
        self.assertEqual(dhs.entries.count(), 0)
        self.assertEqual(dhs.sourcing, "partly")

    def test_baltimore_county_dispute_carries_its_source(self):
        dispute = ListDispute.objects.get(jurisdiction__name="Baltimore County")
        self.assertEqual(dispute.published_list.slug, "doj-2025-08-05")
        self.assertTrue(dispute.sources.filter(url__contains="dailyvoice.com").exists())
        response = self.client.get(dispute.jurisdiction.get_absolute_url())
        self.assertContains(response, "Justice Department list of sanctuary jurisdictions")

    def test_a_list_file_with_an_ambiguous_row_stops_the_seed(self):
        folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, folder)
        for path in DATA_DIR.glob("*.csv"):
            shutil.copy(path, folder / path.name)
        entries = folder / "sanctuary_list_doj_2025-08-05.csv"
        entries.write_text(entries.read_text(encoding="utf-8").replace(",city-and-county-of-san-francisco-ca", ","))
        with self.assertRaisesMessage(CommandError, "sanctuary_lists.csv, line 3: sanctuary_list_doj_2025-08-05.csv"):
            call_command("load_seed", data_dir=folder, stdout=StringIO())
