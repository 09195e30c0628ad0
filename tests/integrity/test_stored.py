"""The stored control periods, answers and jurisdiction facts equal a fresh computation
by the rules after every kind of write (issue 15)."""

import datetime
import importlib
from io import StringIO

import tablib
from django.apps import apps
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Case, Value, When
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from compliance.answer import matrices_for
from compliance.filters import MatrixFilter
from compliance.models import JurisdictionFact, LetterFact, StoredAnswer
from compliance.stored import deferred
from compliance.verdicts import CourtVerdict
from jurisdictions.control import ControlStatus, jail_control_expression, rule_expression
from jurisdictions.models import Booking, Facility, JailControlPeriod, Jurisdiction, LocalJailsOperator
from jurisdictions.resources import BookingResource
from letters.models import Demand, Letter, control_date
from letters.resources import LetterResource
from programs.models import depends_on_jail
from tests import factories as f


class StoredMatchesRule:
    def control_days(self):
        """Every day the rule's inputs change, the days either side, today and long ago."""
        today = timezone.localdate()
        days = {datetime.date(1990, 1, 1), today, today + datetime.timedelta(days=400)}
        for start, end in Booking.objects.values_list("valid_from", "valid_to"):
            for day in (start, end):
                if day:
                    days.update({day - datetime.timedelta(days=1), day, day + datetime.timedelta(days=1)})
        days.update(Letter.objects.exclude(sent_on=None).values_list("sent_on", flat=True))
        return sorted(days)

    def assertStoredTrue(self):
        jurisdictions = Jurisdiction.objects.order_by("pk")
        for day in self.control_days():
            stored = list(jurisdictions.annotate(s=jail_control_expression("pk", day)).values_list("pk", "s"))
            rule = list(jurisdictions.annotate(s=rule_expression("pk", day)).values_list("pk", "s"))
            self.assertEqual(stored, rule, f"control on {day}")
        fresh = {
            (m.letter.pk, row.condition.pk): (row.law.verdict, row.court_verdict)
            for m in matrices_for(Letter.objects.all())
            for row in m.rows
        }
        stored = {(a.letter_id, a.condition_id): (a.law, a.courts) for a in StoredAnswer.objects.current().order_by()}
        self.assertEqual(stored, fresh)
        by_rule = Case(
            When(depends_on_jail(), then=rule_expression("letter__recipient", control_date())),
            default=Value(ControlStatus.CONTROLS),
        )
        demands = Demand.objects.order_by("pk")
        self.assertEqual(
            list(demands.annotate(rule=by_rule).values_list("pk", "rule")),
            list(demands.values_list("pk", "stored_answer__control")),
        )
        self.assertEqual(
            sorted(StoredAnswer.objects.values_list("demand_id", flat=True)),
            sorted(Demand.objects.values_list("pk", flat=True)),
        )
        self.assertEqual(
            sorted(StoredAnswer.objects.values_list("demand_id", "recipient_id")),
            sorted(Demand.objects.values_list("pk", "letter__recipient_id")),
        )
        facts = {
            *(
                (d.letter.recipient_id, "condition", d.condition.code)
                for d in Demand.objects.select_related("letter", "condition")
            ),
            *(
                (letter.recipient_id, "program", letter.program.slug)
                for letter in Letter.objects.select_related("program")
            ),
            *(
                (d.letter.recipient_id, "control", d.stored_answer.control)
                for d in Demand.objects.select_related("letter", "stored_answer")
            ),
        }
        self.assertEqual(
            sorted(JurisdictionFact.objects.values_list("jurisdiction_id", "kind", "value")), sorted(facts)
        )
        dated = {
            (m.letter.pk, kind, value)
            for m in matrices_for(Letter.objects.exclude(sent_on=None, deadline=None))
            for row in m.rows
            for kind, value in (("control", row.jail.status), ("law", row.law.verdict), ("courts", row.court_verdict))
        }
        self.assertEqual(sorted(LetterFact.objects.values_list("letter_id", "kind", "value")), sorted(dated))


