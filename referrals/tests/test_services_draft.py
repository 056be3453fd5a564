"""Preparing a referral: Veilig Thuis drafts it from an open case, to a fitting receiver."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from accounts.models import Organisation
from accounts.roles import Role
from cases.models import CaseEvent, CaseEventKind
from referrals import services
from referrals.models import Referral
from referrals.routes import Route
from referrals.tests.factories import draft, referral_case
from referrals.workflow import ReferralStatus


def test_it_drafts_a_referral_and_tells_the_case(world):
    case = referral_case(world)

    referral = services.referral_draft(
        case=case,
        route=Route.ZVH_WEIGHING,
        receiving_organisation=world.orgs[Organisation.Kind.ZVH],
        reason="Graag procesregie.",
        actor=world.user(Role.VT_STAFF),
    )

    assert referral.status == ReferralStatus.DRAFT
    assert referral.version == 1
    event = CaseEvent.objects.filter(case=case, kind=CaseEventKind.REFERRAL).get()
    assert "Regionale weegploeg" in event.summary


def test_it_starts_an_administrative_referral_with_places_only(world):
    referral = draft(world, world.municipality)
    assert sorted(referral.shared_fields) == ["places", "summary"]


@pytest.mark.parametrize(
    ("route", "kind"),
    [
        (Route.ZVH_WEIGHING, Organisation.Kind.MUNICIPALITY),
        (Route.POLICE_OM, Organisation.Kind.ZVH),
        (Route.ADMINISTRATIVE, Organisation.Kind.POLICE_AVIM),
    ],
)
def test_it_refuses_a_receiver_that_does_not_take_the_route(world, route, kind):
    case = referral_case(world)
    with pytest.raises(ValidationError) as exc:
        services.referral_draft(
            case=case,
            route=route,
            receiving_organisation=world.orgs[kind],
            reason="",
            actor=world.user(Role.VT_STAFF),
        )
    assert "receiving_organisation" in exc.value.message_dict
    assert not Referral.objects.exists()


def test_it_refuses_a_receiver_of_another_region(world, other_world):
    with pytest.raises(ValidationError) as exc:
        draft(world, other_world.municipality, route=Route.ADMINISTRATIVE)
    assert "regio" in exc.value.message_dict["receiving_organisation"][0]


def test_it_refuses_a_route_that_is_no_referral(world):
    with pytest.raises(ValidationError):
        draft(world, world.orgs[Organisation.Kind.ZVH], route=Route.CARE_COORDINATOR)


@pytest.mark.parametrize("role", [Role.MUNICIPAL_OFFICER, Role.AVIM, Role.PROCESS_DIRECTOR])
def test_only_veilig_thuis_drafts(world, role):
    with pytest.raises(PermissionDenied):
        draft(world, actor=world.user(role))


def test_veilig_thuis_of_another_region_does_not_find_the_case(world, other_world):
    case = referral_case(world)
    with pytest.raises(Http404):
        draft(world, case=case, actor=other_world.user(Role.VT_STAFF))
