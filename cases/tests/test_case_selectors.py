"""Who sees which case, which actions, and the one timeline of a case."""

import pytest
from django.http import Http404

from accounts.models import Organisation
from accounts.roles import Role
from cases.selectors import case as selectors
from cases.selectors.case import CaseFilters
from cases.services import case as services
from cases.tests.case_support import add_action, close, in_days, vt
from cases.tests.factories import make_case, screened_signal
from signals import services as signal_services
from signals.models import EventKind
from signals.tests.factories import person_input

pytestmark = pytest.mark.django_db


def test_veilig_thuis_sees_the_register_of_its_region(world, other_world):
    ours = [make_case(world), make_case(world, lead=world.other_municipality)]
    make_case(other_world)

    seen = set(selectors.case_list(user=vt(world)))

    assert seen == set(ours)


def test_a_lead_sees_only_the_cases_it_leads(world):
    mine = make_case(world)
    make_case(world, lead=world.other_municipality)

    assert list(selectors.case_list(user=world.user(Role.MUNICIPAL_OFFICER))) == [mine]


@pytest.mark.parametrize(
    "role", [Role.AVIM, Role.CHAIN_DIRECTOR, Role.POLICY_ANALYST, Role.PRIVACY_OFFICER]
)
def test_others_get_404_on_a_case(world, role):
    case = make_case(world)
    with pytest.raises(Http404):
        selectors.case_get(user=world.user(role), public_id=case.public_id)


def test_another_region_gets_404_even_for_veilig_thuis(world, other_world):
    case = make_case(world)
    with pytest.raises(Http404):
        selectors.case_detail(user=vt(other_world), public_id=case.public_id)


def test_the_list_filters(world):
    open_case = make_case(world)
    closed = close(world, make_case(world, lead=world.orgs[Organisation.Kind.ZVH]))
    user = vt(world)

    def found(**filters):
        return set(selectors.case_list(user=user, filters=CaseFilters(**filters)))

    assert found(status="closed") == {closed}
    assert found(lead_organisation=world.municipality.pk) == {open_case}
    assert found(reference=open_case.reference[-5:]) == {open_case}
    assert found(form="labour") == {open_case, closed}
    assert found(form="sexual") == set()
    assert found(classification="suspected") == {open_case, closed}
    assert found(classification="actual") == set()


def test_my_cases_lists_the_open_ones_first(world):
    older_open = make_case(world)
    closed = close(world, make_case(world))
    newer_open = make_case(world)

    assert list(selectors.my_cases(user=world.user(Role.MUNICIPAL_OFFICER))) == [
        newer_open,
        older_open,
        closed,
    ]


def test_my_open_actions_are_those_my_organisation_owns_soonest_first(world):
    case = make_case(world)  # led by the municipality
    zvh = world.orgs[Organisation.Kind.ZVH]
    later = add_action(world, case, owner=zvh, days=10)
    sooner = add_action(world, case, owner=zvh, days=2)
    done = add_action(world, case, owner=zvh, days=1)
    services.action_complete(action=done, actor=vt(world))
    add_action(world, case, owner=world.municipality)

    rows = list(selectors.my_open_actions(user=world.user(Role.CARE_COORDINATOR)))

    assert rows == [sooner, later]
    # The ZVH owns the actions but does not lead: it sees the reference, not the case.
    assert [r.can_open_case for r in rows] == [False, False]
    with pytest.raises(Http404):
        selectors.case_get(user=world.user(Role.CARE_COORDINATOR), public_id=case.public_id)


def test_the_lead_may_open_the_case_of_its_own_actions(world):
    case = make_case(world)
    add_action(world, case, owner=world.municipality)
    rows = list(selectors.my_open_actions(user=world.user(Role.MUNICIPAL_OFFICER)))
    assert [r.can_open_case for r in rows] == [True]


def test_actions_of_closed_cases_leave_the_work_list(world):
    case = make_case(world)
    add_action(world, case, owner=world.orgs[Organisation.Kind.ZVH])
    close(world, case, confirm_open_actions=True)
    assert not selectors.my_open_actions(user=world.user(Role.CARE_COORDINATOR)).exists()


def test_an_action_is_found_by_its_owner_but_not_by_others(world, other_world):
    case = make_case(world)
    action = add_action(world, case, owner=world.orgs[Organisation.Kind.ZVH])
    kwargs = {"case_public_id": case.public_id, "public_id": action.public_id}

    assert selectors.action_get(user=world.user(Role.CARE_COORDINATOR), **kwargs) == action
    assert selectors.action_get(user=world.user(Role.MUNICIPAL_OFFICER), **kwargs) == action
    for user in (world.user(Role.AVIM), vt(other_world)):
        with pytest.raises(Http404):
            selectors.action_get(user=user, **kwargs)


def test_the_timeline_merges_case_and_signal_events_newest_first(world):
    case = make_case(world)
    signal = case.signals.get()
    services.case_note_add(case=case, actor=vt(world), text="Gesprek.")
    signal_services.event_append(
        signal=signal, kind=EventKind.NOTE, summary="Verrijking AVIM", actor=world.user(Role.AVIM)
    )

    timeline = selectors.case_timeline(user=vt(world), case=case)

    summaries = [e.summary for e in timeline.entries]
    assert summaries[0] == "Verrijking AVIM"
    assert summaries[1].startswith("Notitie van")
    assert any(e.from_signal and e.signal_reference == signal.reference for e in timeline.entries)
    assert any(
        not e.from_signal and e.summary.startswith("Casus geopend") for e in timeline.entries
    )
    times = [e.created_at for e in timeline.entries]
    assert times == sorted(times, reverse=True)


def test_a_municipality_that_leads_sees_the_signals_route_status_not_partner_input(world):
    case = make_case(world)
    signal = case.signals.get()
    signal_services.event_append(
        signal=signal, kind=EventKind.NOTE, summary="Verrijking AVIM", actor=world.user(Role.AVIM)
    )
    timeline = selectors.case_timeline(user=world.user(Role.MUNICIPAL_OFFICER), case=case)
    summaries = [e.summary for e in timeline.entries]
    assert "Verrijking AVIM" not in summaries
    assert any(e.from_signal for e in timeline.entries)  # the route status is there


def test_the_timeline_is_bounded(world):
    case = make_case(world)
    for n in range(6):
        services.case_note_add(case=case, actor=vt(world), text=f"Notitie {n}")
    timeline = selectors.case_timeline(user=vt(world), case=case, limit=4)
    assert len(timeline.entries) == 4
    assert timeline.has_more


def test_cases_to_join_hold_a_person_the_register_matches(world, other_world):
    # Every factory signal's victim is "Anna Müller", 23 to 29: the register matches them.
    first = make_case(world)
    second = make_case(world, lead=world.other_municipality)
    make_case(other_world)
    signal = screened_signal(world)

    candidates = selectors.cases_to_join(user=vt(world), signal=signal)

    assert set(candidates) == {first, second}


def test_cases_to_join_without_a_matching_person_are_none(world):
    make_case(world)
    signal = screened_signal(world, persons=[person_input(name="Jan de Vries")])
    assert selectors.cases_to_join(user=vt(world), signal=signal) == []


def test_cases_to_join_leave_out_closed_ones(world):
    case = close(world, make_case(world))
    signal = screened_signal(world)
    assert case not in selectors.cases_to_join(user=vt(world), signal=signal)


def test_a_new_action_is_listed_with_its_due_date(world):
    case = make_case(world)
    action = add_action(world, case, days=5)
    assert list(selectors.case_actions(case=case)) == [action]
    assert action.due_date == in_days(5)
