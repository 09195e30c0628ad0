from django.core.management.base import BaseCommand
from django.db import transaction

from compliance.stored import recompute_everything, refresh_stale
from revisions.models import DataVersion


class Command(BaseCommand):
    help = (
        "Rebuild the stored control periods, answers, letter facts and jurisdiction facts from the rules "
        "(recovery; load_seed does it too). "
        "With --stale, only re-answer undated letters whose stored answer has expired (run it daily)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--stale", action="store_true", help="Only refresh expired answers of undated letters.")

    def handle(self, *args, stale, **options):
        with transaction.atomic():
            if stale:
                count = refresh_stale()
                self.stdout.write(f"{count} undated letters re-answered.")
            else:
                periods, answers = recompute_everything()
                self.stdout.write(f"{periods} control periods and {answers} answers stored.")
            DataVersion.bump()
