"""The home page's stored figures equal a fresh computation by the rules after every
kind of write, and are emptied inside the writing transaction (issue 15)."""

import datetime
from io import StringIO
from unittest import mock

import tablib
from django import forms
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from compliance.stored import deferred
from dashboard import stored
from dashboard.models import HomeFigures
from jurisdictions.resources import BookingResource
from letters.models import Letter
from listing.facets import ROWS_LISTED
from tests import factories as f

SENT = "letters sent"
ANSWERED = "letters were answered"
DEADLINE_PASSED = "letters have no response on record though the deadline passed"
NOT_CONTROLLED = "letters asked a government that did not run the jail to meet a jail condition"


def figure(figures, text):
    return next(item["count"] for item in figures["figures"] if item["text"] == text)


class StoredFiguresMatchTheRules:
    def stored_row(self):
        return HomeFigures.objects.get(pk=stored.ROW)

    def assertStoredFresh(self):
        row = self.stored_row()
        self.assertIsNotNone(row.figures, "the figures were not stored again after the commit")
        self.assertEqual(row.figures, stored.as_json(stored.compute()))
        self.assertEqual(row.list_facets, stored.as_json(stored.compute_list_facets()))
        self.assertEqual(row.valid_until, stored.next_change(timezone.localdate()))
        return row.figures

    def write(self, change):
        """Store the figures, make the change as one transaction, check that the row was
        emptied inside it, run the commit's callbacks and check what they stored."""
        before = stored.current()
        with self.captureOnCommitCallbacks(execute=True), transaction.atomic():
            change()
            self.assertIsNone(self.stored_row().figures, "not emptied inside the writing transaction")
        after = self.assertStoredFresh()
        self.assertNotEqual(after, before, "the change should move a figure")
        return before, after


