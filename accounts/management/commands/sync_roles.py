from django.core.management.base import BaseCommand

from accounts.rolesync import sync_roles


class Command(BaseCommand):
    help = "Create or update one group per role with the permissions defined in accounts/roles.py."

    def handle(self, *args, **options):
        for role, count in sync_roles().items():
            self.stdout.write(f"{role}: {count} permissions")
