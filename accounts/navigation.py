"""The navigation: each role sees only the parts of the route it may use.

Items are filtered by the same permissions the views check, so the menu never offers a page
that answers 403. Later parts of the route add their items here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .roles import Role


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    permission: str | None = None
    description: str | Promise = ""

    def visible_to(self, user) -> bool:
        return self.permission is None or user.has_perm(self.permission)

    @property
    def url(self) -> str:
        return reverse(self.url_name)


NAV_ITEMS: list[NavItem] = [
    NavItem(_("Start"), "accounts:home"),
    NavItem(
        _("Signalen"),
        "signals:list",
        "signals.view_signal",
        _("Het register van de regio, of de signalen van uw organisatie en wat ermee gebeurde."),
    ),
    NavItem(
        _("Nieuw signaal"),
        "signals:create",
        "signals.add_signal",
        _("Een signaal vastleggen met betrokken personen, plaatsen en indicatoren."),
    ),
    NavItem(
        _("Screeningstafel"),
        "screening:overview",
        "screening.view_meeting",
        _("Het wekelijkse screeningsoverleg: agenda, inbreng, classificatie en besluit."),
    ),
    NavItem(
        _("Casussen"),
        "cases:list",
        "cases.view_case",
        _("Casussen met regiehouder, acties en notities; uw casussen en uw open acties."),
    ),
    NavItem(
        _("Mijn acties"),
        "cases:my_actions",
        "cases.view_action",
        _("Wat uw organisatie nog moet doen in open casussen, op volgorde van uiterste datum."),
    ),
    NavItem(
        _("Verwijzingen"),
        "referrals:list",
        "referrals.view_referral",
        _("Verwijzingen naar routepartners: wat wacht op uw antwoord en wat loopt."),
    ),
    NavItem(
        _("Zorgtrajecten"),
        "trajectories:list",
        "cases.manage_trajectory",
        _("Zorgtrajecten van slachtoffers per fase, opvangplaatsingen en opvangcapaciteit."),
    ),
    NavItem(
        _("Cijfers"),
        "reporting:dashboard",
        "reporting.view_dashboard",
        _("Dashboard, CoMensha-cijfers en het jaarverslag, zonder persoonsgegevens."),
    ),
    NavItem(
        _("Auditlog"),
        "accounts:audit_log",
        "accounts.view_auditlogentry",
        _("Wie heeft welke gegevens ingezien of gewijzigd."),
    ),
    NavItem(
        _("Privacyverzoeken"),
        "privacy:search",
        "accounts.handle_subject_requests",
        _("Inzage- en wisverzoeken van betrokkenen, en het bewijs van anonimisering."),
    ),
    NavItem(
        _("Beheer"),
        "admin:index",
        "accounts.change_user",
        _("Organisaties, gebruikers, rollen en API-tokens."),
    ),
]

ROLE_INTRO: dict[Role, str | Promise] = {
    Role.MUNICIPAL_OFFICER: _(
        "Leg signalen van collega's vast en volg wat er met uw doorgestuurde signalen gebeurt."
    ),
    Role.VT_STAFF: _(
        "Het centrale register: nieuwe signalen registreren en de wekelijkse screeningstafel voorbereiden."
    ),
    Role.VT_OFFICER: _("Definitieve classificaties vaststellen en het register bewaken."),
    Role.AVIM: _("Eigen signalen inbrengen en de screeningstafel volgen."),
    Role.CARE_COORDINATOR: _("Signalen inbrengen en zorgtrajecten van slachtoffers coördineren."),
    Role.PROCESS_DIRECTOR: _(
        "Procesregie op complexe casussen die naar het Zorg- en Veiligheidshuis zijn verwezen."
    ),
    Role.CHAIN_DIRECTOR: _("Regionale cijfers en trends, zonder persoonsgegevens."),
    Role.POLICY_ANALYST: _(
        "Cijfers voor monitoring en de jaarlijkse evaluatie, zonder persoonsgegevens."
    ),
    Role.PRIVACY_OFFICER: _("Toezicht op inzage en wijzigingen via het auditlog."),
    Role.ADMINISTRATOR: _("Organisaties, gebruikers en referentielijsten beheren."),
}


def items_for(user) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    return [item for item in NAV_ITEMS if item.visible_to(user)]
