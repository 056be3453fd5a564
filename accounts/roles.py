"""Roles and what each may do: the one declarative map (STYLE.md rule 5).

Every user has exactly one role. ``sync_roles`` turns this map into one auth group per role
with exactly these model permissions; views, viewsets, navigation and the permission-matrix
test all read from here. Object scoping (which records) lives in the ``visible_to``
querysets of each app; this map only says which kinds of work a role may do at all.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MUNICIPAL_OFFICER = "municipal_officer", _("Aandachtsfunctionaris gemeente")
    VT_STAFF = "vt_staff", _("Medewerker Veilig Thuis")
    VT_OFFICER = "vt_officer", _("Aandachtsfunctionaris Veilig Thuis")
    AVIM = "avim", _("AVIM (politie)")
    CARE_COORDINATOR = "care_coordinator", _("Zorgcoördinator mensenhandel")
    PROCESS_DIRECTOR = "process_director", _("Procesregisseur ZVH")
    CHAIN_DIRECTOR = "chain_director", _("Ketenregisseur RIEC")
    POLICY_ANALYST = "policy_analyst", _("Beleidsmedewerker")
    PRIVACY_OFFICER = "privacy_officer", _("Functionaris gegevensbescherming")
    ADMINISTRATOR = "administrator", _("Functioneel beheerder")


# Permissions are "app_label.codename". sync_roles refuses a name that does not exist, so a
# typo here fails loudly instead of silently granting nothing.
_USER_ADMIN = frozenset(
    {
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "accounts.view_organisation",
        "accounts.add_organisation",
        "accounts.change_organisation",
        "accounts.view_region",
        "accounts.add_region",
        "accounts.change_region",
        "accounts.manage_api_tokens",
        "knox.view_authtoken",
        "knox.delete_authtoken",
    }
)

ROLE_PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.MUNICIPAL_OFFICER: frozenset(),
    Role.VT_STAFF: frozenset(),
    Role.VT_OFFICER: frozenset(),
    Role.AVIM: frozenset(),
    Role.CARE_COORDINATOR: frozenset(),
    Role.PROCESS_DIRECTOR: frozenset(),
    Role.CHAIN_DIRECTOR: frozenset(),
    Role.POLICY_ANALYST: frozenset(),
    Role.PRIVACY_OFFICER: frozenset({"accounts.view_auditlogentry"}),
    Role.ADMINISTRATOR: _USER_ADMIN,
}

# Roles that use the Django admin (functional management). Nobody is a superuser.
STAFF_ROLES = frozenset({Role.ADMINISTRATOR})


def group_name(role: Role | str) -> str:
    return f"role:{Role(role).value}"
