from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from compliance.stored import deferred
from revisions.models import DataVersion
from seed.loader import DATA_DIR, SeedError, SeedLoader


class Command(BaseCommand):
    help = "Load the curated seed data in seed/data/ (idempotent; all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("--data-dir", default=DATA_DIR, help="Folder holding the seed CSV files.")

    def handle(self, *args, data_dir, **options):
        try:
            with transaction.atomic():
                # Rows are saved one by one; the stored control and answers are rebuilt
                # once at the end (what `recompute_control` runs), in this transaction.
                with deferred(everything=True):
                    report = SeedLoader(data_dir).load()
                if report.written:
                    # Bulk writes skip the signals that usually do this. A reload that
                    # changed nothing leaves the version, and "data as of", alone.
                    DataVersion.bump()
        except SeedError as error:
            raise CommandError(f"Seed data rejected, nothing was loaded: {error}") from None
        except FileNotFoundError as error:
            raise CommandError(f"Seed file missing: {error.filename}") from None
        for filename, count in report.rows.items():
            self.stdout.write(f"{filename}: {count} rows")
        self.stdout.write(self.style.SUCCESS(f"Seed data loaded; {report.written} records written or updated."))
