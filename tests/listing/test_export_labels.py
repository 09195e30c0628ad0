"""Issue 14, "plain words": every export and JSON record keeps each code as its stable
value and gives its label beside it, named `<code field>_label` everywhere, with the
label from the one place the code is defined (a model's choices, the condition and
batch tables). Checked over the whole seed data set."""

import csv
import io
import json
from io import StringIO

from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from compliance.verdicts import LawVerdict
from dashboard.apidocs import list_endpoints
from jurisdictions.control import ControlStatus
from jurisdictions.models import Jurisdiction
from letters.models import Batch, Event, Letter, Response
from listing.exports import choice_pairs
from programs.models import Condition, Program

# Fields that hold a code wherever a JSON record has them; each must have its label.
CODE_FIELDS = {
    "status",
    "stance",
    "sourcing",
    "kind",
    "level",
    "effect",
    "verdict",
    "holding",
    "control",
    "basis",
    "state",
    "condition",
    "requirement",
    "facility_type",
    "stage",
    "control_locus",
    "recipient_kind",
    "jail_control",
    "federal_circuit",
    "batch",
}


def body(response):
    return b"".join(response.streaming_content)


def dicts_in(value):
    """Every object in a JSON document, nested ones included."""
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from dicts_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from dicts_in(item)


class ExportLabelTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_seed", stdout=StringIO())

    def table_labels(self):
        """The labels of codes kept in tables rather than choices."""
        return {
            "condition": dict(Condition.objects.values_list("code", "name")),
            "batch": dict(Batch.objects.values_list("code", "label")),
        }

    def test_every_csv_label_column_follows_its_code_and_holds_its_label(self):
        tables = self.table_labels()
        for endpoint in list_endpoints():
            export = endpoint.export
            with self.subTest(export=export.name):
                header, *rows = csv.reader(
                    io.StringIO(body(self.client.get(endpoint.path, {"format": "csv"})).decode())
                )
                self.assertEqual(header, export.header)
                self.assertGreater(len(rows), 0)
                label_columns = [column for column in export.columns if column.labels]
                self.assertTrue(label_columns)
                for column in label_columns:
                    code_column = next(c for c in export.columns if c.name == column.labels)
                    self.assertEqual(header.index(column.name), header.index(code_column.name) + 1)
                    self.assertEqual(column.name, f"{code_column.name}_label")
                    labels = dict(choice_pairs(code_column.choices)) if code_column.choices else None
                    labels = labels or tables.get(code_column.name.removeprefix("jail_"))
                    codes, cells = header.index(code_column.name), header.index(column.name)
                    for row in rows:
                        expected = labels[row[codes]] if row[codes] else ""
                        self.assertEqual(row[cells], expected, (column.name, row[codes]))
                # Every code column that has choices has its label column.
                for column in export.columns:
                    if column.choices is not None:
                        self.assertIn(f"{column.name}_label", header)

    def test_every_json_code_has_its_label_beside_it(self):
        documents = {
            endpoint.export.name: json.loads(body(self.client.get(endpoint.path, {"format": "json"})))
            for endpoint in list_endpoints()
        }
        records = [
            Jurisdiction.objects.filter(letters_received__isnull=False, bookings__isnull=False)
            .first()
            .get_absolute_url(),
            Letter.objects.exclude(batch=None).filter(responses__isnull=False).first().get_absolute_url(),
            Event.objects.first().get_absolute_url(),
            Program.objects.first().get_absolute_url(),
            Condition.objects.first().get_absolute_url(),
        ]
        for url in records:
            documents[url] = json.loads(self.client.get(url, {"format": "json"}).content)
        for name, document in documents.items():
            objects = list(dicts_in(document))
            with self.subTest(document=name):
                labelled = 0
                for record in objects:
                    for key in record:
                        if key in CODE_FIELDS and isinstance(record[key], str):
                            self.assertIn(f"{key}_label", record, (name, key, record[key]))
                            if record[key]:
                                self.assertNotEqual(record[f"{key}_label"], "", (name, key))
                                labelled += 1
                        if key.endswith("_label"):
                            self.assertIn(key.removesuffix("_label"), record, (name, key))
                self.assertGreater(labelled, 0)

    def test_json_labels_are_the_choices_labels(self):
        letters = json.loads(body(self.client.get(reverse("letters:list"), {"format": "json"})))["results"]
        matrix = json.loads(body(self.client.get(reverse("compliance:matrix"), {"format": "json"})))["results"]
        row = next(r for r in matrix if r["responses"])
        response = row["responses"][0]
        self.assertEqual(response["stance_label"], Response.Stance(response["stance"]).label)
        part = row["conditions"][0]["law"]["parts"][0]
        self.assertEqual(part["verdict_label"], LawVerdict(part["verdict"]).label)
        self.assertEqual(
            row["conditions"][0]["jail"]["status_label"], ControlStatus(row["conditions"][0]["jail"]["status"]).label
        )
        conditions = self.table_labels()["condition"]
        for letter in letters:
            for demand in letter["conditions"]:
                self.assertEqual(demand["condition_label"], conditions[demand["condition"]])
                self.assertEqual(demand["control_label"], ControlStatus(demand["control"]).label)
