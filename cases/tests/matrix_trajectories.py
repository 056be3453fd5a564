"""Permission-matrix rows for the trajectories' URLs (see tests/permission_matrix.py).

Trajectories are shielded (``cases.selectors.trajectory``): the care coordinator of the
coordinating organisation sees and changes one; a process director whose organisation was
granted the case reads it (403 on every change); every other role — Veilig Thuis, the
administrator, the privacy officer, analysts, municipalities, AVIM — gets 404 on every route,
lists, capacity pages and creating included, so not even their existence is revealed.

The object ``trajectory`` is made for any owner organisation: a case led by the owner, a
trajectory coordinated by it (opened by a care coordinator of that organisation), a grant of
the case to the same organisation, and a running placement. So a municipal officer's "own"
trajectory is one its own municipality coordinates and was granted — and it still answers
404. ``coordinated-case`` is a case led by the owner, on which a trajectory can be opened.
"""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from django.utils import timezone

from accounts.models import Organisation
from accounts.roles import Role
from tests.permission_matrix import OWN_ORG, Ctx, Method, ObjectKind, Ok, Row

CC = Role.CARE_COORDINATOR
PD = Role.PROCESS_DIRECTOR
COORDINATOR = frozenset({CC})
READERS = frozenset({CC, PD})
DETAIL = "trajectories:detail"

# Who sees a trajectory at all: the coordinating organisation's care coordinator, and the
# process director of an organisation the case was granted to (both: their own organisation's).
SEEN_BY = {CC: OWN_ORG, PD: OWN_ORG}


def _day(days_ago: int = 0) -> str:
    return (timezone.localdate() - timedelta(days=days_ago)).isoformat()


# --- the objects -------------------------------------------------------------------------------


def _coordinated_case(world, owner: Organisation):
    from cases.tests.factories import make_case

    return make_case(world, lead=owner, lead_kind="care_coordinator")


def _trajectory(world, owner: Organisation):
    from cases.services import trajectory as services

    coordinator = world.user(CC, organisation=owner)
    case = _coordinated_case(world, owner)
    trajectory = services.trajectory_open(
        case=case, person=case.persons.order_by("pk").first(), actor=coordinator
    )
    services.trajectory_access_grant(case=case, organisation=owner, reason="Verwijzing ZVH.")
    placement = services.placement_add(
        trajectory=trajectory,
        shelter_type="omm",
        provider="",
        start=timezone.localdate() - timedelta(days=10),
        actor=coordinator,
    )
    return SimpleNamespace(trajectory=trajectory, placement=placement, case=case)


TRAJECTORY = ObjectKind("trajectory", _trajectory, SEEN_BY)
COORDINATED_CASE = ObjectKind("coordinated-case", _coordinated_case, {CC: OWN_ORG})


def _kwargs(obj) -> dict:
    return {"public_id": obj.trajectory.public_id}


def _placement_kwargs(obj) -> dict:
    return {"public_id": obj.trajectory.public_id, "placement_id": obj.placement.public_id}


def _version(ctx: Ctx) -> int:
    from cases.models import Trajectory

    return Trajectory.objects.get(pk=ctx.obj.trajectory.pk).version


# --- request data ------------------------------------------------------------------------------


def _open_form(ctx: Ctx) -> dict:
    return {"person": str(ctx.obj.persons.get().public_id)}


def _api_create(ctx: Ctx) -> dict:
    organisation = ctx.user.organisation if ctx.user else ctx.world.orgs[Organisation.Kind.ZVH]
    case = _coordinated_case(ctx.world, organisation)
    return {"case": str(case.public_id), "person": str(case.persons.get().public_id)}


def _phase_form(ctx: Ctx) -> dict:
    return {"phase-to": "intake", "phase-on_date": _day(), "phase-version": _version(ctx)}


def _placement_form(ctx: Ctx) -> dict:
    # Before the running placement, so it does not overlap.
    return {
        "placement-shelter_type": "cosm",
        "placement-start_date": _day(40),
        "placement-end_date": _day(35),
    }


def _end_form(ctx: Ctx) -> dict:
    return {"end-end_date": _day(1), "end-version": _version(ctx)}


def _reflection_form(ctx: Ctx) -> dict:
    return {"reflection-reflection_start": _day(5), "reflection-version": _version(ctx)}


def _care_meeting_form(ctx: Ctx) -> dict:
    return {
        "meeting-held_on": _day(1),
        "meeting-participants": "Zorgcoördinator, COSM",
        "meeting-agreements": "Intake bij COSM plannen.",
    }


def _comensha_form(ctx: Ctx) -> dict:
    return {"comensha-reported_to_comensha_on": _day(1), "comensha-version": _version(ctx)}


# --- the rows ----------------------------------------------------------------------------------

# Whoever is not allowed a route without an object gets 404: the area does not exist for them.
HIDDEN = 404
REDIRECT = Ok(302, DETAIL)

