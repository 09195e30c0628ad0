from django.core.management.base import BaseCommand, CommandError

from dashboard import datafiles


class Command(BaseCommand):
    help = (
        "Build the data downloads of /data/ (the zip and the SQLite file) for the current data version. "
        "At national scale they take over a minute, too long to build while a reader waits: run this daily "
        "and after imports."
    )

    def handle(self, *args, **options):
        for kind in datafiles.BUILDERS:
            path = datafiles.build(kind)
            if path is None:
                path = datafiles.build(kind)  # the data changed during the build: once more
            if path is None:
                raise CommandError(f"The data kept changing while the {kind} file was built; run this again.")
            self.stdout.write(f"Built {path}.")
