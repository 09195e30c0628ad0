import csv
import datetime
import shutil
import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import TestCase

from jurisdictions.control import ControlStatus, control_of
from jurisdictions.models import Booking, Facility, Jurisdiction
from letters.models import Demand, Event, Letter
from programs.models import Condition, Program, ProgramCondition
from seed.loader import DATA_DIR
from sources.models import Sourcing


def csv_rows(filename, data_dir=DATA_DIR):
    with (Path(data_dir) / filename).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def row_counts():
    models = [Jurisdiction, Facility, Booking, Program, Condition, ProgramCondition, Letter, Demand, Event]
    return {model.__name__: model.objects.count() for model in models}


class LoadedSeedTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_seed", stdout=StringIO())

    def test_every_row_of_every_file_is_loaded(self):
        letters = csv_rows("letters.csv")
        self.assertEqual(
            row_counts(),
            {
                "Jurisdiction": len(csv_rows("jurisdictions.csv")) + len(csv_rows("jurisdictions_added.csv")),
                "Facility": len(csv_rows("facilities.csv")),
                "Booking": len(csv_rows("bookings.csv")),
                "Program": len(csv_rows("programs.csv")),
                "Condition": len(csv_rows("conditions.csv")),
                "ProgramCondition": len(csv_rows("program_conditions.csv")),
                "Letter": len(letters),
                "Demand": sum(len(row["conditions"].split(";")) for row in letters),
                "Event": len(csv_rows("events.csv")),
            },
        )

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
