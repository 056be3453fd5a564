"""Read queries of the screening table, limited to what the user may see.

VT staff and officers, AVIM and the care coordinator see the meetings of their region;
a guest organisation sees only the items it was invited to; municipal officers and the
other roles see no meetings (they see the outcome on their own signals' timelines).
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from cases.models import Case
from cases.selectors import case as case_selectors

from .models import AgendaItem, Meeting, PartnerInput, RouteDecision
from .workflow import ItemOutcome, ItemState, MeetingStatus

TABLE_ROLES = frozenset({Role.VT_STAFF, Role.VT_OFFICER, Role.AVIM, Role.CARE_COORDINATOR})
# Items carried over more often than this are highlighted in the overview.
CARRY_OVER_ALERT = 2


def _visible_meetings(user: User) -> QuerySet[Meeting]:
    region = Meeting.objects.filter(region_id=user.organisation.region_id)
    if user.role in TABLE_ROLES:
        return region
    if user.role == Role.MUNICIPAL_OFFICER:
        return Meeting.objects.none()
    # A guest organisation sees the meetings it was invited to (and there only its items).
    return region.filter(
        pk__in=AgendaItem.objects.filter(guest_organisation_id=user.organisation_id).values(
            "meeting_id"
        )
    )


def _item_count(condition: Q) -> Coalesce:
    """Items of the meeting that meet ``condition``, as a subquery per meeting.

    A subquery rather than a join and GROUP BY: with ``[:26]`` PostgreSQL counts the items
    of the 26 meetings shown only, where the join aggregated every meeting of the region
    first (10 ms at 500 meetings, growing by 52 a year).
    """
    items = (
        AgendaItem.objects.filter(condition, meeting=OuterRef("pk"))
        .order_by()
        .values("meeting")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(items, output_field=IntegerField()), 0)


def meeting_list(*, user: User) -> QuerySet[Meeting]:
    return (
        _visible_meetings(user)
        .annotate(
            item_count=_item_count(Q(state=ItemState.ACCEPTED)),
            decided_count=_item_count(Q(outcome=ItemOutcome.DECIDED)),
            carried_count=_item_count(Q(outcome=ItemOutcome.CARRIED_OVER)),
            long_carried_count=_item_count(Q(times_carried_over__gt=CARRY_OVER_ALERT)),
        )
        .order_by("-scheduled_for")
    )


def meeting_upcoming(*, user: User) -> Meeting | None:
    return (
        meeting_list(user=user)
        .filter(
            status__in=[
                MeetingStatus.PLANNED,
                MeetingStatus.AGENDA_CLOSED,
                MeetingStatus.IN_SESSION,
            ]
        )
        .filter(scheduled_for__gte=timezone.now() - timedelta(hours=12))
        .order_by("scheduled_for")
        .first()
    )


def meeting_get(*, user: User, public_id) -> Meeting:
    meeting = meeting_list(user=user).filter(public_id=public_id).first()
    if meeting is None:
        raise Http404
    return meeting


def meeting_items(*, user: User, meeting: Meeting) -> QuerySet[AgendaItem]:
    """The agenda with everything meeting mode shows, in a constant number of queries."""
    items = meeting.items.all()
    if user.role not in TABLE_ROLES:
        items = items.filter(guest_organisation_id=user.organisation_id)
    return (
        items.select_related(
            "signal",
            "signal__municipality",
            "presenter",
            "guest_organisation",
            "follow_up_owner",
        )
        .prefetch_related(
            "signal__exploitation_forms",
            Prefetch(
                "inputs", queryset=PartnerInput.objects.select_related("organisation", "author")
            ),
            "decisions",
        )
        .order_by("position", "pk")
    )


def item_get(*, user: User, meeting: Meeting, public_id) -> AgendaItem:
    item = meeting_items(user=user, meeting=meeting).filter(public_id=public_id).first()
    if item is None:
        raise Http404
    return item


def handed_off_cases(*, user: User, meeting: Meeting) -> dict[int, list[Case]]:
    """Per agenda item (by pk), the cases the hand-off opened or joined, that the user may see.

    One query for the whole agenda, through the cases' own visibility filter: Veilig Thuis
    sees every case of the region, a lead organisation only the cases it leads, the other
    table members none (a case reference they may not open is not shown at all).
    """
    if meeting.status != MeetingStatus.CONCLUDED:
        return {}
    rows = (
        case_selectors.cases_visible_to(user)
        .filter(route_decisions__item__meeting=meeting)
        .annotate(item_pk=F("route_decisions__item_id"))
        .only("public_id", "reference")
        .order_by("reference")
        # An item with two routes to the same case lists it once.
        .distinct()
    )
    cases: dict[int, list[Case]] = {}
    for case in rows:
        cases.setdefault(case.item_pk, []).append(case)
    return cases


def decisions_to_route(*, user: User) -> QuerySet[RouteDecision]:
    """Route decisions of concluded meetings not yet taken over by a case or referral."""
    if user.role not in (Role.VT_STAFF, Role.VT_OFFICER):
        return RouteDecision.objects.none()
    return (
        RouteDecision.objects.filter(
            item__meeting__region_id=user.organisation.region_id,
            item__meeting__status=MeetingStatus.CONCLUDED,
            handed_off_at__isnull=True,
        )
        .exclude(route="none")
        .select_related("item__signal", "item__meeting", "item__follow_up_owner")
        .order_by("item__meeting__scheduled_for", "item__position")
    )
