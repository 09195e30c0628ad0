import datetime
import json

from django.test import TestCase
from django.urls import reverse

from listing.exports import get_export
from sanctuary_lists.models import ListDispute, PublishedList
from tests import factories as f


class ListPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.county = f.make_jurisdiction("Baltimore County", kind="county", state="MD")
        cls.city = f.make_jurisdiction("City of Boston", state="MA")
        cls.dhs = f.make_list(
            "dhs-2025-05-29",
            title="DHS list",
            published_on=datetime.date(2025, 5, 29),
            withdrawn_on=datetime.date(2025, 6, 1),
            entries_complete=False,
        )
        cls.doj = f.make_list("doj-2025-08-05", title="DOJ list")
        f.make_entry(cls.doj, cls.county, "Counties")
        f.make_entry(cls.doj, cls.city, "Cities", name_as_printed="Boston")
        f.make_entry(cls.dhs, cls.city, "Cities", name_as_printed="Boston, MA")
        cls.dispute = ListDispute.objects.create(
            published_list=cls.doj,
            jurisdiction=cls.county,
            occurred_on=datetime.date(2025, 8, 5),
            who="County Executive Kathy Klausmeier",
            statement="Says the listing is an error.",
        )
        cls.dispute.sources.add(f.make_source())

    def test_list_index_and_detail(self):
        response = self.client.get(reverse("sanctuary_lists:list"))
        self.assertContains(response, "DOJ list")
        self.assertContains(response, "Entries not recorded in full")
        response = self.client.get(self.doj.get_absolute_url())
        self.assertContains(response, "<h3>Counties</h3>", html=True)
        self.assertContains(response, "Says the listing is an error.")
        self.assertContains(response, "news.example.org")
        filtered = self.client.get(self.doj.get_absolute_url(), {"section": "cities"})
        self.assertEqual([e.name_as_printed for e in filtered.context["object_list"]], ["Boston"])
        self.assertEqual(self.client.get(self.doj.get_absolute_url(), {"state": "ZZ"}).status_code, 200)
        self.assertEqual(self.client.get("/lists/nothing/").status_code, 404)

    def test_export_columns(self):
        response = self.client.get(self.doj.get_absolute_url(), {"format": "csv"})
        lines = b"".join(response.streaming_content).decode().splitlines()
        self.assertTrue(
            lines[0].startswith("list,list_title,publisher,published_on,withdrawn_on,section,name_as_printed")
        )
        self.assertEqual(len(lines), 3)
        data = json.loads(b"".join(self.client.get(self.doj.get_absolute_url(), {"format": "json"}).streaming_content))
        disputed = {r["jurisdiction"]: r["disputed"] for r in data["results"]}
        self.assertEqual(disputed, {self.county.slug: True, self.city.slug: False})

    def test_the_lists_themselves_export_as_csv_and_json(self):
        response = self.client.get(reverse("sanctuary_lists:list"), {"format": "json"})
        self.assertEqual(response.status_code, 200)
        lists = json.loads(b"".join(response.streaming_content))["results"]
        by_slug = {record["list"]: record for record in lists}
        self.assertEqual(set(by_slug), set(PublishedList.objects.values_list("slug", flat=True)))
        doj = by_slug[self.doj.slug]
        self.assertEqual(doj["entries"], self.doj.entries.count())
        self.assertEqual(doj["published_on"], self.doj.published_on.isoformat())
        self.assertIs(doj["entries_complete"], self.doj.entries_complete)
        self.assertTrue(doj["url"].endswith(self.doj.get_absolute_url()))
        csv_lines = b"".join(self.client.get(reverse("sanctuary_lists:list"), {"format": "csv"}).streaming_content)
        header, *rows = csv_lines.decode().splitlines()
        self.assertEqual(header.split(","), get_export("published_lists").header)
        self.assertEqual(len(rows), len(lists))
        self.assertEqual(self.client.get(reverse("sanctuary_lists:list"), {"format": "xml"}).status_code, 400)

    def test_compare(self):
        response = self.client.get(reverse("sanctuary_lists:compare"), {"a": self.dhs.slug, "b": self.doj.slug})
        diff = response.context["diff"]
        self.assertEqual([e.jurisdiction for e in diff.added], [self.county])
        self.assertEqual([(x.name_as_printed, y.name_as_printed) for x, y in diff.renamed], [("Boston, MA", "Boston")])
        self.assertContains(response, "not recorded in full")
        bad = self.client.get(reverse("sanctuary_lists:compare"), {"a": "atlantis", "b": self.doj.slug})
        self.assertContains(bad, "No list has this slug.")

    def test_jurisdiction_page_json_export_filter_and_timeline(self):
        response = self.client.get(self.county.get_absolute_url())
        self.assertContains(response, "Named on")
        self.assertContains(response, "DOJ list")
        self.assertContains(response, "County Executive Kathy Klausmeier")
        record = self.client.get(self.county.get_absolute_url(), {"format": "json"}).json()
        self.assertEqual(record["named_on"][0]["list"], self.doj.slug)
        self.assertEqual(record["named_on"][0]["disputes"][0]["who"], "County Executive Kathy Klausmeier")
        listed = self.client.get(reverse("jurisdictions:list"), {"named_on": self.dhs.slug})
        self.assertEqual(list(listed.context["object_list"]), [self.city])
        csv_body = b"".join(
            self.client.get(reverse("jurisdictions:list"), {"format": "csv"}).streaming_content
        ).decode()
        self.assertIn("dhs-2025-05-29 doj-2025-08-05", csv_body)
        timeline = self.client.get(reverse("letters:timeline"), {"jurisdiction": self.county.slug})
        kinds = [e["entry_kind"] for e in timeline.context["object_list"]]
        self.assertEqual(kinds, ["list_dispute", "list_published"])
        everything = [e["entry_kind"] for e in self.client.get(reverse("letters:timeline")).context["object_list"]]
        self.assertEqual(sorted(everything), ["list_dispute", "list_published", "list_published", "list_withdrawn"])
        export = json.loads(
            b"".join(
                self.client.get(
                    reverse("letters:timeline"), {"format": "json", "kind": "list_withdrawn"}
                ).streaming_content
            )
        )
        self.assertTrue(export["results"][0]["url"].endswith(f"/lists/id/{self.dhs.pk}/"))
        self.assertRedirects(self.client.get(f"/lists/id/{self.dhs.pk}/"), self.dhs.get_absolute_url(), 301)


class ListQueryCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.doj = f.make_list("doj")
        cls.other = f.make_list("older", published_on=datetime.date(2025, 5, 29))
        cls.target = f.make_jurisdiction("Busy City")
        f.make_entry(cls.doj, cls.target)
        # one dispute from the start, so its sources' prefetch runs in both measurements
        dispute = ListDispute.objects.create(
            published_list=cls.doj,
            jurisdiction=cls.target,
            occurred_on=datetime.date(2025, 8, 6),
            who="Mayor",
            statement="No.",
        )
        dispute.sources.add(f.make_source())

    def grow(self):
        for index in range(20):
            jurisdiction = f.make_jurisdiction(f"City {index}")
            f.make_entry(self.doj, jurisdiction, "Counties" if index % 2 else "Cities")
            f.make_entry(self.other, jurisdiction)
            dispute = ListDispute.objects.create(
                published_list=self.doj,
                jurisdiction=jurisdiction,
                occurred_on=datetime.date(2025, 8, 6),
                who="Mayor",
                statement="No.",
            )
            dispute.sources.add(f.make_source())
        f.make_entry(self.other, self.target, "Counties")
        f.make_list("third").entries.create(jurisdiction=self.target, name_as_printed="Busy")

    def test_pages_do_not_grow(self):
        pages = [
            (reverse("sanctuary_lists:list"), {}),
            (self.doj.get_absolute_url(), {}),
            (self.doj.get_absolute_url(), {"section": "cities", "state": "CA"}),
            (reverse("sanctuary_lists:compare"), {"a": "older", "b": "doj"}),
        ]
        measured = []
        for url, params in pages:
            with self.assertNumQueries(LIST_QUERIES[len(measured)]):
                self.assertEqual(self.client.get(url, params).status_code, 200)
            measured.append(url)
        self.grow()
        for index, (url, params) in enumerate(pages):
            with self.subTest(url=url, params=params), self.assertNumQueries(LIST_QUERIES[index]):
                self.assertEqual(self.client.get(url, params).status_code, 200)


# index (with its paginator's count), detail, filtered detail, compare (its form renders
# both list choices)
LIST_QUERIES = [4, 10, 10, 7]
