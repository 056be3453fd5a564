"""Who sees which care trajectory, and the figures computed from them.

Trajectories are shielded (DESIGN.md "Who sees what"):

- a care coordinator sees the trajectories its own organisation coordinates, in its region;
- a process director sees only the trajectories of a case its organisation was granted
  (``TrajectoryAccess``, when its ZVH accepted the referral), and only reads them;
- everybody else sees none: Veilig Thuis, administrators, the privacy officer, analysts,
  municipalities and AVIM get 404 on every list, detail and API route, the same as for a
  trajectory that does not exist.

The monitoring figures (``phase_durations``, ``phase_duration_medians``, ``capacity_overview``)
are computed here so the trajectory pages and the reporting app count the same way.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import Region, User
from accounts.roles import Role
from signals.models import Person

from ..models import (
    SHELTER_STAY_LIMIT_DAYS,
    CareMeeting,
    Case,
    PhaseChange,
    Placement,
    ShelterCapacity,
    ShelterType,
    Trajectory,
    TrajectoryAccess,
)
from ..workflow import PHASE_ORDER, CaseStatus, Phase
from .case import cases_visible_to

VIEW = "cases.view_trajectory"
MANAGE = "cases.manage_trajectory"
NOTHING = Q(pk__in=[])


# --- who sees what ----------------------------------------------------------------------------


def trajectory_visibility_filter(user: User) -> Q:
    if not user.is_authenticated or not user.is_active or not user.has_perm(VIEW):
        return NOTHING
    if user.role == Role.CARE_COORDINATOR:
        return Q(
            region_id=user.organisation.region_id,
            coordinator_organisation_id=user.organisation_id,
        )
    if user.role == Role.PROCESS_DIRECTOR:
        granted = TrajectoryAccess.objects.filter(organisation_id=user.organisation_id)
        return Q(case_id__in=granted.values("case_id"))
    return NOTHING


def can_see_trajectories(user: User) -> bool:
    """Whether the trajectory pages exist for this user at all (else: 404 everywhere)."""
    return (
        user.is_authenticated
        and user.is_active
        and user.has_perm(VIEW)
        and user.role in (Role.CARE_COORDINATOR, Role.PROCESS_DIRECTOR)
    )


def can_manage_trajectories(user: User) -> bool:
    return can_see_trajectories(user) and user.has_perm(MANAGE)


def may_manage(user: User, trajectory: Trajectory) -> bool:
    """The coordinating organisation's care coordinator changes it; a process director reads."""
    return (
        can_manage_trajectories(user)
        and trajectory.coordinator_organisation_id == user.organisation_id
        and trajectory.region_id == user.organisation.region_id
    )


def trajectories_visible_to(user: User) -> QuerySet[Trajectory]:
    return Trajectory.objects.filter(trajectory_visibility_filter(user))


# --- lists and one trajectory -----------------------------------------------------------------


def _searched(queryset: QuerySet[Trajectory], q: str) -> QuerySet[Trajectory]:
    q = (q or "").strip()
    if not q:
        return queryset
    return queryset.filter(Q(case__reference__icontains=q) | Q(person__name__icontains=q))


def trajectory_list(*, user: User, phase: str | None = None, q: str = "") -> QuerySet[Trajectory]:
    """The work list "trajectories by phase": newest first, with what each row shows."""
    queryset = _searched(trajectories_visible_to(user), q)
    if phase:
        queryset = queryset.filter(phase=phase)
    # The row shows the case reference, the person and the coordinating organisation: joined
    # here so a page of 50 costs the same queries as a page of 5.
    return queryset.select_related("case", "person", "coordinator_organisation").order_by(
        "-created_at", "-pk"
    )


def phase_counts(*, user: User, q: str = "") -> dict[str, int]:
    """How many trajectories the user sees per phase (the tabs of the work list): one query."""
    rows = (
        _searched(trajectories_visible_to(user), q)
        .order_by()
        .values("phase")
        .annotate(n=Count("pk"))
    )
    counts = dict.fromkeys(PHASE_ORDER, 0)
    counts.update({row["phase"]: row["n"] for row in rows})
    return counts


def trajectory_get(*, user: User, public_id) -> Trajectory:
    """One trajectory with its history, placements and care meetings; 404 when not visible."""
    trajectory = (
        trajectories_visible_to(user)
        .select_related("case", "person", "coordinator_organisation", "region", "created_by")
        .prefetch_related(
            Prefetch("phases", queryset=PhaseChange.objects.select_related("actor")),
            Prefetch("placements", queryset=Placement.objects.order_by("-start_date", "-pk")),
            Prefetch("care_meetings", queryset=CareMeeting.objects.select_related("recorded_by")),
        )
        .filter(public_id=public_id)
        .first()
    )
    if trajectory is None:
        raise Http404
    return trajectory


