"""Nested resources: /signals/{id}/persons/ (GET) and /signals/{id}/notes/ (GET, POST).

Notes are partner input: the sending municipality may see the signal but not its notes, so
it gets 403 there (not 404: the signal itself is visible to it).
"""

import pytest

from accounts.roles import Role
from signals.models import Note
from signals.services import note_add
from signals.tests.api_support import action_url, api
from signals.tests.factories import make_signal, person_input, registered_signal


@pytest.fixture
def officer(world):
    return world.user(Role.MUNICIPAL_OFFICER)


@pytest.fixture
def vt(world):
    return world.user(Role.VT_STAFF)


def test_it_lists_the_persons_of_a_signal(officer, login):
    signal = make_signal(
        officer,
        persons=[
            person_input(name="Anna Müller", birth_date=None),
            person_input(name="Ion", role="possible_offender", age_band="", nationality="RO"),
        ],
    )

    response = api(login, officer).get(action_url(signal, "persons"))

    assert response.status_code == 200
    assert [(p["name"], p["role"], p["nationality"]) for p in response.json()] == [
        ("Anna Müller", "possible_victim", None),
        ("Ion", "possible_offender", "RO"),
    ]


def test_veilig_thuis_lists_and_adds_notes(officer, vt, login):
    signal = registered_signal(officer, vt)
    note_add(signal=signal, actor=vt, text="Eerder gemeld in 2025.")
    client = api(login, vt)

    added = client.post(action_url(signal, "notes"), {"text": "Bekend adres bij de politie."})
    listed = client.get(action_url(signal, "notes"))

    assert added.status_code == 201, added.json()
    assert added.json()["organisation"]["id"] == str(vt.organisation.public_id)
    assert [n["text"] for n in listed.json()] == [
        "Eerder gemeld in 2025.",
        "Bekend adres bij de politie.",
    ]


def test_the_sender_gets_403_on_the_notes(officer, vt, login):
    signal = registered_signal(officer, vt)
    note_add(signal=signal, actor=vt, text="Alleen voor partners.")
    client = api(login, officer)

    listed = client.get(action_url(signal, "notes"))
    added = client.post(action_url(signal, "notes"), {"text": "Ik wil ook."})

    assert listed.status_code == 403
    assert "Alleen voor partners" not in listed.content.decode()
    assert added.status_code == 403
    assert Note.objects.count() == 1


def test_it_refuses_a_note_on_a_draft_with_409(vt, officer, login):
    draft = make_signal(vt, officer.organisation, source="citizen")

    response = api(login, vt).post(action_url(draft, "notes"), {"text": "Te vroeg."})

    assert response.status_code == 409
    assert response.json()["code"] == "transition_not_allowed"
    assert not Note.objects.exists()


def test_it_refuses_an_empty_note(officer, vt, login):
    signal = registered_signal(officer, vt)

    response = api(login, vt).post(action_url(signal, "notes"), {"text": "  "})

    assert response.status_code == 400
    assert "text" in response.json()
    assert not Note.objects.exists()
