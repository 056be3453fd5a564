"""Meeting mode works only between start and conclusion; afterwards only an addendum.

Each refusal is a MeetingStateError with a message for the user, and changes nothing.
"""

from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Organisation
from accounts.roles import Role
from referrals.routes import Route
from screening import services
from screening.models import Addendum, AgendaItem, Attendance, Meeting, PartnerInput, RouteDecision
from screening.services import Decision, ItemSettings, MeetingStateError
from screening.tests.factories import MeetingFactory, agenda_item, decide, registered_signal
from screening.workflow import MeetingStatus
from signals.models import ClassificationRecord, Signal, SignalEvent


def _everything():
    """All that a screening service could change, in one comparable value."""
    return (
        list(Meeting.objects.order_by("pk").values_list("pk", "status", "version")),
        list(
            AgendaItem.objects.order_by("pk").values_list(
                "pk", "meeting_id", "state", "outcome", "position", "version", "guest_organisation"
            )
        ),
        list(Signal.objects.order_by("pk").values_list("pk", "status", "version")),
        PartnerInput.objects.count(),
        RouteDecision.objects.count(),
        Attendance.objects.count(),
        Addendum.objects.count(),
        ClassificationRecord.objects.count(),
        SignalEvent.objects.count(),
    )


MEETING_MODE = {
    "attendance_record": lambda c: services.attendance_record(
        meeting=c.meeting, actor=c.vt, organisation=c.avim.organisation, present=True
    ),
    "partner_input_add": lambda c: services.partner_input_add(
        item=c.item, actor=c.avim, text="Bekend bij AVIM."
    ),
    "item_classify_preliminary": lambda c: services.item_classify(
        item=c.item, actor=c.vt, kind="preliminary", value="suspected"
    ),
    "item_classify_final": lambda c: services.item_classify(
        item=c.item, actor=c.officer, kind="final", value="suspected"
    ),
    "item_decide": lambda c: services.item_decide(
        item=c.item,
        actor=c.vt,
        version=c.item.version,
        decision=Decision(routes=[Route.NO_FURTHER_ACTION]),
    ),
    "item_carry_over": lambda c: services.item_carry_over(
        item=c.item, actor=c.vt, version=c.item.version
    ),
    "meeting_conclude": lambda c: services.meeting_conclude(meeting=c.meeting, actor=c.vt),
}

AGENDA = {
    "agenda_item_add": lambda c: services.agenda_item_add(
        meeting=c.meeting, signal=c.fresh_signal, actor=c.vt
    ),
    "agenda_item_accept": lambda c: services.agenda_item_accept(item=c.proposal, actor=c.vt),
    "agenda_item_remove": lambda c: services.agenda_item_remove(item=c.item, actor=c.vt),
    "agenda_item_move": lambda c: services.agenda_item_move(item=c.item, actor=c.vt, offset=1),
    "agenda_item_configure": lambda c: services.agenda_item_configure(
        item=c.item,
        actor=c.vt,
        version=c.item.version,
        data=ItemSettings(guest_organisation=c.avim.organisation),
    ),
    "agenda_close": lambda c: services.agenda_close(meeting=c.meeting, actor=c.vt),
    "meeting_start": lambda c: services.meeting_start(meeting=c.meeting, actor=c.vt),
}


def _context(world, meeting, item, proposal):
    for obj in (meeting, item, proposal):
        obj.refresh_from_db()
    return SimpleNamespace(
        meeting=meeting,
        item=item,
        proposal=proposal,
        fresh_signal=registered_signal(world),
        vt=world.user(Role.VT_STAFF),
        officer=world.user(Role.VT_OFFICER),
        avim=world.user(Role.AVIM),
    )


@pytest.fixture
def planned(world):
    meeting = MeetingFactory(region=world.region)
    item = agenda_item(world, meeting)
    proposal = services.agenda_item_add(
        meeting=meeting, signal=registered_signal(world), actor=world.user(Role.AVIM)
    )
    return _context(world, meeting, item, proposal)


@pytest.fixture
def concluded(world):
    vt = world.user(Role.VT_STAFF)
    meeting = MeetingFactory(region=world.region)
    item = agenda_item(world, meeting)
    pending = agenda_item(world, meeting)
    proposal = services.agenda_item_add(
        meeting=meeting, signal=registered_signal(world), actor=world.user(Role.AVIM)
    )
    services.meeting_start(meeting=meeting, actor=vt)
    decide(world, item, routes=[Route.POLICE_OM])
    services.meeting_conclude(meeting=meeting, actor=vt)
    assert AgendaItem.objects.get(pk=pending.pk).outcome == "carried_over"
    return _context(world, meeting, item, proposal)


