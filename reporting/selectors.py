"""Read queries of reporting's own records, limited to the user's region.

The figures themselves come from ``reporting.figures`` (the dashboard, API and PDF) and
``reporting.comensha``. A record of another region answers 404, the same as one that does
not exist (SECURITY.md "Access").
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import Organisation, User

from .models import AnnualReport, AwarenessSession, ImplementationAction
from .periods import Scope
from .workflow import ActionStatus, ReportStatus


def _region_id(user: User) -> int:
    return user.organisation.region_id


def annual_report_list(*, user: User, scope: Scope | None = None, year: int | None = None):
    qs = AnnualReport.objects.filter(region_id=_region_id(user)).select_related(
        "municipality", "generated_by", "region"
    )
    if year is not None:
        qs = qs.filter(year=year)
    if scope is not None:
        qs = qs.filter(scope_key=scope.key)
    return qs.order_by("-created_at", "-pk")


def annual_report_get(*, user: User, public_id) -> AnnualReport:
    report = (
        AnnualReport.objects.filter(region_id=_region_id(user), public_id=public_id)
        .select_related("municipality", "generated_by", "region")
        .first()
    )
    if report is None:
        raise Http404
    return report


def annual_report_file_get(*, user: User, public_id) -> AnnualReport:
    report = annual_report_get(user=user, public_id=public_id)
    if report.status != ReportStatus.DONE or not report.file:
        raise Http404
    return report


def implementation_actions(*, user: User) -> QuerySet[ImplementationAction]:
    return ImplementationAction.objects.filter(region_id=_region_id(user)).select_related(
        "owner_organisation"
    )


def implementation_action_get(*, user: User, public_id) -> ImplementationAction:
    action = implementation_actions(user=user).filter(public_id=public_id).first()
    if action is None:
        raise Http404
    return action


def actions_for_year(*, region, year: int) -> QuerySet[ImplementationAction]:
    """The actions the evaluation of ``year`` looks at: due in that year, or due earlier and
    still open at its end, or finished in it."""
    return (
        ImplementationAction.objects.filter(region=region)
        .filter(
            Q(due_date__year=year)
            | Q(due_date__lt=date(year, 1, 1))
            & ~Q(status__in=[ActionStatus.DONE, ActionStatus.CANCELLED])
            | Q(completed_on__year=year)
        )
        .select_related("owner_organisation")
        .order_by("due_date", "title", "pk")
    )


def awareness_sessions(*, user: User) -> QuerySet[AwarenessSession]:
    return AwarenessSession.objects.filter(region_id=_region_id(user)).select_related(
        "municipality", "organised_by"
    )


def awareness_session_get(*, user: User, public_id) -> AwarenessSession:
    session = awareness_sessions(user=user).filter(public_id=public_id).first()
    if session is None:
        raise Http404
    return session


def sessions_for_year(*, scope: Scope, year: int) -> QuerySet[AwarenessSession]:
    """A year's sessions in the scope: in the municipality (or region-wide ones) if chosen."""
    qs = AwarenessSession.objects.filter(region=scope.region, held_on__year=year)
    if scope.municipality is not None:
        qs = qs.filter(Q(municipality=scope.municipality) | Q(municipality__isnull=True))
    return qs.select_related("municipality", "organised_by").order_by("held_on", "pk")


def region_organisations(user: User) -> QuerySet[Organisation]:
    return Organisation.objects.filter(region_id=_region_id(user), is_active=True).order_by("name")
