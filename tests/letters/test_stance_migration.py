import datetime

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TransactionTestCase

BEFORE = [("letters", "0002_date_indexes"), ("jurisdictions", "0003_booking_validity_local_jails")]
AFTER = [("letters", "0004_response_stance_valid")]


class StanceRenameMigrationTests(TransactionTestCase):
    """letters 0003 maps every v1 stance to its v2 value, history rows included."""

    def migrate(self, targets):
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(targets)
        return executor.loader.project_state(targets).apps

    def tearDown(self):
        self.migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    def test_old_stances_become_the_new_ones(self):
        apps = self.migrate(BEFORE)
        Jurisdiction = apps.get_model("jurisdictions", "Jurisdiction")
        Program = apps.get_model("programs", "Program")
        Letter = apps.get_model("letters", "Letter")
        Response = apps.get_model("letters", "Response")
        HistoricalResponse = apps.get_model("letters", "HistoricalResponse")
        city = Jurisdiction.objects.create(name="City of Stockton", slug="stockton", kind="city", state="CA")
        program = Program.objects.create(name="PSP program", short_name="PSP", slug="psp", kind="grant")
        letter = Letter.objects.create(recipient=city, program=program, addressee="Police chief")
        day = datetime.date(2017, 8, 17)
        old = ["complies", "disputes", "refuses", "sues", "partial", "other"]
        for stance in old:
            response = Response.objects.create(letter=letter, responded_on=day, responder=stance, stance=stance)
            HistoricalResponse.objects.create(
                id=response.pk, letter_id=letter.pk, responded_on=day, responder=stance, stance=stance,
                summary="", history_date=datetime.datetime(2017, 8, 17, tzinfo=datetime.UTC), history_type="+",
            )  # fmt: skip

        apps = self.migrate(AFTER)
        expected = {
            "complies": "certified_compliance",
            "disputes": "disputed",
            "refuses": "refused",
            "sues": "sued",
            "partial": "complied",
            "other": "disputed",
        }
        for model in ("Response", "HistoricalResponse"):
            stances = dict(apps.get_model("letters", model).objects.values_list("responder", "stance"))
            self.assertEqual(stances, expected, model)