def placement_get(*, trajectory: Trajectory, public_id) -> Placement:
    """A placement of a trajectory already found through ``trajectory_get`` (prefetched)."""
    wanted = str(public_id).lower()
    placement = next((p for p in trajectory.placements.all() if str(p.public_id) == wanted), None)
    if placement is None:
        raise Http404
    placement.trajectory = trajectory
    return placement


def openable_case_get(*, user: User, public_id) -> Case:
    """A case a care coordinator may open a trajectory on: one it sees; 404 otherwise."""
    if not can_manage_trajectories(user):
        raise Http404
    case = (
        cases_visible_to(user)
        .select_related("lead_organisation")
        .filter(public_id=public_id)
        .first()
    )
    if case is None:
        raise Http404
    return case


def openable_persons(*, user: User, case: Case) -> list[Person]:
    """The case's persons without a running trajectory, for a coordinator who may open one."""
    if not can_manage_trajectories(user) or case.status != CaseStatus.OPEN:
        return []
    if not cases_visible_to(user).filter(pk=case.pk).exists():
        return []
    running = Trajectory.objects.filter(case=case).exclude(phase=Phase.CLOSED).values("person_id")
    return list(
        Person.objects.filter(case_links__case=case).exclude(pk__in=running).order_by("name", "pk")
    )


@dataclass(frozen=True)
class CasePanel:
    """What ``trajectories/_case_panel.html`` shows on a case page; nothing when not visible."""

    visible: bool
    trajectories: list[Trajectory] = field(default_factory=list)
    openable: list[Person] = field(default_factory=list)


def case_panel(*, user: User, case: Case) -> CasePanel:
    if not can_see_trajectories(user):
        return CasePanel(visible=False)
    trajectories = list(
        trajectories_visible_to(user)
        .filter(case=case)
        .select_related("person")
        .order_by("created_at", "pk")
    )
    openable = openable_persons(user=user, case=case)
    return CasePanel(
        visible=bool(trajectories or openable), trajectories=trajectories, openable=openable
    )


# --- dates --------------------------------------------------------------------------------------


def reflection_reminder_on(trajectory: Trajectory) -> date | None:
    """The day the coordinator is reminded that the reflection period ends (settings)."""
    end = trajectory.reflection_end
    return end - timedelta(days=settings.REFLECTION_REMINDER_DAYS) if end else None


# --- durations per phase ------------------------------------------------------------------------


@dataclass(frozen=True)
class PhaseDuration:
    phase: str
    label: str
    days: int
    current: bool


def _stays(changes: list[tuple[str, date]], today: date) -> list[tuple[str, int, bool]]:
    """(phase, days, finished) per stay, from the changes in order. Closed has no duration."""
    stays = []
    for index, (phase, entered) in enumerate(changes):
        if phase == Phase.CLOSED:
            continue
        if index + 1 < len(changes):
            stays.append((phase, (changes[index + 1][1] - entered).days, True))
        else:
            stays.append((phase, max((today - entered).days, 0), False))
    return stays


def phase_durations(trajectory: Trajectory, *, today: date | None = None) -> list[PhaseDuration]:
    """Days spent in each phase so far (a phase entered twice counts both stays)."""
    today = today or timezone.localdate()
    changes = [(c.phase, c.entered_on) for c in trajectory.phases.all()]
    totals: dict[str, int] = defaultdict(int)
    for phase, days, _finished in _stays(changes, today):
        totals[phase] += days
    return [
        PhaseDuration(
            phase=phase,
            label=str(Phase(phase).label),
            days=totals[phase],
            current=phase == trajectory.phase,
        )
        for phase in PHASE_ORDER
        if phase in totals
    ]


@dataclass(frozen=True)
class PhaseMedian:
    phase: str
    label: str
    median_days: float | None
    count: int  # trajectories counted: the reporting app suppresses small numbers