class WritePathTests(StoredMatchesRule, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.jag = f.make_program("Byrne JAG")
        cls.jail_access = f.make_condition("jail_access")
        cls.section_1373 = f.make_condition("section_1373_compliance")
        cls.state = f.make_jurisdiction("State of California", kind="state")
        cls.county = f.make_jurisdiction("Alameda County", kind="county")
        cls.city = f.make_jurisdiction("City of Berkeley")
        cls.jail = f.make_facility(cls.county)
        cls.lockup = f.make_facility(cls.city, facility_type=Facility.Type.CITY_LOCKUP)
        cls.letter = f.make_letter(cls.city, cls.jag, [cls.jail_access, cls.section_1373])

    def status(self, jurisdiction, day=None):
        return Jurisdiction.objects.with_jail_control(day).get(pk=jurisdiction.pk).jail_control

    def test_factories_leave_it_true(self):
        self.assertStoredTrue()

    def test_booking_create_update_delete(self):
        booking = f.book(self.city, self.jail, valid_from=datetime.date(2016, 1, 1))
        self.assertStoredTrue()
        self.assertEqual(self.status(self.city), ControlStatus.DOES_NOT_CONTROL)
        f.book(self.city, self.lockup, stage="pre_arraignment")
        self.assertStoredTrue()
        self.assertEqual(self.status(self.city), ControlStatus.SHARES)
        booking.jurisdiction = self.state  # moved: both the old and the new jurisdiction change
        booking.save()
        self.assertStoredTrue()
        booking.delete()
        self.assertStoredTrue()

    def test_a_booking_that_ends_later_is_already_stored_as_ending(self):
        later = timezone.localdate() + datetime.timedelta(days=30)
        f.book(self.city, self.jail, valid_to=later)
        self.assertStoredTrue()
        self.assertEqual(self.status(self.city), ControlStatus.DOES_NOT_CONTROL)
        self.assertEqual(self.status(self.city, later), ControlStatus.UNKNOWN)

    def test_facility_changes_operator_and_type(self):
        f.book(self.city, self.jail)
        self.jail.operator = self.city
        self.jail.save()
        self.assertStoredTrue()
        self.assertEqual(self.status(self.city), ControlStatus.CONTROLS)
        self.jail.facility_type = Facility.Type.CITY_LOCKUP
        self.jail.save()
        self.assertStoredTrue()

    def test_jurisdiction_create_and_local_jails(self):
        self.state.local_jails_operated_by = LocalJailsOperator.COUNTIES
        self.state.save()
        new = f.make_jurisdiction("Oakland County", kind="county")
        f.make_facility(new)
        self.assertStoredTrue()
        self.assertEqual(self.status(self.state), ControlStatus.DOES_NOT_CONTROL)
        self.assertEqual(self.status(new), ControlStatus.CONTROLS)

    def test_letter_and_demand_changes(self):
        letter = f.make_letter(self.county, self.jag, [self.jail_access], sent_on=None, deadline=None)
        self.assertStoredTrue()
        letter.sent_on = datetime.date(2018, 4, 1)
        letter.recipient = self.city
        letter.save()
        self.assertStoredTrue()
        letter.conditions.add(self.section_1373)
        self.assertStoredTrue()
        Demand.objects.filter(letter=letter, condition=self.jail_access).delete()
        self.assertStoredTrue()
        letter.conditions.clear()
        self.assertStoredTrue()
        letter.delete()
        self.assertStoredTrue()

    def test_laws_and_their_conditions(self):
        measure = f.make_measure(self.state, [self.jail_access], effective_on=datetime.date(2017, 1, 1))
        self.assertStoredTrue()
        self.assertEqual(StoredAnswer.objects.get(demand__condition=self.jail_access).law, "restricts")
        measure.conditions.remove(self.jail_access)
        self.assertStoredTrue()
        measure.effective_on = datetime.date(2019, 1, 1)
        measure.save()
        self.assertStoredTrue()
        measure.delete()
        self.assertStoredTrue()

    def test_court_decisions_and_their_coverage(self):
        decision = f.make_decision(
            [self.jag], [self.jail_access], covered="plaintiffs", decided_on=datetime.date(2017, 7, 1)
        )
        self.assertStoredTrue()
        decision.covered_jurisdictions.add(self.city)
        self.assertStoredTrue()
        self.assertEqual(StoredAnswer.objects.get(demand__condition=self.jail_access).courts, "covered")
        decision.in_force_from = datetime.date(2018, 1, 1)
        decision.save()
        self.assertStoredTrue()

    def test_a_court_decision_rewrites_only_the_answers_of_letters_it_can_concern(self):
        psp = f.make_letter(self.city, f.make_program("PSP"), [self.jail_access])  # own Byrne JAG award line
        unconcerned = f.make_letter(self.city, f.make_program("COPS"), [self.jail_access])
        # A wrong value in a letter no decision can reach: a rewrite would correct it.
        StoredAnswer.objects.filter(letter=unconcerned).update(courts=CourtVerdict.RESCINDED)

        def assertConcernedTrue():
            fresh = {
                (m.letter.pk, row.condition.pk): row.court_verdict
                for m in matrices_for(Letter.objects.exclude(pk=unconcerned.pk))
                for row in m.rows
            }
            answers = StoredAnswer.objects.exclude(letter=unconcerned).values_list("letter", "condition", "courts")
            stored = {(letter, condition): courts for letter, condition, courts in answers}
            self.assertEqual(stored, fresh)
            self.assertEqual(
                set(StoredAnswer.objects.filter(letter=unconcerned).values_list("courts", flat=True)),
                {CourtVerdict.RESCINDED},
            )

        decision = f.make_decision([self.jag], [self.jail_access], decided_on=datetime.date(2017, 7, 1))
        assertConcernedTrue()
        verdicts = dict(StoredAnswer.objects.filter(condition=self.jail_access).values_list("letter", "courts"))
        self.assertEqual(verdicts[self.letter.pk], CourtVerdict.COVERED)
        self.assertEqual(verdicts[psp.pk], CourtVerdict.NEVER_RULED)  # the headline reads PSP's own lines
        decision.in_force_from = datetime.date(2018, 1, 1)
        decision.save()
        assertConcernedTrue()
        decision.conditions.add(self.section_1373)
        assertConcernedTrue()
        decision.conditions.remove(self.jail_access)
        assertConcernedTrue()
        decision.programs.clear()
        assertConcernedTrue()
        decision.programs.add(self.jag)
        decision.delete()
        assertConcernedTrue()
        call_command("recompute_control", stdout=StringIO())  # the full recompute agrees
        self.assertStoredTrue()

    def test_program_and_recipient_renamed(self):
        f.make_decision([self.jag], [self.jail_access], covered="plaintiffs", plaintiffs="City of Berkeley")
        self.jag.short_name = "PSP"
        self.jag.save()
        self.assertStoredTrue()
        self.city.name = "City of Albany"
        self.city.save()
        self.assertStoredTrue()
        self.jag.slug = "byrne-jag-renamed"
        self.jag.save()
        self.jail_access.code = "jail_access_renamed"
        self.jail_access.save()
        self.assertStoredTrue()

    def test_deferred_stores_once_at_the_end_in_the_same_transaction(self):
        with transaction.atomic(), deferred():
            f.book(self.city, self.jail)
            f.make_letter(self.county, self.jag, [self.jail_access])
            self.assertEqual(self.status(self.city), ControlStatus.UNKNOWN)  # not yet stored
        self.assertStoredTrue()

    def test_import_of_bookings(self):
        data = tablib.Dataset(headers=BookingResource._meta.fields)
        row = dict.fromkeys(BookingResource._meta.fields, "")
        row.update(jurisdiction=self.city.slug, facility=self.jail.name, stage="all", sourcing="sourced")
        data.append([row[column] for column in data.headers])
        result = BookingResource().import_data(data, dry_run=False)
        self.assertFalse(result.has_errors() or result.has_validation_errors(), result)
        self.assertStoredTrue()
        self.assertEqual(self.status(self.city), ControlStatus.DOES_NOT_CONTROL)

    def test_an_import_stores_once_for_all_its_rows(self):
        data = tablib.Dataset(headers=LetterResource._meta.fields)
        for n in range(30):
            row = dict.fromkeys(LetterResource._meta.fields, "")
            row.update(
                program=self.jag.slug,
                recipient=self.city.slug,
                sent_on=f"2018-01-{n % 28 + 1:02d}",
                addressee=f"Addressee {n}",
                addressee_confirmed="0",
                conditions="jail_access;section_1373_compliance",
                sources=f"https://example.org/letter-{n}",
            )
            data.append([row[column] for column in data.headers])
        with CaptureQueriesContext(connection) as queries:
            result = LetterResource().import_data(data, dry_run=False)
        self.assertFalse(result.has_errors() or result.has_validation_errors(), result)
        self.assertEqual(Letter.objects.filter(addressee__startswith="Addressee ").count(), 30)
        rewrites = [q for q in queries if q["sql"].startswith(f'DELETE FROM "{StoredAnswer._meta.db_table}"')]
        self.assertEqual(len(rewrites), 1)  # one store_answers for the 30 rows, at the end
        self.assertStoredTrue()

    def test_recompute_control_repairs_a_damaged_store(self):
        f.book(self.city, self.jail)
        JailControlPeriod.objects.all().delete()
        StoredAnswer.objects.update(law="none_found", courts="never_ruled")
        JurisdictionFact.objects.filter(jurisdiction=self.city).delete()
        JurisdictionFact.objects.create(jurisdiction=self.county, kind="condition", value="jail_access")
        call_command("recompute_control", stdout=StringIO())
        self.assertStoredTrue()

    def test_a_demand_moved_and_letters_deleted_in_bulk(self):
        other = f.make_condition("detainer_48h")
        letter = f.make_letter(self.county, self.jag, [other, self.jail_access])
        demand = Demand.objects.get(letter=letter, condition=other)
        demand.letter = self.letter  # the city's
        demand.save()
        self.assertStoredTrue()
        Letter.objects.filter(recipient=self.county).delete()
        self.assertStoredTrue()
        self.assertFalse(JurisdictionFact.objects.filter(jurisdiction=self.county).exists())

    def test_the_migration_fills_the_recipients_and_facts_of_existing_letters(self):
        f.make_letter(self.county, self.jag, [self.section_1373])
        JurisdictionFact.objects.all().delete()
        StoredAnswer.objects.update(recipient=self.state)
        migration = importlib.import_module("compliance.migrations.0002_jurisdiction_facts_and_answer_recipients")
        migration.fill_recipients(apps, connection.schema_editor())
        migration.fill_facts(apps, connection.schema_editor())
        LetterFact.objects.all().delete()
        importlib.import_module("compliance.migrations.0003_letter_facts").fill(apps, connection.schema_editor())
        self.assertStoredTrue()


class SeedTests(StoredMatchesRule, TestCase):
    def test_load_seed_stores_everything(self):
        call_command("load_seed", stdout=StringIO())
        self.assertTrue(JailControlPeriod.objects.exists())
        self.assertTrue(StoredAnswer.objects.exists())
        self.assertStoredTrue()


class ExpiredAnswerTests(StoredMatchesRule, TestCase):
    def test_an_expired_undated_answer_is_answered_by_the_rule_then_refreshed(self):
        jag = f.make_program("Byrne JAG")
        jail_access = f.make_condition("jail_access")
        state = f.make_jurisdiction("State of California", kind="state")
        city = f.make_jurisdiction("City of Berkeley")
        f.make_measure(state, [jail_access], effective_on=datetime.date(2017, 1, 1))
        letter = f.make_letter(city, jag, [jail_access], sent_on=None, deadline=None)
        answer = StoredAnswer.objects.get(letter=letter)
        self.assertIsNotNone(answer.valid_until)  # an undated letter is answered for today only
        yesterday = timezone.localdate() - datetime.timedelta(days=1)
        StoredAnswer.objects.filter(pk=answer.pk).update(valid_until=yesterday, law="none_found")
        # The stored row says "none found" but has expired: the filter asks the rule.
        restricted = MatrixFilter({"law": "restricts"}, queryset=Letter.objects.all()).qs
        self.assertEqual(list(restricted), [letter])
        none_found = MatrixFilter({"law": "none_found"}, queryset=Letter.objects.all()).qs
        self.assertEqual(list(none_found), [])
        call_command("recompute_control", "--stale", stdout=StringIO())
        self.assertStoredTrue()
        self.assertGreater(StoredAnswer.objects.get(letter=letter).valid_until, timezone.localdate())
