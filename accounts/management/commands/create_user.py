"""Create a user from the command line, e.g. the first administrator of a fresh installation.

Nobody is a superuser (a database constraint refuses it), so ``createsuperuser`` cannot
start an installation. This command creates an ordinary user with one role and one
organisation; the password is asked for twice (never an argument, so it stays out of shell
history and process lists) and checked by the password validators. The user enrols an
authenticator (TOTP) at the first login.

On a fresh installation there is no organisation yet: ``--create-organisation KIND`` with
``--region CODE`` (and ``--region-name`` for a new region) creates it in the same step. Every
other organisation is then created by the administrator in the admin.
"""

from __future__ import annotations

from getpass import getpass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.audit import acting_as
from accounts.models import Organisation, Region, User
from accounts.roles import Role

PASSWORD_ATTEMPTS = 3


class Command(BaseCommand):
    help = (
        "Create a user with one role in one organisation (e.g. the first administrator). "
        "Prompts for the password."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument(
            "--organisation", required=True, help="Name of the organisation, exactly as stored."
        )
        parser.add_argument("--role", required=True, help=f"One of: {', '.join(Role.values)}.")
        parser.add_argument("--email", required=True)
        parser.add_argument(
            "--region", help="Region code, when organisations in two regions share the name."
        )
        parser.add_argument(
            "--create-organisation",
            metavar="KIND",
            help="Create the organisation (in --region) if it does not exist yet. "
            f"KIND is one of: {', '.join(Organisation.Kind.values)}.",
        )
        parser.add_argument(
            "--region-name", help="With --create-organisation: create the region if it is new."
        )
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")

    def handle(self, *args, **options):
        username = options["username"].strip()
        role = self._role(options["role"])
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(f"A user named '{username}' already exists.")
        if options["create_organisation"]:
            organisation = self._new_organisation(
                options["organisation"],
                options["create_organisation"],
                options["region"],
                options["region_name"],
            )
        else:
            organisation = self._organisation(options["organisation"], options["region"])

        user = User(
            username=username,
            email=options["email"].strip(),
            first_name=options["first_name"],
            last_name=options["last_name"],
            organisation=organisation,
            role=role,
        )
        try:
            # Validate everything but the password first, so a typo costs no password entry.
            # A new organisation is validated on its own and saved together with the user.
            new_organisation = organisation._state.adding
            user.full_clean(
                exclude=["password", "organisation"] if new_organisation else ["password"]
            )
        except ValidationError as exc:
            raise CommandError(_messages(exc)) from None
        user.set_password(self._password(user))

        # Attributed to no user: the audit entries' path says where the change came from.
        with acting_as(None, path="manage.py create_user"), transaction.atomic():
            if organisation.region._state.adding:
                organisation.region.save()
            if organisation._state.adding:
                organisation.save()
            user.save()  # the post_save receiver puts the user in its role's group
        self.stdout.write(
            f"Created user '{user.username}' ({role.label}) in {organisation.name}. "
            "An authenticator app is set up at the first login."
        )

    def _role(self, value: str) -> Role:
        if value not in Role.values:
            raise CommandError(f"Unknown role '{value}'. Choose one of: {', '.join(Role.values)}.")
        return Role(value)

    def _organisation(self, name: str, region_code: str | None) -> Organisation:
        candidates = Organisation.objects.filter(name=name).select_related("region")
        if region_code:
            candidates = candidates.filter(region__code=region_code)
        found = list(candidates)
        if not found:
            known = Organisation.objects.order_by("name").values_list("name", flat=True)
            hint = (
                f"Known organisations: {', '.join(known)}."
                if known
                else "There are no organisations yet: create the first one with "
                "--create-organisation KIND --region CODE --region-name NAME."
            )
            where = f" in region '{region_code}'" if region_code else ""
            raise CommandError(f"Unknown organisation '{name}'{where}. {hint}")
        if len(found) > 1:
            codes = ", ".join(sorted(o.region.code for o in found))
            raise CommandError(
                f"Organisation '{name}' exists in more than one region ({codes}); "
                "choose one with --region."
            )
        organisation = found[0]
        if not organisation.is_active:
            raise CommandError(f"Organisation '{name}' is not active.")
        return organisation

    def _new_organisation(
        self, name: str, kind: str, region_code: str | None, region_name: str | None
    ) -> Organisation:
        """An unsaved organisation (and region, if new), validated; saved with the user."""
        if kind not in Organisation.Kind.values:
            raise CommandError(
                f"Unknown organisation kind '{kind}'. "
                f"Choose one of: {', '.join(Organisation.Kind.values)}."
            )
        if not region_code:
            raise CommandError("--create-organisation needs --region CODE.")
        region = Region.objects.filter(code=region_code).first()
        if region is None:
            if not region_name:
                raise CommandError(
                    f"Region '{region_code}' does not exist; give --region-name to create it."
                )
            region = Region(name=region_name, code=region_code)
            try:
                region.full_clean()
            except ValidationError as exc:
                raise CommandError(_messages(exc)) from None
        elif Organisation.objects.filter(region=region, name=name).exists():
            raise CommandError(
                f"Organisation '{name}' already exists in region '{region_code}'; "
                "leave out --create-organisation."
            )
        organisation = Organisation(region=region, name=name, kind=kind)
        try:
            # The region may not be saved yet: its uniqueness was checked above.
            organisation.full_clean(exclude=["region"] if region._state.adding else None)
        except ValidationError as exc:
            raise CommandError(_messages(exc)) from None
        return organisation

    def _password(self, user: User) -> str:
        for _attempt in range(PASSWORD_ATTEMPTS):
            password = getpass("Password: ")
            if password != getpass("Password (again): "):
                self.stderr.write("The passwords do not match.")
                continue
            try:
                validate_password(password, user)
            except ValidationError as exc:
                self.stderr.write(_messages(exc))
                continue
            return password
        raise CommandError("No acceptable password given; no user created.")


def _messages(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)
