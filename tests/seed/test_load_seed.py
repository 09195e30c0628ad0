import csv
import datetime
import shutil
import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command
from django.db import models
from django.test import TestCase

from courts.models import CourtDecision
from jurisdictions.control import ControlStatus, control_of
from jurisdictions.models import Booking, Facility, Jurisdiction
from laws.models import LegalMeasure
from letters.models import Demand, Event, Letter, Response
from programs.models import Award, Condition, Program, ProgramCondition
from revisions.models import DataVersion
from seed.loader import DATA_DIR
from sources.models import Sourcing


def csv_rows(filename, data_dir=DATA_DIR):
    with (Path(data_dir) / filename).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def row_counts():
    models = [
        Jurisdiction, Facility, Booking, Program, Condition, ProgramCondition, Letter, Demand, Event,
        Response, LegalMeasure, CourtDecision, Award,
    ]  # fmt: skip
    return {model.__name__: model.objects.count() for model in models}


# The DOJ list of 2025-08-05 names 11 governments jurisdictions.csv lacks; its import
# creates them: Delaware, Minnesota, Rhode Island, San Diego County, Boston, East Lansing,
# Hoboken, Jersey City, Paterson, Portland and Rochester.
LIST_JURISDICTIONS_CREATED = 11


class LoadedSeedTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_seed", stdout=StringIO())

    def test_every_row_of_every_file_is_loaded(self):
        letters = csv_rows("letters.csv")
        self.assertEqual(
            row_counts(),
            {
                "Jurisdiction": len(csv_rows("jurisdictions.csv"))
                + len(csv_rows("jurisdictions_added.csv"))
                + LIST_JURISDICTIONS_CREATED,
                "Facility": len(csv_rows("facilities.csv")),
                "Booking": len(csv_rows("bookings.csv")),
                "Program": len(csv_rows("programs.csv")),
                "Condition": len(csv_rows("conditions.csv")),
                "ProgramCondition": len(csv_rows("program_conditions.csv")),
                "Letter": len(letters),
                "Demand": sum(len(row["conditions"].split(";")) for row in letters),
                "Event": len(csv_rows("events.csv")),
                "Response": len(csv_rows("responses.csv")),
                "LegalMeasure": len(csv_rows("state_laws.csv")) + len(csv_rows("local_policies.csv")),
                "CourtDecision": len(csv_rows("litigation.csv")),
                "Award": len(csv_rows("byrne_jag_awards.csv")),
            },
        )

    def test_data_version_2_row_counts(self):
        # The counts seed/data/README.md states for version 2.
        self.assertEqual(Booking.objects.count(), 99)
        self.assertEqual(Response.objects.count(), 41)
        self.assertEqual(LegalMeasure.objects.filter(level=LegalMeasure.Level.STATE).count(), 46)
        self.assertEqual(LegalMeasure.objects.filter(level=LegalMeasure.Level.LOCAL).count(), 53)
        self.assertEqual(CourtDecision.objects.count(), 48)
        self.assertEqual(Award.objects.count(), 88)

    def test_baltimore_is_held_in_a_jail_run_by_the_state_of_maryland(self):
        baltimore = control_of(Jurisdiction.objects.get(name="City of Baltimore", state="MD"))
        self.assertEqual([o.name for o in baltimore.operators], ["State of Maryland"])
        self.assertEqual(baltimore.status, ControlStatus.DOES_NOT_CONTROL)

    def test_the_august_3_2017_letters_are_due_august_18(self):
        letters = Letter.objects.filter(sent_on=datetime.date(2017, 8, 3))
        self.assertEqual(letters.count(), 4)
        self.assertEqual(set(letters.values_list("deadline", flat=True)), {datetime.date(2017, 8, 18)})

    def test_the_four_psp_recipients_control_none_of_the_jail_conditions(self):
        demands = Demand.objects.with_control().filter(letter__program__short_name="PSP")
        recipients = Letter.objects.filter(program__short_name="PSP").for_list()
        operators = {
            letter.recipient.name: [
                o.name for o in letter.demands.get(condition__code="jail_access").control_answer.operators
            ]
            for letter in recipients
        }
        self.assertEqual(
            operators,
            {
                "City of Baltimore": ["State of Maryland"],
                "City of Stockton": ["San Joaquin County"],
                "City of San Bernardino": ["San Bernardino County"],
                "City of Albuquerque": ["Bernalillo County"],
            },
        )
        self.assertEqual(set(demands.values_list("control", flat=True)), {ControlStatus.DOES_NOT_CONTROL})
        self.assertEqual(demands.count(), 12)

    def test_partly_sourced_facts_keep_their_status(self):
        facilities = csv_rows("facilities.csv")
        partly = {row["facility_name"] for row in facilities if row["source_type"] == "sourced (partly)"}
        self.assertQuerySetEqual(
            Facility.objects.filter(sourcing=Sourcing.PARTLY).order_by("name"), sorted(partly), transform=str
        )

    def test_every_letter_facility_booking_and_event_cites_a_source(self):
        for model in (Letter, Facility, Booking, Event, Program, Condition):
            self.assertFalse(model.objects.filter(sources=None).exists(), model.__name__)

    def test_loading_again_changes_nothing(self):
        before = row_counts()
        out = StringIO()
        call_command("load_seed", stdout=out)
        self.assertEqual(row_counts(), before)
        self.assertIn("0 records written", out.getvalue())

    def test_loading_again_leaves_the_data_version_and_its_date_alone(self):
        before = DataVersion.objects.values_list("counter", "changed_at").get(pk=1)
        call_command("load_seed", stdout=StringIO())
        self.assertEqual(DataVersion.objects.values_list("counter", "changed_at").get(pk=1), before)

    def test_no_unconfirmed_marker_is_left_in_an_addressee(self):
        self.assertFalse(Letter.objects.filter(addressee__icontains="not confirmed").exists())
        cook = Letter.objects.get(recipient__name="Cook County", sent_on=datetime.date(2017, 4, 21))
        self.assertEqual((cook.addressee, cook.addressee_confirmed), ("Cook County, Illinois", False))

    def test_the_public_change_log_says_the_record_came_from_the_research_data_set(self):
        cook = Jurisdiction.objects.get(name="Cook County")
        response = self.client.get(cook.get_absolute_url())
        self.assertContains(response, "Jurisdiction added (loaded from the research data set).")
        self.assertContains(response, "Jurisdiction changed: Parent set to State of Illinois, IL")
        self.assertNotContains(response, "(parent)")


