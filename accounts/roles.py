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
        # Reference lists (the indicator checklist), not case content.
        "signals.view_indicator",
        "signals.add_indicator",
        "signals.change_indicator",
    }
)

# Logging signals: who may take in a signal at all (which ones they see is signals.selectors).
_SIGNAL_INTAKE = frozenset({"signals.add_signal", "signals.view_signal", "signals.change_signal"})
_SIGNAL_PARTNER = _SIGNAL_INTAKE | {"signals.add_note", "signals.view_person"}
_SIGNAL_REGISTER = _SIGNAL_PARTNER | {
    "signals.view_register",
    "signals.register_signal",
    "signals.record_acute_consultation",
    "signals.view_person_matches",
}

# The screening table: VT prepares and concludes; AVIM and the care coordinator contribute.
_TABLE_PARTNER = frozenset({"screening.view_meeting", "screening.contribute_to_meeting"})
_TABLE_CHAIR = _TABLE_PARTNER | {"screening.manage_agenda", "screening.conclude_meeting"}

ROLE_PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.MUNICIPAL_OFFICER: _SIGNAL_INTAKE,
    Role.VT_STAFF: _SIGNAL_REGISTER | _TABLE_CHAIR,
    Role.VT_OFFICER: _SIGNAL_REGISTER | _TABLE_CHAIR,
    Role.AVIM: _SIGNAL_PARTNER | {"signals.record_acute_consultation"} | _TABLE_PARTNER,
    Role.CARE_COORDINATOR: _SIGNAL_PARTNER | _TABLE_PARTNER,
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
