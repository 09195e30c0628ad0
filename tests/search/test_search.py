from django.db import connection
from django.test import TestCase

from search.selectors import SEARCHED_LETTER_FIELDS
from tests import factories as f


class SearchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.city = f.make_jurisdiction("City of Stockton", notes="Arrestees go to the San Joaquin County jail.")
        letter = f.make_letter(cls.city, f.make_program("PSP", kind="technical_assistance"))
        f.make_response(letter, summary="The chief said the questions were not applicable to Stockton.")
        f.make_event([cls.city], title="Stockton police chief responds", summary="He called the letter misdirected.")

    def test_finds_every_kind_with_highlighted_snippets(self):
        response = self.client.get("/search/", {"q": "Stockton"})
        kinds = {hit.kind for hit in response.context["hits"]}
        self.assertEqual(kinds, {"letter", "response", "event", "jurisdiction"})
        self.assertIn("<mark>", response.content.decode())
        self.assertContains(response, self.city.get_absolute_url())

    def test_kind_filter_and_empty_results(self):
        response = self.client.get("/search/", {"q": "Stockton", "kind": "jurisdiction"})
        self.assertEqual([hit.kind for hit in response.context["hits"]], ["jurisdiction"])
        self.assertContains(self.client.get("/search/", {"q": "zzzznothing"}), "Nothing matches")
        self.assertEqual(self.client.get("/search/").status_code, 200)

    def test_snippets_escape_stored_text(self):
        f.make_event([self.city], title="<script>alert(1)</script> Stockton")
        html = self.client.get("/search/", {"q": "Stockton"}).content.decode()
        self.assertNotIn("<script>alert(1)</script>", html)


class FullTextIndexTests(TestCase):
    def test_postgres_search_uses_the_gin_index(self):
        if connection.vendor != "postgresql":
            self.skipTest("full-text indexes exist on PostgreSQL only")
        from django.contrib.postgres.search import SearchQuery, SearchVector

        from letters.models import Letter

        query = Letter.objects.annotate(search=SearchVector(*SEARCHED_LETTER_FIELDS, config="english")).filter(
            search=SearchQuery("subpoena", search_type="websearch", config="english")
        )
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            sql, params = query.values("pk").query.sql_with_params()
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        self.assertIn("letters_letter_fulltext", plan)
