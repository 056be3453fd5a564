"""Preparing the agenda: adding, proposing, accepting, removing, reordering, configuring."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.audit import acting_as
from accounts.models import AuditLogEntry, Organisation
from accounts.roles import Role
from screening import services
from screening.models import AgendaItem
from screening.services import ItemSettings, MeetingStateError
from screening.tests.factories import (
    MeetingFactory,
    agenda_item,
    draft_signal,
    guest_organisation,
    registered_signal,
    submitted_signal,
)
from screening.workflow import ItemState
from signals.services import StaleVersion
from signals.workflow import Status


@pytest.fixture
def meeting(world):
    return MeetingFactory(region=world.region)


def _snapshot(signal):
    signal.refresh_from_db()
    return signal.status, signal.version, signal.events.count()


# --- adding and removing -------------------------------------------------------------------


def test_it_lets_vt_put_a_signal_on_the_agenda(world, meeting):
    signal = registered_signal(world)

    item = services.agenda_item_add(meeting=meeting, signal=signal, actor=world.user(Role.VT_STAFF))

    assert item.state == ItemState.ACCEPTED
    assert item.position == 1
    assert item.presenter == world.orgs[Organisation.Kind.VEILIG_THUIS]
    assert item.proposed_by == world.user(Role.VT_STAFF)
    signal.refresh_from_db()
    assert signal.status == Status.SCHEDULED
    assert signal.events.last().to_status == Status.SCHEDULED


def test_it_appends_new_items_at_the_end(world, meeting):
    items = [agenda_item(world, meeting) for _ in range(3)]

    assert [i.position for i in items] == [1, 2, 3]


def test_it_logs_the_new_item_in_the_audit_trail(world, meeting):
    vt = world.user(Role.VT_STAFF)

    with acting_as(vt):
        item = agenda_item(world, meeting, actor=vt)

    entry = AuditLogEntry.objects.get(
        content_type__model="agendaitem",
        object_pk=str(item.pk),
        action=AuditLogEntry.Action.CREATE,
    )
    assert entry.actor == vt
    assert entry.actor_role == Role.VT_STAFF


def test_it_lets_vt_remove_an_item_and_puts_the_signal_back_in_the_register(world, meeting):
    item = agenda_item(world, meeting)

    services.agenda_item_remove(item=item, actor=world.user(Role.VT_OFFICER))

    assert not AgendaItem.objects.filter(pk=item.pk).exists()
    signal = item.signal
    signal.refresh_from_db()
    assert signal.status == Status.REGISTERED
    event = signal.events.last()
    assert (event.from_status, event.to_status) == (Status.SCHEDULED, Status.REGISTERED)
    assert event.summary == "Van de agenda gehaald"


@pytest.mark.parametrize("role", [Role.AVIM, Role.CARE_COORDINATOR])
def test_a_table_partner_only_proposes_an_item(world, meeting, role):
    signal = registered_signal(world)
    before = _snapshot(signal)

    item = services.agenda_item_add(meeting=meeting, signal=signal, actor=world.user(role))

    assert item.state == ItemState.PROPOSED
    assert item.presenter == world.user(role).organisation
    assert _snapshot(signal) == before  # not scheduled until Veilig Thuis accepts


@pytest.mark.parametrize("role", [Role.AVIM, Role.CARE_COORDINATOR])
def test_vt_accepts_a_proposal_and_only_then_the_signal_is_scheduled(world, meeting, role):
    signal = registered_signal(world)
    item = services.agenda_item_add(meeting=meeting, signal=signal, actor=world.user(role))

    accepted = services.agenda_item_accept(item=item, actor=world.user(Role.VT_STAFF))

    assert accepted.state == ItemState.ACCEPTED
    signal.refresh_from_db()
    assert signal.status == Status.SCHEDULED


def test_a_table_partner_cannot_accept_a_proposal(world, meeting):
    item = services.agenda_item_add(
        meeting=meeting, signal=registered_signal(world), actor=world.user(Role.AVIM)
    )

    with pytest.raises(PermissionDenied):
        services.agenda_item_accept(item=item, actor=world.user(Role.CARE_COORDINATOR))

    item.refresh_from_db()
    assert item.state == ItemState.PROPOSED


def test_it_refuses_to_accept_an_item_twice(world, meeting):
    item = agenda_item(world, meeting)

    with pytest.raises(MeetingStateError, match="al geaccepteerd"):
        services.agenda_item_accept(item=item, actor=world.user(Role.VT_STAFF))


def _in_other_region(world, other_world):
    return registered_signal(other_world)


def _already_on_this_agenda(world, meeting):
    signal = registered_signal(world)
    services.agenda_item_add(meeting=meeting, signal=signal, actor=world.user(Role.AVIM))
    return signal


def _already_on_another_open_agenda(world, meeting):
    signal = registered_signal(world)
    other = MeetingFactory(region=world.region)
    services.agenda_item_add(meeting=other, signal=signal, actor=world.user(Role.AVIM))
    return signal


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda w, o, m: draft_signal(w), MeetingStateError, "status 'Concept'"),
        (
            lambda w, o, m: submitted_signal(w),
            MeetingStateError,
            "status 'Ingediend bij Veilig Thuis'",
        ),
        (lambda w, o, m: _in_other_region(w, o), ValidationError, "andere regio"),
        (lambda w, o, m: _already_on_this_agenda(w, m), ValidationError, "al op deze agenda"),
        (
            lambda w, o, m: _already_on_another_open_agenda(w, m),
            ValidationError,
            "agenda van een ander overleg",
        ),
    ],
    ids=["draft", "submitted", "other-region", "twice", "other-open-agenda"],
)
def test_it_refuses_a_signal_that_does_not_belong_on_the_agenda(
    world, other_world, meeting, make, error, message
):
    signal = make(world, other_world, meeting)
    before = _snapshot(signal)
    items = AgendaItem.objects.count()

    with pytest.raises(error, match=message):
        services.agenda_item_add(meeting=meeting, signal=signal, actor=world.user(Role.VT_STAFF))

    assert AgendaItem.objects.count() == items
    assert _snapshot(signal) == before


def test_it_refuses_a_presenter_from_another_region(world, other_world, meeting):
    signal = registered_signal(world)

    with pytest.raises(ValidationError, match="inbrenger uit de regio"):
        services.agenda_item_add(
            meeting=meeting,
            signal=signal,
            actor=world.user(Role.VT_STAFF),
            presenter=other_world.orgs[Organisation.Kind.POLICE_AVIM],
        )

    assert not AgendaItem.objects.exists()
    assert _snapshot(signal)[0] == Status.REGISTERED


def test_vt_of_another_region_cannot_touch_the_agenda(world, other_world, meeting):
    item = agenda_item(world, meeting)
    outsider = other_world.user(Role.VT_STAFF)

    with pytest.raises(PermissionDenied):
        services.agenda_item_add(meeting=meeting, signal=registered_signal(world), actor=outsider)
    with pytest.raises(PermissionDenied):
        services.agenda_item_remove(item=item, actor=outsider)

    assert AgendaItem.objects.filter(meeting=meeting).count() == 1


# --- reordering ----------------------------------------------------------------------------


def _order(meeting):
    return list(meeting.items.order_by("position").values_list("pk", flat=True))


def test_it_moves_an_item_up_and_down_by_swapping_with_its_neighbour(world, meeting):
    first, second, third = (agenda_item(world, meeting) for _ in range(3))
    vt = world.user(Role.VT_STAFF)

    services.agenda_item_move(item=third, actor=vt, offset=-1)
    assert _order(meeting) == [first.pk, third.pk, second.pk]

    moved = services.agenda_item_move(item=first, actor=vt, offset=1)
    assert _order(meeting) == [third.pk, first.pk, second.pk]
    assert moved.position == 2
    assert list(meeting.items.order_by("position").values_list("position", flat=True)) == [
        1,
        2,
        3,
    ]


def test_it_leaves_the_order_alone_when_moving_past_either_end(world, meeting):
    first, second = (agenda_item(world, meeting) for _ in range(2))
    vt = world.user(Role.VT_STAFF)

    services.agenda_item_move(item=first, actor=vt, offset=-1)
    services.agenda_item_move(item=second, actor=vt, offset=1)

    assert _order(meeting) == [first.pk, second.pk]


# --- presenter and guest -------------------------------------------------------------------


def test_it_sets_the_presenter_and_a_guest_for_one_item(world, meeting):
    item, other = agenda_item(world, meeting), agenda_item(world, meeting)
    guest = guest_organisation(world)

    configured = services.agenda_item_configure(
        item=item,
        actor=world.user(Role.VT_STAFF),
        version=item.version,
        data=ItemSettings(presenter=world.orgs[Organisation.Kind.ZVH], guest_organisation=guest),
    )

    configured.refresh_from_db()
    assert configured.presenter == world.orgs[Organisation.Kind.ZVH]
    assert configured.guest_organisation == guest
    assert configured.version == item.version + 1
    other.refresh_from_db()
    assert other.guest_organisation is None


@pytest.mark.parametrize("field", ["presenter", "guest_organisation"])
def test_it_refuses_an_organisation_from_another_region(world, other_world, meeting, field):
    item = agenda_item(world, meeting)

    with pytest.raises(ValidationError, match="uit de regio"):
        services.agenda_item_configure(
            item=item,
            actor=world.user(Role.VT_STAFF),
            version=item.version,
            data=ItemSettings(**{field: other_world.orgs[Organisation.Kind.ZVH]}),
        )

    fresh = AgendaItem.objects.get(pk=item.pk)
    assert (fresh.presenter_id, fresh.guest_organisation_id, fresh.version) == (
        item.presenter_id,
        None,
        item.version,
    )


def test_it_refuses_to_configure_an_item_somebody_else_changed(world, meeting):
    item = agenda_item(world, meeting)
    vt = world.user(Role.VT_STAFF)
    services.agenda_item_configure(
        item=item, actor=vt, version=item.version, data=ItemSettings(guest_organisation=None)
    )

    with pytest.raises(StaleVersion):
        services.agenda_item_configure(
            item=item,
            actor=vt,
            version=item.version,
            data=ItemSettings(guest_organisation=guest_organisation(world)),
        )

    assert AgendaItem.objects.get(pk=item.pk).guest_organisation is None


# --- the municipal officer never touches the table -----------------------------------------


AGENDA_SERVICES = {
    "agenda_item_add": lambda w, m, i, u: services.agenda_item_add(
        meeting=m, signal=registered_signal(w), actor=u
    ),
    "agenda_item_accept": lambda w, m, i, u: services.agenda_item_accept(item=i, actor=u),
    "agenda_item_remove": lambda w, m, i, u: services.agenda_item_remove(item=i, actor=u),
    "agenda_item_move": lambda w, m, i, u: services.agenda_item_move(item=i, actor=u, offset=1),
    "agenda_item_configure": lambda w, m, i, u: services.agenda_item_configure(
        item=i, actor=u, version=i.version, data=ItemSettings()
    ),
    "agenda_close": lambda w, m, i, u: services.agenda_close(meeting=m, actor=u),
    "meeting_start": lambda w, m, i, u: services.meeting_start(meeting=m, actor=u),
    "attendance_record": lambda w, m, i, u: services.attendance_record(
        meeting=m, actor=u, organisation=u.organisation, present=True
    ),
    "partner_input_add": lambda w, m, i, u: services.partner_input_add(
        item=i, actor=u, text="Wij kennen dit adres."
    ),
    "item_classify": lambda w, m, i, u: services.item_classify(
        item=i, actor=u, kind="preliminary", value="suspected"
    ),
    "item_decide": lambda w, m, i, u: services.item_decide(
        item=i, actor=u, version=i.version, decision=services.Decision(routes=["none"])
    ),
    "item_carry_over": lambda w, m, i, u: services.item_carry_over(
        item=i, actor=u, version=i.version
    ),
    "meeting_conclude": lambda w, m, i, u: services.meeting_conclude(meeting=m, actor=u),
    "addendum_add": lambda w, m, i, u: services.addendum_add(meeting=m, actor=u, text="Correctie"),
}


@pytest.mark.parametrize("name", AGENDA_SERVICES)
def test_a_municipal_officer_is_refused_every_screening_service(world, meeting, name):
    item = services.agenda_item_add(
        meeting=meeting, signal=registered_signal(world), actor=world.user(Role.AVIM)
    )
    officer = world.user(Role.MUNICIPAL_OFFICER)
    items = list(AgendaItem.objects.values_list("pk", "state", "position", "version"))

    with pytest.raises(PermissionDenied):
        AGENDA_SERVICES[name](world, meeting, item, officer)

    assert list(AgendaItem.objects.values_list("pk", "state", "position", "version")) == items
    meeting.refresh_from_db()
    assert meeting.status == "planned"


def test_it_refuses_a_municipality_as_guest_and_a_presenter_outside_the_table(world, meeting):
    item = agenda_item(world, meeting)
    vt = world.user(Role.VT_STAFF)

    with pytest.raises(ValidationError, match="een gemeente kan geen gast zijn"):
        services.agenda_item_configure(
            item=item,
            actor=vt,
            version=item.version,
            data=ItemSettings(guest_organisation=world.municipality),
        )
    with pytest.raises(ValidationError, match="Kies als inbrenger"):
        services.agenda_item_configure(
            item=item,
            actor=vt,
            version=item.version,
            data=ItemSettings(presenter=world.orgs[Organisation.Kind.RIEC]),
        )

    fresh = AgendaItem.objects.get(pk=item.pk)
    assert (fresh.guest_organisation_id, fresh.presenter_id) == (None, item.presenter_id)
