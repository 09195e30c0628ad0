"""Each searched table keeps its document as a stored tsvector column, `search_document`,
GIN-indexed, in place of 0001's expression indexes (PostgreSQL only; other databases
search by substring and get nothing).

Why: an expression index finds the matching rows, but ranking them still vectorises
each one, twice per row (filter and rank); 97 % of the benchmark's events match
"sanctuary", so /search/ spent most of its time in to_tsvector (issue 15). A generated
column is computed once, on write, by PostgreSQL itself, so no save path can forget it.

The column is not a model field (Django's GeneratedField would have to compile on
SQLite too): `search.selectors` reads it by name, and the ORM never selects or writes
it. Its expression is 0001's, character for character, so ranks are unchanged.
PostgreSQL refuses to change the type of a column a generated column reads, and
Django drops columns without CASCADE: a later migration that alters or removes a
searched column (see INDEXED) must drop `search_document` first and run `add` again
after. Adding a stored column rewrites each table under an exclusive lock (about 2 s
for the benchmark's 50,000 letters): readers wait while it runs.
"""

from django.db import migrations

COLUMN = "search_document"
# table: searched columns, in the order search.selectors._targets() lists them
INDEXED = {
    "letters_letter": ["addressee", "notes", "document_text"],
    "letters_response": ["responder", "summary"],
    "letters_event": ["title", "summary"],
    "jurisdictions_jurisdiction": ["name", "notes"],
}


def document(columns):
    text = " || ' ' || ".join(f"COALESCE({column}, '')" for column in columns)
    return f"to_tsvector('english'::regconfig, {text})"


def add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, columns in INDEXED.items():
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {COLUMN} tsvector "
            f"GENERATED ALWAYS AS ({document(columns)}) STORED"
        )
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {table}_{COLUMN} ON {table} USING gin ({COLUMN})")
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_fulltext")


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, columns in INDEXED.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {table}_fulltext ON {table} USING gin ({document(columns)})")
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS {COLUMN}")  # drops its index too


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_fulltext_indexes"),
        # after every change to the searched columns so far (see the docstring)
        ("letters", "0008_list_order_index"),
        ("jurisdictions", "0006_control_periods_reverse_name"),
    ]
    operations = [migrations.RunPython(add, remove)]
