"""POST /api/v1/signals/: a new draft with persons and places; bad input is a precise 400."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from signals.models import DESCRIPTION_MAX_LENGTH, Person, Place, Signal, SignalPerson
from signals.tests.api_support import LIST_URL, api, detail_url, person_body, signal_body
from signals.tests.factories import NOW


@pytest.fixture
def officer(world):
    return world.user(Role.MUNICIPAL_OFFICER)


def counts() -> tuple[int, int, int, int]:
    return (
        Signal.objects.count(),
        Person.objects.count(),
        SignalPerson.objects.count(),
        Place.objects.count(),
    )


def test_it_creates_a_draft_with_two_persons_and_a_place(world, officer, login, time_machine):
    time_machine.move_to(NOW, tick=False)

    response = api(login, officer).post(LIST_URL, signal_body(world.municipality))

    assert response.status_code == 201, response.json()
    body = response.json()
    signal = Signal.objects.get(public_id=body["id"])
    assert response["Location"].endswith(detail_url(signal))
    assert body["version"] == 1
    assert body["status"] == "draft"
    assert re.fullmatch(r"ZL-2026-\d{5}", body["reference"])
    assert body["reference"] == "ZL-2026-00001"
    assert body["municipality"] == {
        "id": str(world.municipality.public_id),
        "name": world.municipality.name,
    }
    assert body["reporting_organisation"]["id"] == str(officer.organisation.public_id)
    assert body["forms"] == ["labour"]
    assert body["labour_sector"] == "beauty_massage"
    assert body["classifications"] == {"preliminary": None, "final": None}
    assert [p["name"] for p in body["persons"]] == ["Anna Müller", "Viktor"]
    anna, viktor = body["persons"]
    assert anna["role"] == "possible_victim"
    assert anna["nationality"] == "RO"
    assert anna["age_band"] == "23-29"
    assert anna["birth_date"] is None
    assert viktor["is_alias"] is True
    assert viktor["nationality"] is None
    assert viktor["age_band"] is None
    assert [p["name"] for p in body["places"]] == ["Nagelstudio Glans"]
    assert body["links"]["self"].endswith(detail_url(signal))
    assert body["links"]["notes"] is None  # the sender does not see partner input
    assert signal.involvements.count() == 2
    assert signal.places.count() == 1
    assert signal.reported_by == officer


def test_it_answers_with_the_same_representation_as_retrieve(world, officer, login):
    client = api(login, officer)
    created = client.post(LIST_URL, signal_body(world.municipality)).json()

    assert client.get(detail_url(created["id"])).json() == created


def _tomorrow() -> str:
    return (timezone.localdate() + timedelta(days=1)).isoformat()


def _person(**overrides):
    return lambda world: {"persons": [person_body(), person_body(**overrides)]}


BAD_INPUT = {
    "future received date": (
        lambda world: {"received_at": _tomorrow()},
        lambda errors: errors["received_at"] == ["De ontvangstdatum ligt in de toekomst."],
    ),
    "future birth date": (
        lambda world: {
            "persons": [person_body(), person_body(birth_date=_tomorrow(), age_band="")]
        },
        lambda errors: (
            errors["persons"] == {"1": {"birth_date": ["De geboortedatum ligt in de toekomst."]}}
        ),
    ),
    "age band contradicting the birth date": (
        lambda world: {"persons": [person_body(birth_date="1990-05-01", age_band="16-17")]},
        lambda errors: "past niet bij de geboortedatum" in errors["persons"]["0"]["age_band"][0],
    ),
    "empty description": (
        lambda world: {"description": "   "},
        lambda errors: errors["description"] == ["Beschrijf wat er is gezien."],
    ),
    "missing description": (
        lambda world: {"description": None},
        lambda errors: "description" in errors,
    ),
    "1 MB description": (
        lambda world: {"description": "x" * 1_000_000},
        lambda errors: (
            errors["description"] == ["De beschrijving is te lang: maximaal 20.000 tekens."]
        ),
    ),
    "unknown municipality": (
        lambda world: {"municipality": "00000000-0000-4000-8000-000000000000"},
        lambda errors: errors["municipality"] == ["Kies een gemeente uit uw regio."],
    ),
    "municipality by database id": (
        lambda world: {"municipality": world.municipality.pk},
        lambda errors: errors["municipality"] == ["Geef het id (UUID) van een gemeente."],
    ),
    "no form of exploitation": (
        lambda world: {"forms": []},
        lambda errors: "forms" in errors,
    ),
    "labour sector without labour": (
        lambda world: {"forms": ["sexual"]},
        lambda errors: (
            errors["labour_sector"] == ["Een sector hoort alleen bij arbeidsuitbuiting."]
        ),
    ),
    "stateless with a nationality": (
        _person(is_stateless=True),
        lambda errors: "nationality" in errors["persons"]["1"],
    ),
    "unknown country": (
        _person(nationality="XX"),
        lambda errors: "nationality" in errors["persons"]["1"],
    ),
    "source the role may not choose": (
        lambda world: {"source": "avim"},
        lambda errors: errors["source"] == ["Deze bron kunt u met uw rol niet kiezen."],
    ),
    "unknown field": (
        lambda world: {"status": "registered"},
        lambda errors: errors["status"] == ["Onbekend veld."],
    ),
    "invalid kvk number": (
        lambda world: {"places": [{"kind": "company", "kvk_number": "12"}]},
        lambda errors: (
            errors["places"]["0"]["kvk_number"] == ["Een KvK-nummer bestaat uit 8 cijfers."]
        ),
    ),
}


@pytest.mark.parametrize("case", BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_it_refuses_bad_input_with_field_errors_and_saves_nothing(world, officer, login, case):
    overrides, check = case
    before = counts()
    body = signal_body(world.municipality)
    body.update(overrides(world))
    body = {k: v for k, v in body.items() if v is not None}

    response = api(login, officer).post(LIST_URL, body)

    assert response.status_code == 400, response.content
    assert check(response.json()), response.json()
    assert counts() == before


def test_it_refuses_a_municipality_of_another_region(world, other_world, officer, login):
    body = signal_body(other_world.municipality)

    response = api(login, officer).post(LIST_URL, body)

    assert response.status_code == 400
    assert response.json()["municipality"] == ["Kies een gemeente uit uw regio."]
    assert Signal.objects.count() == 0


def test_it_refuses_a_role_that_may_not_log_signals(world, login):
    analyst = world.user(Role.POLICY_ANALYST)

    response = api(login, analyst).post(LIST_URL, signal_body(world.municipality))

    assert response.status_code == 403
    assert Signal.objects.count() == 0


def test_it_refuses_a_body_that_is_not_json(world, officer, login):
    client = login(officer)

    response = client.post(LIST_URL, {"description": "x"})  # multipart form

    assert response.status_code == 415
    assert Signal.objects.count() == 0


def test_it_logs_veilig_thuis_intake_with_an_external_source(world, login):
    vt = world.user(Role.VT_STAFF)
    body = signal_body(world.other_municipality, source="citizen")

    response = api(login, vt).post(LIST_URL, body)

    assert response.status_code == 201
    assert response.json()["source"] == "citizen"
    assert response.json()["municipality"]["id"] == str(world.other_municipality.public_id)


def test_description_limit_is_the_models(world, officer, login):
    body = signal_body(world.municipality, description="x" * DESCRIPTION_MAX_LENGTH)

    assert api(login, officer).post(LIST_URL, body).status_code == 201
