"""Partners add what they know ("verrijking") to an item during the meeting."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.roles import Role
from screening import services
from screening.models import PartnerInput
from screening.services import ItemSettings
from screening.tests.factories import guest_organisation, meeting_in_session
from signals.models import EventKind
from signals.selectors import signal_timeline


def _invite(world, item, guest):
    item.refresh_from_db()
    return services.agenda_item_configure(
        item=item,
        actor=world.user(Role.VT_STAFF),
        version=item.version,
        data=ItemSettings(guest_organisation=guest),
    )


@pytest.mark.parametrize("role", [Role.VT_STAFF, Role.VT_OFFICER, Role.AVIM, Role.CARE_COORDINATOR])
def test_a_table_partner_adds_input(world, role):
    _meeting, (item,) = meeting_in_session(world)
    partner = world.user(role)

    contribution = services.partner_input_add(
        item=item, actor=partner, text="Bekend bij ons: eerder melding over dit adres."
    )

    assert contribution.item == item
    assert contribution.author == partner
    assert contribution.organisation == partner.organisation
    event = item.signal.events.last()
    assert event.kind == EventKind.NOTE
    assert partner.organisation.name in event.summary


def test_the_sender_does_not_see_the_input_on_its_timeline(world):
    _meeting, (item,) = meeting_in_session(world)
    services.partner_input_add(item=item, actor=world.user(Role.AVIM), text="Bekend bij AVIM.")

    timeline = signal_timeline(user=world.user(Role.MUNICIPAL_OFFICER), signal=item.signal)

    assert not timeline.filter(kind=EventKind.NOTE).exists()


def test_every_contribution_is_a_row_of_its_own(world):
    _meeting, (item,) = meeting_in_session(world)
    avim = world.user(Role.AVIM)

    services.partner_input_add(item=item, actor=avim, text="Eerste")
    services.partner_input_add(item=item, actor=avim, text="Tweede")

    assert list(item.inputs.values_list("text", flat=True)) == ["Eerste", "Tweede"]


def test_the_guest_organisation_adds_input_to_its_own_item(world):
    _meeting, (item, _other) = meeting_in_session(world, items=2)
    guest = guest_organisation(world)
    _invite(world, item, guest)
    guest_user = world.user(Role.PROCESS_DIRECTOR, organisation=guest)

    contribution = services.partner_input_add(item=item, actor=guest_user, text="Procesregie")

    assert contribution.organisation == guest


def test_the_guest_of_one_item_cannot_add_input_to_another(world):
    _meeting, (item, other) = meeting_in_session(world, items=2)
    guest = guest_organisation(world)
    _invite(world, item, guest)
    _invite(world, other, guest_organisation(world, name="Arbeidsinspectie Zuid"))

    with pytest.raises(PermissionDenied):
        services.partner_input_add(
            item=other,
            actor=world.user(Role.PROCESS_DIRECTOR, organisation=guest),
            text="Ook iets",
        )

    assert not PartnerInput.objects.exists()


def test_a_municipal_officer_cannot_add_input(world):
    _meeting, (item,) = meeting_in_session(world)

    with pytest.raises(PermissionDenied):
        services.partner_input_add(
            item=item, actor=world.user(Role.MUNICIPAL_OFFICER), text="Wij weten meer"
        )

    assert not PartnerInput.objects.exists()


def test_a_partner_of_another_region_cannot_add_input(world, other_world):
    _meeting, (item,) = meeting_in_session(world)

    with pytest.raises(PermissionDenied):
        services.partner_input_add(item=item, actor=other_world.user(Role.AVIM), text="Hier ook")

    assert not PartnerInput.objects.exists()


def test_it_refuses_empty_input(world):
    _meeting, (item,) = meeting_in_session(world)
    events = item.signal.events.count()

    with pytest.raises(ValidationError):
        services.partner_input_add(item=item, actor=world.user(Role.AVIM), text="   ")

    assert not PartnerInput.objects.exists()
    assert item.signal.events.count() == events
