from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import DemoDataError, load_demo_data


class Command(BaseCommand):
    help = (
        "Create the demo region Zuid-Limburg with its organisations and one user per role. "
        "Idempotent. Refuses to run in production."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            help="Password for all demo users (default: a generated one per new user).",
        )
        parser.add_argument(
            "--extra-user",
            action="append",
            default=[],
            metavar="USERNAME:ROLE:ORGANISATION",
            help="Another demo user, e.g. demo-kerkrade:municipal_officer:Gemeente Kerkrade",
        )
        parser.add_argument(
            "--figures",
            action="store_true",
            help="Also a demo year of signals and follow-up for the dashboard and annual report.",
        )

    def handle(self, *args, password=None, extra_user=(), figures=False, **options):
        if settings.IS_PRODUCTION:
            raise CommandError("demo_data refuses to run with DJANGO_ENV=production.")
        extra = []
        for spec in extra_user:
            parts = spec.split(":", 2)
            if len(parts) != 3 or not all(parts):
                raise CommandError(f"--extra-user '{spec}' is not USERNAME:ROLE:ORGANISATION.")
            extra.append((parts[0], parts[1], parts[2]))
        try:
            logins = load_demo_data(password=password, extra_users=extra, figures=figures)
        except DemoDataError as exc:
            raise CommandError(str(exc)) from None
        except ValidationError as exc:
            raise CommandError("Wachtwoord geweigerd: " + " ".join(exc.messages)) from None
        for login in logins:
            shown = login.password if login.password is not None else "(ongewijzigd)"
            self.stdout.write(f"{login.username:22} {login.role:18} wachtwoord: {shown}")
            self.stdout.write(f"{'':22} TOTP: {login.otpauth_uri}")
