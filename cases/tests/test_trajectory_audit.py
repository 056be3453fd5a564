"""Every trajectory service leaves change entries attributed to the care coordinator, with the
personal content (care meeting agreements, outcome note, shelter location) masked."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts.audit import MASK, acting_as
from accounts.models import AuditLogEntry
from cases.services import trajectory as services
from cases.tests.test_trajectory_support import coordinator, days_ago, open_trajectory, reload

pytestmark = pytest.mark.django_db


def entries_for(obj):
    return AuditLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_pk=str(obj.pk)
    ).exclude(action=AuditLogEntry.Action.ACCESS)


def test_each_service_is_in_the_change_log_with_masked_content(world):
    actor = coordinator(world)
    with acting_as(actor, path="/test"):
        trajectory = open_trajectory(world)
        placement = services.placement_add(
            trajectory=trajectory,
            shelter_type="omm",
            provider="Opvanghuis De Linde",
            start=days_ago(5),
            actor=actor,
        )
        meeting = services.care_meeting_add(
            trajectory=trajectory,
            held_on=days_ago(1),
            participants="Zorgcoördinator, advocaat mr. Peters",
            agreements="Aangifte bespreken met mevrouw.",
            actor=actor,
        )
        services.reflection_period_set(
            trajectory=trajectory, start=days_ago(2), actor=actor, version=1
        )
        services.comensha_reported(
            trajectory=trajectory, on_date=days_ago(1), actor=actor, version=2
        )
        services.placement_end(placement=placement, end=days_ago(1), actor=actor, version=3)
        trajectory = services.trajectory_phase_change(
            trajectory=reload(trajectory),
            to="closed",
            on_date=timezone.localdate(),
            outcome="other",
            outcome_note="Vertrokken naar familie in Polen.",
            actor=actor,
            version=4,
        )
        capacity = services.shelter_capacity_set(
            region=world.region, shelter_type="omm", places=5, actor=actor
        )

    for obj in (trajectory, placement, meeting, capacity, trajectory.phases.first()):
        entries = list(entries_for(obj))
        assert entries, obj
        assert all(e.actor_id == actor.pk for e in entries)
        assert all(e.actor_role == "care_coordinator" for e in entries)
    logged = " ".join(str(e.changes) + e.object_repr for e in AuditLogEntry.objects.all())
    for secret in ("De Linde", "mr. Peters", "Aangifte", "Polen"):
        assert secret not in logged
    assert MASK in logged
