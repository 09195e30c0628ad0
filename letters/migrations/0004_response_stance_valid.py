from django.db import migrations, models


class Migration(migrations.Migration):
    """The new stance check, in its own migration (and transaction) after the data
    step of 0003 has renamed every stored stance."""

    dependencies = [
        ("letters", "0003_response_v2_stances_sourcing"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="response",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "stance__in",
                        [
                            "certified_compliance",
                            "complied",
                            "disputed",
                            "refused",
                            "sued",
                            "no_response_found",
                            "cleared_by_doj",
                        ],
                    )
                ),
                name="response_stance_valid",
            ),
        ),
    ]
