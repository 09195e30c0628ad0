"""An index in the letter lists' default order (`Letter.Meta.ordering`: newest sent
first, undated last, then newest id), so a page of 25 walks the index instead of
sorting every letter the filters let through (issue 15).

Written per database, since SQLite refuses NULLS LAST in an index; it sorts NULL
below every date, so its plain DESC index is already in that order. Not a Meta index
for the same reason."""

from django.db import migrations

ORDER = {
    "postgresql": '"sent_on" DESC NULLS LAST, "id" DESC',
    "sqlite": '"sent_on" DESC, "id" DESC',
}


def create(apps, schema_editor):
    order = ORDER.get(schema_editor.connection.vendor)
    if order:
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "letter_list_order" ON "letters_letter" ({order})')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor in ORDER:
        schema_editor.execute('DROP INDEX IF EXISTS "letter_list_order"')


class Migration(migrations.Migration):
    dependencies = [("letters", "0007_addressee_without_marker")]
    operations = [migrations.RunPython(create, drop)]
