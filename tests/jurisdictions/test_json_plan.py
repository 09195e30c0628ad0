from django.db import connection
from django.test import TestCase

from letters.models import Letter
from tests import factories as f


class RecipientLettersPlanTests(TestCase):
    def test_one_recipients_letters_are_read_in_list_order_from_their_index(self):
        """The jurisdiction JSON streams its letters through a server-side cursor, which
        PostgreSQL plans for its first rows; letters/migrations/0009 gives it an index
        already in the list's order for one recipient, rather than the whole list's.

        With a handful of rows PostgreSQL would scan the table, so sequential scans and
        sorts are priced out: this proves the index serves the list's order for one
        recipient, not which plan PostgreSQL picks at national scale (bench/ measures
        that)."""
        city = f.make_jurisdiction("City of Test")
        f.make_letter(city, f.make_program("Byrne JAG"))
        query = Letter.objects.filter(recipient=city).values("pk")  # in Meta.ordering
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute("SET LOCAL enable_sort = off")
            sql, params = query.query.sql_with_params()
            cursor.execute(("EXPLAIN " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN ") + sql, params)
            plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
        self.assertIn("letter_recipient_order", plan)
        self.assertNotIn("TEMP B-TREE", plan)  # SQLite: no sort step either
