"""The whole data set as one zip: one CSV per declared export (the same rows and columns
as the lists' ?format=csv with no filter) and a Frictionless Data `datapackage.json`
describing them, with the licence and the data version.

The same tables also come as one SQLite database (`build_sqlite`), one table per
export, for readers who would rather query than open spreadsheets.

Built here and kept as files per data version by `dashboard.datafiles`, which decides
when they are built (at national scale they take over a minute)."""

import csv
import io
import json
import sqlite3
import tempfile
import zipfile
from pathlib import Path

from django.template.loader import render_to_string
from django.urls import reverse

from compliance.answer import matrix_queryset, requested_day
from jurisdictions.models import Jurisdiction
from letters.models import Letter
from letters.selectors import timeline_entries
from listing.exports import choice_pairs, get_export, spreadsheet_unescape
from listing.links import absolute_url
from revisions.models import DataVersion
from sanctuary_lists.models import ListEntry, PublishedList

LICENSE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
# The rows of each resource: every row the list would export with no filter set.
EVERYTHING = {
    "jurisdictions": lambda request: Jurisdiction.objects.for_list(),
    "letters": lambda request: Letter.objects.for_list(),
    "matrix": lambda request: matrix_queryset(Letter.objects.all(), requested_day(request)),
    "timeline": lambda request: timeline_entries(),
    "list_entries": lambda request: ListEntry.objects.for_list_page(),
    "published_lists": lambda request: PublishedList.objects.for_index(),
}


def field(column):
    """A Table Schema field. A column of codes lists them (`enum`), so validators catch
    a code the site does not define; its `<name>_label` column says which it labels."""
    described = {"name": column.name, "type": column.type, "description": column.description}
    if column.choices is not None:
        described["constraints"] = {"enum": [code for code, _ in choice_pairs(column.choices)]}
    return described


def version():
    row = DataVersion.objects.filter(pk=1).values("counter", "changed_at").first()
    return row or {"counter": 0, "changed_at": None}


def descriptor(current):
    """datapackage.json (Frictionless Data Package v1, tabular)."""
    resources = []
    for name in EVERYTHING:
        export = get_export(name)
        resources.append(
            {
                "name": name,
                "title": export.title,
                "description": export.note or f"Every row of {absolute_url(list_path(name))}?format=csv.",
                "path": f"{name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": [field(column) for column in export.columns],
                    "missingValues": [""],
                },
            }
        )
    package = {
        "profile": "tabular-data-package",
        "name": "sanctuary-tracker",
        "title": "Sanctuary Tracker: DOJ immigration conditions and who controls compliance",
        "version": f"{current['counter']}.0.0",
        "homepage": absolute_url("/"),
        "licenses": [LICENSE],
        "sources": [
            {
                "title": "Public records and reporting cited row by row (the sources and url columns)",
                "path": absolute_url(reverse("dashboard:about_data")),
            }
        ],
        "resources": resources,
    }
    if current["changed_at"]:
        package["created"] = current["changed_at"].isoformat()
    return package


def list_path(name):
    return {
        "jurisdictions": reverse("jurisdictions:list"),
        "letters": reverse("letters:list"),
        "matrix": reverse("compliance:matrix"),
        "timeline": reverse("letters:timeline"),
        "list_entries": reverse("sanctuary_lists:list"),
        "published_lists": reverse("sanctuary_lists:list"),
    }[name]


def csv_bytes(name, request):
    response = get_export(name).response("csv", EVERYTHING[name](request), request)
    return b"".join(response.streaming_content)


def build_zip(request):
    """(file name, zip bytes) for the current data."""
    current = version()
    package = descriptor(current)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", json.dumps(package, indent=2, ensure_ascii=False))
        archive.writestr(
            "README.md", render_to_string("dashboard/datapackage_readme.md", {"package": package, "version": current})
        )
        for name in EVERYTHING:
            archive.writestr(f"{name}.csv", csv_bytes(name, request))
    return f"sanctuary-tracker-data-v{current['counter']}.zip", buffer.getvalue()


SQLITE_TYPES = {"integer": "INTEGER", "boolean": "INTEGER", "number": "REAL", "date": "TEXT", "string": "TEXT"}


def sql_name(name):
    """A quoted SQLite identifier; export and column names are ours, but quoting keeps
    a column named like a keyword (`date`) legal."""
    return '"' + name.replace('"', '""') + '"'


def sqlite_rows(name, request):
    """The export's CSV rows as SQLite values: the spreadsheet guard undone (a database
    is no spreadsheet), empty cells as NULL (the package's missing value), integer
    columns as integers, booleans as 1 and 0."""
    columns = get_export(name).columns
    lines = io.StringIO(csv_bytes(name, request).decode("utf-8"))
    reader = csv.reader(lines)
    next(reader)  # the header
    for row in reader:
        values = []
        for column, cell in zip(columns, row, strict=True):
            cell = spreadsheet_unescape(cell)
            if cell == "":
                values.append(None)
            elif column.type == "integer":
                values.append(int(cell))
            elif column.type == "boolean":
                values.append(int(cell == "True"))
            else:
                values.append(cell)
        yield values


def build_sqlite(request):
    """(file name, database bytes) for the current data: one table per export, with the
    CSV's columns, and a `metadata` table (data version, licence, homepage)."""
    current = version()
    package = descriptor(current)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "data.sqlite3"
        database = sqlite3.connect(path)
        try:
            with database:
                for resource in package["resources"]:
                    fields = resource["schema"]["fields"]
                    columns = ", ".join(f"{sql_name(field['name'])} {SQLITE_TYPES[field['type']]}" for field in fields)
                    table = sql_name(resource["name"])
                    database.execute(f"CREATE TABLE {table} ({columns})")
                    placeholders = ", ".join("?" for _ in fields)
                    database.executemany(
                        f"INSERT INTO {table} VALUES ({placeholders})", sqlite_rows(resource["name"], request)
                    )
                database.execute("CREATE TABLE metadata (key TEXT PRIMARY KEY, value TEXT)")
                database.executemany(
                    "INSERT INTO metadata VALUES (?, ?)",
                    [
                        ("title", package["title"]),
                        ("version", package["version"]),
                        ("created", package.get("created", "")),
                        ("homepage", package["homepage"]),
                        ("license", f"{LICENSE['title']} ({LICENSE['path']})"),
                        ("datapackage.json", json.dumps(package, ensure_ascii=False)),
                    ],
                )
        finally:
            database.close()
        content = path.read_bytes()
    return f"sanctuary-tracker-data-v{current['counter']}.sqlite3", content
