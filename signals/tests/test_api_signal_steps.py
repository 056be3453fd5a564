"""The steps of the life cycle as POST actions: happy paths, 409 for illegal steps, 403 by role."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from signals.models import AcuteConsultation, Signal
from signals.tests.api_support import action_url, api
from signals.tests.factories import make_signal, registered_signal, reload, submitted_signal


@pytest.fixture
def officer(world):
    return world.user(Role.MUNICIPAL_OFFICER)


@pytest.fixture
def vt(world):
    return world.user(Role.VT_STAFF)


def snapshot(signal: Signal) -> tuple:
    fresh = reload(signal)
    return fresh.status, fresh.version, fresh.is_acute, fresh.events.count()


# --- submit -------------------------------------------------------------------------------


def test_it_submits_a_draft(officer, login):
    signal = make_signal(officer)

    response = api(login, officer).post(action_url(signal, "submit"), {"version": 1})

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "submitted"
    assert body["version"] == 2
    assert body["submitted_at"] is not None
    assert reload(signal).status == "submitted"


def test_it_refuses_to_submit_twice_with_409(officer, login):
    signal = submitted_signal(officer)
    before = snapshot(signal)

    response = api(login, officer).post(action_url(signal, "submit"), {"version": signal.version})

    assert response.status_code == 409
    assert response.json()["code"] == "transition_not_allowed"
    assert response.json()["status"] == "submitted"
    assert snapshot(signal) == before


def test_it_refuses_a_stale_submit(officer, login):
    signal = make_signal(officer)

    response = api(login, officer).post(action_url(signal, "submit"), {"version": 7})

    assert response.status_code == 409
    assert response.json()["code"] == "stale_version"
    assert response.json()["current_version"] == 1
    assert reload(signal).status == "draft"


@pytest.mark.parametrize("name", ["submit", "mark-acute", "register", "close-internally"])
def test_it_requires_the_version(officer, vt, login, name):
    signal = make_signal(officer) if name != "register" else submitted_signal(officer)
    user = vt if name == "register" else officer
    before = snapshot(signal)
    body = {"preliminary_classification": "potential"} if name == "register" else {}
    if name == "close-internally":
        body["reason"] = "Intern besproken."

    response = api(login, user).post(action_url(signal, name), body)

    assert response.status_code == 400
    assert response.json() == {"version": ["De versie van het signaal ontbreekt."]}
    assert snapshot(signal) == before


# --- register -----------------------------------------------------------------------------


def test_it_registers_a_submitted_signal_with_a_preliminary_classification(officer, vt, login):
    signal = submitted_signal(officer)

    response = api(login, vt).post(
        action_url(signal, "register"),
        {"version": signal.version, "preliminary_classification": "suspected"},
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "registered"
    assert body["classifications"] == {"preliminary": "suspected", "final": None}
    assert body["registered_at"] is not None
    assert body["links"]["notes"] is not None  # Veilig Thuis sees partner input


def test_it_refuses_to_register_a_draft_with_409_and_a_reason(officer, vt, login):
    signal = make_signal(officer)  # a draft: Veilig Thuis cannot even see it
    vt_draft = make_signal(vt, officer.organisation, source="citizen")
    before = snapshot(vt_draft)

    response = api(login, vt).post(
        action_url(vt_draft, "register"),
        {"version": vt_draft.version, "preliminary_classification": "potential"},
    )

    assert response.status_code == 409
    assert response.json() == {
        "detail": "Een signaal met status 'Concept' kan niet naar 'Geregistreerd'.",
        "code": "transition_not_allowed",
        "status": "draft",
    }
    assert snapshot(vt_draft) == before
    hidden = api(login, vt).post(
        action_url(signal, "register"), {"version": 1, "preliminary_classification": "potential"}
    )
    assert hidden.status_code == 404


def test_it_refuses_an_unknown_classification(officer, vt, login):
    signal = submitted_signal(officer)

    response = api(login, vt).post(
        action_url(signal, "register"),
        {"version": signal.version, "preliminary_classification": "certain"},
    )

    assert response.status_code == 400
    assert "preliminary_classification" in response.json()
    assert reload(signal).status == "submitted"


def test_it_refuses_registration_by_the_sender_with_403(officer, login):
    signal = make_signal(officer)

    response = api(login, officer).post(
        action_url(signal, "register"), {"version": 1, "preliminary_classification": "potential"}
    )

    assert response.status_code == 403
    assert reload(signal).status == "draft"


# --- mark acute ---------------------------------------------------------------------------


def test_it_marks_a_signal_acute(officer, login, django_capture_on_commit_callbacks):
    signal = submitted_signal(officer)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = api(login, officer).post(
            action_url(signal, "mark-acute"), {"version": signal.version}
        )

    assert response.status_code == 200, response.json()
    assert response.json()["is_acute"] is True
    assert response.json()["version"] == signal.version + 1
    assert len(callbacks) == 1  # the alert to Veilig Thuis and AVIM, on commit


def test_it_refuses_to_mark_acute_twice_with_409(officer, login):
    signal = submitted_signal(officer, is_acute=True)
    before = snapshot(signal)

    response = api(login, officer).post(
        action_url(signal, "mark-acute"), {"version": signal.version}
    )

    assert response.status_code == 409
    assert response.json()["detail"] == "Dit signaal is al als acuut gemeld."
    assert snapshot(signal) == before


# --- close internally ---------------------------------------------------------------------


def test_it_closes_a_draft_as_handled_internally(officer, login):
    signal = make_signal(officer)

    response = api(login, officer).post(
        action_url(signal, "close-internally"),
        {"version": 1, "reason": "Besproken in het zorg- en veiligheidsoverleg."},
    )

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "handled_internally"
    assert response.json()["closed_at"] is not None


def test_it_refuses_to_close_a_submitted_signal_internally_with_409(officer, login):
    signal = submitted_signal(officer)
    before = snapshot(signal)

    response = api(login, officer).post(
        action_url(signal, "close-internally"),
        {"version": signal.version, "reason": "Te laat bedacht."},
    )

    assert response.status_code == 409
    assert response.json()["status"] == "submitted"
    assert snapshot(signal) == before


def test_it_refuses_to_close_internally_without_a_reason(officer, login):
    signal = make_signal(officer)

    response = api(login, officer).post(
        action_url(signal, "close-internally"), {"version": 1, "reason": " "}
    )

    assert response.status_code == 400
    assert "reason" in response.json()
    assert reload(signal).status == "draft"


def test_it_refuses_closing_internally_by_veilig_thuis_with_403(officer, vt, login):
    signal = make_signal(vt, officer.organisation, source="citizen")

    response = api(login, vt).post(
        action_url(signal, "close-internally"), {"version": 1, "reason": "Niet aan VT."}
    )

    assert response.status_code == 403
    assert reload(signal).status == "draft"


# --- acute consultation -------------------------------------------------------------------


def consultation_body(world, signal, **overrides):
    body = {
        "version": signal.version,
        "consulted_at": (timezone.now() - timedelta(hours=1)).isoformat(),
        "organisations": [
            str(world.user(Role.VT_STAFF).organisation.public_id),
            str(world.user(Role.AVIM).organisation.public_id),
        ],
        "decision": "Opvang regelen.",
        "shelter_needed": True,
    }
    body.update(overrides)
    return body


def test_it_records_the_acute_consultation(world, officer, vt, login):
    signal = registered_signal(officer, vt, is_acute=True)

    response = api(login, vt).post(
        action_url(signal, "acute-consultation"), consultation_body(world, signal)
    )

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "acute"
    consultation = AcuteConsultation.objects.get(signal=signal)
    assert consultation.shelter_needed is True
    assert consultation.consulted_organisations.count() == 2


def test_it_refuses_a_consultation_on_a_signal_that_is_not_acute(world, officer, vt, login):
    signal = registered_signal(officer, vt)
    before = snapshot(signal)

    response = api(login, vt).post(
        action_url(signal, "acute-consultation"), consultation_body(world, signal)
    )

    assert response.status_code == 409
    assert response.json()["detail"] == "Meld het signaal eerst als acuut."
    assert snapshot(signal) == before


def test_it_refuses_organisations_of_another_region(world, other_world, officer, vt, login):
    signal = registered_signal(officer, vt, is_acute=True)
    body = consultation_body(
        world, signal, organisations=[str(other_world.orgs["veilig_thuis"].public_id)]
    )

    response = api(login, vt).post(action_url(signal, "acute-consultation"), body)

    assert response.status_code == 400
    assert response.json()["organisations"] == ["Kies een organisatie uit uw regio."]
    assert not AcuteConsultation.objects.exists()


def test_it_refuses_the_consultation_to_the_sender_with_403(world, officer, vt, login):
    signal = registered_signal(officer, vt, is_acute=True)

    response = api(login, officer).post(
        action_url(signal, "acute-consultation"), consultation_body(world, signal)
    )

    assert response.status_code == 403
    assert not AcuteConsultation.objects.exists()
