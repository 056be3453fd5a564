"""Concluding a meeting hands the decisions to the follow-up: cases and draft referrals."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Organisation
from accounts.roles import Role
from cases.models import Case, LeadKind
from cases.tests.factories import make_case
from referrals.routes import Route
from screening import handoff, services
from screening.models import AgendaItem, RouteDecision
from screening.tests.factories import MeetingFactory, agenda_item, decide
from signals.models import PersonRole, SignalPerson
from signals.workflow import Status

pytestmark = pytest.mark.django_db


def _conclude_with(world, routes, *, victim=None, **decide_kwargs):
    meeting = MeetingFactory(region=world.region)
    item = agenda_item(world, meeting)
    if victim is not None:
        SignalPerson.objects.create(
            signal=item.signal, person=victim, role=PersonRole.POSSIBLE_VICTIM
        )
    vt = world.user(Role.VT_STAFF)
    services.meeting_start(meeting=meeting, actor=vt)
    decide(world, item, routes=routes, **decide_kwargs)
    services.meeting_conclude(meeting=meeting, actor=vt)
    item.refresh_from_db()
    item.signal.refresh_from_db()
    return item


def test_the_care_coordinators_route_opens_a_case_they_lead(world):
    world.user(Role.CARE_COORDINATOR)
    item = _conclude_with(world, [Route.CARE_COORDINATOR])
    case = Case.objects.get()
    assert case.lead_kind == LeadKind.CARE_COORDINATOR
    assert case.lead_organisation == world.orgs[Organisation.Kind.ZVH]
    assert item.signal.status == Status.ROUTED
    assert list(case.signals.all()) == [item.signal]
    decision = RouteDecision.objects.get()
    assert decision.case == case and decision.handed_off_at is not None


def test_the_follow_up_owner_leads_otherwise(world):
    _conclude_with(world, [Route.PRESENTER_FOLLOWS_UP], follow_up_owner=world.municipality)
    case = Case.objects.get()
    assert (case.lead_organisation, case.lead_kind) == (world.municipality, LeadKind.MUNICIPALITY)


def test_no_further_action_opens_no_case(world):
    _conclude_with(world, [Route.NO_FURTHER_ACTION])
    assert not Case.objects.exists()
    assert RouteDecision.objects.get().handed_off_at is not None


def test_a_known_victim_waits_for_vt_to_choose(world):
    existing = make_case(world)
    item = _conclude_with(world, [Route.PRESENTER_FOLLOWS_UP], victim=existing.persons.get())
    assert Case.objects.count() == 1
    assert item.signal.status == Status.SCREENED
    vt = world.user(Role.VT_STAFF)
    from screening import selectors

    assert [d.item for d in selectors.decisions_to_route(user=vt)] == [item]

    case = handoff.decision_route(item=item, actor=vt, case=existing)
    assert case == existing
    assert set(existing.signals.all()) >= {item.signal}
    item.signal.refresh_from_db()
    assert item.signal.status == Status.ROUTED
    assert not selectors.decisions_to_route(user=vt).exists()
    with pytest.raises(ValidationError):
        handoff.decision_route(item=item, actor=vt, case=existing)


def test_vt_can_give_a_known_victim_a_new_case(world):
    existing = make_case(world)
    item = _conclude_with(world, [Route.PRESENTER_FOLLOWS_UP], victim=existing.persons.get())
    case = handoff.decision_route(
        item=item,
        actor=world.user(Role.VT_STAFF),
        lead_organisation=world.orgs[Organisation.Kind.POLICE_AVIM],
        lead_kind=LeadKind.PRESENTER,
    )
    assert case != existing
    assert Case.objects.count() == 2


def test_only_the_register_routes(world):
    existing = make_case(world)
    item = _conclude_with(world, [Route.PRESENTER_FOLLOWS_UP], victim=existing.persons.get())
    with pytest.raises(PermissionDenied):
        handoff.decision_route(item=item, actor=world.user(Role.AVIM), case=existing)
    assert existing.signals.count() == 1


def test_a_case_comes_back_to_the_table_for_evaluation(world):
    case = make_case(world)
    vt = world.user(Role.VT_STAFF)
    item = handoff.case_evaluation_schedule(case=case, actor=vt)
    assert item.case == case and item.signal == case.signals.get()
    assert case.events.filter(kind="evaluation").count() == 1
    with pytest.raises(ValidationError):
        handoff.case_evaluation_schedule(case=case, actor=vt)

    meeting = item.meeting
    services.meeting_start(meeting=meeting, actor=vt)
    decide(world, item, routes=[Route.PRESENTER_FOLLOWS_UP])
    services.meeting_conclude(meeting=meeting, actor=vt)
    # The signal stays routed; the decision belongs to the case under review.
    signal = case.signals.get()
    assert signal.status == Status.ROUTED
    assert RouteDecision.objects.get(item=item).case == case
    assert Case.objects.count() == 1
    assert AgendaItem.objects.filter(case=case).count() == 1
