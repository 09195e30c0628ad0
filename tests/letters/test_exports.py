"""The letter export read in one query gives exactly what the previous implementation
(kept below as the reference: six queries per chunk, model objects, one dict per row)
gave, byte for byte, on the seed data, plus the label columns (issue 14), each the
label its model's choices or table give its code; and its query count does not grow
with letters. Its CSV rows are written from fragments (`CsvCells`, a letter's cells
once for all its conditions' rows): the bytes are compared with whole rows written by
the csv module (`stream_csv`, the path it had before), labels and awkward cells
included."""

import csv
import io
import json
from collections import defaultdict
from io import StringIO
from itertools import batched

from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from jurisdictions.control import ControlStatus, JailControl, bookings_for
from jurisdictions.models import Jurisdiction
from jurisdictions.states import State
from letters.exports import EXPORT_CHUNK, LETTERS, url_maker
from letters.models import Demand, Letter, LetterStatus, control_day
from listing.exports import spreadsheet_safe, stream_csv
from programs.models import Condition, Program
from tests.factories import (
    book,
    make_condition,
    make_facility,
    make_jurisdiction,
    make_letter,
    make_program,
    make_source,
)

# The columns before the label columns, and where the reference read them.
REFERENCE_FIELDS = {
    "letter_id": "pk",
    "sent_on": "sent_on",
    "deadline": "deadline",
    "status": "status",
    "program": "program__short_name",
    "batch": "batch__code",
    "recipient": "recipient__name",
    "recipient_slug": "recipient__slug",
    "recipient_kind": "recipient__kind",
    "state": "recipient__state",
    "addressee": "addressee",
    "sender_name": "sender_name",
    "sender_title": "sender_title",
    "condition": None,
    "control": None,
    "controllers": None,
    "control_sentence": None,
    "sources": None,
    "url": None,
}
REFERENCE_HEADER = list(REFERENCE_FIELDS)
LETTER_FIELDS = {column: field for column, field in REFERENCE_FIELDS.items() if field}


def reference_records(letters):
    """The letter export's records as built before the one-query-per-chunk rewrite."""
    ids = letters.values_list("pk", flat=True)
    letter_url = url_maker("letters:detail", pk=0)
    for chunk in batched(ids, EXPORT_CHUNK):
        rows = {
            row["pk"]: row
            for row in Letter.objects.filter(pk__in=chunk).with_status().values("recipient_id", *LETTER_FIELDS.values())
        }
        demands = defaultdict(list)
        for demand in Demand.objects.with_control().filter(letter_id__in=chunk).select_related("condition"):
            demands[demand.letter_id].append(demand)
        sources = defaultdict(list)
        links = Letter.sources.through.objects.filter(letter_id__in=chunk).order_by("pk")
        for letter_id, url in links.values_list("letter_id", "source__url"):
            sources[letter_id].append(url)
        recipient_ids = {row["recipient_id"] for row in rows.values()}
        recipients = Jurisdiction.objects.in_bulk(recipient_ids)
        bookings = bookings_for(recipient_ids)
        for pk in chunk:
            row = rows[pk]
            record = {column: row[field] for column, field in LETTER_FIELDS.items()}
            record["batch"] = record["batch"] or ""
            recipient = recipients[row["recipient_id"]]
            day = control_day(row["sent_on"], row["deadline"])
            record["conditions"] = []
            for demand in sorted(demands[pk], key=lambda d: d.condition.code):
                answer = JailControl.for_condition(
                    recipient, demand.condition.depends_on_jail, demand.control, bookings[recipient.pk], day
                )
                record["conditions"].append(
                    {
                        "condition": demand.condition.code,
                        "control": demand.control,
                        "controllers": [{"name": o.name, "slug": o.slug} for o in answer.operators],
                        "control_sentence": answer.sentence,
                    }
                )
            record["sources"] = sources[pk]
            record["url"] = letter_url(pk)
            yield record


def reference_csv_rows(record):
    record = dict(record)
    conditions = record.pop("conditions") or [
        {"condition": "", "control": "", "controllers": [], "control_sentence": ""}
    ]
    record["sources"] = " ".join(record["sources"])
    for condition in conditions:
        row = {
            **record,
            **condition,
            "controllers": "; ".join(f"{c['name']} ({c['slug']})" for c in condition["controllers"]),
        }
        yield [row[column] for column in REFERENCE_HEADER]


