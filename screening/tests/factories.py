"""Shared set-up for the screening tests: signals at each step of the route and meetings.

Signals are always moved along through ``signals.services`` (never by writing a status),
so every signal carries the timeline and classification history a real one would have.
"""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from accounts.models import Organisation, User
from accounts.roles import Role
from screening import services
from screening.models import AgendaItem, Meeting
from screening.services import Decision
from signals import services as signal_services
from signals.models import Classification, Signal, Source
from signals.tests.factories import make_signal

# The source each sending role records its own signals with (SOURCES_BY_ROLE).
SOURCE_BY_ROLE = {
    Role.MUNICIPAL_OFFICER: Source.MUNICIPALITY_INTERNAL,
    Role.AVIM: Source.AVIM,
    Role.CARE_COORDINATOR: Source.CARE_COORDINATOR,
    Role.VT_STAFF: Source.EXTERNAL_CARE_SAFETY,
    Role.VT_OFFICER: Source.EXTERNAL_CARE_SAFETY,
}


def draft_signal(world, *, sender: User | None = None, **overrides) -> Signal:
    """A draft of the sender (default: the officer of the world's municipality)."""
    sender = sender or world.user(Role.MUNICIPAL_OFFICER)
    overrides.setdefault("source", SOURCE_BY_ROLE[sender.role])
    # Received today, whatever day a test has frozen time at (a future date is refused).
    overrides.setdefault("received_at", timezone.localdate())
    return make_signal(sender, world.municipality, **overrides)


def submitted_signal(world, *, sender: User | None = None, **overrides) -> Signal:
    sender = sender or world.user(Role.MUNICIPAL_OFFICER)
    signal = draft_signal(world, sender=sender, **overrides)
    return signal_services.signal_submit(signal=signal, actor=sender, version=signal.version)


def registered_signal(
    world,
    *,
    sender: User | None = None,
    classification: str = Classification.POTENTIAL,
    **overrides,
) -> Signal:
    """A signal in the Veilig Thuis register, registered now by VT staff."""
    signal = submitted_signal(world, sender=sender, **overrides)
    return signal_services.signal_register(
        signal=signal,
        actor=world.user(Role.VT_STAFF),
        version=signal.version,
        preliminary_classification=classification,
    )


def guest_organisation(world, name: str = "ZVH Maastricht-Heuvelland") -> Organisation:
    """A second ZVH of the region: the kind of organisation invited for one item."""
    org, _created = Organisation.objects.get_or_create(
        region=world.region, name=name, defaults={"kind": Organisation.Kind.ZVH}
    )
    return org


class MeetingFactory(factory.django.DjangoModelFactory):
    """A planned meeting on the next weekly slot (one week later per extra meeting).

    A region has one meeting per slot; concluding a meeting creates the next week's one, so
    asking for a slot that exists returns that meeting.
    """

    class Meta:
        model = Meeting
        django_get_or_create = ("region", "scheduled_for")

    scheduled_for = factory.Sequence(
        lambda n: services.next_slot(timezone.now()) + timedelta(weeks=n)
    )
    agenda_closes_at = factory.LazyAttribute(lambda m: m.scheduled_for - timedelta(hours=24))


def agenda_item(world, meeting: Meeting, signal: Signal | None = None, **kwargs) -> AgendaItem:
    """An accepted item put on the agenda by VT staff (the signal becomes scheduled)."""
    signal = signal or registered_signal(world)
    return services.agenda_item_add(
        meeting=meeting, signal=signal, actor=kwargs.pop("actor", world.user(Role.VT_STAFF))
    )


def meeting_in_session(world, *, items: int = 1) -> tuple[Meeting, list[AgendaItem]]:
    """A started meeting of the world's region with ``items`` accepted items."""
    meeting = MeetingFactory(region=world.region)
    agenda = [agenda_item(world, meeting) for _ in range(items)]
    meeting = services.meeting_start(meeting=meeting, actor=world.user(Role.VT_STAFF))
    return meeting, agenda


def decide(world, item: AgendaItem, *, routes: list[str], **kwargs) -> AgendaItem:
    """Record a route decision as VT staff, with a follow-up owner unless told otherwise."""
    item.refresh_from_db()
    kwargs.setdefault("follow_up_owner", world.orgs[Organisation.Kind.ZVH])
    kwargs.setdefault("follow_up_due", timezone.localdate() + timedelta(days=14))
    return services.item_decide(
        item=item,
        actor=kwargs.pop("actor", world.user(Role.VT_STAFF)),
        version=item.version,
        decision=Decision(routes=routes, **kwargs),
    )