class BrokenSeedTests(TestCase):
    def broken_copy(self, filename, line_number, replace):
        folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, folder)
        for path in DATA_DIR.glob("*.csv"):
            shutil.copy(path, folder / path.name)
        lines = (folder / filename).read_text(encoding="utf-8").splitlines(keepends=True)
        lines[line_number - 1] = replace(lines[line_number - 1])
        (folder / filename).write_text("".join(lines), encoding="utf-8")
        return folder

    def test_a_malformed_date_is_rejected_with_file_line_and_reason_and_nothing_is_kept(self):
        folder = self.broken_copy("letters.csv", 3, lambda line: line.replace(",2017-04-21,", ",2017-13-45,", 1))
        with self.assertRaisesMessage(CommandError, "letters.csv, line 3: date_sent '2017-13-45' is not a YYYY-MM-DD"):
            call_command("load_seed", data_dir=folder, stdout=StringIO())
        self.assertEqual(set(row_counts().values()), {0})

    def test_a_deadline_before_the_sent_date_is_rejected(self):
        folder = self.broken_copy("letters.csv", 2, lambda line: line.replace(",2017-06-30,", ",2017-01-01,", 1))
        with self.assertRaisesMessage(CommandError, "letters.csv, line 2: The response deadline cannot be before"):
            call_command("load_seed", data_dir=folder, stdout=StringIO())

    def test_a_broken_row_leaves_previously_loaded_data_unchanged(self):
        call_command("load_seed", stdout=StringIO())
        before = row_counts()
        baltimore_letter = Letter.objects.get(recipient__name="City of Baltimore")
        folder = self.broken_copy("events.csv", 5, lambda line: line.replace("policy_change", "rumour", 1))
        with self.assertRaisesMessage(CommandError, "events.csv, line 5:"):
            call_command("load_seed", data_dir=folder, stdout=StringIO())
        self.assertEqual(row_counts(), before)
        self.assertEqual(Letter.objects.get(pk=baltimore_letter.pk).deadline, baltimore_letter.deadline)

    def test_an_unknown_jurisdiction_is_named(self):
        folder = self.broken_copy(
            "bookings.csv", 2, lambda line: line.replace("City of Birmingham", "City of Atlantis")
        )
        with self.assertRaisesMessage(CommandError, "bookings.csv, line 2: jurisdiction 'City of Atlantis' in AL"):
            call_command("load_seed", data_dir=folder, stdout=StringIO())


