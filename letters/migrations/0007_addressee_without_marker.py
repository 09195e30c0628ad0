"""Take "(addressee not confirmed)" out of stored addressees: addressee_confirmed says it,
and the pages showed it twice (issue 14). load_seed now strips it on load."""

import re

from django.db import migrations

MARKER = re.compile(r"\s*\(addressee not confirmed\)|;\s*addressee not confirmed(?=\))", re.IGNORECASE)


def strip_marker(apps, schema_editor):
    Letter = apps.get_model("letters", "Letter")
    for letter in Letter.objects.filter(addressee__icontains="addressee not confirmed"):
        letter.addressee = MARKER.sub("", letter.addressee).strip()
        letter.addressee_confirmed = False
        letter.save(update_fields=["addressee", "addressee_confirmed"])


class Migration(migrations.Migration):
    dependencies = [("letters", "0006_addressee_unconfirmed_by_default")]

    operations = [migrations.RunPython(strip_marker, migrations.RunPython.noop)]