ROWS: list[Row] = [
    # --- HTML ------------------------------------------------------------------------------------
    Row("trajectories:list", allowed=READERS, get=Method(Ok(200), refused=HIDDEN)),
    Row("trajectories:capacity", allowed=COORDINATOR, get=Method(Ok(200), refused=HIDDEN)),
    Row(
        "trajectories:capacity_settings",
        allowed=COORDINATOR,
        get=Method(Ok(200), refused=HIDDEN),
        post=Method(
            Ok(302, "trajectories:capacity"),
            data=lambda c: {"omm": "6", "emergency_bed": "3"},
            refused=HIDDEN,
        ),
    ),
    Row(
        "trajectories:open",
        objects=(COORDINATED_CASE,),
        kwargs=lambda case: {"case_id": case.public_id},
        allowed=COORDINATOR,
        scope=OWN_ORG,
        get=Method(Ok(200)),
        post=Method(REDIRECT, data=_open_form),
    ),
    Row(
        DETAIL,
        objects=(TRAJECTORY,),
        kwargs=_kwargs,
        allowed=READERS,
        scope=OWN_ORG,
        get=Method(Ok(200)),
    ),
    Row(
        "trajectories:phase",
        objects=(TRAJECTORY,),
        kwargs=_kwargs,
        allowed=COORDINATOR,
        scope=OWN_ORG,
        post=Method(REDIRECT, data=_phase_form),
    ),
    Row(
        "trajectories:placement_add",
        objects=(TRAJECTORY,),
        kwargs=_kwargs,
        allowed=COORDINATOR,
        scope=OWN_ORG,
        post=Method(REDIRECT, data=_placement_form),
    ),
    Row(
        "trajectories:placement_end",
        objects=(TRAJECTORY,),
        kwargs=_placement_kwargs,
        allowed=COORDINATOR,
        scope=OWN_ORG,
        post=Method(REDIRECT, data=_end_form),
    ),
    Row(
        "trajectories:reflection",
        objects=(TRAJECTORY,),
        kwargs=_kwargs,
        allowed=COORDINATOR,
        scope=OWN_ORG,
        post=Method(REDIRECT, data=_reflection_form),
    ),
    Row(
        "trajectories:care_meeting",
        objects=(TRAJECTORY,),
        kwargs=_kwargs,
        allowed=COORDINATOR,
        scope=OWN_ORG,
        post=Method(REDIRECT, data=_care_meeting_form),
    ),
    Row(
        "trajectories:comensha",
        objects=(TRAJECTORY,),
        kwargs=_kwargs,
        allowed=COORDINATOR,
        scope=OWN_ORG,
        post=Method(REDIRECT, data=_comensha_form),
    ),
    # --- API (JSON) -------------------------------------------------------------------------------
    Row(
        "api:trajectory-list",
        api=True,
        allowed=READERS,
        get=Method(Ok(200), refused=HIDDEN),
        # A reading process director has no route to create one either: 404.
        post=Method(Ok(201), allowed=COORDINATOR, data=_api_create, refused=HIDDEN),
    ),
    Row(
        "api:trajectory-detail",
        api=True,
        objects=(TRAJECTORY,),
        kwargs=_kwargs,
        allowed=READERS,
        scope=OWN_ORG,
        get=Method(Ok(200)),
    ),
    Row(
        "api:trajectory-phase",
        api=True,
        objects=(TRAJECTORY,),
        kwargs=_kwargs,
        allowed=COORDINATOR,
        scope=OWN_ORG,
        post=Method(
            Ok(200), data=lambda c: {"to": "intake", "on_date": _day(), "version": _version(c)}
        ),
    ),
    Row(
        "api:trajectory-placements",
        api=True,
        objects=(TRAJECTORY,),
        kwargs=_kwargs,
        allowed=READERS,
        scope=OWN_ORG,
        get=Method(Ok(200)),
        post=Method(
            Ok(201),
            allowed=COORDINATOR,
            data=lambda c: {
                "shelter_type": "cosm",
                "start_date": _day(40),
                "end_date": _day(35),
            },
        ),
    ),
    Row(
        "api:trajectory-placement-end",
        api=True,
        objects=(TRAJECTORY,),
        kwargs=_placement_kwargs,
        allowed=COORDINATOR,
        scope=OWN_ORG,
        post=Method(Ok(200), data=lambda c: {"end_date": _day(1), "version": _version(c)}),
    ),
    Row(
        "api:trajectory-reflection-period",
        api=True,
        objects=(TRAJECTORY,),
        kwargs=_kwargs,
        allowed=COORDINATOR,
        scope=OWN_ORG,
        post=Method(Ok(200), data=lambda c: {"reflection_start": _day(5), "version": _version(c)}),
    ),
    Row(
        "api:trajectory-care-meetings",
        api=True,
        objects=(TRAJECTORY,),
        kwargs=_kwargs,
        allowed=READERS,
        scope=OWN_ORG,
        get=Method(Ok(200)),
        post=Method(
            Ok(201),
            allowed=COORDINATOR,
            data=lambda c: {
                "held_on": _day(1),
                "participants": "Zorgcoördinator, COSM",
                "agreements": "Intake bij COSM plannen.",
            },
        ),
    ),
    Row(
        "api:trajectory-comensha-reported",
        api=True,
        objects=(TRAJECTORY,),
        kwargs=_kwargs,
        allowed=COORDINATOR,
        scope=OWN_ORG,
        post=Method(
            Ok(200), data=lambda c: {"reported_to_comensha_on": _day(1), "version": _version(c)}
        ),
    ),
]