@pytest.mark.parametrize("name", MEETING_MODE)
@pytest.mark.parametrize("status", [MeetingStatus.PLANNED, MeetingStatus.AGENDA_CLOSED])
def test_meeting_mode_does_not_work_before_the_start(world, planned, name, status):
    if status == MeetingStatus.AGENDA_CLOSED:
        services.agenda_close(meeting=planned.meeting, actor=planned.vt)
        planned.meeting.refresh_from_db()
    before = _everything()

    with pytest.raises(MeetingStateError) as raised:
        MEETING_MODE[name](planned)

    assert raised.value.message
    assert raised.value.current == status
    assert _everything() == before


@pytest.mark.parametrize("name", [*MEETING_MODE, *AGENDA])
def test_nothing_changes_after_the_meeting_is_concluded(world, concluded, name):
    before = _everything()

    with pytest.raises(MeetingStateError) as raised:
        {**MEETING_MODE, **AGENDA}[name](concluded)

    assert raised.value.message
    assert _everything() == before


@pytest.mark.parametrize(
    "name", ["partner_input_add", "item_classify_preliminary", "item_decide", "item_carry_over"]
)
def test_meeting_mode_leaves_an_unaccepted_proposal_alone(world, planned, name):
    services.meeting_start(meeting=planned.meeting, actor=planned.vt)
    planned.item = planned.proposal  # the meeting-mode services act on ``c.item``
    before = _everything()

    with pytest.raises(MeetingStateError, match="voorstel"):
        MEETING_MODE[name](planned)

    assert _everything() == before


def test_the_agenda_cannot_be_changed_during_the_meeting(world, planned):
    services.meeting_start(meeting=planned.meeting, actor=planned.vt)
    planned.meeting.refresh_from_db()
    before = _everything()

    for name in ("agenda_item_add", "agenda_item_accept", "agenda_item_remove"):
        with pytest.raises(MeetingStateError, match="tijdens het overleg"):
            AGENDA[name](planned)

    assert _everything() == before


def test_attendance_is_recorded_per_organisation_during_the_meeting(world, planned):
    services.meeting_start(meeting=planned.meeting, actor=planned.vt)
    avim = world.orgs[Organisation.Kind.POLICE_AVIM]

    services.attendance_record(
        meeting=planned.meeting, actor=planned.vt, organisation=avim, present=True
    )
    services.attendance_record(
        meeting=planned.meeting, actor=planned.vt, organisation=avim, present=False
    )

    assert list(planned.meeting.attendance.values_list("organisation", "present")) == [
        (avim.pk, False)
    ]


# --- addendum --------------------------------------------------------------------------------


def test_it_adds_an_addendum_to_a_concluded_meeting(world, concluded):
    addendum = services.addendum_add(
        meeting=concluded.meeting,
        actor=world.user(Role.VT_OFFICER),
        text="De vervolgdatum is 1 februari, niet 1 januari.",
        item=concluded.item,
    )

    assert addendum.meeting == concluded.meeting
    assert addendum.item == concluded.item
    assert addendum.author == world.user(Role.VT_OFFICER)
    assert list(concluded.meeting.addenda.all()) == [addendum]


@pytest.mark.parametrize("fixture", ["planned", "in_session"])
def test_it_refuses_an_addendum_before_the_meeting_is_concluded(world, planned, fixture):
    if fixture == "in_session":
        services.meeting_start(meeting=planned.meeting, actor=planned.vt)
        planned.meeting.refresh_from_db()

    with pytest.raises(MeetingStateError, match="afgerond overleg"):
        services.addendum_add(meeting=planned.meeting, actor=planned.vt, text="Correctie")

    assert not Addendum.objects.exists()


def test_it_refuses_an_empty_addendum_or_one_about_another_meetings_item(world, concluded):
    other = agenda_item(world, MeetingFactory(region=world.region))

    with pytest.raises(ValidationError):
        services.addendum_add(meeting=concluded.meeting, actor=concluded.vt, text="  ")
    with pytest.raises(ValidationError):
        services.addendum_add(
            meeting=concluded.meeting, actor=concluded.vt, text="Correctie", item=other
        )

    assert not Addendum.objects.exists()
