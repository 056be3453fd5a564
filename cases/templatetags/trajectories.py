"""``{% case_trajectory_panel case as panel %}``: a case's trajectories, for those who may see them.

The case page includes ``trajectories/_case_panel.html`` for every reader of the case; the
panel asks ``cases.selectors.trajectory.case_panel`` what this user may see, so a reader who
may not see trajectories gets nothing rendered at all (not even an empty heading). Showing
trajectories is a read of them: it is logged like the work list (NEN 7513).
"""

from __future__ import annotations

from django import template

from accounts.audit import record_access
from accounts.models import AuditLogEntry

from ..models import Trajectory
from ..selectors.trajectory import CasePanel, case_panel

register = template.Library()


@register.simple_tag(takes_context=True)
def case_trajectory_panel(context, case) -> CasePanel:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or case is None:
        return CasePanel(visible=False)
    panel = case_panel(user=user, case=case)
    if panel.trajectories:
        record_access(
            kind=AuditLogEntry.AccessKind.LIST,
            model=Trajectory,
            object_ids=[t.public_id for t in panel.trajectories],
            actor=user,
            extra={"case": str(case.public_id)},
        )
    return panel