class WritePathTests(StoredFiguresMatchTheRules, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.jag = f.make_program("Byrne JAG")
        cls.jail_access = f.make_condition("jail_access")
        cls.section_1373 = f.make_condition("section_1373_compliance")
        cls.county = f.make_jurisdiction("Alameda County", kind="county")
        cls.city = f.make_jurisdiction("City of Berkeley")
        cls.jail = f.make_facility(cls.county)
        cls.letter = f.make_letter(cls.city, cls.jag, [cls.jail_access, cls.section_1373])
        cls.user = get_user_model().objects.create_superuser("editor", "editor@example.org", "a-long-passphrase")

    def test_save(self):
        before, after = self.write(lambda: f.make_letter(self.county, self.jag, [self.jail_access]))
        self.assertEqual(figure(after, SENT), figure(before, SENT) + 1)
        before, after = self.write(lambda: f.make_response(self.letter))
        self.assertEqual(figure(after, ANSWERED), figure(before, ANSWERED) + 1)

    def test_delete(self):
        response = f.make_response(self.letter)
        before, after = self.write(response.delete)
        self.assertEqual(figure(after, ANSWERED), figure(before, ANSWERED) - 1)
        before, after = self.write(self.letter.delete)
        self.assertEqual(figure(after, SENT), figure(before, SENT) - 1)

    def test_m2m_add_and_remove(self):
        # The city's arrestees go to the county's jail: a jail condition it does not control.
        f.book(self.city, self.jail)
        letter = f.make_letter(self.city, self.jag, [self.section_1373])
        before, after = self.write(lambda: letter.conditions.add(self.jail_access))
        self.assertEqual(figure(after, NOT_CONTROLLED), figure(before, NOT_CONTROLLED) + 1)
        before, after = self.write(lambda: letter.conditions.remove(self.jail_access))
        self.assertEqual(figure(after, NOT_CONTROLLED), figure(before, NOT_CONTROLLED) - 1)

    def test_admin_change_form_with_inlines(self):
        self.client.force_login(self.user)
        letter = f.make_letter(self.city, self.jag, sent_on=datetime.date(2018, 1, 24), deadline=None)
        letter.sources.clear()
        form = {
            "program": self.jag.pk,
            "recipient": self.county.pk,
            "addressee": "Alameda County Sheriff",
            "sent_on": "2018-01-24",
            "deadline": "2018-02-23",
            "demands-TOTAL_FORMS": "2",
            "demands-INITIAL_FORMS": "0",
            "demands-0-condition": self.jail_access.pk,
            "demands-1-condition": self.section_1373.pk,
            "Letter_sources-TOTAL_FORMS": "1",
            "Letter_sources-INITIAL_FORMS": "0",
            "Letter_sources-0-source": f.make_source().pk,
            "responses-TOTAL_FORMS": "0",
            "responses-INITIAL_FORMS": "0",
        }
        url = reverse("admin:letters_letter_change", args=[letter.pk])
        before = stored.current()
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(self.client.post(url, form).status_code, 302)
        after = self.assertStoredFresh()
        self.assertEqual(letter.demands.count(), 2)
        tally = {condition["code"]: counts["total"] for condition, counts in after["condition_tally"]}
        self.assertEqual(tally["jail_access"], 2)
        self.assertNotEqual(after, before)

    def test_import_through_the_resource(self):
        data = tablib.Dataset(headers=BookingResource._meta.fields)
        row = dict.fromkeys(BookingResource._meta.fields, "")
        row.update(jurisdiction=self.city.slug, facility=self.jail.name, stage="all", sourcing="sourced")
        data.append([row[column] for column in data.headers])

        def import_booking():
            result = BookingResource().import_data(data, dry_run=False)
            self.assertFalse(result.has_errors() or result.has_validation_errors(), result)

        before, after = self.write(import_booking)
        self.assertEqual(figure(after, NOT_CONTROLLED), figure(before, NOT_CONTROLLED) + 1)

    def test_deferred_empties_the_row_once_at_the_end(self):
        stored.current()
        with CaptureQueriesContext(connection) as queries, transaction.atomic(), deferred():
            for n in range(3):
                f.make_letter(self.county, self.jag, [self.jail_access], notes=str(n))
            self.assertIsNotNone(self.stored_row().figures)  # bulk work: emptied at the end
        emptying = [q for q in queries if q["sql"].startswith("UPDATE") and HomeFigures._meta.db_table in q["sql"]]
        self.assertEqual(len(emptying), 1)
        self.assertIsNone(self.stored_row().figures)

    def test_a_reader_does_not_store_figures_a_write_came_after(self):
        stored.invalidate()
        row = stored._read()
        computed = stored.as_json(stored.compute())  # a reader starts computing ...
        f.make_response(self.letter)  # ... a write commits meanwhile ...
        stored._store(row["generation"], computed, {"shape": stored.SHAPE}, None)  # ... the reader's store is refused
        self.assertIsNone(self.stored_row().figures)
        self.assertIsNone(self.stored_row().list_facets)
        self.assertEqual(figure(stored.current(), ANSWERED), 1)

    def test_recompute_control_rebuilds_a_damaged_row(self):
        stored.current()
        HomeFigures.objects.filter(pk=stored.ROW).update(figures={"figures": []})
        with self.captureOnCommitCallbacks(execute=True):
            call_command("recompute_control", stdout=StringIO())
        self.assertStoredFresh()


class CalendarTests(StoredFiguresMatchTheRules, TestCase):
    def test_a_deadline_passing_expires_the_row(self):
        today = timezone.localdate()
        jag = f.make_program("Byrne JAG")
        city = f.make_jurisdiction("City of Berkeley")
        in_two_days = today + datetime.timedelta(days=2)
        f.make_letter(city, jag, sent_on=today - datetime.timedelta(days=10), deadline=in_two_days)
        figures = stored.current()
        self.assertEqual(figure(figures, DEADLINE_PASSED), 0)
        self.assertEqual(figures["deadlines"]["upcoming"], 1)
        self.assertEqual(self.stored_row().valid_until, today + datetime.timedelta(days=3))
        real_localdate = timezone.localdate

        def three_days_later(value=None, timezone=None):
            day = real_localdate(value, timezone)
            return day + datetime.timedelta(days=3) if value is None else day

        with mock.patch("django.utils.timezone.localdate", three_days_later):
            figures = stored.current()  # past valid_until: computed again, for the new day
            self.assertEqual(figure(figures, DEADLINE_PASSED), 1)
            self.assertEqual(figures["deadlines"]["upcoming"], 0)
            self.assertStoredFresh()
            self.assertIsNone(self.stored_row().valid_until)  # nothing left to pass

    def test_the_daily_command_recomputes_an_expired_row_before_any_reader(self):
        today = timezone.localdate()
        city = f.make_jurisdiction("City of Berkeley")
        f.make_letter(city, f.make_program("Byrne JAG"), sent_on=today, deadline=today + datetime.timedelta(days=1))
        stored.current()
        self.assertEqual(figure(self.stored_row().figures, DEADLINE_PASSED), 0)
        out = StringIO()
        call_command("refresh_home_figures", stdout=out)
        self.assertEqual(out.getvalue().strip(), "Home page figures were current.")
        real_localdate = timezone.localdate

        def two_days_later(value=None, timezone=None):
            day = real_localdate(value, timezone)
            return day + datetime.timedelta(days=2) if value is None else day

        with mock.patch("django.utils.timezone.localdate", two_days_later):
            call_command("refresh_home_figures", stdout=out)
            self.assertIn("Home page figures computed and stored.", out.getvalue())
            self.assertEqual(figure(self.stored_row().figures, DEADLINE_PASSED), 1)
            self.assertStoredFresh()


class SeedTests(StoredFiguresMatchTheRules, TestCase):
    def test_load_seed(self):
        self.assertEqual(figure(stored.current(), SENT), 0)
        with self.captureOnCommitCallbacks(execute=True):
            call_command("load_seed", stdout=StringIO())
        figures = self.assertStoredFresh()
        self.assertEqual(figure(figures, SENT), Letter.objects.count())
        self.assertGreater(figure(figures, SENT), 0)


class AfterCommitTests(StoredFiguresMatchTheRules, TestCase):
    def test_a_transaction_of_many_writes_computes_the_figures_once(self):
        jag = f.make_program("Byrne JAG")
        city = f.make_jurisdiction("City of Berkeley")
        stored.current()
        with (
            CaptureQueriesContext(connection) as queries,
            self.captureOnCommitCallbacks(execute=True) as callbacks,
            transaction.atomic(),
        ):
            for n in range(3):
                f.make_letter(city, jag, notes=str(n))
        refreshes = [callback for callback in callbacks if callback == stored.refresh]
        self.assertGreater(len(refreshes), 1)  # one per write
        table = HomeFigures._meta.db_table
        updates = [q["sql"] for q in queries if q["sql"].startswith(f'UPDATE "{table}"')]
        stores = [sql for sql in updates if '"figures" = NULL' not in sql]
        self.assertEqual(len(updates) - len(stores), len(refreshes))  # each write empties the row
        self.assertEqual(len(stores), 1)
        self.assertEqual(figure(self.assertStoredFresh(), SENT), 3)


class StoredListFacetTests(TestCase):
    """The letter, matrix, jurisdiction and timeline lists with nothing chosen read their
    facet counts from the stored figures (one read instead of a count per facet), which
    are the counts the lists count themselves; with anything chosen, or once a write, a
    day or a deploy has emptied or expired the row, the lists count."""

    LISTS = ("letters:list", "compliance:matrix", "jurisdictions:list", "letters:timeline")

    @classmethod
    def setUpTestData(cls):
        cls.jag = f.make_program("Byrne JAG")
        cls.psp = f.make_program("PSP")
        access = f.make_condition("jail_access")
        cls.notice = f.make_condition("release_notice_48h")
        county = f.make_jurisdiction("Alameda County", kind="county")
        cls.city = f.make_jurisdiction("City of Berkeley")
        f.book(cls.city, f.make_facility(county))
        f.make_letter(cls.city, cls.jag, [access, cls.notice])
        f.make_letter(county, cls.psp, [access], sent_on=datetime.date(2018, 3, 1), deadline=None)
        f.make_response(f.make_letter(f.make_jurisdiction("Reno", state="NV"), cls.jag, [cls.notice]))
        f.make_letter(cls.city, cls.jag, [cls.notice], sent_on=None, deadline=None, batch=f.make_batch())
        f.make_entry(f.make_list("doj"), cls.city, section="Sanctuary jurisdictions")  # every filter has a value

    def shown(self, name, params=None):
        """{facet: {value: count}} as the page shows them, and the queries it ran."""
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(reverse(name), params or {})
        self.assertEqual(response.status_code, 200)
        facets = response.context["facets_by_name"]
        return {facet: {o.value: o.count for o in options.options} for facet, options in facets.items()}, len(queries)

    def test_unfiltered_lists_show_the_stored_counts_which_are_their_own(self):
        for name in self.LISTS:
            stored.invalidate()
            counted, counting = self.shown(name)  # the row is empty: the list counts
            stored.current()
            read, reading = self.shown(name)
            with self.subTest(page=name):
                self.assertEqual(read, counted)
                self.assertGreaterEqual(sum(bool(counts) for counts in read.values()), 4)
                self.assertEqual((counting, reading), STORED_LIST_QUERIES[name])

    def test_unfiltered_lists_take_their_row_count_from_the_store_and_only_then(self):
        paged = {"letters:list": "letters", "compliance:matrix": "matrix", "jurisdictions:list": "jurisdictions"}
        stored.invalidate()
        counted = {name: self.client.get(reverse(name)).context["paginator"].count for name in paged}
        stored.current()
        row = HomeFigures.objects.get(pk=stored.ROW)
        for name, stored_as in paged.items():
            with self.subTest(page=name):
                self.assertGreater(counted[name], 1)
                self.assertEqual(row.list_facets[stored_as][ROWS_LISTED], counted[name])
            row.list_facets[stored_as][ROWS_LISTED] = 999
        row.save()
        for name in paged:
            sort = "name" if name == "jurisdictions:list" else "deadline"
            for params in ({}, {"sort": sort}, {"page": "2"}):
                with self.subTest(page=name, params=params):
                    response = self.client.get(reverse(name), params)
                    self.assertEqual(response.context["paginator"].count, 999)
                    self.assertEqual(response.context["total_count"], 999)
            for params in ({"state": "CA"}, {"program": "byrne-jag"}, {"state": "XX"}):
                with self.subTest(page=name, params=params):
                    response = self.client.get(reverse(name), params)
                    chosen = response.context["filter"]
                    self.assertEqual(response.context["paginator"].count, len(chosen.qs) if chosen.is_valid() else 0)
        # The matrix as of today is not the stored list (its counts are for today): it counts.
        response = self.client.get(reverse("compliance:matrix"), {"as_of": "today"})
        self.assertEqual(response.context["paginator"].count, counted["compliance:matrix"])

    def test_the_counts_shown_are_the_stored_ones_only_with_nothing_chosen(self):
        stored.current()
        row = HomeFigures.objects.get(pk=stored.ROW)
        for name in ("letters", "matrix", "jurisdictions"):
            row.list_facets[name]["state"] = {"CA": 999, "NV": 1}
        row.list_facets["timeline"]["program"] = {"psp": 999, "byrne-jag": 1}
        row.save()
        for name in self.LISTS:
            facet, tampered = ("program", "psp") if name == "letters:timeline" else ("state", "CA")
            sort = {"jurisdictions:list": "name", "letters:timeline": None}.get(name, "deadline")
            for params in ({}, {"sort": sort} if sort else {}, {"page": "1"}):
                with self.subTest(page=name, params=params):
                    self.assertEqual(self.shown(name, params)[0][facet][tampered], 999)
            for params in ({"state": "NV"} if sort else {"kind": "letter"}, {"program": "psp"}):
                with self.subTest(page=name, params=params):
                    self.assertNotEqual(self.shown(name, params)[0][facet].get(tampered), 999)
        for name in self.LISTS:
            form = self.client.get(reverse(name)).context["form"]
            for field in form:
                if field.name == "sort":
                    continue
                params = {field.name: sample_value(field)}
                with self.subTest(page=name, params=params):
                    response = self.client.get(reverse(name), params)
                    self.assertTrue(response.context["form"].is_valid(), response.context["form"].errors)
                    facet = "program" if name == "letters:timeline" else "state"
                    counts = response.context["facets_by_name"][facet].options
                    self.assertNotIn(999, [option.count for option in counts])
        # As of today the matrix counts for today (its law and courts are not counted).
        today = self.shown("compliance:matrix", {"as_of": "today"})[0]
        self.assertEqual(set(today["law"].values()), {None})
        self.assertEqual(today["state"], {"CA": 3, "NV": 1})

    def test_a_write_empties_them_in_its_transaction_and_they_are_stored_again_after(self):
        stored.current()
        with self.captureOnCommitCallbacks(execute=True), transaction.atomic():
            f.make_letter(f.make_jurisdiction("Sparks", state="NV"), self.psp, [self.notice])
            inside = self.shown("letters:list")[0]
            self.assertEqual(inside["state"], {"CA": 3, "NV": 2})  # counted: the row is empty
        self.assertEqual(self.shown("letters:list")[0], inside)
        kept = HomeFigures.objects.get(pk=stored.ROW).list_facets
        self.assertEqual(kept, stored.as_json(stored.compute_list_facets()))

    def test_they_expire_with_the_row(self):
        today = timezone.localdate()
        f.make_letter(self.city, self.jag, [self.notice], sent_on=today, deadline=today + datetime.timedelta(days=1))
        stored.current()
        before = self.shown("letters:list")[0]["status"]
        real_localdate = timezone.localdate

        def two_days_later(value=None, timezone=None):
            day = real_localdate(value, timezone)
            return day + datetime.timedelta(days=2) if value is None else day

        with mock.patch("django.utils.timezone.localdate", two_days_later):
            self.assertIsNone(stored.list_facet_counts("letters"))
            after = self.shown("letters:list")[0]["status"]  # counted: its deadline passed
        self.assertEqual(after["open"], before["open"] - 1)
        self.assertEqual(after["deadline_passed"], before.get("deadline_passed", 0) + 1)

    def test_migrate_empties_them(self):
        stored.current()
        self.assertIsNotNone(stored.list_facet_counts("jurisdictions"))
        call_command("migrate", verbosity=0)
        self.assertIsNone(stored.list_facet_counts("jurisdictions"))
        self.assertIsNone(self.stored_row().figures)
        self.assertIsNone(self.stored_row().list_facets)

    def stored_row(self):
        return HomeFigures.objects.get(pk=stored.ROW)

    def test_a_row_that_cannot_be_read_is_counted_around(self):
        stored.current()
        expected = self.shown("jurisdictions:list")[0]

        def figures_table_gone(execute, sql, params, many, context):
            if "dashboard_homefigures" in sql:
                raise DatabaseError("relation dashboard_homefigures is unreadable")
            return execute(sql, params, many, context)

        with connection.execute_wrapper(figures_table_gone), transaction.atomic():
            self.assertIsNone(stored.list_facet_counts("jurisdictions"))
            transaction.set_rollback(True)
        with connection.execute_wrapper(figures_table_gone):
            self.assertEqual(self.shown("jurisdictions:list")[0], expected)


def sample_value(bound_field):
    """A valid value for one filter of a list's form, to choose it."""
    field = bound_field.field
    if bound_field.name == "year":
        return "2017"
    if bound_field.name == "month":
        return "2017-08"
    if getattr(field, "queryset", None) is not None:
        return getattr(field.queryset.first(), field.to_field_name or "pk")
    if isinstance(field, forms.DateField):
        return "2017-08-03"
    if isinstance(field, forms.NullBooleanField):
        return "true"
    if getattr(field, "choices", None):
        return next(str(value) for value, _ in field.choices if value not in ("", None))
    return "a"


# (the list counting, the list reading what is stored): the same page, with one query
# (the row) in place of its facets' counts and, on a paged list, of its count of rows.
STORED_LIST_QUERIES = {
    "letters:list": (15, 8),
    "compliance:matrix": (28, 16),
    "jurisdictions:list": (18, 9),
    "letters:timeline": (23, 8),
}
