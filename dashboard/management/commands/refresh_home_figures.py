from django.core.management.base import BaseCommand

from dashboard import stored


class Command(BaseCommand):
    help = (
        "Compute and store the home page's figures if they are missing or have expired (a deadline passed, "
        "a control period began or ended). Run it daily after `recompute_control --stale`, so that the "
        "first reader of the day does not pay for the recompute."
    )

    def handle(self, *args, **options):
        if stored.refresh():
            self.stdout.write("Home page figures computed and stored.")
        else:
            self.stdout.write("Home page figures were current.")
