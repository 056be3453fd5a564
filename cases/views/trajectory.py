"""The care coordinator's trajectories in the browser, under /trajecten/.

Shielded like the selectors say (``cases.selectors.trajectory``): for every role but the care
coordinator and a process director these pages do not exist — 404, never 403, so not even
the existence of a trajectory is revealed. A trajectory the user may not see answers 404; a
process director who may read one but tries to change it gets 403. Every page that shows a
trajectory writes one access-log entry (NEN 7513). Views are thin: a form parses, one service
or selector does the work, a template renders; an illegal step or a stale version answers 409
with the Dutch reason.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.audit import record_access, record_list
from accounts.models import AuditLogEntry
from accounts.pagination import BoundedPaginator
from signals.forms import apply_errors
from signals.services import StaleVersion
from signals.workflow import TransitionNotAllowed

from .. import trajectory_forms as forms
from ..models import Trajectory
from ..selectors import trajectory as selectors
from ..services import trajectory as services
from ..workflow import Phase

PAGE_SIZE = 25
READ = AuditLogEntry.AccessKind.READ


# --- helpers ------------------------------------------------------------------------------------


def _area(request: HttpRequest) -> None:
    """The trajectory pages exist only for those who may see trajectories: 404 otherwise."""
    if not selectors.can_see_trajectories(request.user):
        raise Http404


def _coordinator_area(request: HttpRequest) -> None:
    if not selectors.can_manage_trajectories(request.user):
        raise Http404


def _trajectory(request: HttpRequest, public_id) -> Trajectory:
    _area(request)
    return selectors.trajectory_get(user=request.user, public_id=public_id)


def _log_read(trajectory: Trajectory) -> None:
    # Whose record was read: the person, by pseudonymous id (NEN 7513).
    record_access(
        kind=READ,
        instance=trajectory,
        extra={"person": str(trajectory.person.public_id), "case": str(trajectory.case.public_id)},
    )


def _step_forms(trajectory: Trajectory) -> dict[str, Any]:
    version = {"version": trajectory.version}
    return {
        "phase_form": forms.PhaseChangeForm(trajectory=trajectory, initial=version, prefix="phase"),
        "placement_form": forms.PlacementForm(prefix="placement"),
        "end_form": forms.PlacementEndForm(initial=version, prefix="end"),
        "reflection_form": forms.ReflectionForm(
            initial={**version, "reflection_start": trajectory.reflection_start},
            prefix="reflection",
        ),
        "care_meeting_form": forms.CareMeetingForm(prefix="meeting"),
        "comensha_form": forms.ComenshaForm(
            initial={**version, "reported_to_comensha_on": trajectory.reported_to_comensha_on},
            prefix="comensha",
        ),
    }


def _render_detail(
    request: HttpRequest,
    trajectory: Trajectory,
    *,
    status: int = 200,
    error: str = "",
    bound: dict[str, Any] | None = None,
) -> HttpResponse:
    manage = selectors.may_manage(request.user, trajectory)
    placements = list(trajectory.placements.all())
    context = {
        "trajectory": trajectory,
        "case": trajectory.case,
        "person": trajectory.person,
        "manage": manage and trajectory.phase != Phase.CLOSED,
        "closed": trajectory.phase == Phase.CLOSED,
        "phases": list(trajectory.phases.all()),
        "durations": selectors.phase_durations(trajectory),
        "placements": placements,
        "running_placement": any(p.end_date is None for p in placements),
        "care_meetings": list(trajectory.care_meetings.all()),
        "reflection_reminder_on": selectors.reflection_reminder_on(trajectory),
        "error": error,
        **(_step_forms(trajectory) if manage else {}),
        **(bound or {}),
        "bound_form": next(iter(bound.values())) if bound else None,
    }
    _log_read(trajectory)
    return render(request, "trajectories/detail.html", context, status=status)


def _run_step(
    request: HttpRequest,
    public_id,
    *,
    form_name: str,
    form_factory: Callable[[Trajectory], Any],
    call: Callable[[Trajectory, dict], Any],
    success: str,
    placement_id=None,
) -> HttpResponse:
    """Every POST on a trajectory: 404, 403, form, one service, then redirect or re-render."""
    trajectory = _trajectory(request, public_id)
    placement = (
        selectors.placement_get(trajectory=trajectory, public_id=placement_id)
        if placement_id
        else None
    )
    if not selectors.may_manage(request.user, trajectory):
        raise PermissionDenied
    form = form_factory(trajectory)
    if not form.is_valid():
        return _render_detail(request, trajectory, status=400, bound={form_name: form})
    try:
        call(trajectory if placement is None else placement, form.cleaned_data)
    except ValidationError as exc:
        apply_errors(form, exc)
        return _render_detail(request, trajectory, status=400, bound={form_name: form})
    except (TransitionNotAllowed, StaleVersion) as exc:
        return _render_detail(
            request, trajectory, status=409, error=exc.message, bound={form_name: form}
        )
    messages.success(request, success)
    return redirect("trajectories:detail", public_id=trajectory.public_id)


# --- the work list and one trajectory -----------------------------------------------------------


@login_required
@require_GET
def trajectory_list(request: HttpRequest) -> HttpResponse:
    _area(request)
    user = request.user
    filter_form = forms.TrajectoryFilterForm(request.GET or None)
    filters = filter_form.filters()
    page = BoundedPaginator(
        selectors.trajectory_list(user=user, phase=filters["phase"] or None, q=filters["q"]),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    # One entry per page view with the ids shown; "search" when a phase or text narrows it.
    record_list(model=Trajectory, rows=page, query=request.GET)
    counts = selectors.phase_counts(user=user, q=filters["q"])
    query = request.GET.copy()
    query.pop("page", None)
    tab_query = request.GET.copy()
    for key in ("page", "phase"):
        tab_query.pop(key, None)
    return render(
        request,
        "trajectories/list.html",
        {
            "filter_form": filter_form,
            "page": page,
            "phase": filters["phase"],
            "q": filters["q"],
            "tabs": [(p.value, p.label, counts[p.value]) for p in Phase],
            "total": sum(counts.values()),
            "query": query.urlencode(),
            "tab_query": tab_query.urlencode(),
            "can_manage": selectors.can_manage_trajectories(user),
        },
    )


@login_required
@require_GET
def trajectory_detail(request: HttpRequest, public_id) -> HttpResponse:
    return _render_detail(request, _trajectory(request, public_id))


# --- opening a trajectory from a case -----------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def trajectory_open(request: HttpRequest, case_id) -> HttpResponse:
    _coordinator_area(request)
    case = selectors.openable_case_get(user=request.user, public_id=case_id)
    persons = selectors.openable_persons(user=request.user, case=case)
    initial = {"person": request.GET.get("persoon", "")}
    form = forms.TrajectoryOpenForm(request.POST or None, persons=persons, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                trajectory = services.trajectory_open(
                    case=case, person=form.cleaned_data["person"], actor=request.user
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Het zorgtraject is geopend in de fase aanmelding."))
                return redirect("trajectories:detail", public_id=trajectory.public_id)
    return render(
        request,
        "trajectories/open.html",
        {"case": case, "form": form, "persons": persons},
        status=status,
    )


# --- steps --------------------------------------------------------------------------------------


@login_required
@require_POST
def phase_change(request: HttpRequest, public_id) -> HttpResponse:
    return _run_step(
        request,
        public_id,
        form_name="phase_form",
        form_factory=lambda t: forms.PhaseChangeForm(request.POST, trajectory=t, prefix="phase"),
        call=lambda t, d: services.trajectory_phase_change(
            trajectory=t,
            to=d["to"],
            on_date=d["on_date"],
            outcome=d["outcome"],
            outcome_note=d["outcome_note"],
            actor=request.user,
            version=d["version"],
        ),
        success=_("De fase is gewijzigd."),
    )


@login_required
@require_POST
def placement_add(request: HttpRequest, public_id) -> HttpResponse:
    return _run_step(
        request,
        public_id,
        form_name="placement_form",
        form_factory=lambda t: forms.PlacementForm(request.POST, prefix="placement"),
        call=lambda t, d: services.placement_add(
            trajectory=t,
            shelter_type=d["shelter_type"],
            provider=d["provider"],
            start=d["start_date"],
            end=d["end_date"],
            actor=request.user,
        ),
        success=_("De plaatsing is vastgelegd."),
    )


@login_required
@require_POST
def placement_end(request: HttpRequest, public_id, placement_id) -> HttpResponse:
    return _run_step(
        request,
        public_id,
        placement_id=placement_id,
        form_name="end_form",
        form_factory=lambda t: forms.PlacementEndForm(request.POST, prefix="end"),
        call=lambda p, d: services.placement_end(
            placement=p, end=d["end_date"], actor=request.user, version=d["version"]
        ),
        success=_("De plaatsing is beëindigd."),
    )


@login_required
@require_POST
def reflection_period(request: HttpRequest, public_id) -> HttpResponse:
    return _run_step(
        request,
        public_id,
        form_name="reflection_form",
        form_factory=lambda t: forms.ReflectionForm(request.POST, prefix="reflection"),
        call=lambda t, d: services.reflection_period_set(
            trajectory=t, start=d["reflection_start"], actor=request.user, version=d["version"]
        ),
        success=_("De bedenktijd is vastgelegd."),
    )


@login_required
@require_POST
def care_meeting_add(request: HttpRequest, public_id) -> HttpResponse:
    return _run_step(
        request,
        public_id,
        form_name="care_meeting_form",
        form_factory=lambda t: forms.CareMeetingForm(request.POST, prefix="meeting"),
        call=lambda t, d: services.care_meeting_add(
            trajectory=t,
            held_on=d["held_on"],
            participants=d["participants"],
            agreements=d["agreements"],
            actor=request.user,
        ),
        success=_("Het zorgoverleg is vastgelegd."),
    )


@login_required
@require_POST
def comensha_reported(request: HttpRequest, public_id) -> HttpResponse:
    return _run_step(
        request,
        public_id,
        form_name="comensha_form",
        form_factory=lambda t: forms.ComenshaForm(request.POST, prefix="comensha"),
        call=lambda t, d: services.comensha_reported(
            trajectory=t,
            on_date=d["reported_to_comensha_on"],
            actor=request.user,
            version=d["version"],
        ),
        success=_("De melding aan CoMensha is vastgelegd."),
    )


# --- shelter capacity ---------------------------------------------------------------------------


@login_required
@require_GET
def capacity_overview(request: HttpRequest) -> HttpResponse:
    _coordinator_area(request)
    rows = selectors.capacity_overview(user=request.user)
    return render(
        request,
        "trajectories/capacity.html",
        {"rows": rows, "warnings": [r for r in rows if r.over_limit_count]},
    )


@login_required
@require_http_methods(["GET", "POST"])
def capacity_settings(request: HttpRequest) -> HttpResponse:
    _coordinator_area(request)
    current = selectors.capacity_settings(user=request.user)
    form = forms.CapacityForm(request.POST or None, current=current)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.shelter_capacities_set(
                    region=request.user.organisation.region,
                    places=form.places(),
                    actor=request.user,
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("De opvangcapaciteit is opgeslagen."))
                return redirect("trajectories:capacity")
    return render(request, "trajectories/capacity_form.html", {"form": form}, status=status)
