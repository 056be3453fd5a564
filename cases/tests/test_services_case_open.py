import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.roles import Role
from cases.models import CaseEvent, CaseStatus
from cases.selectors.case import cases_visible_to
from cases.tests.factories import make_case, screened_signal
from signals.workflow import Status

pytestmark = pytest.mark.django_db


def test_opening_a_case_routes_the_signal_and_links_its_victims(world):
    case = make_case(world)
    signal = case.signals.get()
    assert signal.status == Status.ROUTED
    assert case.status == CaseStatus.OPEN
    assert case.reference.endswith("-00001")
    assert case.persons.count() == 1
    assert case.forms == ["labour"]
    assert CaseEvent.objects.filter(case=case, kind="opened").count() == 1


def test_only_the_register_opens_cases(world):
    signal = screened_signal(world)
    from cases.services import case as case_services

    with pytest.raises(PermissionDenied):
        case_services.case_open(
            signal=signal,
            actor=world.user(Role.MUNICIPAL_OFFICER),
            lead_organisation=world.municipality,
            lead_kind="municipality",
        )


def test_a_case_needs_a_decided_signal(world):
    from cases.services import case as case_services
    from signals.tests.factories import registered_signal

    signal = registered_signal(
        world.user(Role.MUNICIPAL_OFFICER), world.user(Role.VT_STAFF), world.municipality
    )
    with pytest.raises(ValidationError):
        case_services.case_open(
            signal=signal,
            actor=world.user(Role.VT_STAFF),
            lead_organisation=world.municipality,
            lead_kind="municipality",
        )


def test_the_lead_and_the_register_see_the_case_nobody_else(world, other_world):
    case = make_case(world)
    assert list(cases_visible_to(world.user(Role.VT_STAFF))) == [case]
    assert list(cases_visible_to(world.user(Role.MUNICIPAL_OFFICER))) == [case]
    for role in (Role.AVIM, Role.POLICY_ANALYST, Role.ADMINISTRATOR, Role.PRIVACY_OFFICER):
        assert not cases_visible_to(world.user(role)).exists()
    assert not cases_visible_to(other_world.user(Role.VT_STAFF)).exists()