# The data version, the conditions, the bookings of the letters' recipients (as plain
# values: the export prints no booking sources, so it does not read them), and the
# letters with their recipients, demands and sources aggregated (one query, read in
# chunks): none per chunk.
QUERIES = 4


def reference_csv(header, rows):
    """The CSV as the reference wrote it: one csv.writer row at a time, each cell made
    spreadsheet-safe."""
    written = StringIO(newline="")
    writer = csv.writer(written)
    writer.writerow(header)
    for row in rows:
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return written.getvalue().encode()


def body(response):
    return b"".join(response.streaming_content)


class SeedExportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_seed", stdout=StringIO())
        # A letter with no demands and a formula-like addressee exercise the edges.
        make_letter(Jurisdiction.objects.order_by("pk").first(), Program.objects.first(), addressee="=HYPERLINK()")
        # Cells the csv module must quote, in each part of a row written from fragments:
        # the letter's, the tail's (sources) and a formula-like one in the middle.
        awkward = make_letter(
            Jurisdiction.objects.order_by("pk").last(),
            Program.objects.first(),
            Condition.objects.order_by("code")[:3],
            addressee='Office of the "Chief", Room 2\nCity Hall',
            sender_name="",
            sender_title="-Acting, interim",
        )
        awkward.sources.add(make_source(url='https://example.org/a,b?q="x"'))

    def letters(self):
        return Letter.objects.all()  # the list's order, as the export writes it

    def test_csv_is_byte_identical_to_the_reference_but_for_the_labels(self):
        expected_rows = [row for record in reference_records(self.letters()) for row in reference_csv_rows(record)]
        self.assertGreater(len(expected_rows), 100)
        expected = reference_csv(REFERENCE_HEADER, expected_rows)
        got = body(self.client.get(reverse("letters:list"), {"format": "csv"}))
        header, *rows = csv.reader(io.StringIO(got.decode()))
        self.assertEqual(header, LETTERS.header)
        # The same bytes, once the label columns are taken out again.
        kept = [index for index, name in enumerate(header) if not name.endswith("_label")]
        self.assertEqual([header[index] for index in kept], REFERENCE_HEADER)
        without_labels = io.StringIO(newline="")
        writer = csv.writer(without_labels)
        for row in [header, *rows]:
            writer.writerow([row[index] for index in kept])
        self.assertEqual(without_labels.getvalue().encode(), expected)
        self.assertIn(b"'=HYPERLINK()", expected)  # still injection-safe
        self.assert_labels(header, rows)

    def test_csv_bytes_are_those_of_whole_rows_written_by_the_csv_module(self):
        """Every column, labels included, in the reference's values: the very bytes
        `stream_csv` writes from whole rows, which the export wrote before it joined
        fragments."""
        labels = self.labels()
        rows = []
        for record in reference_records(self.letters()):
            for row in reference_csv_rows(record):
                cells = dict(zip(REFERENCE_HEADER, row, strict=True))
                for name, label_of in labels.items():
                    cells[f"{name}_label"] = label_of[cells[name]] if cells[name] else ""
                rows.append([cells[name] for name in LETTERS.header])
        expected = body(stream_csv(LETTERS.header, rows, "x"))
        got = body(self.client.get(reverse("letters:list"), {"format": "csv"}))
        self.assertEqual(got, expected)
        self.assertIn(b'"Office of the ""Chief"", Room 2\nCity Hall"', got)
        self.assertIn(b',"\'-Acting, interim",', got)

    def labels(self):
        """{coded column: {code: label}} from where each is defined: the model's
        choices, or the condition and batch tables."""
        return {
            "status": dict(LetterStatus.choices),
            "recipient_kind": dict(Jurisdiction.Kind.choices),
            "state": dict(State.choices),
            "condition": dict(Condition.objects.values_list("code", "name")),
            "control": dict(ControlStatus.choices),
            "batch": {letter.batch.code: letter.batch.label for letter in Letter.objects.exclude(batch=None)},
        }

    def assert_labels(self, header, rows):
        """Each label column beside its code, with the label of that code from the one
        place codes are defined: the model's choices, or the condition and batch tables."""
        labels = self.labels()
        self.assertEqual({name for name in header if name.endswith("_label")}, {f"{name}_label" for name in labels})
        seen = set()
        for row in rows:
            cells = dict(zip(header, row, strict=True))
            for name, label_of in labels.items():
                self.assertEqual(header.index(f"{name}_label"), header.index(name) + 1)
                code = cells[name]
                self.assertEqual(cells[f"{name}_label"], label_of[code] if code else "", (name, code))
                seen.add((name, bool(code)))
        # Every label column was checked with a value, and the condition one also empty.
        self.assertLessEqual({(name, True) for name in labels} | {("condition", False)}, seen)

    def test_json_records_match_the_reference_with_labels(self):
        expected = list(reference_records(self.letters()))
        got = json.loads(body(self.client.get(reverse("letters:list"), {"format": "json"})))["results"]
        labelled = {"status", "recipient_kind", "state", "batch"}
        conditions = dict(Condition.objects.values_list("code", "name"))
        for record in got:
            for name in labelled:
                self.assertIn(f"{name}_label", record)
            self.assertEqual(record["status_label"], LetterStatus(record["status"]).label)
            self.assertEqual(record["state_label"], State(record["state"]).label)
            for demand in record["conditions"]:
                self.assertEqual(demand.pop("condition_label"), conditions[demand["condition"]])
                self.assertEqual(demand.pop("control_label"), ControlStatus(demand["control"]).label)
        without_labels = [{key: value for key, value in r.items() if not key.endswith("_label")} for r in got]
        self.assertEqual(without_labels, json.loads(json.dumps(expected, default=str)))

    def test_the_letter_json_holds_each_letters_export_record(self):
        # Its record is written from the letter its page read (`LETTERS.record_of`),
        # not by the export: the same record, sources in citation order included (the
        # awkward letter cites a URL that sorts before its first one).
        cited = []
        for letter in self.letters():
            with self.subTest(letter=letter.pk):
                expected = next(LETTERS.records(Letter.objects.filter(pk=letter.pk), None))
                data = self.client.get(letter.get_absolute_url(), {"format": "json"}).json()
                self.assertEqual({key: data[key] for key in expected}, json.loads(json.dumps(expected, default=str)))
                cited.append(data["sources"])
        self.assertTrue(any(urls != sorted(urls) for urls in cited))

    def test_record_of_a_letter_read_otherwise_is_read_as_the_export_reads_it(self):
        for letter in Letter.objects.all():  # not read for its record: no cited_source_urls
            with self.subTest(letter=letter.pk):
                expected = next(LETTERS.records(Letter.objects.filter(pk=letter.pk), None))
                self.assertEqual(LETTERS.record_of(letter, None), expected)

    def test_a_filtered_sorted_export_has_the_pages_letters_in_its_order_each_once(self):
        # The condition filter joins demands (django-filter makes it DISTINCT) and the
        # recipient sort orders by a joined column: the export streams that very query.
        params = {"condition": ["jail_access", "section_1373_compliance"], "sort": "-recipient", "state": "CA"}
        page = self.client.get(reverse("letters:list"), params)
        # The paginator pages the filtered letters' ids (FilteredListView.paginate_queryset).
        expected = [row["pk"] for row in page.context["paginator"].object_list]
        self.assertGreater(len(expected), 3)
        records = json.loads(body(self.client.get(reverse("letters:list"), {**params, "format": "json"})))
        self.assertEqual([record["letter_id"] for record in records["results"]], expected)
        rows = csv.DictReader(
            io.StringIO(body(self.client.get(reverse("letters:list"), {**params, "format": "csv"})).decode())
        )
        in_csv = list(dict.fromkeys(int(row["letter_id"]) for row in rows))
        self.assertEqual(in_csv, expected)


class ExportQueryTests(TestCase):
    def export(self):
        return body(self.client.get(reverse("letters:list"), {"format": "csv"}))

    def test_queries_do_not_grow_with_letters(self):
        program = make_program()
        conditions = [make_condition("jail_access"), make_condition("section_1373_compliance")]
        county = make_jurisdiction("Some County", kind=Jurisdiction.Kind.COUNTY)
        jail = make_facility(county)

        def add_letters(count):
            for _ in range(count):
                city = make_jurisdiction()
                book(city, jail)
                make_letter(city, program, conditions)

        add_letters(2)
        with self.assertNumQueries(QUERIES):
            rows_few = self.export().count(b"\n")
        add_letters(20)
        with self.assertNumQueries(QUERIES):
            rows_many = self.export().count(b"\n")
        self.assertEqual(rows_many - rows_few, 40)
