"""Building trajectories for the tests: a case led by the care coordinator's organisation.

In the test world the care coordinator and the process director both belong to the ZVH
(``conftest.ROLE_ORGANISATION_KIND``); a process director reads a trajectory only once its
organisation was granted the case (``trajectory_access_grant``, as the referrals app does).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from accounts.audit import allow_bulk_writes
from accounts.models import AuditLogEntry, Organisation
from accounts.roles import Role
from cases.models import Case, CasePerson, Trajectory
from cases.services import trajectory as services
from cases.tests.factories import make_case
from signals.models import Person


def days_ago(n: int) -> date:
    return timezone.localdate() - timedelta(days=n)


def coordinator(world, organisation: Organisation | None = None):
    return world.user(Role.CARE_COORDINATOR, organisation=organisation)


def coordinated_case(world, organisation: Organisation | None = None) -> Case:
    """An open case led by the care coordinator's organisation, with one possible victim."""
    return make_case(
        world,
        lead=organisation or world.orgs[Organisation.Kind.ZVH],
        lead_kind="care_coordinator",
    )


def add_victims(case: Case, count: int) -> list[Person]:
    """More possible victims on a case, written directly (fast, for the query-count tests)."""
    persons = [
        Person.objects.create(region_id=case.region_id, name=f"Slachtoffer {i}")
        for i in range(count)
    ]
    with allow_bulk_writes("test set-up: victims written directly"):
        CasePerson.objects.bulk_create([CasePerson(case=case, person=p) for p in persons])
    return persons


def open_trajectory(world, case: Case | None = None, person: Person | None = None) -> Trajectory:
    case = case or coordinated_case(world)
    return services.trajectory_open(
        case=case, person=person or case.persons.order_by("pk").first(), actor=coordinator(world)
    )


def grant(world, trajectory: Trajectory, organisation: Organisation | None = None) -> None:
    services.trajectory_access_grant(
        case=trajectory.case,
        organisation=organisation or world.orgs[Organisation.Kind.ZVH],
        reason="Verwijzing naar procesregie geaccepteerd.",
    )


def reload(trajectory: Trajectory) -> Trajectory:
    return Trajectory.objects.get(pk=trajectory.pk)


def access_entries(model, kind: str | None = None):
    from django.contrib.contenttypes.models import ContentType

    entries = AuditLogEntry.objects.filter(
        action=AuditLogEntry.Action.ACCESS,
        content_type=ContentType.objects.get_for_model(model),
    )
    if kind:
        entries = entries.filter(access_kind=kind)
    return entries.order_by("pk")


# Everybody but the care coordinator and the process director: trajectories do not exist.
SHIELDED_ROLES = [r for r in Role if r not in (Role.CARE_COORDINATOR, Role.PROCESS_DIRECTOR)]
