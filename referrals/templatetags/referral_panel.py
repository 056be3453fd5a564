"""The referrals of a case, for the panel the case page includes (``referrals/_case_panel.html``).

The case page belongs to the cases app, which may not import referrals (dependencies point
one way); it includes the panel, and the panel reads its rows through this tag, from the
referrals' own selector. The rows shown are logged as one list read (NEN 7513).
"""

from __future__ import annotations

from django import template

from accounts.audit import record_list
from cases.workflow import CaseStatus

from ..models import Referral
from ..selectors import case_referrals

register = template.Library()


@register.simple_tag(takes_context=True)
def referrals_of_case(context, case) -> list[Referral]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    rows = list(case_referrals(user=user, case=case))
    if rows:
        record_list(model=Referral, rows=rows, actor=user, extra={"case": str(case.public_id)})
    return rows


@register.simple_tag(takes_context=True)
def may_refer(context, case) -> bool:
    """Veilig Thuis prepares referrals of an open case of its region."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return bool(
        user is not None
        and user.is_authenticated
        and user.has_perm("referrals.send_referral")
        and user.organisation.region_id == case.region_id
        and case.status == CaseStatus.OPEN
    )
