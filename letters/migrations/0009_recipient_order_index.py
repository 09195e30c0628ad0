"""An index on a recipient's letters in the letter lists' default order (newest sent
first, undated last, then newest id), so one jurisdiction's letters are read from the
index, already sorted (issue 15). The jurisdiction JSON streams them through the letters
export's server-side cursor, and PostgreSQL plans a cursor for its first rows: without
this index it walked `letter_list_order` over every letter, filtering by recipient
(26 ms for the busy jurisdiction's 300 letters of 50,000, against 6 ms).

Written per database like 0008, and for the same reason (SQLite refuses NULLS LAST in
an index)."""

from django.db import migrations

ORDER = {
    "postgresql": '"recipient_id", "sent_on" DESC NULLS LAST, "id" DESC',
    "sqlite": '"recipient_id", "sent_on" DESC, "id" DESC',
}


def create(apps, schema_editor):
    order = ORDER.get(schema_editor.connection.vendor)
    if order:
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "letter_recipient_order" ON "letters_letter" ({order})')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor in ORDER:
        schema_editor.execute('DROP INDEX IF EXISTS "letter_recipient_order"')


class Migration(migrations.Migration):
    dependencies = [("letters", "0008_list_order_index")]
    operations = [migrations.RunPython(create, drop)]
