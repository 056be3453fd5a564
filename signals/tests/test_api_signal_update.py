"""PUT /api/v1/signals/{id}/: the whole content with the version read; stale or illegal → 409."""

import pytest

from accounts.roles import Role
from signals.models import Signal
from signals.tests.api_support import api, detail_url, person_body, signal_body
from signals.tests.factories import make_signal, reload, submitted_signal


@pytest.fixture
def officer(world):
    return world.user(Role.MUNICIPAL_OFFICER)


def snapshot(signal: Signal) -> tuple:
    fresh = reload(signal)
    persons = sorted(i.person.name for i in fresh.involvements.select_related("person"))
    return fresh.version, fresh.status, fresh.description, persons, fresh.events.count()


def test_it_updates_a_draft_and_raises_the_version(world, officer, login):
    signal = make_signal(officer)
    anna = signal.involvements.get().person
    body = signal_body(
        world.municipality,
        version=1,
        description="Nu ook 's nachts licht aan.",
        persons=[person_body(id=str(anna.public_id), name="Anna Müller-Ionescu")],
        places=[],
    )

    response = api(login, officer).put(detail_url(signal), body)

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["version"] == 2
    assert body["description"] == "Nu ook 's nachts licht aan."
    assert [(p["id"], p["name"]) for p in body["persons"]] == [
        (str(anna.public_id), "Anna Müller-Ionescu")
    ]
    assert body["places"] == []
    assert reload(signal).version == 2


def test_it_requires_the_version(world, officer, login):
    signal = make_signal(officer)
    before = snapshot(signal)
    body = signal_body(world.municipality, description="Zonder versie.")

    response = api(login, officer).put(detail_url(signal), body)

    assert response.status_code == 400
    assert response.json() == {"version": ["De versie van het signaal ontbreekt."]}
    assert snapshot(signal) == before


def test_it_refuses_a_stale_version_with_409_and_changes_nothing(world, officer, login):
    signal = make_signal(officer)
    client = api(login, officer)
    assert (
        client.put(detail_url(signal), signal_body(world.municipality, version=1)).status_code
        == 200
    )
    before = snapshot(signal)

    response = client.put(
        detail_url(signal),
        signal_body(world.municipality, version=1, description="Overschrijft niets."),
    )

    assert response.status_code == 409
    assert response.json() == {
        "detail": "Dit signaal is intussen door iemand anders gewijzigd. Laad de pagina "
        "opnieuw en controleer de gegevens.",
        "code": "stale_version",
        "current_version": 2,
    }
    assert snapshot(signal) == before


def test_it_refuses_the_sender_editing_a_submitted_signal_with_409(world, officer, login):
    signal = submitted_signal(officer)
    before = snapshot(signal)

    response = api(login, officer).put(
        detail_url(signal), signal_body(world.municipality, version=signal.version)
    )

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "transition_not_allowed"
    assert body["status"] == "submitted"
    assert "kan niet meer worden gewijzigd" in body["detail"]
    assert snapshot(signal) == before


def test_it_lets_veilig_thuis_complete_a_submitted_signal_keeping_the_source(world, officer, login):
    signal = submitted_signal(officer)
    vt = world.user(Role.VT_STAFF)
    body = signal_body(world.municipality, version=signal.version, description="Aangevuld door VT.")

    response = api(login, vt).put(detail_url(signal), body)

    assert response.status_code == 200, response.json()
    assert response.json()["source"] == "municipality_internal"
    assert reload(signal).description == "Aangevuld door VT."


def test_it_refuses_bad_input_on_update_and_changes_nothing(world, officer, login):
    signal = make_signal(officer)
    before = snapshot(signal)
    body = signal_body(
        world.municipality,
        version=1,
        persons=[person_body(birth_date="1990-05-01", age_band="16-17")],
    )

    response = api(login, officer).put(detail_url(signal), body)

    assert response.status_code == 400
    assert "age_band" in response.json()["persons"]["0"]
    assert snapshot(signal) == before


@pytest.mark.parametrize("method", ["patch", "delete", "options"])
def test_it_offers_no_patch_no_delete_and_no_options(world, officer, login, method):
    signal = make_signal(officer)
    client = api(login, officer)

    if method == "patch":
        response = client.patch(detail_url(signal), {"version": 1, "description": "x"})
    else:
        response = getattr(client.client, method)(detail_url(signal))

    assert response.status_code == 405
    assert Signal.objects.filter(pk=signal.pk, version=1).exists()
