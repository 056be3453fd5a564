"""The table's decision on an item: routes, follow-up, validation, stale versions, carry-over."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.audit import acting_as
from accounts.models import AuditLogEntry, Organisation
from accounts.roles import Role
from referrals.routes import Route
from screening import services
from screening.models import AgendaItem, RouteDecision
from screening.services import Decision
from screening.tests.factories import decide, meeting_in_session
from screening.workflow import ItemOutcome
from signals.services import StaleVersion


def _item_state(item):
    fresh = AgendaItem.objects.get(pk=item.pk)
    return (
        fresh.outcome,
        fresh.version,
        fresh.weighing,
        fresh.advice,
        fresh.follow_up_owner_id,
        fresh.follow_up_due,
        sorted(fresh.decisions.values_list("route", flat=True)),
    )


def test_it_records_the_decision_with_its_routes(world):
    _meeting, (item,) = meeting_in_session(world)
    vt = world.user(Role.VT_STAFF)
    owner = world.orgs[Organisation.Kind.ZVH]
    due = timezone.localdate() + timedelta(days=10)

    decided = services.item_decide(
        item=item,
        actor=vt,
        version=item.version,
        decision=Decision(
            routes=[Route.CARE_COORDINATOR, Route.POLICE_OM],
            weighing="Meerdere indicatoren van arbeidsuitbuiting.",
            advice="Intake door de zorgcoördinator.",
            advice_checklist=["Opvang regelen", "Aangifte bespreken"],
            follow_up_owner=owner,
            follow_up_due=due,
            note="Samen oppakken",
        ),
    )

    decided.refresh_from_db()
    assert decided.outcome == ItemOutcome.DECIDED
    assert decided.version == item.version + 1
    assert decided.weighing.startswith("Meerdere indicatoren")
    assert decided.advice_checklist == ["Opvang regelen", "Aangifte bespreken"]
    assert (decided.follow_up_owner, decided.follow_up_due) == (owner, due)
    rows = list(decided.decisions.values_list("route", "decided_by_id", "note"))
    assert sorted(rows) == sorted(
        [
            (Route.CARE_COORDINATOR, vt.pk, "Samen oppakken"),
            (Route.POLICE_OM, vt.pk, "Samen oppakken"),
        ]
    )


def test_no_further_action_needs_no_follow_up_owner(world):
    _meeting, (item,) = meeting_in_session(world)

    decided = decide(world, item, routes=[Route.NO_FURTHER_ACTION], follow_up_owner=None)

    assert decided.outcome == ItemOutcome.DECIDED
    assert list(decided.decisions.values_list("route", flat=True)) == [Route.NO_FURTHER_ACTION]


def test_it_logs_each_route_decision(world):
    _meeting, (item,) = meeting_in_session(world)
    vt = world.user(Role.VT_STAFF)

    with acting_as(vt):
        decide(world, item, routes=[Route.ZVH_WEIGHING], actor=vt)

    decision = RouteDecision.objects.get(item=item)
    entry = AuditLogEntry.objects.get(
        content_type__model="routedecision", object_pk=str(decision.pk)
    )
    assert (entry.action, entry.actor) == (AuditLogEntry.Action.CREATE, vt)
    item_entry = AuditLogEntry.objects.filter(
        content_type__model="agendaitem", object_pk=str(item.pk), actor=vt
    ).last()
    assert item_entry.changes_dict["outcome"] == [ItemOutcome.PENDING, ItemOutcome.DECIDED]


def _past():
    return timezone.localdate() - timedelta(days=1)


@pytest.mark.parametrize(
    ("decision", "field"),
    [
        (lambda w: Decision(routes=[]), "routes"),
        (lambda w: Decision(routes=["shelter_abroad"]), "routes"),
        (lambda w: Decision(routes=[Route.NO_FURTHER_ACTION, Route.POLICE_OM]), "routes"),
        (lambda w: Decision(routes=[Route.POLICE_OM]), "follow_up_owner"),
        (
            lambda w: Decision(
                routes=[Route.POLICE_OM],
                follow_up_owner=w.orgs[Organisation.Kind.POLICE_AVIM],
                follow_up_due=_past(),
            ),
            "follow_up_due",
        ),
    ],
    ids=["none-chosen", "unknown", "none-with-another", "no-owner", "past-due-date"],
)
def test_it_refuses_an_invalid_decision_and_saves_nothing(world, decision, field):
    _meeting, (item,) = meeting_in_session(world)
    before = _item_state(item)

    with pytest.raises(ValidationError) as raised:
        services.item_decide(
            item=item,
            actor=world.user(Role.VT_STAFF),
            version=item.version,
            decision=decision(world),
        )

    assert field in raised.value.message_dict
    assert _item_state(item) == before
    assert not RouteDecision.objects.exists()


def test_it_refuses_a_follow_up_owner_from_another_region(world, other_world):
    _meeting, (item,) = meeting_in_session(world)
    before = _item_state(item)

    with pytest.raises(ValidationError) as raised:
        decide(
            world,
            item,
            routes=[Route.POLICE_OM],
            follow_up_owner=other_world.orgs[Organisation.Kind.ZVH],
        )

    assert "follow_up_owner" in raised.value.message_dict
    assert _item_state(item) == before


def test_a_due_date_of_today_is_fine_at_midnight_in_amsterdam(world):
    _meeting, (item,) = meeting_in_session(world)
    # 23:30 UTC on 4 January is already 5 January in Amsterdam.
    with time_machine.travel("2027-01-04T23:30:00+00:00", tick=False):
        decided = decide(
            world,
            item,
            routes=[Route.POLICE_OM],
            follow_up_due=timezone.localdate(),
        )

    assert decided.follow_up_due.isoformat() == "2027-01-05"


def test_it_refuses_a_decision_on_an_item_somebody_else_changed(world):
    _meeting, (item,) = meeting_in_session(world)
    stale = item.version
    decide(world, item, routes=[Route.POLICE_OM])
    before = _item_state(item)

    with pytest.raises(StaleVersion):
        services.item_decide(
            item=item,
            actor=world.user(Role.VT_OFFICER),
            version=stale,
            decision=Decision(routes=[Route.NO_FURTHER_ACTION]),
        )

    assert _item_state(item) == before


def test_deciding_again_replaces_the_routes_and_keeps_the_latest_note(world):
    _meeting, (item,) = meeting_in_session(world)
    decide(world, item, routes=[Route.POLICE_OM, Route.ADMINISTRATIVE], note="Eerst")

    decide(
        world,
        item,
        routes=[Route.POLICE_OM],
        note="Na overleg met AVIM",
        actor=world.user(Role.VT_OFFICER),
    )

    rows = list(item.decisions.values_list("route", "note", "decided_by_id"))
    assert rows == [(Route.POLICE_OM, "Na overleg met AVIM", world.user(Role.VT_OFFICER).pk)]


@pytest.mark.parametrize("role", [Role.AVIM, Role.CARE_COORDINATOR])
def test_table_partners_do_not_decide(world, role):
    _meeting, (item,) = meeting_in_session(world)
    before = _item_state(item)

    with pytest.raises(PermissionDenied):
        decide(world, item, routes=[Route.POLICE_OM], actor=world.user(role))

    assert _item_state(item) == before


# --- carry over ------------------------------------------------------------------------------


def test_it_carries_an_item_over_and_drops_its_routes(world):
    _meeting, (item,) = meeting_in_session(world)
    decided = decide(world, item, routes=[Route.POLICE_OM])

    carried = services.item_carry_over(
        item=item, actor=world.user(Role.VT_STAFF), version=decided.version
    )

    carried.refresh_from_db()
    assert carried.outcome == ItemOutcome.CARRIED_OVER
    assert carried.version == decided.version + 1
    assert not carried.decisions.exists()


def test_it_refuses_to_carry_over_an_item_somebody_else_changed(world):
    _meeting, (item,) = meeting_in_session(world)
    stale = item.version
    decide(world, item, routes=[Route.POLICE_OM])

    with pytest.raises(StaleVersion):
        services.item_carry_over(item=item, actor=world.user(Role.VT_STAFF), version=stale)

    assert AgendaItem.objects.get(pk=item.pk).outcome == ItemOutcome.DECIDED
