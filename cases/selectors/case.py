"""Who sees which case (DESIGN.md "Who sees what").

- Veilig Thuis (staff and officers) sees every case of its region: it keeps the register.
- The lead organisation ("regiehouder") sees the cases it leads.
- An organisation that owns an action sees that action in its work list, not the case.
- Everybody else sees none: another organisation's case answers 404.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import User
from accounts.roles import Role

from ..models import Case, Consent

REGISTER_ROLES = frozenset({Role.VT_STAFF, Role.VT_OFFICER})


def case_visibility_filter(user: User) -> Q:
    if not user.is_authenticated or not user.is_active or not user.has_perm("cases.view_case"):
        return Q(pk__in=[])
    region = Q(region_id=user.organisation.region_id)
    if user.role in REGISTER_ROLES:
        return region
    return region & Q(lead_organisation_id=user.organisation_id)


def cases_visible_to(user: User) -> QuerySet[Case]:
    return Case.objects.filter(case_visibility_filter(user))


def case_get(*, user: User, public_id) -> Case:
    case = (
        cases_visible_to(user)
        .select_related("lead_organisation", "region", "opened_by")
        .filter(public_id=public_id)
        .first()
    )
    if case is None:
        raise Http404
    return case


def valid_consent(*, person, day):
    """The person's consent valid on ``day`` (given, not withdrawn), newest first, or None."""
    return (
        Consent.objects.filter(person=person, given_on__lte=day)
        .filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day))
        .order_by("-given_on", "-pk")
        .first()
    )
