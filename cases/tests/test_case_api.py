"""``/api/v1/cases/``: list, retrieve, create, the nested actions and notes, and the steps.

Each refusal has its precise status: 401 without login, 403 for a role that may not, 404 for
a case the user may not see, 400 for bad input, 409 for a stale version or an illegal step —
and each leaves the database as it was.
"""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Organisation
from accounts.roles import Role
from cases.models import Action, Case, CaseNote
from cases.tests.case_support import add_action, api_post, close, in_days, lead_user, reload, vt
from cases.tests.factories import make_case, screened_signal
from cases.workflow import CaseStatus

pytestmark = pytest.mark.django_db

LIST = "/api/v1/cases/"


def url(name: str, case: Case, **kwargs) -> str:
    return reverse(f"api:case-{name}", kwargs={"public_id": case.public_id, **kwargs})


def test_it_answers_401_without_login(world):
    case = make_case(world)
    client = Client()
    assert client.get(LIST).status_code in (401, 403)
    assert client.get(url("detail", case)).status_code in (401, 403)
    assert api_post(client, url("close", case), {"version": 1}).status_code in (401, 403)


def test_the_list_shows_the_register_to_veilig_thuis_and_filters(world, other_world, login):
    ours = make_case(world)
    closed = close(world, make_case(world))
    make_case(other_world)
    client = login(vt(world))

    everything = client.get(LIST).json()
    only_closed = client.get(LIST, {"status": "closed"}).json()

    assert {r["id"] for r in everything["results"]} == {str(ours.public_id), str(closed.public_id)}
    assert [r["id"] for r in only_closed["results"]] == [str(closed.public_id)]
    assert only_closed["results"][0]["close_reason"] == "goal_reached"


def test_an_invalid_filter_is_a_400(world, login):
    response = login(vt(world)).get(LIST, {"status": "kwijt"})
    assert response.status_code == 400
    assert "status" in response.json()


def test_a_role_without_cases_gets_403_on_the_list(world, login):
    assert login(world.user(Role.POLICY_ANALYST)).get(LIST).status_code == 403


def test_retrieve_shows_actions_and_notes(world, login):
    case = make_case(world)
    action = add_action(world, case)
    client = login(lead_user(world))
    api_post(client, url("notes", case), {"text": "Gesprek gevoerd."})

    body = client.get(url("detail", case)).json()

    assert body["reference"] == case.reference
    assert [a["id"] for a in body["actions"]] == [str(action.public_id)]
    assert [n["text"] for n in body["notes"]] == ["Gesprek gevoerd."]
    assert body["open_actions"] == 1
    assert body["persons"][0]["age_band"] == "23-29"
    assert "birth_date" not in body["persons"][0]


def test_another_organisation_and_region_get_404(world, other_world, login):
    case = make_case(world)
    other = world.user(Role.MUNICIPAL_OFFICER, world.other_municipality)
    for user in (other, vt(other_world), world.user(Role.AVIM)):
        client = login(user)
        assert client.get(url("detail", case)).status_code == 404
        assert api_post(client, url("notes", case), {"text": "x"}).status_code == 404
    assert not CaseNote.objects.exists()


def test_veilig_thuis_opens_a_case_from_a_signal(world, login):
    signal = screened_signal(world)
    response = api_post(
        login(vt(world)),
        LIST,
        {
            "signal": str(signal.public_id),
            "lead_organisation": str(world.municipality.public_id),
            "lead_kind": "municipality",
        },
    )
    assert response.status_code == 201
    case = Case.objects.get()
    assert response["Location"].endswith(url("detail", case))
    assert response.json()["signals"][0]["reference"] == signal.reference


def test_a_lead_may_not_open_a_case(world, login):
    signal = screened_signal(world)
    response = api_post(
        login(lead_user(world)),
        LIST,
        {
            "signal": str(signal.public_id),
            "lead_organisation": str(world.municipality.public_id),
            "lead_kind": "municipality",
        },
    )
    assert response.status_code == 403
    assert not Case.objects.exists()


def test_opening_with_an_unknown_field_or_lead_of_another_region_is_a_400(
    world, other_world, login
):
    signal = screened_signal(world)
    client = login(vt(world))
    body = {
        "signal": str(signal.public_id),
        "lead_organisation": str(other_world.municipality.public_id),
        "lead_kind": "municipality",
        "status": "closed",
    }
    response = api_post(client, LIST, body)
    assert response.status_code == 400
    assert set(response.json()) == {"lead_organisation", "status"}
    assert not Case.objects.exists()


