"""The pages and API endpoints both benchmarks measure: the one list to extend.

``run.py`` (in process, one request at a time) and ``load.py`` (gunicorn under concurrent
users) read ``ENDPOINTS``; each entry names the role whose user requests it and builds its
path from the objects of that user's region (``Objects``). A new app adds its list, work
list and detail pages here (and, if a detail page needs an object, a field to ``Objects``
filled in ``objects_for``); both benchmarks and docs/performance.md then include it.

The first entry is the bare authenticated endpoint every median is compared with.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role


@dataclass(frozen=True)
class Objects:
    """Objects of one region that detail pages point at."""

    region_code: str
    signal: str  # public id of a screened signal
    meeting: str  # public id of the latest meeting


@dataclass(frozen=True)
class Endpoint:
    name: str
    role: Role
    path: Callable[[Objects], str]
    # Relative share of the requests in the load run (a persona picks by weight).
    weight: int = 1


def _list(query: str = "") -> Callable[[Objects], str]:
    return lambda o: reverse("signals:list") + query


def _api_list(query: str = "") -> Callable[[Objects], str]:
    return lambda o: reverse("api:signal-list") + query


def _last_year(url_name: str) -> Callable[[Objects], str]:
    """The region's figures of last year, the latest whole year (about 2,500 signals at 100,000)."""
    return lambda o: reverse(url_name) + f"?year={timezone.localdate().year - 1}"


BARE = "bare authenticated (API /me)"

ENDPOINTS: list[Endpoint] = [
    Endpoint(BARE, Role.VT_STAFF, lambda o: reverse("api:me"), weight=2),
    Endpoint("register, first page", Role.VT_STAFF, _list(), weight=3),
    Endpoint(
        "register, filtered (registered, labour)",
        Role.VT_STAFF,
        _list("?status=registered&form=labour"),
        weight=2,
    ),
    Endpoint("register, name search 'muller'", Role.VT_STAFF, _list("?q=muller"), weight=2),
    Endpoint(
        "signal detail",
        Role.VT_OFFICER,
        lambda o: reverse("signals:detail", args=[o.signal]),
        weight=3,
    ),
    Endpoint("own signals (municipal officer)", Role.MUNICIPAL_OFFICER, _list(), weight=2),
    Endpoint("screening overview", Role.AVIM, lambda o: reverse("screening:overview")),
    Endpoint("meeting page", Role.AVIM, lambda o: reverse("screening:detail", args=[o.meeting])),
    Endpoint("API signals list", Role.VT_STAFF, _api_list(), weight=2),
    Endpoint("API signals search 'muller'", Role.VT_STAFF, _api_list("?q=muller")),
    # The follow-up's work lists (issue: each under 150 ms median, constant queries).
    Endpoint("case register (VT)", Role.VT_STAFF, lambda o: reverse("cases:list")),
    Endpoint("my cases (ZVH lead)", Role.PROCESS_DIRECTOR, lambda o: reverse("cases:mine")),
    Endpoint("my open actions", Role.AVIM, lambda o: reverse("cases:my_actions")),
    Endpoint(
        "referrals waiting for my answer",
        Role.PROCESS_DIRECTOR,
        lambda o: reverse("referrals:list"),
    ),
    Endpoint(
        "referrals sent (VT)", Role.VT_STAFF, lambda o: reverse("referrals:list") + "?tab=sent"
    ),
    Endpoint(
        "trajectories by phase", Role.CARE_COORDINATOR, lambda o: reverse("trajectories:list")
    ),
    Endpoint("API cases list", Role.VT_STAFF, lambda o: reverse("api:case-list")),
    Endpoint("API referrals list", Role.VT_STAFF, lambda o: reverse("api:referral-list")),
    Endpoint(
        "API trajectories list", Role.CARE_COORDINATOR, lambda o: reverse("api:trajectory-list")
    ),
    # Reporting (issue: the dashboard of a region-year under 300 ms median at 100,000 signals).
    Endpoint(
        "dashboard, last year (analyst)", Role.POLICY_ANALYST, _last_year("reporting:dashboard")
    ),
    Endpoint("API dashboard, last year (VT)", Role.VT_STAFF, _last_year("api:report-dashboard")),
]

# The load run gives every persona the bare endpoint too, so each role pays it.
ROLES: list[Role] = list(dict.fromkeys(e.role for e in ENDPOINTS))


def user_for(role: Role, region_code: str):
    from accounts.models import User

    return (
        User.objects.filter(role=role, username__startswith=f"synth-{region_code}-", is_active=True)
        .order_by("pk")
        .first()
    )


def objects_for(region_code: str) -> Objects:
    from screening.models import Meeting
    from signals.models import Signal

    signal = (
        Signal.objects.filter(region__code=region_code, status="screened").order_by("-pk").first()
    )
    meeting = Meeting.objects.filter(region__code=region_code).order_by("-scheduled_for").first()
    return Objects(
        region_code=region_code, signal=str(signal.public_id), meeting=str(meeting.public_id)
    )
