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

# Follow-up: VT opens cases and sends referrals; a lead organisation works its cases; a
# receiving organisation answers referrals. Which cases and referrals: cases/referrals selectors.
_CASE_LEAD = frozenset(
    {
        "cases.view_case",
        "cases.lead_case",
        "cases.view_action",
        "cases.change_action",
        "referrals.view_referral",
        "referrals.answer_referral",
    }
)
_CASE_REGISTER = _CASE_LEAD | {
    "cases.open_case",
    "cases.change_case",
    "cases.add_consent",
    "cases.view_consent",
    "referrals.send_referral",
}
# The zorgcoördinator's shielded trajectories; a process director reads only those of a case
# referred to its ZVH (cases.selectors).
_TRAJECTORIES = frozenset({"cases.view_trajectory", "cases.manage_trajectory"})

# Reporting (docs/reporting.md): the dashboard (a municipal officer for its own municipality
# only), the aggregated CoMensha export and the annual PDF; the per-victim CoMensha list and
# tracker for Veilig Thuis only; the implementation plan kept by the VT officer and the analyst.
_FIGURES = frozenset({"reporting.view_dashboard"})
_EVALUATION = _FIGURES | {
    "reporting.export_comensha",
    "reporting.generate_annual_report",
    "reporting.view_implementationaction",
    "reporting.view_awarenesssession",
}
_COMENSHA_TRACKER = frozenset({"reporting.view_comensha_tracker"})
_PLAN = frozenset({"reporting.manage_implementation_plan"})

ROLE_PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.MUNICIPAL_OFFICER: _SIGNAL_INTAKE | _CASE_LEAD | _FIGURES,
    Role.VT_STAFF: _SIGNAL_REGISTER
    | _TABLE_CHAIR
    | _CASE_REGISTER
    | _EVALUATION
    | _COMENSHA_TRACKER,
    Role.VT_OFFICER: _SIGNAL_REGISTER
    | _TABLE_CHAIR
    | _CASE_REGISTER
    | _EVALUATION
    | _COMENSHA_TRACKER
    | _PLAN,
    Role.AVIM: _SIGNAL_PARTNER
    | {"signals.record_acute_consultation"}
    | _TABLE_PARTNER
    | _CASE_LEAD,
    Role.CARE_COORDINATOR: _SIGNAL_PARTNER
    | _TABLE_PARTNER
    | _CASE_LEAD
    | _TRAJECTORIES
    | {"cases.add_consent", "cases.view_consent"},
    Role.PROCESS_DIRECTOR: _CASE_LEAD | {"cases.view_trajectory"},
    Role.CHAIN_DIRECTOR: _EVALUATION,
    Role.POLICY_ANALYST: _EVALUATION | _PLAN,
    Role.PRIVACY_OFFICER: frozenset(
        {
            "accounts.view_auditlogentry",
            "accounts.view_tombstone",
            "accounts.handle_subject_requests",
        }
    ),
    Role.ADMINISTRATOR: _USER_ADMIN,
}

# Roles that use the Django admin (functional management). Nobody is a superuser.
STAFF_ROLES = frozenset({Role.ADMINISTRATOR})


def group_name(role: Role | str) -> str:
    return f"role:{Role(role).value}"