def phase_duration_medians(
    *, region: Region, entered_from: date | None = None, entered_until: date | None = None
) -> list[PhaseMedian]:
    """Median days per phase over the region's trajectories that finished that phase.

    An aggregate without personal data, for monitoring and the annual evaluation. Each
    trajectory counts once per phase (its stays in that phase added up), and only once it
    has left the phase; ``entered_from``/``entered_until`` limit it to stays that began in a
    period. One query, however many trajectories.
    """
    rows = (
        PhaseChange.objects.filter(trajectory__region=region)
        .order_by("trajectory_id", "entered_on", "pk")
        .values_list("trajectory_id", "phase", "entered_on")
    )
    by_trajectory: dict[int, list[tuple[str, date]]] = defaultdict(list)
    for trajectory_id, phase, entered in rows.iterator(chunk_size=5000):
        by_trajectory[trajectory_id].append((phase, entered))
    today = timezone.localdate()
    per_phase: dict[str, list[int]] = defaultdict(list)
    for changes in by_trajectory.values():
        totals: dict[str, int] = defaultdict(int)
        entered_in_period: set[str] = set()
        for phase, entered in changes:
            if (entered_from is None or entered >= entered_from) and (
                entered_until is None or entered <= entered_until
            ):
                entered_in_period.add(phase)
        for phase, days, finished in _stays(changes, today):
            if finished:
                totals[phase] += days
        for phase, days in totals.items():
            if phase in entered_in_period:
                per_phase[phase].append(days)
    return [
        PhaseMedian(
            phase=phase,
            label=str(Phase(phase).label),
            median_days=statistics.median(per_phase[phase]) if per_phase[phase] else None,
            count=len(per_phase[phase]),
        )
        for phase in PHASE_ORDER
        if phase != Phase.CLOSED
    ]


# --- shelter capacity ---------------------------------------------------------------------------


def current_placements(*, region_id: int, today: date) -> QuerySet[Placement]:
    """Placements of the region that take a place today."""
    return Placement.objects.filter(trajectory__region_id=region_id, start_date__lte=today).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=today)
    )


def placements_over_limit(*, region_id: int | None = None, today: date) -> QuerySet[Placement]:
    """Running placements longer than their shelter type's limit (emergency beds: 14 days)."""
    over = Q(pk__in=[])
    for shelter_type, days in SHELTER_STAY_LIMIT_DAYS.items():
        over |= Q(shelter_type=shelter_type, start_date__lt=today - timedelta(days=days))
    queryset = Placement.objects.filter(over, end_date__isnull=True).exclude(
        trajectory__phase=Phase.CLOSED
    )
    if region_id is not None:
        queryset = queryset.filter(trajectory__region_id=region_id)
    return queryset


@dataclass(frozen=True)
class CapacityRow:
    shelter_type: str
    label: str
    capacity: int | None
    in_use: int
    limit_days: int | None
    over_limit: list[Placement]  # those the user may open; the count covers the region
    over_limit_count: int

    @property
    def free(self) -> int | None:
        return None if self.capacity is None else self.capacity - self.in_use

    @property
    def full(self) -> bool:
        return self.capacity is not None and self.in_use >= self.capacity


def capacity_overview(*, user: User, today: date | None = None) -> list[CapacityRow]:
    """Per shelter type: places in use in the user's region against the configured capacity.

    Places in use count every trajectory of the region (capacity is shared); the warnings
    link only to trajectories the user may open.
    """
    if not can_manage_trajectories(user):
        raise Http404
    today = today or timezone.localdate()
    region_id = user.organisation.region_id
    capacity = dict(
        ShelterCapacity.objects.filter(region_id=region_id).values_list("shelter_type", "places")
    )
    in_use = dict(
        current_placements(region_id=region_id, today=today)
        .order_by()
        .values("shelter_type")
        .annotate(n=Count("pk"))
        .values_list("shelter_type", "n")
    )
    over = list(
        placements_over_limit(region_id=region_id, today=today)
        .select_related("trajectory__case")
        .order_by("start_date", "pk")
    )
    visible = trajectory_visibility_filter(user)
    visible_ids = set(
        Trajectory.objects.filter(visible, pk__in=[p.trajectory_id for p in over]).values_list(
            "pk", flat=True
        )
    )
    rows = []
    for shelter_type in ShelterType:
        mine = [p for p in over if p.shelter_type == shelter_type]
        rows.append(
            CapacityRow(
                shelter_type=shelter_type.value,
                label=str(shelter_type.label),
                capacity=capacity.get(shelter_type.value),
                in_use=in_use.get(shelter_type.value, 0),
                limit_days=SHELTER_STAY_LIMIT_DAYS.get(shelter_type),
                over_limit=[p for p in mine if p.trajectory_id in visible_ids],
                over_limit_count=len(mine),
            )
        )
    return rows


def capacity_settings(*, user: User) -> dict[str, int]:
    """The configured places per shelter type of the user's region (the settings form)."""
    if not can_manage_trajectories(user):
        raise Http404
    return dict(
        ShelterCapacity.objects.filter(region_id=user.organisation.region_id).values_list(
            "shelter_type", "places"
        )
    )
