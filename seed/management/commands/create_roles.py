from django.core.management.base import BaseCommand

from seed.roles import create_roles


class Command(BaseCommand):
    help = "Create or refresh the Editor and Data manager groups and their permissions."

    def handle(self, *args, **options):
        for name, count in create_roles().items():
            self.stdout.write(f"{name}: {count} permissions")
