"""The zorgcoördinator's trajectories: phases, placements, reflection period, care meetings."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Organisation

from ..models import Case, CaseEventKind, TrajectoryAccess
from .case import case_event_append


@transaction.atomic
def trajectory_access_grant(
    *, case: Case, organisation: Organisation, reason: str
) -> TrajectoryAccess:
    """Let a ZVH's process director read this case's trajectories (called on acceptance).

    Idempotent: a second grant for the same case and organisation returns the first.
    """
    grant, created = TrajectoryAccess.objects.get_or_create(
        case=case, organisation=organisation, defaults={"reason": reason[:300]}
    )
    if created:
        case_event_append(
            case=case,
            kind=CaseEventKind.TRAJECTORY,
            summary=_("Procesregie van %(org)s kan de zorgtrajecten van deze casus inzien")
            % {"org": organisation.name},
            actor=None,
        )
    return grant
