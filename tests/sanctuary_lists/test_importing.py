import datetime
from io import StringIO
from pathlib import Path
from tempfile import TemporaryDirectory

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase

from jurisdictions.models import Jurisdiction
from sanctuary_lists.importing import ImportBlocked, apply_import, plan_import
from sanctuary_lists.matching import Outcome, Why
from sanctuary_lists.models import JurisdictionAlias, ListEntry, PublishedList
from sanctuary_lists.selectors import compare_lists
from sources.models import Source
from tests import factories as f

HEADER = "jurisdiction_name,kind,state,source_url,doj_list_section,notes\n"
URL = "https://news.example.org/list"
VALUES = {"title": "DOJ list", "publisher": "U.S. Department of Justice", "published_on": datetime.date(2025, 8, 5)}


def csv_text(*rows):
    return HEADER + "".join(f"{name},{kind},{state},{URL},{section},\n" for name, kind, state, section in rows)


def counts():
    return [model.objects.count() for model in (PublishedList, ListEntry, Jurisdiction, JurisdictionAlias, Source)]


class ImportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.california = f.make_jurisdiction("State of California", kind="state")
        cls.sf = f.make_jurisdiction("City and County of San Francisco", kind="consolidated")
        cls.nyc = f.make_jurisdiction("City of New York", kind="consolidated", state="NY")

    def test_dry_run_writes_nothing(self):
        before = counts()
        plan = plan_import(csv_text(("New York City", "city", "NY", "Cities"), ("Boston", "city", "MA", "Cities")))
        self.assertEqual(plan.counts, {"matched": 1, "new": 1, "ambiguous": 0, "invalid": 0})
        self.assertFalse(plan.blocked)
        self.assertEqual(counts(), before)

    def test_an_ambiguous_row_blocks_the_whole_import(self):
        before = counts()
        plan = plan_import(
            csv_text(
                ("Boston", "city", "MA", "Cities"),
                ("San Francisco County", "county", "CA", "Counties"),
                ("San Francisco", "city", "CA", "Cities"),  # a second row for the same jurisdiction
            )
        )
        self.assertTrue(plan.blocked)
        self.assertEqual([row.outcome for row in plan.rows], [Outcome.NEW, Outcome.AMBIGUOUS, Outcome.AMBIGUOUS])
        self.assertIn("lines 3, 4 match the same jurisdiction", plan.rows[1].explanation)
        with self.assertRaises(ImportBlocked):
            apply_import(plan, slug="doj", list_values=VALUES)
        self.assertEqual(counts(), before)

    def test_one_jurisdiction_twice_in_one_section_stays_ambiguous_even_when_confirmed(self):
        rows = [("San Francisco County", "county", "CA", "Cities"), ("San Francisco", "city", "CA", "Cities")]
        plan = plan_import(csv_text(*rows), confirmations={2: self.sf.slug, 3: self.sf.slug})
        self.assertTrue(plan.blocked)
        self.assertIn("in the same section", plan.rows[0].explanation)

    def test_invalid_rows_and_bad_headers_block(self):
        plan = plan_import(HEADER + "Boston,town,MA,not-a-url,Cities,\n")
        self.assertEqual(plan.rows[0].outcome, Outcome.INVALID)
        self.assertIn("kind 'town'", plan.rows[0].explanation)
        self.assertIn("is not a URL", plan.rows[0].explanation)
        self.assertTrue(plan_import("jurisdiction_name,kind\nBoston,city\n").blocked)

    def test_confirmed_rows_import_and_their_aliases_are_reused_next_time(self):
        rows = [("San Francisco County", "county", "CA", "Counties"), ("San Francisco", "city", "CA", "Cities")]
        plan = plan_import(csv_text(*rows), confirmations={2: self.sf.slug, 3: self.sf.slug})
        self.assertFalse(plan.blocked)
        result = apply_import(plan, slug="doj", list_values=VALUES, list_source_urls=[URL])
        self.assertEqual((result.entries, result.aliases_added), (2, 2))
        self.assertEqual(
            set(JurisdictionAlias.objects.values_list("alias", flat=True)), {"San Francisco County", "San Francisco"}
        )
        # The next import of one of those names matches it by alias, with no confirmation.
        again = plan_import(csv_text(("San Francisco", "city", "CA", "Cities")))
        self.assertEqual((again.rows[0].match.jurisdiction, again.rows[0].match.why), (self.sf, Why.ALIAS))

    def test_import_creates_new_jurisdictions_and_is_idempotent(self):
        text = csv_text(("San Diego County", "county", "CA", "Counties"), ("New York City", "city", "NY", "Cities"))
        result = apply_import(plan_import(text), slug="doj", list_values=VALUES)
        county = Jurisdiction.objects.get(name="San Diego County", state="CA")
        self.assertEqual((county.kind, county.parent), ("county", self.california))
        self.assertIn("inferred", county.notes)
        self.assertEqual([j.pk for j in result.created_jurisdictions], [county.pk])
        before = counts()
        second = apply_import(plan_import(text), slug="doj", list_values=VALUES)
        self.assertEqual((counts(), second.written), (before, 0))

    def test_diff_between_two_versions(self):
        first = csv_text(
            ("New York City", "city", "NY", "Cities"),
            ("Boston", "city", "MA", "Cities"),
            ("San Francisco County", "county", "CA", "Counties"),
        )
        second = csv_text(
            ("City of New York", "city", "NY", "Cities"),
            ("San Francisco County", "county", "CA", "Counties"),
            ("Hoboken", "city", "NJ", "Cities"),
        )
        a = apply_import(plan_import(first), slug="v1", list_values=VALUES).published_list
        b = apply_import(plan_import(second), slug="v2", list_values={**VALUES, "title": "v2"}).published_list
        diff = compare_lists(a=a, b=b)
        self.assertEqual([e.jurisdiction.name for e in diff.added], ["City of Hoboken"])
        self.assertEqual([e.jurisdiction.name for e in diff.removed], ["City of Boston"])
        self.assertEqual(
            [(x.name_as_printed, y.name_as_printed) for x, y in diff.renamed], [("New York City", "City of New York")]
        )
        self.assertEqual(diff.unchanged, 1)


class ImportCommandTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.sf = f.make_jurisdiction("City and County of San Francisco", kind="consolidated")

    def run_command(self, text, *args):
        with TemporaryDirectory() as folder:
            path = Path(folder) / "list.csv"
            path.write_text(text, encoding="utf-8")
            out = StringIO()
            call_command(
                "import_list",
                str(path),
                "--title",
                "DOJ list",
                "--published-on",
                "2025-08-05",
                *args,
                stdout=out,
                stderr=StringIO(),
            )
            return out.getvalue()

    def test_dry_run_prints_the_table_and_writes_nothing(self):
        before = counts()
        out = self.run_command(csv_text(("San Francisco County", "county", "CA", "Counties")), "--dry-run")
        self.assertIn("matched    San Francisco County (county, CA) [Counties] → City and County of San Francisco", out)
        self.assertIn("Dry run: nothing written.", out)
        self.assertEqual(counts(), before)

    def test_ambiguous_rows_stop_the_command_and_confirm_resolves_them(self):
        text = csv_text(("San Francisco County", "county", "CA", "Counties"), ("San Francisco", "city", "CA", "Cities"))
        with self.assertRaisesMessage(CommandError, "ambiguous or invalid rows"):
            self.run_command(text)
        self.assertEqual(ListEntry.objects.count(), 0)
        out = self.run_command(
            text, "--confirm", f"2={self.sf.slug}", "--confirm", f"3={self.sf.slug}", "--slug", "doj"
        )
        self.assertIn("Imported 2 entries into doj", out)


class PlanCostTests(TestCase):
    def test_matching_reads_jurisdictions_and_aliases_once_however_long_the_list(self):
        for index in range(40):
            f.make_jurisdiction(f"City of Town {index}")
        rows = [(f"Town {index}", "city", "CA", "Cities") for index in range(40)]
        with self.assertNumQueries(2):
            plan = plan_import(csv_text(*rows))
        self.assertEqual(plan.counts["matched"], 40)
