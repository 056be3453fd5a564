"""Refusals with a reason that change nothing: 409 for illegal steps, 403 by role, 400 by input."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Organisation
from accounts.roles import Role
from referrals.routes import Route
from screening import services
from screening.models import AgendaItem
from screening.tests.factories import (
    MeetingFactory,
    agenda_item,
    decide,
    draft_signal,
    meeting_in_session,
    registered_signal,
    submitted_signal,
)
from screening.tests.test_api_support import item_url, meeting_url, snapshot
from signals.models import ClassificationRecord, Signal
from signals.tests.api_support import api


@pytest.fixture
def vt(world, login):
    return api(login, world.user(Role.VT_STAFF))


def decide_body(world, version: int) -> dict:
    return {
        "version": version,
        "routes": ["care_coordinator"],
        "follow_up_owner": str(world.orgs[Organisation.Kind.ZVH].public_id),
        "follow_up_due": (timezone.localdate() + timedelta(days=7)).isoformat(),
    }


def assert_conflict(response, code: str) -> dict:
    assert response.status_code == 409, response.json()
    body = response.json()
    assert body["code"] == code
    assert body["detail"]
    return body


# --- 409: the meeting's status, or a stale version --------------------------------------------


def test_it_refuses_a_decision_on_a_concluded_meeting_with_409(world, vt):
    meeting, (item,) = meeting_in_session(world)
    decide(world, item, routes=[Route.CARE_COORDINATOR])
    services.meeting_conclude(meeting=meeting, actor=world.user(Role.VT_STAFF))
    item.refresh_from_db()
    before = snapshot(meeting)

    response = vt.post(item_url(item, "decide"), decide_body(world, item.version))

    body = assert_conflict(response, "transition_not_allowed")
    assert body["status"] == "concluded"
    assert "afgerond" in body["detail"]
    assert snapshot(meeting) == before


def test_it_refuses_to_conclude_a_meeting_that_was_not_started_with_409(world, vt):
    meeting = MeetingFactory(region=world.region)
    item = agenda_item(world, meeting)
    before = snapshot(meeting)

    response = vt.post(meeting_url(meeting, "conclude"))

    body = assert_conflict(response, "transition_not_allowed")
    assert body["status"] == "planned"
    assert snapshot(meeting) == before
    assert Signal.objects.get(pk=item.signal_id).status == "scheduled"


def test_it_refuses_a_stale_item_version_with_409_and_the_current_version(world, vt):
    meeting, (item,) = meeting_in_session(world)
    stale = item.version
    decide(world, item, routes=[Route.POLICE_OM])  # somebody else decided meanwhile
    item.refresh_from_db()
    before = snapshot(meeting)

    response = vt.post(item_url(item, "decide"), decide_body(world, stale))

    body = assert_conflict(response, "stale_version")
    assert body["current_version"] == item.version
    assert snapshot(meeting) == before
    assert list(item.decisions.values_list("route", flat=True)) == [Route.POLICE_OM]


def test_it_refuses_a_stale_carry_over_with_409(world, vt):
    meeting, (item,) = meeting_in_session(world)

    response = vt.post(item_url(item, "carry-over"), {"version": item.version + 1})

    assert_conflict(response, "stale_version")
    assert AgendaItem.objects.get(pk=item.pk).outcome == "pending"


def test_it_refuses_input_before_the_meeting_starts_with_409(world, login):
    meeting = MeetingFactory(region=world.region)
    item = agenda_item(world, meeting)
    before = snapshot(meeting)

    response = api(login, world.user(Role.AVIM)).post(item_url(item, "input"), {"text": "Ja."})

    body = assert_conflict(response, "transition_not_allowed")
    assert "Start eerst" in body["detail"]
    assert snapshot(meeting) == before


def test_it_refuses_a_new_item_once_the_meeting_started_with_409(world, vt):
    meeting, _items = meeting_in_session(world)
    signal = registered_signal(world)
    before = snapshot(meeting)

    response = vt.post(meeting_url(meeting, "items"), {"signal": str(signal.public_id)})

    assert assert_conflict(response, "transition_not_allowed")["status"] == "in_session"
    assert snapshot(meeting) == before
    assert Signal.objects.get(pk=signal.pk).status == "registered"


def test_it_refuses_to_start_a_meeting_twice_with_409(world, vt):
    meeting, _items = meeting_in_session(world)

    response = vt.post(meeting_url(meeting, "start"))

    assert assert_conflict(response, "transition_not_allowed")["status"] == "in_session"


# --- 403: visible, but not for this role -----------------------------------------------------


def test_it_refuses_a_final_classification_by_vt_staff_with_403(world, vt):
    meeting, (item,) = meeting_in_session(world)
    records = ClassificationRecord.objects.filter(signal=item.signal).count()
    before = snapshot(meeting)

    response = vt.post(item_url(item, "classify"), {"kind": "final", "value": "suspected"})

    assert response.status_code == 403
    assert "aandachtsfunctionaris" in response.json()["detail"]
    assert Signal.objects.get(pk=item.signal_id).final_classification == ""
    assert ClassificationRecord.objects.filter(signal=item.signal).count() == records
    assert snapshot(meeting) == before


@pytest.mark.parametrize("role", [Role.AVIM, Role.CARE_COORDINATOR])
def test_the_partners_may_not_manage_the_agenda_or_decide(world, login, role):
    meeting, (item,) = meeting_in_session(world)
    client = api(login, world.user(role))
    before = snapshot(meeting)

    answers = {
        "conclude": client.post(meeting_url(meeting, "conclude")).status_code,
        "close-agenda": client.post(meeting_url(meeting, "close-agenda")).status_code,
        "start": client.post(meeting_url(meeting, "start")).status_code,
        "remove": client.delete(item_url(item)).status_code,
        "move": client.post(item_url(item, "move"), {"direction": "down"}).status_code,
        "classify": client.post(
            item_url(item, "classify"), {"kind": "preliminary", "value": "none"}
        ).status_code,
        "decide": client.post(item_url(item, "decide"), decide_body(world, 1)).status_code,
        "carry-over": client.post(item_url(item, "carry-over"), {"version": 1}).status_code,
    }

    assert answers == dict.fromkeys(answers, 403)
    assert snapshot(meeting) == before


def test_the_right_is_checked_before_the_body(world, login):
    meeting, (item,) = meeting_in_session(world)

    response = api(login, world.user(Role.AVIM)).post(item_url(item, "decide"), {})

    assert response.status_code == 403


# --- 400: the body -------------------------------------------------------------------------


def test_it_refuses_a_draft_of_veilig_thuis_itself_with_400_and_the_reason(world, vt):
    meeting = MeetingFactory(region=world.region)
    draft = draft_signal(world, sender=world.user(Role.VT_STAFF))  # VT sees its own draft
    before = snapshot(meeting)

    response = vt.post(meeting_url(meeting, "items"), {"signal": str(draft.public_id)})

    assert response.status_code == 400
    assert "Concept" in response.json()["signal"][0]
    assert snapshot(meeting) == before
    assert Signal.objects.get(pk=draft.pk).status == "draft"


def test_it_refuses_a_submitted_signal_with_400(world, vt):
    meeting = MeetingFactory(region=world.region)
    signal = submitted_signal(world)

    response = vt.post(meeting_url(meeting, "items"), {"signal": str(signal.public_id)})

    assert response.status_code == 400
    assert "geregistreerde" in response.json()["signal"][0]
    assert not meeting.items.exists()


def test_a_signal_the_caller_cannot_see_answers_400_like_an_unknown_one(
    world, other_world, vt, login
):
    """Another region's signal and a municipality's draft: 400 on the field, no hint of either."""
    meeting = MeetingFactory(region=world.region)
    foreign = registered_signal(other_world)
    municipal_draft = draft_signal(world)

    answers = [
        vt.post(meeting_url(meeting, "items"), {"signal": str(public_id)})
        for public_id in (foreign.public_id, municipal_draft.public_id, uuid.uuid4())
    ]

    assert [a.status_code for a in answers] == [400, 400, 400]
    assert answers[0].json() == answers[1].json() == answers[2].json()
    assert answers[0].json() == {"signal": ["Er is geen signaal met dit id dat u kunt zien."]}
    assert not meeting.items.exists()
    assert Signal.objects.get(pk=foreign.pk).status == "registered"


def test_it_refuses_a_signal_already_on_an_agenda_with_400(world, vt):
    meeting = MeetingFactory(region=world.region)
    item = agenda_item(world, meeting)

    response = vt.post(meeting_url(meeting, "items"), {"signal": str(item.signal.public_id)})

    assert response.status_code == 400
    assert "Geagendeerd" in response.json()["signal"][0]
    assert meeting.items.count() == 1


def test_it_refuses_unknown_fields_and_bad_values_with_400(world, vt):
    meeting, (item,) = meeting_in_session(world)
    before = snapshot(meeting)

    unknown = vt.post(item_url(item, "carry-over"), {"version": item.version, "outcome": "x"})
    direction = vt.post(item_url(item, "move"), {"direction": "sideways"})
    kind = vt.post(item_url(item, "classify"), {"kind": "guess", "value": "maybe"})

    assert unknown.status_code == 400
    assert unknown.json() == {"outcome": ["Onbekend veld."]}
    assert direction.status_code == 400 and "direction" in direction.json()
    assert kind.status_code == 400 and set(kind.json()) == {"kind", "value"}
    assert snapshot(meeting) == before


def test_it_returns_the_decision_rules_as_field_errors(world, vt, other_world):
    meeting, (item,) = meeting_in_session(world)
    foreign_org = other_world.orgs[Organisation.Kind.ZVH]

    without_owner = vt.post(
        item_url(item, "decide"), {"version": item.version, "routes": ["police_om"]}
    )
    none_and_more = vt.post(
        item_url(item, "decide"),
        {**decide_body(world, item.version), "routes": ["none", "police_om"]},
    )
    foreign_owner = vt.post(
        item_url(item, "decide"),
        {**decide_body(world, item.version), "follow_up_owner": str(foreign_org.public_id)},
    )

    assert without_owner.status_code == 400
    assert without_owner.json() == {"follow_up_owner": ["Kies wie het vervolg oppakt."]}
    assert none_and_more.status_code == 400 and "routes" in none_and_more.json()
    assert foreign_owner.status_code == 400
    assert foreign_owner.json()["follow_up_owner"] == ["Kies een organisatie uit uw regio."]
    assert AgendaItem.objects.get(pk=item.pk).outcome == "pending"
