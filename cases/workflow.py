"""The life cycles of a case and of a care trajectory (DESIGN.md "Life cycles").

A case is open until the lead organisation closes it with a reason; it can be reopened with a
reason. A trajectory moves forward through its phases (registration → intake → support →
aftercare → closed); the zorgcoördinator may step back one phase when a victim needs it (e.g.
from aftercare back to support), never out of ``closed``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Gesloten")


CASE_TRANSITIONS: dict[CaseStatus, frozenset[CaseStatus]] = {
    CaseStatus.OPEN: frozenset({CaseStatus.CLOSED}),
    CaseStatus.CLOSED: frozenset({CaseStatus.OPEN}),
}


class Phase(models.TextChoices):
    REGISTRATION = "registration", _("Aanmelding")
    INTAKE = "intake", _("Intake")
    SUPPORT = "support", _("Begeleiding")
    AFTERCARE = "aftercare", _("Nazorg")
    CLOSED = "closed", _("Afgesloten")


PHASE_ORDER: list[str] = [p.value for p in Phase]

PHASE_TRANSITIONS: dict[Phase, frozenset[Phase]] = {
    Phase.REGISTRATION: frozenset({Phase.INTAKE, Phase.CLOSED}),
    Phase.INTAKE: frozenset({Phase.SUPPORT, Phase.REGISTRATION, Phase.CLOSED}),
    Phase.SUPPORT: frozenset({Phase.AFTERCARE, Phase.INTAKE, Phase.CLOSED}),
    Phase.AFTERCARE: frozenset({Phase.CLOSED, Phase.SUPPORT}),
    Phase.CLOSED: frozenset(),
}
