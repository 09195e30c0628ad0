import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_recipients(apps, schema_editor):
    """Each stored answer's recipient, its letter's: one UPDATE."""
    StoredAnswer = apps.get_model("compliance", "StoredAnswer")
    Letter = apps.get_model("letters", "Letter")
    recipient = Letter.objects.filter(pk=OuterRef("letter_id")).values("recipient_id")[:1]
    StoredAnswer.objects.update(recipient_id=Subquery(recipient))


def fill_facts(apps, schema_editor):
    """The facts of the letters already stored, as `compliance.stored.store_jurisdiction_facts`
    derives them: a site upgraded to this version counts right at once."""
    Demand = apps.get_model("letters", "Demand")
    Letter = apps.get_model("letters", "Letter")
    StoredAnswer = apps.get_model("compliance", "StoredAnswer")
    JurisdictionFact = apps.get_model("compliance", "JurisdictionFact")
    sources = {
        "condition": Demand.objects.values_list("letter__recipient_id", "condition__code"),
        "program": Letter.objects.values_list("recipient_id", "program__slug"),
        "control": StoredAnswer.objects.values_list("recipient_id", "control"),
    }
    JurisdictionFact.objects.bulk_create(
        (
            JurisdictionFact(jurisdiction_id=jurisdiction, kind=kind, value=value)
            for kind, rows in sources.items()
            for jurisdiction, value in rows.order_by().distinct()
        ),
        batch_size=5000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("compliance", "0001_stored_answers"),
        ("letters", "0010_recipient_oldest_index"),
        ("jurisdictions", "0006_control_periods_reverse_name"),
        ("programs", "0002_award"),
    ]

    operations = [
        migrations.AddField(
            model_name="storedanswer",
            name="recipient",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="jurisdictions.jurisdiction"
            ),
        ),
        migrations.RunPython(fill_recipients, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="storedanswer",
            name="recipient",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="+", to="jurisdictions.jurisdiction"
            ),
        ),
        migrations.CreateModel(
            name="JurisdictionFact",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("condition", "was asked for the condition"),
                            ("program", "got a letter under the program"),
                            ("control", "has this control over a condition it was asked for (stored answers)"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "value",
                    models.CharField(
                        help_text="A condition's code, a program's slug or a control status.", max_length=60
                    ),
                ),
                (
                    "jurisdiction",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="jurisdictions.jurisdiction",
                    ),
                ),
            ],
            options={
                "ordering": ["jurisdiction", "kind", "value"],
                "indexes": [
                    models.Index(fields=["kind", "value", "jurisdiction"], name="jurisdiction_fact_by_value")
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("jurisdiction", "kind", "value"), name="jurisdiction_fact_once"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(kind__in=["condition", "program", "control"]),
                        name="jurisdiction_fact_kind",
                    ),
                ],
            },
        ),
        migrations.RunPython(fill_facts, migrations.RunPython.noop),
    ]
