from django.db import connection
from django.test import TestCase

from letters.models import Letter
from tests import factories as f


class RecipientLettersPlanTests(TestCase):
    """With a handful of rows PostgreSQL would scan the table, so sequential scans and
    sorts are priced out: these prove an index serves the order, not which plan
    PostgreSQL picks at national scale (bench/ measures that)."""

    def plan(self, query):
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute("SET LOCAL enable_sort = off")
            sql, params = query.query.sql_with_params()
            cursor.execute(("EXPLAIN " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN ") + sql, params)
            return "\n".join(str(row[-1]) for row in cursor.fetchall())

    def test_one_recipients_letters_are_read_in_list_order_from_their_index(self):
        """The jurisdiction JSON streams its letters through a server-side cursor, which
        PostgreSQL plans for its first rows; letters/migrations/0009 gives it an index
        already in the list's order for one recipient, rather than the whole list's.
        SQLite, whose descending order puts NULLs last by itself, may read 0010's index
        backwards instead: the same order."""
        city = f.make_jurisdiction("City of Test")
        f.make_letter(city, f.make_program("Byrne JAG"))
        plan = self.plan(Letter.objects.filter(recipient=city).values("pk"))  # in Meta.ordering
        self.assertRegex(plan, "letter_recipient_(order|oldest)")
        self.assertNotIn("TEMP B-TREE", plan)  # SQLite: no sort step either

    def test_the_jurisdiction_page_reads_the_oldest_letters_from_their_index(self):
        """The jurisdiction page shows its oldest letters first; letters/migrations/0010
        gives it an index in that order (without it PostgreSQL walked `letter_sent_on`
        over every letter, filtering by recipient)."""
        city = f.make_jurisdiction("City of Test")
        f.make_letter(city, f.make_program("Byrne JAG"))
        plan = self.plan(city.letters_received.order_by("sent_on", "pk").values("pk"))
        self.assertIn("letter_recipient_oldest", plan)
        self.assertNotIn("TEMP B-TREE", plan)
