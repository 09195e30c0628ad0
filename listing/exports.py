"""Exports are declared, not hooked: each app states an `Export` once (its name,
documented columns and row builders) and registers it. The list page's CSV/JSON, the
detail pages' JSON and the about page's column documentation all read that one object.

Nothing here knows about letters or jurisdictions.
"""

import csv
import functools
import io
import itertools
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from operator import itemgetter

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Choices
from django.http import HttpResponseBadRequest, JsonResponse, StreamingHttpResponse

from . import schema

FORMATS = {"csv", "json"}
CSV_ROWS_PER_CHUNK = 500
# OWASP "CSV Injection": a spreadsheet reads a cell starting with one of these as a
# formula. Such text gets a leading apostrophe, which spreadsheets show as text.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[-+]?\d+(\.\d+)?")


def spreadsheet_safe(value):
    """The cell as a spreadsheet will not evaluate it: text (only text: numbers and dates
    are not formulae, nor is text that is just a number) that starts like a formula is
    prefixed with a single quote."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS) and not PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def spreadsheet_unescape(value):
    """spreadsheet_safe undone, for importing what an export wrote."""
    if isinstance(value, str) and value.startswith("'") and spreadsheet_safe(value[1:]) == value:
        return value[1:]
    return value


@dataclass(frozen=True)
class Column:
    name: str
    description: str
    # A column of codes (a model's TextChoices): its values, for the data package.
    choices: type[Choices] | list | None = None
    # A label column: the code column it puts in words (`coded`).
    labels: str = ""
    # Its Table Schema type in the CSV (string, integer, number, boolean, date).
    type: str = "string"
    # The JSON Schema of its value in JSON records, where that is not the CSV type
    # (lists and nested objects, which the CSV flattens into text).
    json: dict | None = None

    def json_schema(self):
        """The JSON Schema of this field in a JSON record, with its description."""
        if self.json is not None:
            value = self.json
        elif self.choices is not None:
            value = schema.codes(choice_pairs(self.choices))
        else:
            value = schema.nullable(schema.TABLE_TYPES[self.type])
        return schema.described(value, self.description)


# Longer choice lists (states) are summarised in a column's description.
CODES_LISTED = 12


def choice_pairs(choices):
    """(code, label) of a TextChoices class or of a list of such pairs."""
    pairs = choices.choices if isinstance(choices, type) else choices
    return [(str(value), str(label)) for value, label in pairs]


def codes_in_words(choices):
    pairs = choice_pairs(choices)
    if len(pairs) > CODES_LISTED:
        examples = ", ".join(f"{value} = {label}" for value, label in pairs[:2])
        return f"one of {len(pairs)} codes ({examples}, …)"
    return ", ".join(f"{value} ({label})" for value, label in pairs)


def coded(name, description, choices=None, *, labelled_as=""):
    """Two columns: `name`, a stable code to filter and join on, and `<name>_label`
    beside it, the same value in the words the pages use. The labels are `choices`'
    (a model's TextChoices, whose codes the description then lists), or, for codes kept
    in a table (conditions, batches), what `labelled_as` says they are. Every export
    names them this way, in CSV columns and JSON fields alike."""
    if choices is not None:
        description = f"{description} Codes: {codes_in_words(choices)}."
    label_description = labelled_as or f"The {name} code in words, as the pages show it."
    return Column(name, description, choices), Column(f"{name}_label", label_description, labels=name)


def labels_of(choices):
    """{code: label} for `choices` (as `choice_pairs` takes them), and the empty code
    (no value) as an empty label. A dict, so an export of many rows looks each label
    up rather than building a Choices member per row."""
    return {"": "", None: "", **dict(choice_pairs(choices))}


def label(choices, code):
    """The label of one code of a TextChoices class (empty for no code)."""
    return _labels_of_class(choices).get(code, code)


@functools.cache
def _labels_of_class(choices):
    return labels_of(choices)


def one_row(record):
    return [record]


@dataclass(frozen=True)
class Export:
    """`records(queryset, request)` yields one JSON-ready dict per object in the list's
    order; `csv_rows(record)` flattens one record into CSV rows (a letter gives one row
    per demanded condition). An export with many rows can instead give
    `csv_lines(queryset, request, cells)`, yielding each CSV row as text, its line end
    included, made of `cells(...)` fragments (`CsvCells`): cells shared by several rows
    (a letter's, on each of its conditions' rows) are then written once, and no dict is
    built per record or row. `json_fields` documents the JSON record when it is not one
    CSV row (the OpenAPI document reads it)."""

    name: str
    title: str
    columns: tuple[Column, ...]
    records: Callable[..., Iterable[dict]]
    csv_rows: Callable[[dict], Iterable[dict]] = one_row
    note: str = ""
    csv_lines: Callable[..., Iterable[str]] | None = None
    # The JSON record's fields, where it nests what the CSV spreads over rows (a
    # letter's conditions); empty when each JSON record has exactly the CSV's columns.
    # A field without a description is the CSV column of that name.
    json_fields: tuple[Column, ...] = ()
    # `record_of(obj, request)`: the record of one object a detail page has already
    # read, as the export documents its queryset, without reading it again (the letter
    # JSON's matrix answer; issue 15).
    record_of: Callable[..., dict] | None = None
    # The most rows one download may hold, for an export whose rows are slow to build
    # (the matrix answers each letter in full: about 1 ms a letter, so all 50,000 took
    # 53 s, past the server's 30 s timeout). None: no limit. `ListPageMixin` answers a
    # larger filter with a 400 that says how to narrow it.
    max_rows: int | None = None
    row_name: str = "rows"  # what one row of `records` is, for messages ("letters")

    @property
    def header(self):
        return [column.name for column in self.columns]

    @property
    def json_columns(self):
        by_name = {column.name: column for column in self.columns}
        fields = [field if field.description else by_name[field.name] for field in self.json_fields]
        return tuple(fields) or self.columns

    def record_schema(self, **fields):
        """The JSON Schema of one JSON record: the declared fields, each required and
        no other; `fields` adds or replaces fields (a record page's extras)."""
        declared = {column.name: column.json_schema() for column in self.json_columns}
        return schema.record(self.title, **{**declared, **fields})

    def response(self, export_format, queryset, request):
        if export_format == "json":
            return stream_json(started(self.records(queryset, request)))
        if self.csv_lines is not None:
            return stream_csv_lines(self.header, started(self.csv_lines(queryset, request, CsvCells())), self.name)
        columns = itemgetter(*self.header)
        single = len(self.header) == 1
        records = started(self.records(queryset, request))
        rows = (columns(row) for record in records for row in self.csv_rows(record))
        return stream_csv(self.header, ((row,) for row in rows) if single else rows, self.name)


def started(records):
    """The records with the first one already read: the export's first queries run in
    the view, where a database outage becomes the site's 503, not in the response
    body, where it would cut off a 200 (or become the server's bare 500)."""
    records = iter(records)
    first = next(records, _NOTHING)
    return records if first is _NOTHING else itertools.chain([first], records)


_NOTHING = object()
REGISTRY: dict[str, Export] = {}


def register(export):
    REGISTRY[export.name] = export
    return export


def get_export(name):
    """Another app's declared export, without importing that app's export module."""
    return REGISTRY[name]


def stream_csv(header, rows, filename):
    """`rows`: sequences of cells in `header` order. Written CSV_ROWS_PER_CHUNK rows at
    a time by the csv module into one buffer (not a string per row), and only text
    cells that start like a formula go through `spreadsheet_safe`: over 100,000 rows
    both show in the export's time."""

    def lines():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        for chunk in itertools.batched(rows, CSV_ROWS_PER_CHUNK):
            writer.writerows(
                [
                    spreadsheet_safe(cell) if cell.__class__ is str and cell.startswith(FORMULA_TRIGGERS) else cell
                    for cell in row
                ]
                for row in chunk
            )
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
        if buffer.tell():  # the header of an export without rows
            yield buffer.getvalue()

    return csv_response(lines(), filename)


def csv_response(chunks, filename):
    response = StreamingHttpResponse(chunks, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


class CsvCells:
    """`cells(values)`: two or more cells as the CSV row `stream_csv` would write holds
    them, without the line end: each made spreadsheet-safe as it does, then quoted by
    the csv module itself. csv.writer quotes every cell on its own and joins them with
    commas, so fragments joined by commas are byte for byte the row it writes for all
    their cells; a fragment that repeats across rows (a letter's cells, on each of its
    conditions' rows) is written once. Not one cell alone: csv.writer writes a row of
    one empty cell as "", which is not that cell in a longer row."""

    def __init__(self):
        # writerow returns what the file's write returns: here the line itself.
        self.writerow = csv.writer(Echo()).writerow
        self.line_end = csv.excel.lineterminator

    def __call__(self, values):
        line = self.writerow(
            [spreadsheet_safe(cell) if cell.__class__ is str and cell.startswith(FORMULA_TRIGGERS) else cell
             for cell in values]
        )  # fmt: skip
        return line[: -len(self.line_end)]


class Echo:
    """A file whose write hands back what it is given (Django's "streaming large CSV
    files" recipe)."""

    def write(self, value):
        return value


def stream_csv_lines(header, lines, filename):
    """`lines`: the rows as CSV text (`Export.csv_lines`), sent CSV_ROWS_PER_CHUNK at a time."""

    def chunks():
        buffer = io.StringIO()
        csv.writer(buffer).writerow(header)
        yield buffer.getvalue()
        for chunk in itertools.batched(lines, CSV_ROWS_PER_CHUNK):
            yield "".join(chunk)

    return csv_response(chunks(), filename)


def stream_json(records):
    encoder = DjangoJSONEncoder()

    def chunks():
        yield '{"results": ['
        for index, record in enumerate(records):
            yield ("," if index else "") + encoder.encode(record)
        yield "]}"

    return StreamingHttpResponse(chunks(), content_type="application/json")


def detail_json(record):
    return JsonResponse(record, encoder=DjangoJSONEncoder, json_dumps_params={"indent": 2})


def bad_request(message, errors=None):
    body = {"error": message}
    if errors:
        body["fields"] = {name: [str(e) for e in errs] for name, errs in errors.items()}
    return HttpResponseBadRequest(json.dumps(body), content_type="application/json")
