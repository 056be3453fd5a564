from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.services import api_token_issue


class Command(BaseCommand):
    help = "Issue an API token for an integration user. The key is printed once; only its hash is kept."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Unknown user: {username}")
        if not user.is_active:
            raise CommandError(f"User {username} is deactivated; no token issued.")
        _, key = api_token_issue(user=user)
        self.stdout.write(key)