def test_adding_an_action_and_the_owner_completing_it(world, login):
    case = make_case(world)
    lead = login(lead_user(world))
    created = api_post(
        lead,
        url("actions", case),
        {
            "description": "Intake",
            "owner_organisation": str(world.orgs[Organisation.Kind.ZVH].public_id),
            "due_date": in_days(3).isoformat(),
        },
    )
    assert created.status_code == 201
    action_id = created.json()["id"]

    owner = login(world.user(Role.CARE_COORDINATOR))
    mine = owner.get(reverse("api:case-my-actions")).json()["results"]
    assert [(a["id"], a["case"]["reference"]) for a in mine] == [(action_id, case.reference)]
    assert owner.get(url("detail", case)).status_code == 404  # the action, not the case

    done = api_post(owner, url("action-complete", case, action_id=action_id))
    assert done.status_code == 200
    assert done.json()["done"] is True
    again = api_post(owner, url("action-complete", case, action_id=action_id))
    assert again.status_code == 409
    assert again.json()["code"] == "transition_not_allowed"


def test_a_bad_action_is_a_400_and_saves_nothing(world, login):
    case = make_case(world)
    response = api_post(
        login(vt(world)),
        url("actions", case),
        {
            "description": "Intake",
            "owner_organisation": str(world.municipality.public_id),
            "due_date": "2020-01-01",
        },
    )
    assert response.status_code == 400
    assert response.json() == {"due_date": ["De uiterste datum ligt in het verleden."]}
    assert not Action.objects.exists()


def test_closing_with_open_actions_needs_the_confirmation(world, login):
    case = make_case(world)
    add_action(world, case)
    case = reload(case)
    client = login(vt(world))

    refused = api_post(client, url("close", case), {"version": case.version, "reason": "other"})
    assert refused.status_code == 400
    assert set(refused.json()) == {"note", "confirm_open_actions"}
    assert reload(case).status == CaseStatus.OPEN

    closed = api_post(
        client,
        url("close", case),
        {
            "version": case.version,
            "reason": "no_consent",
            "confirm_open_actions": True,
        },
    )
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed"
    assert closed.json()["version"] == case.version + 1


def test_a_stale_version_is_a_409_with_the_current_version(world, login):
    case = make_case(world)
    response = api_post(
        login(vt(world)), url("close", case), {"version": case.version + 5, "reason": "other"}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "stale_version"
    assert response.json()["current_version"] == case.version


def test_reopening_an_open_case_is_a_409(world, login):
    case = make_case(world)
    response = api_post(
        login(vt(world)), url("reopen", case), {"version": case.version, "reason": "Nogmaals"}
    )
    assert response.status_code == 409
    assert response.json()["status"] == "open"


def test_reopening_a_closed_case(world, login):
    case = close(world, make_case(world))
    response = api_post(
        login(lead_user(world)),
        url("reopen", case),
        {"version": reload(case).version, "reason": "Nieuw signaal."},
    )
    assert response.status_code == 200
    assert response.json()["status"] == "open"
    assert response.json()["close_reason"] is None


def test_adding_a_signal_is_for_veilig_thuis(world, login):
    case = make_case(world)
    signal = screened_signal(world)
    body = {"signal": str(signal.public_id)}

    assert api_post(login(lead_user(world)), url("add-signal", case), body).status_code == 403
    response = api_post(login(vt(world)), url("add-signal", case), body)

    assert response.status_code == 200
    assert len(response.json()["signals"]) == 2


def test_a_signal_the_user_cannot_see_is_a_400(world, other_world, login):
    case = make_case(world)
    theirs = screened_signal(other_world)
    response = api_post(
        login(vt(world)), url("add-signal", case), {"signal": str(theirs.public_id)}
    )
    assert response.status_code == 400
    assert "signal" in response.json()


def test_the_notes_list_is_newest_first(world, login):
    case = make_case(world)
    client = login(vt(world))
    for text in ("eerste", "tweede"):
        assert api_post(client, url("notes", case), {"text": text}).status_code == 201
    assert [n["text"] for n in client.get(url("notes", case)).json()] == ["tweede", "eerste"]


def test_patch_and_delete_are_not_offered(world, login):
    case = make_case(world)
    client = login(vt(world))
    assert client.patch(url("detail", case), {}, content_type="application/json").status_code == 405
    assert client.delete(url("detail", case)).status_code == 405
