"""UnionAllPaginator pages the timeline's UNION ALL exactly as sorting and counting
the whole union would, on SQLite (whole union) and PostgreSQL (parts limited)."""

import datetime

from django.core.paginator import Paginator, UnorderedObjectListWarning
from django.db import connection
from django.db.models import CharField, F, Value
from django.db.models.functions import Concat
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from letters.models import Event, Letter
from letters.selectors import timeline_entries
from listing.pagination import UnionAllPaginator, without_idle_joins
from tests import factories as f

SAME_DAY = datetime.date(2017, 11, 15)


class UnionAllPaginatorTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        # Ties on purpose: letters with the same date and title, events on that day too,
        # so only the order's last keys (kind, id) tell entries apart.
        jag = f.make_program("Byrne JAG")
        city = f.make_jurisdiction("City of Stockton")
        for _ in range(7):
            letter = f.make_letter(city, jag, sent_on=SAME_DAY, deadline=datetime.date(2017, 12, 8))
            f.make_response(letter, responded_on=SAME_DAY, responder="City of Stockton")
        for day in (1, 15, 15, 28):
            f.make_event([city], occurred_on=datetime.date(2017, 11, day), title="Injunction")
        f.make_letter(city, jag, sent_on=datetime.date(2018, 1, 2), deadline=datetime.date(2018, 2, 2))

    def test_every_page_is_the_slice_of_the_whole_sorted_union(self):
        entries = timeline_entries()
        whole = list(entries)
        self.assertEqual(len(whole), 7 + 7 + 4 + 1)
        self.assertEqual(len({(e["entry_kind"], e["own_id"]) for e in whole}), len(whole))
        for per_page, orphans in ((1, 0), (3, 0), (4, 2), (5, 1), (50, 0)):
            plain = Paginator(whole, per_page, orphans=orphans)
            paginator = UnionAllPaginator(timeline_entries(), per_page, orphans=orphans)
            self.assertEqual(paginator.count, len(whole))
            self.assertEqual(paginator.num_pages, plain.num_pages)
            for number in plain.page_range:
                with self.subTest(per_page=per_page, orphans=orphans, page=number):
                    self.assertEqual(list(paginator.page(number)), list(plain.page(number)))

    def test_the_count_sums_the_parts_and_the_page_limits_them_where_allowed(self):
        paginator = UnionAllPaginator(timeline_entries(), 3)
        with CaptureQueriesContext(connection) as queries:
            list(paginator.page(2))
        counts = [q["sql"] for q in queries if q["sql"].startswith("SELECT COUNT(*)")]
        self.assertEqual(len(counts), len(timeline_entries().query.combined_queries))
        (page,) = [q["sql"] for q in queries if "UNION ALL" in q["sql"]]
        limited_parts = page.count("LIMIT 6")  # each part: the first `top` = 6 rows
        expected = len(counts) if connection.features.supports_slicing_ordering_in_compound else 0
        self.assertEqual(limited_parts, expected)

    def test_filtered_to_nothing_is_an_empty_first_page(self):
        paginator = UnionAllPaginator(timeline_entries(since=datetime.date(2030, 1, 1)), 5)
        self.assertEqual(paginator.count, 0)
        self.assertEqual(list(paginator.page(1)), [])

    def test_anything_but_a_union_all_pages_as_paginator_does(self):
        rows = timeline_entries(kind=["letter"])  # one part: no union at all
        paginator = UnionAllPaginator(rows, 3)
        self.assertEqual(paginator.count, 8)
        self.assertEqual(list(paginator.page(3)), list(rows)[6:8])

    def test_a_sliced_union_or_part_pages_as_paginator_does(self):
        sliced_union = timeline_entries()[:5]
        self.assertEqual(UnionAllPaginator(sliced_union, 2).count, 5)
        oldest = Letter.objects.order_by("sent_on", "pk").values_list("pk", flat=True)[:3]
        events = Event.objects.values_list("pk", flat=True).order_by()
        if connection.features.supports_slicing_ordering_in_compound:
            # The part's own order decides which rows its LIMIT keeps: it must stay.
            rows = oldest.union(events, all=True).order_by("-pk")
            whole = list(rows)
            paginator = UnionAllPaginator(rows, 2)
            self.assertEqual(paginator.count, len(whole))
            pages = [pk for number in paginator.page_range for pk in paginator.page(number)]
            self.assertEqual(pages, whole)

    def test_an_unordered_union_is_not_limited_part_by_part(self):
        rows = timeline_entries().order_by()
        with self.assertWarns(UnorderedObjectListWarning):
            paginator = UnionAllPaginator(rows, 3)
        self.assertIs(paginator.first_rows(3), rows)
        self.assertIsNot(UnionAllPaginator(timeline_entries(), 3).first_rows(3), rows)

    def test_the_count_leaves_out_the_joins_that_only_fetch_parents(self):
        paginator = UnionAllPaginator(timeline_entries(), 3)
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(paginator.count, 7 + 7 + 4 + 1)
        counts = [q["sql"] for q in queries if q["sql"].startswith("SELECT COUNT(*)")]
        self.assertTrue(counts)
        for sql in counts:
            self.assertNotIn("JOIN", sql)

    def test_a_join_the_filter_reads_or_a_to_many_join_is_kept(self):
        titled = Letter.objects.annotate(
            title=Concat(F("program__short_name"), Value(" to "), F("recipient__name"), output_field=CharField())
        ).values("title")
        by_parent = titled.filter(recipient__name="City of Stockton")
        self.assertIn('JOIN "jurisdictions_jurisdiction"', str(without_idle_joins(by_parent.query)))
        self.assertNotIn('JOIN "programs_program"', str(without_idle_joins(by_parent.query)))
        self.assertEqual(without_idle_joins(by_parent.query).get_count(using="default"), 8)
        self.assertEqual(without_idle_joins(titled.filter(recipient__name="Elsewhere").query).get_count("default"), 0)
        # An event's jurisdictions are a to-many join: it repeats events, so it stays.
        involving = Event.objects.annotate(place=F("jurisdictions__name")).values("place")
        self.assertEqual(without_idle_joins(involving.query).get_count(using="default"), 4)
        self.assertIn("JOIN", str(without_idle_joins(involving.query)))
