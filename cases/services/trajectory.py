"""The zorgcoördinator's trajectories: phases, placements, reflection period, care meetings.

Only the care coordinator changes a trajectory, and only one its own organisation coordinates
(``_require_coordinator``); a process director with a ``TrajectoryAccess`` grant reads. Every
change locks the trajectory row, checks the version the actor read (a stale one raises
``StaleVersion``: 409), refuses any change to a closed trajectory, validates, saves with
``full_clean`` and bumps the version. Adding a placement or a care meeting appends and
overwrites nothing: the version is optional there and stays as it is. The case's timeline gets one line that says only that
the trajectory changed: the case's readers are not the trajectory's readers.

Placements of one person may not overlap, across all the person's trajectories: the person's
row is locked while the check runs, so two coordinators adding a placement at the same time
are serialised and the second sees the first.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Organisation, Region, User
from signals.models import Person
from signals.services import StaleVersion
from signals.workflow import TransitionNotAllowed

from ..models import (
    CareMeeting,
    Case,
    CaseEventKind,
    CasePerson,
    PhaseChange,
    Placement,
    ShelterCapacity,
    ShelterType,
    Trajectory,
    TrajectoryAccess,
    TrajectoryOutcome,
)
from ..selectors.case import cases_visible_to
from ..workflow import PHASE_TRANSITIONS, CaseStatus, Phase
from .case import case_event_append

MANAGE = "cases.manage_trajectory"
# No date of the care before this one is plausible; it catches typos like 0202 for 2020.
EARLIEST_DATE = date(2000, 1, 1)
MAX_CAPACITY = 10_000


def _stale(current: int) -> StaleVersion:
    return StaleVersion(
        current,
        _(
            "Dit zorgtraject is intussen door iemand anders gewijzigd. Laad de pagina opnieuw "
            "en controleer de gegevens."
        ),
    )


def _day(value: date) -> str:
    return date_format(value, "j F Y")


def check_phase_transition(current: str, target: str) -> None:
    """Raises ``TransitionNotAllowed`` (409) for a step ``PHASE_TRANSITIONS`` does not allow."""
    if target not in Phase.values or Phase(target) not in PHASE_TRANSITIONS[Phase(current)]:
        label = Phase(target).label if target in Phase.values else target
        raise TransitionNotAllowed(
            _("Een zorgtraject in fase '%(current)s' kan niet naar '%(target)s'.")
            % {"current": Phase(current).label, "target": label},
            current=current,
            target=target,
        )


def _require_coordinator(actor: User, trajectory: Trajectory | None = None) -> None:
    if not actor.is_active or not actor.has_perm(MANAGE):
        raise PermissionDenied(_("Alleen de zorgcoördinator wijzigt een zorgtraject."))
    if trajectory is not None and (
        trajectory.coordinator_organisation_id != actor.organisation_id
        or trajectory.region_id != actor.organisation.region_id
    ):
        raise PermissionDenied(_("Dit zorgtraject wordt door een andere organisatie gevoerd."))


def _lock(trajectory: Trajectory, version: int | None) -> Trajectory:
    """The trajectory, locked; refused when stale (409) or closed (409)."""
    locked = Trajectory.objects.select_for_update().select_related("case").get(pk=trajectory.pk)
    if version is not None and locked.version != version:
        raise _stale(locked.version)
    if locked.phase == Phase.CLOSED:
        raise TransitionNotAllowed(
            _("Dit zorgtraject is afgesloten en kan niet meer worden gewijzigd."),
            current=locked.phase,
        )
    return locked


def _touch(trajectory: Trajectory, actor: User, *, bump: bool = True) -> Trajectory:
    """Save a changed trajectory with a new version, and tell the case's timeline.

    Appending a placement or a care meeting overwrites nothing another person may be
    editing: those leave the version alone (``bump=False``), as notes do on a signal.
    """
    if bump:
        trajectory.version += 1
        trajectory.full_clean()
        trajectory.save()
    case_event_append(
        case=trajectory.case,
        kind=CaseEventKind.TRAJECTORY,
        summary=_("Zorgtraject bijgewerkt"),
        actor=actor,
    )
    return trajectory


def _check_day(
    errors: dict[str, list[str]],
    field: str,
    day: date | None,
    *,
    required: bool = True,
    not_before: date | None = None,
    not_before_message: str = "",
) -> None:
    """A date of something that happened: not in the future, not before EARLIEST_DATE."""
    if day is None:
        if required:
            errors.setdefault(field, []).append(_("Vul een datum in."))
        return
    if day > timezone.localdate():
        errors.setdefault(field, []).append(_("De datum ligt in de toekomst."))
    elif day < EARLIEST_DATE:
        errors.setdefault(field, []).append(
            _("De datum ligt vóór %(day)s: controleer het jaartal.") % {"day": _day(EARLIEST_DATE)}
        )
    elif not_before is not None and day < not_before:
        errors.setdefault(field, []).append(not_before_message)


def _raise(errors: Mapping[str, list[str]]) -> None:
    if errors:
        raise ValidationError(dict(errors))


# --- opening ----------------------------------------------------------------------------------


@transaction.atomic
def trajectory_open(*, case: Case, person: Person, actor: User) -> Trajectory:
    """Open a trajectory for a victim of a case the care coordinator sees (phase registration)."""
    _require_coordinator(actor)
    locked = cases_visible_to(actor).select_for_update().filter(pk=case.pk).first()
    if locked is None:
        raise PermissionDenied(_("U kunt voor deze casus geen zorgtraject openen."))
    if locked.status != CaseStatus.OPEN:
        raise ValidationError(_("Deze casus is gesloten; heropen hem eerst."))
    if not CasePerson.objects.filter(case=locked, person=person).exists():
        raise ValidationError({"person": [_("Deze persoon hoort niet bij de casus.")]})
    running = Trajectory.objects.filter(case=locked, person=person).exclude(phase=Phase.CLOSED)
    if running.exists():
        raise ValidationError(
            {"person": [_("Voor deze persoon loopt al een zorgtraject in deze casus.")]}
        )
    today = timezone.localdate()
    trajectory = Trajectory(
        case=locked,
        person=person,
        region_id=locked.region_id,
        coordinator_organisation=actor.organisation,
        phase=Phase.REGISTRATION,
        phase_since=today,
        created_by=actor,
    )
    trajectory.full_clean()
    trajectory.save()
    PhaseChange.objects.create(
        trajectory=trajectory, phase=Phase.REGISTRATION, entered_on=today, actor=actor
    )
    case_event_append(
        case=locked, kind=CaseEventKind.TRAJECTORY, summary=_("Zorgtraject geopend"), actor=actor
    )
    return trajectory


# --- phases -----------------------------------------------------------------------------------


@transaction.atomic
def trajectory_phase_change(
    *,
    trajectory: Trajectory,
    to: str,
    on_date: date,
    actor: User,
    version: int | None,
    outcome: str = "",
    outcome_note: str = "",
) -> Trajectory:
    """Move to another phase (PHASE_TRANSITIONS) from ``on_date``; closing needs an outcome."""
    _require_coordinator(actor, trajectory)
    locked = _lock(trajectory, version)
    check_phase_transition(locked.phase, to)
    errors: dict[str, list[str]] = {}
    _check_day(
        errors,
        "on_date",
        on_date,
        not_before=locked.phase_since,
        not_before_message=_("De datum ligt vóór het begin van de huidige fase (%(day)s).")
        % {"day": _day(locked.phase_since)},
    )
    if to == Phase.CLOSED:
        if not outcome:
            errors.setdefault("outcome", []).append(
                _("Kies de uitkomst om het zorgtraject af te sluiten.")
            )
        elif outcome not in TrajectoryOutcome.values:
            errors.setdefault("outcome", []).append(_("Kies een uitkomst uit de lijst."))
        if locked.placements.filter(end_date__isnull=True).exists():
            errors.setdefault(NON_FIELD_ERRORS, []).append(
                _("Beëindig eerst de lopende opvangplaatsing; daarna kunt u afsluiten.")
            )
    elif outcome or outcome_note:
        errors.setdefault("outcome", []).append(
            _("Een uitkomst hoort alleen bij het afsluiten van het zorgtraject.")
        )
    _raise(errors)
    locked.phase = to
    locked.phase_since = on_date
    if to == Phase.CLOSED:
        locked.outcome = outcome
        locked.outcome_note = outcome_note
    PhaseChange.objects.create(trajectory=locked, phase=to, entered_on=on_date, actor=actor)
    return _touch(locked, actor)


# --- shelter placements -----------------------------------------------------------------------


def _overlaps(start: date, end: date | None, other: Placement) -> bool:
    """Stays as half-open periods [start, end): moving on the day another ends is no overlap."""
    other_end = other.end_date
    return (other_end is None or start < other_end) and (end is None or other.start_date < end)


def _overlap_error(person_id: int, start: date, end: date | None, exclude: int | None) -> str:
    # The person's row is locked: a concurrent placement for this person waits for us.
    Person.objects.select_for_update().filter(pk=person_id).first()
    others = Placement.objects.select_for_update().filter(trajectory__person_id=person_id)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    for other in others:
        if _overlaps(start, end, other):
            since = _day(other.start_date)
            if other.end_date is None:
                return _(
                    "Deze persoon heeft al een lopende plaatsing (%(type)s sinds %(start)s). "
                    "Beëindig die eerst of kies andere data."
                ) % {"type": other.get_shelter_type_display(), "start": since}
            return _(
                "Deze persoon had in die periode al een plaatsing (%(type)s van %(start)s tot "
                "%(end)s). Plaatsingen van één persoon mogen elkaar niet overlappen."
            ) % {
                "type": other.get_shelter_type_display(),
                "start": since,
                "end": _day(other.end_date),
            }
    return ""


@transaction.atomic
def placement_add(
    *,
    trajectory: Trajectory,
    shelter_type: str,
    provider: str,
    start: date,
    end: date | None = None,
    actor: User,
    version: int | None = None,
) -> Placement:
    """Record a shelter placement; refused when it ends before it starts or overlaps another."""
    _require_coordinator(actor, trajectory)
    locked = _lock(trajectory, version)
    errors: dict[str, list[str]] = {}
    if shelter_type not in ShelterType.values:
        errors.setdefault("shelter_type", []).append(_("Kies een soort opvang uit de lijst."))
    _check_day(errors, "start_date", start)
    if end is not None and start is not None and end < start:
        errors.setdefault("end_date", []).append(_("De einddatum ligt vóór de begindatum."))
    else:
        _check_day(errors, "end_date", end, required=False)
    _raise(errors)
    overlap = _overlap_error(locked.person_id, start, end, exclude=None)
    if overlap:
        raise ValidationError({"start_date": [overlap]})
    placement = Placement(
        trajectory=locked,
        shelter_type=shelter_type,
        provider=provider.strip(),
        start_date=start,
        end_date=end,
    )
    placement.full_clean()
    placement.save()
    _touch(locked, actor, bump=False)
    return placement


@transaction.atomic
def placement_end(
    *, placement: Placement, end: date, actor: User, version: int | None
) -> Placement:
    """End a running placement on ``end`` (not before its start, not in the future)."""
    _require_coordinator(actor, placement.trajectory)
    locked = _lock(placement.trajectory, version)
    current = Placement.objects.select_for_update().get(pk=placement.pk, trajectory=locked)
    errors: dict[str, list[str]] = {}
    if current.end_date is not None:
        errors.setdefault("end_date", []).append(
            _("Deze plaatsing is al beëindigd op %(day)s.") % {"day": _day(current.end_date)}
        )
    elif end is not None and end < current.start_date:
        errors.setdefault("end_date", []).append(
            _("De einddatum ligt vóór de begindatum (%(day)s).") % {"day": _day(current.start_date)}
        )
    else:
        _check_day(errors, "end_date", end)
    _raise(errors)
    current.end_date = end
    current.full_clean()
    current.save()
    _touch(locked, actor)
    return current


# --- reflection period, care meetings, CoMensha ------------------------------------------------


@transaction.atomic
def reflection_period_set(
    *, trajectory: Trajectory, start: date, actor: User, version: int | None
) -> Trajectory:
    """Set (or correct) the start of the three-month reflection period."""
    _require_coordinator(actor, trajectory)
    locked = _lock(trajectory, version)
    errors: dict[str, list[str]] = {}
    _check_day(errors, "reflection_start", start)
    _raise(errors)
    locked.reflection_start = start
    return _touch(locked, actor)


@transaction.atomic
def care_meeting_add(
    *,
    trajectory: Trajectory,
    held_on: date,
    participants: str,
    agreements: str,
    actor: User,
    version: int | None = None,
) -> CareMeeting:
    """Record a care meeting ("zorgoverleg") with who took part and what was agreed."""
    _require_coordinator(actor, trajectory)
    locked = _lock(trajectory, version)
    errors: dict[str, list[str]] = {}
    _check_day(errors, "held_on", held_on)
    if not (participants or "").strip():
        errors.setdefault("participants", []).append(_("Vul in wie er aan het overleg deelnamen."))
    if not (agreements or "").strip():
        errors.setdefault("agreements", []).append(_("Vul de gemaakte afspraken in."))
    _raise(errors)
    meeting = CareMeeting(
        trajectory=locked,
        held_on=held_on,
        participants=participants.strip(),
        agreements=agreements.strip(),
        recorded_by=actor,
    )
    meeting.full_clean()
    meeting.save()
    _touch(locked, actor, bump=False)
    return meeting


@transaction.atomic
def comensha_reported(
    *, trajectory: Trajectory, on_date: date, actor: User, version: int | None
) -> Trajectory:
    """Record the date the victim was reported to CoMensha."""
    _require_coordinator(actor, trajectory)
    locked = _lock(trajectory, version)
    errors: dict[str, list[str]] = {}
    _check_day(errors, "reported_to_comensha_on", on_date)
    _raise(errors)
    locked.reported_to_comensha_on = on_date
    return _touch(locked, actor)


# --- shelter capacity of a region -------------------------------------------------------------


def _require_region_coordinator(actor: User, region: Region) -> None:
    if not actor.is_active or not actor.has_perm(MANAGE):
        raise PermissionDenied(_("Alleen de zorgcoördinator stelt de opvangcapaciteit in."))
    if actor.organisation.region_id != region.pk:
        raise PermissionDenied(_("U kunt alleen de capaciteit van uw eigen regio instellen."))


@transaction.atomic
def shelter_capacity_set(
    *, region: Region, shelter_type: str, places: int | None, actor: User
) -> ShelterCapacity | None:
    """Set the places of one shelter type in the region; ``None`` removes the setting."""
    _require_region_coordinator(actor, region)
    errors: dict[str, list[str]] = {}
    if shelter_type not in ShelterType.values:
        errors.setdefault("shelter_type", []).append(_("Kies een soort opvang uit de lijst."))
    if places is not None and not 0 <= places <= MAX_CAPACITY:
        errors.setdefault("places", []).append(
            _("Vul een aantal plaatsen in tussen 0 en %(max)s.") % {"max": MAX_CAPACITY}
        )
    _raise(errors)
    if places is None:
        for row in ShelterCapacity.objects.select_for_update().filter(
            region=region, shelter_type=shelter_type
        ):
            row.delete()  # a setting, not history: the change log keeps what it was
        return None
    try:
        with transaction.atomic():
            ShelterCapacity.objects.get_or_create(
                region=region, shelter_type=shelter_type, defaults={"places": places}
            )
    except IntegrityError:
        pass  # a concurrent transaction created it; lock and update it below
    capacity = ShelterCapacity.objects.select_for_update().get(
        region=region, shelter_type=shelter_type
    )
    if capacity.places != places:
        capacity.places = places
        capacity.full_clean()
        capacity.save()
    return capacity


@transaction.atomic
def shelter_capacities_set(
    *, region: Region, places: Mapping[str, int | None], actor: User
) -> None:
    """The capacity settings form: every shelter type at once, all or nothing."""
    _require_region_coordinator(actor, region)
    for shelter_type, value in places.items():
        shelter_capacity_set(region=region, shelter_type=shelter_type, places=value, actor=actor)


# --- access for a process director (called by the referrals app) ------------------------------


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
