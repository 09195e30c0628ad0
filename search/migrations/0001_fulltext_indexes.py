"""GIN indexes for PostgreSQL full-text search. Each expression must match, character for
character, the SearchVector that search.selectors builds over the same columns, or the
planner will not use it. Other databases get nothing (they use substring search)."""

from django.db import migrations

# table: searched columns, in the order search.selectors._targets() lists them
INDEXED = {
    "letters_letter": ["addressee", "notes", "document_text"],
    "letters_response": ["responder", "summary"],
    "letters_event": ["title", "summary"],
    "jurisdictions_jurisdiction": ["name", "notes"],
}


def expression(columns):
    return " || ' ' || ".join(f"COALESCE({column}, '')" for column in columns)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, columns in INDEXED.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_fulltext ON {table} "
            f"USING gin (to_tsvector('english'::regconfig, {expression(columns)}))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in INDEXED:
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_fulltext")


class Migration(migrations.Migration):
    dependencies = [
        ("letters", "0002_date_indexes"),
        ("jurisdictions", "0002_list_index"),
    ]
    operations = [migrations.RunPython(create, drop)]