class LoadedVersion2FactsTests(TestCase):
    """Facts of data version 2, read back from the database after a real load."""

    @classmethod
    def setUpTestData(cls):
        call_command("load_seed", stdout=StringIO())

    def test_the_california_trust_act_restricted_detainers_until_sb_54(self):
        trust_act = LegalMeasure.objects.get(name="California TRUST Act (AB 4)")
        self.assertEqual(trust_act.jurisdiction.name, "State of California")
        self.assertEqual(trust_act.level, LegalMeasure.Level.STATE)
        self.assertEqual(trust_act.kind, LegalMeasure.Kind.STATUTE)
        self.assertEqual(trust_act.effective_on, datetime.date(2014, 1, 1))
        self.assertIsNone(trust_act.enacted_on)  # signed Oct 2013: only the month is known, so notes give it
        self.assertEqual(trust_act.ended_on, datetime.date(2018, 1, 1))
        self.assertEqual(trust_act.effect, LegalMeasure.Effect.RESTRICTS)
        self.assertEqual(list(trust_act.conditions.values_list("code", flat=True)), ["detainer_48h"])

    def test_california_law_in_force_at_the_november_2017_and_january_2018_letters(self):
        california = LegalMeasure.objects.filter(jurisdiction__name="State of California")
        self.assertEqual(
            set(california.in_force_on(datetime.date(2017, 11, 15)).values_list("name", flat=True)),
            {"California TRUST Act (AB 4)", "TRUTH Act (AB 2792)"},
        )
        self.assertEqual(
            set(california.in_force_on(datetime.date(2018, 1, 24)).values_list("name", flat=True)),
            {"TRUTH Act (AB 2792)", "California Values Act (SB 54)"},
        )

    def test_the_query_and_the_instance_method_agree_on_every_measure(self):
        measures = list(LegalMeasure.objects.all())
        for day in [datetime.date(2014, 1, 1), datetime.date(2017, 8, 28), datetime.date(2018, 1, 1),
                    datetime.date(2019, 3, 15), datetime.date(2025, 1, 1)]:  # fmt: skip
            with self.subTest(day=day):
                in_force = set(LegalMeasure.objects.in_force_on(day).values_list("pk", flat=True))
                self.assertEqual(in_force, {m.pk for m in measures if m.is_in_force_on(day)})
                self.assertTrue(0 < len(in_force) < len(measures))

    def test_state_law_effects_and_the_measure_with_no_condition(self):
        states = LegalMeasure.objects.filter(level=LegalMeasure.Level.STATE)
        self.assertEqual(states.filter(effect=LegalMeasure.Effect.NONE_FOUND).count(), 8)
        self.assertEqual(states.filter(effect=LegalMeasure.Effect.FORBIDS_RESTRICTIONS).count(), 6)
        courts_act = LegalMeasure.objects.get(name="Protect Our Courts Act")
        self.assertFalse(courts_act.conditions.exists())
        dc = LegalMeasure.objects.filter(jurisdiction__name="District of Columbia", level=LegalMeasure.Level.STATE)
        self.assertEqual(dc.count(), 2)
        local = LegalMeasure.objects.filter(level=LegalMeasure.Level.LOCAL)
        self.assertEqual(local.filter(effect=LegalMeasure.Effect.NONE).count(), 3)
        self.assertTrue(local.filter(jurisdiction__name="Orleans Parish").exists())

    def test_the_chicago_preliminary_injunction_covered_the_nation_for_notice_and_access_in_fy2017(self):
        decision = CourtDecision.objects.get(case_name="City of Chicago v. Sessions", decided_on="2017-09-15")
        self.assertEqual(decision.court, "N.D. Ill.")
        self.assertEqual(decision.covered, CourtDecision.Covered.NATIONWIDE)
        self.assertEqual(set(decision.conditions.values_list("code", flat=True)), {"jail_access", "release_notice_48h"})
        self.assertEqual(decision.fiscal_years, [2017])
        self.assertEqual(list(decision.programs.values_list("short_name", flat=True)), ["Byrne JAG"])
        self.assertEqual(decision.holding, CourtDecision.Holding.MIXED)
        self.assertEqual(decision.binding_effect, CourtDecision.BindingEffect.GRANTS_RELIEF)
        self.assertEqual(decision.in_force_from, datetime.date(2017, 9, 15))
        self.assertEqual(decision.in_force_until, datetime.date(2018, 6, 26))
        self.assertEqual(decision.sourcing, Sourcing.PARTLY)
        self.assertEqual(
            (decision.superseded_by.court, decision.superseded_by.decided_on),
            ("7th Cir.", datetime.date(2018, 6, 26)),
        )

    def test_every_superseded_by_cell_is_resolved(self):
        expected = sum(1 for row in csv_rows("litigation.csv") if row["superseded_by"])
        self.assertEqual(CourtDecision.objects.exclude(superseded_by=None).count(), expected)
        for decision in CourtDecision.objects.exclude(superseded_by=None).select_related("superseded_by"):
            row = next(
                r
                for r in csv_rows("litigation.csv")
                if (r["case_name"], r["court"], r["decision_date"])
                == (decision.case_name, decision.court, decision.decided_on.isoformat())
            )
            self.assertEqual(decision.superseded_by.key, row["superseded_by"])

    def test_conference_of_mayors_members_executive_order_cases_and_the_placeholder(self):
        members = CourtDecision.objects.filter(covered=CourtDecision.Covered.MEMBERS)
        self.assertEqual(members.count(), 2)
        self.assertEqual(set(members.values_list("covered_organisation", flat=True)), {"U.S. Conference of Mayors"})
        self.assertEqual(set(members.values_list("covered_jurisdictions__name", flat=True)), {"City of Seattle"})
        executive_orders = CourtDecision.objects.filter(all_federal_funds=True)
        self.assertEqual(executive_orders.count(), 7)
        self.assertFalse(executive_orders.exclude(conditions=None).exists())
        self.assertFalse(executive_orders.exclude(programs=None).exists())
        placeholder = CourtDecision.objects.get(court="none found")
        self.assertIsNone(placeholder.decided_on)
        self.assertEqual(placeholder.sourcing, Sourcing.UNVERIFIED)
        self.assertFalse(placeholder.sources.exists())
        california = CourtDecision.objects.filter(covered_jurisdictions__name="City of Stockton")
        self.assertEqual(california.count(), 4)
        self.assertEqual(CourtDecision.objects.filter(precedent_circuit="9th").count(), 5)

    def test_oaklands_glenn_dyer_booking_ended_in_june_2019(self):
        glenn_dyer = Booking.objects.get(
            jurisdiction__name="City of Oakland", facility__name="Glenn E. Dyer jail and Oakland booking center"
        )
        self.assertIsNone(glenn_dyer.valid_from)
        self.assertEqual(glenn_dyer.valid_to, datetime.date(2019, 6, 1))
        self.assertEqual(glenn_dyer.valid_precision, Booking.Precision.MONTH)
        santa_rita = Booking.objects.get(jurisdiction__name="City of Oakland", facility__name="Santa Rita Jail")
        self.assertEqual(santa_rita.valid_from, datetime.date(2019, 6, 1))
        self.assertEqual(Booking.objects.exclude(valid_from=None, valid_to=None).count(), 9)
        birmingham = Booking.objects.filter(
            jurisdiction__name="City of Birmingham", facility__name="Jefferson County jail"
        )
        self.assertEqual(
            sorted((b.stage, b.valid_from) for b in birmingham),
            [("after_arraignment", None), ("pre_arraignment", datetime.date(2024, 1, 1))],
        )

    def test_who_runs_the_local_jails_of_the_letter_states(self):
        operated_by = dict(
            Jurisdiction.objects.exclude(local_jails_operated_by="").values_list("name", "local_jails_operated_by")
        )
        self.assertEqual(
            operated_by,
            {"State of California": "counties", "State of Illinois": "counties", "State of Oregon": "counties",
             "State of Vermont": "state"},
        )  # fmt: skip
        vermont = Jurisdiction.objects.get(name="State of Vermont")
        self.assertIn("vermonts-unified-correctional-system", vermont.local_jails_source.url)
        self.assertEqual(vermont.local_jails_sourcing, Sourcing.SOURCED)
        score = Jurisdiction.objects.get(name="South Correctional Entity (SCORE)")
        self.assertEqual(score.kind, Jurisdiction.Kind.INTERGOVERNMENTAL)

    def test_doj_clearances_and_undated_replies_are_responses(self):
        clearance = Response.objects.get(
            letter__recipient__name="Louisville/Jefferson County Metro Government",
            stance=Response.Stance.CLEARED_BY_DOJ,
        )
        self.assertEqual(clearance.letter.batch.code, "B2018-01-24_documents23")
        self.assertEqual(clearance.responded_on, datetime.date(2018, 4, 12))
        self.assertTrue(clearance.responder.startswith("U.S. DOJ"))
        self.assertEqual(
            dict(Response.objects.values_list("stance").annotate(n=models.Count("pk")).order_by()),
            {"certified_compliance": 17, "disputed": 16, "cleared_by_doj": 6, "complied": 2},
        )
        self.assertEqual(Response.objects.filter(responded_on=None).count(), 10)
        self.assertEqual(Response.objects.filter(sourcing=Sourcing.PARTLY).count(), 13)
        undated = Response.objects.get(letter__recipient__name="City of New Orleans", responded_on=None)
        self.assertEqual(undated.stance, Response.Stance.CERTIFIED_COMPLIANCE)
        self.assertEqual(Event.objects.filter(sourcing=Sourcing.PARTLY).count(), 8)

    def test_awards_keep_unknown_amounts_empty_and_aggregates_off_jurisdictions(self):
        self.assertEqual(Award.objects.filter(jurisdiction=None).count(), 10)
        held_up = Award.objects.get(label="United States", what__startswith="FY2017 JAG funds approved")
        self.assertEqual((held_up.fiscal_year, held_up.amount_withheld), (2017, 174_000_000))
        self.assertEqual(Award.objects.filter(amount_awarded=None).count(), 6)
        self.assertFalse(Award.objects.filter(amount_awarded=0).exists())
        self.assertEqual(Award.objects.filter(amount_withheld__isnull=False).count(), 12)
        oregon = Award.objects.get(jurisdiction__name="State of Oregon", fiscal_year=None)
        self.assertEqual((oregon.period, oregon.amount_awarded), ("FY2016-FY2017", 4_000_000))
        louisville = Award.objects.get(award_number="2016-DJ-BX-0217")
        self.assertEqual(louisville.jurisdiction.name, "Louisville/Jefferson County Metro Government")
        self.assertEqual(louisville.fiscal_year, 2016)


