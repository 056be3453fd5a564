"""The screening table through the API: from the agenda to screened signals, step by step."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Organisation
from accounts.roles import Role
from screening import services
from screening.models import AgendaItem, Meeting, PartnerInput
from screening.tests.factories import MeetingFactory, agenda_item, decide, registered_signal
from screening.tests.test_api_support import LIST_URL, item_url, meeting_url
from signals.models import ClassificationRecord, Signal
from signals.tests.api_support import api


@pytest.fixture
def vt(world, login):
    return api(login, world.user(Role.VT_STAFF))


@pytest.fixture
def meeting(world):
    return MeetingFactory(region=world.region)


def start(world, meeting: Meeting) -> Meeting:
    return services.meeting_start(meeting=meeting, actor=world.user(Role.VT_STAFF))


def test_the_table_runs_a_meeting_from_agenda_to_screened_signal(world, vt, meeting, login):
    avim = api(login, world.user(Role.AVIM))
    vt_officer = api(login, world.user(Role.VT_OFFICER))
    zvh = world.orgs[Organisation.Kind.ZVH]
    waiting = agenda_item(world, meeting)
    signal = registered_signal(world)

    # Veilig Thuis puts the signal on the agenda and moves it to the top.
    added = vt.post(meeting_url(meeting, "items"), {"signal": str(signal.public_id)})
    assert added.status_code == 201, added.json()
    item_id = added.json()["id"]
    assert added.json()["position"] == 2
    assert added.json()["state"] == "accepted"
    assert added.json()["signal"]["reference"] == signal.reference
    moved = vt.post(item_url(item_id, "move", meeting=meeting), {"direction": "up"})
    assert moved.status_code == 200, moved.json()
    assert moved.json()["position"] == 1

    started = vt.post(meeting_url(meeting, "start"))
    assert started.status_code == 200, started.json()
    assert started.json()["status"] == "in_session"
    assert [i["id"] for i in started.json()["items"]] == [item_id, str(waiting.public_id)]

    # AVIM adds what it knows; the VT officer confirms the final classification.
    contributed = avim.post(item_url(item_id, "input", meeting=meeting), {"text": "Bekend."})
    assert contributed.status_code == 201, contributed.json()
    assert contributed.json()["organisation"]["id"] == str(
        world.orgs[Organisation.Kind.POLICE_AVIM].public_id
    )
    classified = vt_officer.post(
        item_url(item_id, "classify", meeting=meeting),
        {"kind": "final", "value": "suspected", "reason": "Indicatoren bevestigd."},
    )
    assert classified.status_code == 200, classified.json()
    assert classified.json()["signal"]["classifications"]["final"] == "suspected"

    # Veilig Thuis records the decision with the version it read, then concludes.
    due = (timezone.localdate() + timedelta(days=14)).isoformat()
    decided = vt.post(
        item_url(item_id, "decide", meeting=meeting),
        {
            "version": classified.json()["version"],
            "routes": ["care_coordinator"],
            "weighing": "Arbeidsuitbuiting waarschijnlijk.",
            "advice": "Zorgcoördinator legt contact.",
            "advice_checklist": ["conversation", "shelter"],
            "follow_up_owner": str(zvh.public_id),
            "follow_up_due": due,
            "note": "Deze week.",
        },
    )
    assert decided.status_code == 200, decided.json()
    body = decided.json()
    assert body["outcome"] == "decided"
    assert body["decisions"] == [{"route": "care_coordinator", "note": "Deze week."}]
    assert body["follow_up_owner"]["id"] == str(zvh.public_id)
    assert body["follow_up_due"] == due
    assert [i["text"] for i in body["inputs"]] == ["Bekend."]

    concluded = vt.post(meeting_url(meeting, "conclude"))
    assert concluded.status_code == 200, concluded.json()
    assert concluded.json()["status"] == "concluded"
    assert concluded.json()["concluded_at"] is not None
    assert Signal.objects.get(pk=signal.pk).status == "routed"  # the hand-off opened its case
    assert Signal.objects.get(pk=signal.pk).final_classification == "suspected"
    # The undecided item comes back on the next meeting's agenda.
    assert AgendaItem.objects.filter(signal=waiting.signal).exclude(meeting=meeting).exists()


def test_avim_proposes_an_item_and_veilig_thuis_accepts_it(world, vt, meeting, login):
    avim_user = world.user(Role.AVIM)
    own = registered_signal(world, sender=avim_user)

    proposed = api(login, avim_user).post(
        meeting_url(meeting, "items"), {"signal": str(own.public_id)}
    )
    assert proposed.status_code == 201, proposed.json()
    assert proposed.json()["state"] == "proposed"
    assert proposed.json()["presenter"]["id"] == str(avim_user.organisation.public_id)

    accepted = vt.post(item_url(proposed.json()["id"], "accept", meeting=meeting))

    assert accepted.status_code == 200, accepted.json()
    assert accepted.json()["state"] == "accepted"
    assert Signal.objects.get(pk=own.pk).status == "scheduled"


def test_veilig_thuis_takes_an_item_off_the_agenda(world, vt, meeting):
    item = agenda_item(world, meeting)

    response = vt.delete(item_url(item))

    assert response.status_code == 204
    assert not AgendaItem.objects.filter(pk=item.pk).exists()
    assert Signal.objects.get(pk=item.signal_id).status == "registered"


def test_veilig_thuis_closes_the_agenda(world, vt, meeting):
    response = vt.post(meeting_url(meeting, "close-agenda"))

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "agenda_closed"
    assert response.json()["version"] == meeting.version + 1


def test_veilig_thuis_carries_an_item_over(world, vt, meeting):
    item = agenda_item(world, meeting)
    start(world, meeting)
    decide(world, item, routes=["police_om"])
    item.refresh_from_db()

    response = vt.post(item_url(item, "carry-over"), {"version": item.version})

    assert response.status_code == 200, response.json()
    assert response.json()["outcome"] == "carried_over"
    assert response.json()["decisions"] == []
    assert response.json()["version"] == item.version + 1


def test_a_preliminary_classification_by_vt_staff_is_kept_in_the_history(world, vt, meeting):
    item = agenda_item(world, meeting)
    start(world, meeting)

    response = vt.post(
        item_url(item, "classify"), {"kind": "preliminary", "value": "actual", "reason": ""}
    )

    assert response.status_code == 200, response.json()
    assert response.json()["signal"]["classifications"]["preliminary"] == "actual"
    record = ClassificationRecord.objects.filter(signal=item.signal).latest("pk")
    assert (record.kind, record.value, record.previous_value) == (
        "preliminary",
        "actual",
        "potential",
    )


def test_the_detail_shows_the_agenda_with_what_the_table_needs(world, vt, meeting):
    signal = registered_signal(world, description="x" * 400)
    item = agenda_item(world, meeting, signal)
    start(world, meeting)
    PartnerInput.objects.create(
        item=item,
        organisation=world.orgs[Organisation.Kind.POLICE_AVIM],
        author=world.user(Role.AVIM),
        text="Ja.",
    )

    response = vt.get(meeting_url(meeting))

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "id",
        "scheduled_for",
        "agenda_closes_at",
        "status",
        "started_at",
        "concluded_at",
        "version",
        "counts",
        "items",
    }
    assert body["counts"] == {"items": 1, "decided": 0, "carried_over": 0, "carried_over_often": 0}
    shown = body["items"][0]
    assert shown["signal"]["id"] == str(signal.public_id)
    assert shown["signal"]["municipality"]["id"] == str(world.municipality.public_id)
    assert shown["signal"]["forms"] == list(signal.forms)
    assert len(shown["signal"]["summary"]) == 300
    assert "persons" not in shown["signal"]
    assert shown["presenter"]["id"] == str(world.orgs[Organisation.Kind.VEILIG_THUIS].public_id)
    assert (
        shown["inputs"][0]["organisation"]["name"] == world.orgs[Organisation.Kind.POLICE_AVIM].name
    )
    assert set(shown["inputs"][0]) == {"organisation", "text", "created_at"}


def test_the_list_shows_the_meetings_of_the_region_newest_first(world, other_world, vt):
    older = MeetingFactory(region=world.region)
    newer = MeetingFactory(region=world.region)
    agenda_item(world, newer)
    MeetingFactory(region=other_world.region)

    response = vt.get(LIST_URL)

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [str(newer.public_id), str(older.public_id)]
    assert rows[0]["counts"]["items"] == 1
    assert "items" not in rows[0]


@pytest.mark.parametrize("role", [Role.AVIM, Role.CARE_COORDINATOR, Role.VT_OFFICER])
def test_the_partners_at_the_table_see_the_agenda_of_their_region(world, meeting, login, role):
    agenda_item(world, meeting)
    client = api(login, world.user(role))

    assert client.get(LIST_URL).json()["results"][0]["id"] == str(meeting.public_id)
    assert len(client.get(meeting_url(meeting)).json()["items"]) == 1
