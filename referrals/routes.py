"""The routes a screening decision or acute consultation can send a signal on (DOMAIN.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Route(models.TextChoices):
    PRESENTER_FOLLOWS_UP = "presenter", _("Inbrenger pakt op")
    ZVH_WEIGHING = "zvh_weighing", _("Regionale weegploeg ZVH → procesregie")
    ADMINISTRATIVE = "administrative", _("Lokale bestuurlijke aanpak")
    CARE_STRUCTURE = "care_structure", _("Lokale of regionale zorgstructuur")
    SAFETY_PGA_TOPX = "safety_pga_topx", _("Veiligheid: PGA / Top-X")
    CARE_COORDINATOR = "care_coordinator", _("Traject zorgcoördinator")
    POLICE_OM = "police_om", _("Politie / OM")
    LABOUR_INSPECTORATE = "labour_inspectorate", _("Nederlandse Arbeidsinspectie")
    COMENSHA = "comensha", _("CoMensha (opvangcoördinatie)")
    NO_FURTHER_ACTION = "none", _("Geen verdere actie")
