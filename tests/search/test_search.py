from django.db import connection
from django.test import TestCase

from search.selectors import _postgres_matches, _search_query, _targets, search_site
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
    """PostgreSQL ranks on the tsvector stored with each row (search/migrations/0002)."""

    def setUp(self):
        if connection.vendor != "postgresql":
            self.skipTest("stored documents exist on PostgreSQL only")

    def test_postgres_search_uses_the_stored_document_and_its_gin_index(self):
        from letters.models import Letter

        query = _postgres_matches(Letter.objects.all(), _search_query("subpoena"))
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            sql, params = query.query.sql_with_params()
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        self.assertIn("letters_letter_search_document", plan)
        self.assertNotIn("to_tsvector", plan)  # nothing vectorised on read

    def test_stored_ranks_are_the_ranks_of_the_text_vectorised_on_read(self):
        from django.contrib.postgres.search import SearchRank, SearchVector

        city = f.make_jurisdiction("City of Stockton", notes="Stockton's jail is run by the county.")
        letter = f.make_letter(city, f.make_program("PSP", kind="technical_assistance"), addressee="Stockton police")
        f.make_response(letter, responder="Chief", summary="Stockton replied; Stockton objected.")
        f.make_event([city], title="Stockton", summary="A Stockton event about Stockton's jail.")
        search_query = _search_query("Stockton")
        for kind, (queryset, fields, _, _) in _targets().items():
            with self.subTest(kind=kind):
                stored = list(_postgres_matches(queryset, search_query).values_list("pk", "rank"))
                on_read = list(
                    queryset.annotate(rank=SearchRank(SearchVector(*fields, config="english"), search_query))
                    .filter(pk__in=[pk for pk, _ in stored])
                    .order_by("-rank", "pk")
                    .values_list("pk", "rank")
                )
                self.assertTrue(stored)
                self.assertEqual(stored, on_read)
        # An edit is searchable at once: PostgreSQL recomputes the generated column.
        Event = _targets()["event"][0].model
        Event.objects.filter(title="Stockton").update(title="Lodi")
        self.assertTrue(_postgres_matches(Event.objects.all(), _search_query("Lodi")).exists())

    def test_equal_ranks_come_in_id_order(self):
        city = f.make_jurisdiction("City of Lodi")
        events = [f.make_event([city], title="Lodi council meets", summary="") for _ in range(3)]
        # Rewriting the first row puts it last on disk (PostgreSQL writes a new row
        # version), so only the id tie-break can put it first.
        events[0].outcome = "adjourned"
        events[0].save()
        hits = search_site(query="Lodi council", kinds=["event"])
        self.assertEqual(len({hit.rank for hit in hits}), 1)
        self.assertEqual([hit.url for hit in hits], [event.get_absolute_url() for event in events])