class BrokenVersion2SeedTests(TestCase):
    """A bad value in each column data version 2 added is rejected with file and line,
    and nothing of the broken load is kept. The seed is loaded first, so each broken
    load only reads until it meets the bad row (a fresh load takes far longer)."""

    @classmethod
    def setUpTestData(cls):
        call_command("load_seed", stdout=StringIO())

    def broken_cell(self, filename, match, column, value):
        """Copy the seed, set `column` to `value` in the first row of `filename` whose
        cells include every item of `match`; return (folder, that row's line number)."""
        folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, folder)
        for path in DATA_DIR.glob("*.csv"):
            shutil.copy(path, folder / path.name)
        with (folder / filename).open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            header, rows = reader.fieldnames, list(reader)
        index = next(i for i, row in enumerate(rows) if all(row[k] == v for k, v in match.items()))
        self.assertIn(column, header)
        rows[index][column] = value
        with (folder / filename).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=header)
            writer.writeheader()
            writer.writerows(rows)
        return folder, index + 2  # no cell in these files spans lines

    def assertRejected(self, filename, match, column, value, reason):
        folder, line = self.broken_cell(filename, match, column, value)
        before = row_counts()
        with self.assertRaisesMessage(CommandError, f"{filename}, line {line}: {reason}"):
            call_command("load_seed", data_dir=folder, stdout=StringIO())
        self.assertEqual(row_counts(), before)  # all or nothing

    def test_jurisdictions_local_jails(self):
        self.assertRejected(
            "jurisdictions.csv", {"name": "State of Oregon"}, "local_jails_operated_by", "cities",
            "local_jails_operated_by 'cities' is not one of: counties, state",
        )  # fmt: skip
        self.assertRejected(
            "jurisdictions.csv", {"name": "State of Oregon"}, "local_jails_source_url", "",
            "local_jails_source_url is empty",
        )  # fmt: skip

    def test_bookings_validity(self):
        oakland = {"jurisdiction_name": "City of Oakland", "facility_name": "Santa Rita Jail"}
        self.assertRejected(
            "bookings.csv", oakland, "valid_from", "2019-06", "valid_from '2019-06' is not a YYYY-MM-DD"
        )
        self.assertRejected("bookings.csv", oakland, "valid_precision", "week", "valid_precision 'week' is not one of")
        self.assertRejected("bookings.csv", oakland, "valid_precision", "", "valid_precision is empty for a dated row")
        self.assertRejected("bookings.csv", oakland, "valid_to", "2019-01-01", "A booking must start before it ends.")

    def test_events_source_type(self):
        self.assertRejected(
            "events.csv", {"date": "2017-09-15"}, "source_type", "hearsay", "source_type 'hearsay' is not one of"
        )

    def test_responses(self):
        louisville = {"jurisdiction_name": "Louisville/Jefferson County Metro Government", "date": "2018-04-12"}
        self.assertRejected("responses.csv", louisville, "stance", "complies", "stance 'complies' is not one of")
        self.assertRejected("responses.csv", louisville, "date", "April 12", "date 'April 12' is not a YYYY-MM-DD")
        self.assertRejected("responses.csv", louisville, "source_type", "", "source_type '' is not one of")
        self.assertRejected(
            "responses.csv", louisville, "letter_batch_id", "B2017-08-03_PSP",
            "no letter in batch 'B2017-08-03_PSP' to 'Louisville/Jefferson County Metro Government'",
        )  # fmt: skip

    def test_state_laws(self):
        trust = {"law_name": "California TRUST Act (AB 4)"}
        self.assertRejected("state_laws.csv", trust, "kind", "ordinance", "kind 'ordinance' is not one of")
        self.assertRejected("state_laws.csv", trust, "effect", "none", "effect 'none' is not one of")
        self.assertRejected("state_laws.csv", trust, "effective_on", "2014", "effective_on '2014' is not a YYYY-MM-DD")
        self.assertRejected("state_laws.csv", trust, "conditions", "detainer_72h", "condition 'detainer_72h' is not in")
        self.assertRejected("state_laws.csv", trust, "state", "GA", "state 'GA' has no single state row")
        self.assertRejected(
            "state_laws.csv", trust, "repealed_or_superseded_on", "2013-01-01", "A measure must take effect before"
        )

    def test_local_policies(self):
        cook = {"jurisdiction_name": "Cook County"}
        self.assertRejected("local_policies.csv", cook, "effect", "none found", "effect 'none found' is not one of")
        self.assertRejected("local_policies.csv", cook, "kind", "statute", "kind 'statute' is not one of")
        self.assertRejected("local_policies.csv", cook, "adopted_on", "2011-9-7", "adopted_on '2011-9-7' is not a")
        self.assertRejected(
            "local_policies.csv", cook, "jurisdiction_name", "Cook", "jurisdiction 'Cook' in IL is not in"
        )

    def test_litigation(self):
        chicago = {"case_name": "City of Chicago v. Sessions", "decision_date": "2017-09-15"}
        cases = [
            ("fiscal_years", "2017", "fiscal_years '2017' is not a fiscal year like FY2017"),
            ("binding_effect", "grants relief (mostly)", "binding_effect qualifier 'mostly' is not one of"),
            (
                "binding_effect",
                "grants relief (no condition code)",
                "binding_effect says (no condition code) but conditions",
            ),
            ("binding_effect", "halts", "binding_effect 'halts' is not one of"),
            ("holding_on_conditions", "struck", "holding_on_conditions 'struck' is not one of"),
            ("covered", "everyone", "covered 'everyone' is not one of"),
            ("covered_jurisdictions", "City of Evanston", "jurisdiction 'City of Evanston' is not in jurisdictions"),
            ("covered_jurisdictions", "Essex County", "jurisdiction 'Essex County' is ambiguous"),
            ("programs", "JAG", "program 'JAG' is not in programs.csv"),
            ("precedent_circuit", "12th", "precedent_circuit '12th' is not one of"),
            ("in_force_until", "2017-09-01", "An order must start to bind before it stops."),
            ("in_force_from", "", "An order that grants, keeps or narrows relief needs an in-force-from date"),
            (
                "superseded_by",
                "City of Chicago v. Sessions | 7th Cir. | 2018-06-27",
                "superseded_by 'City of Chicago v. Sessions | 7th Cir. | 2018-06-27' matches no other row",
            ),
            (
                "superseded_by",
                "City of Chicago v. Sessions",
                "superseded_by 'City of Chicago v. Sessions' is not `case | court | date`",
            ),
            ("source_url", "", "source_url is empty"),
        ]
        for column, value, reason in cases:
            with self.subTest(column=column, value=value):
                self.assertRejected("litigation.csv", chicago, column, value, reason)

    def test_byrne_jag_awards(self):
        louisville = {"award_number": "2016-DJ-BX-0217"}
        self.assertRejected(
            "byrne_jag_awards.csv", louisville, "amount_awarded", "1.5M", "amount_awarded '1.5M' is not a whole number"
        )
        self.assertRejected(
            "byrne_jag_awards.csv", louisville, "amount_withheld", "-5", "amount_withheld '-5' is not a whole number"
        )
        self.assertRejected(
            "byrne_jag_awards.csv", louisville, "fiscal_year", "FY16", "fiscal_year 'FY16' is not FY2017"
        )
        self.assertRejected("byrne_jag_awards.csv", louisville, "fiscal_year", "FY1850", "Ensure this value is greater")
        self.assertRejected(
            "byrne_jag_awards.csv", louisville, "jurisdiction_name", "Louisville", "jurisdiction 'Louisville' in KY"
        )
