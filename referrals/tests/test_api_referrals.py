"""``/api/v1/referrals/``: the same rules as the pages, as JSON answers."""

import base64

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AuditLogEntry, Organisation
from accounts.roles import Role
from cases.models import TrajectoryAccess
from referrals.models import Referral, SharedField
from referrals.tests.factories import (
    PDF_BYTES,
    accepted,
    complete_draft,
    consent,
    declined,
    draft,
    pdf_upload,
    ready,
    referral_case,
    sent,
    with_plan,
)
from referrals.tests.support import list_reads, reads_of, state
from referrals.workflow import ReferralStatus
from signals.tests.api_support import api
from signals.tests.factories import person_input, place_input

LIST = "/api/v1/referrals/"


def detail(referral) -> str:
    return reverse("api:referral-detail", kwargs={"public_id": referral.public_id})


def step(referral, name: str) -> str:
    return reverse(f"api:referral-{name}", kwargs={"public_id": referral.public_id})


def with_version(referral, **body) -> dict:
    referral.refresh_from_db()
    return {"version": referral.version, **body}


CASE_DATA = {
    "persons": [
        person_input(name="Anna Müller"),
        person_input(role="possible_offender", name="Viktor Zwart", age_band="30-39"),
    ],
    "places": [place_input(name="Nagelstudio Glans", facts="Open tot middernacht.")],
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


# --- reads --------------------------------------------------------------------------------


def test_the_receiver_gets_only_the_shared_fields(world, login):
    zvh = world.orgs[Organisation.Kind.ZVH]
    referral = sent(world, zvh, shared_fields=[SharedField.PLACES], **CASE_DATA)

    response = api(login, world.user(Role.PROCESS_DIRECTOR)).get(detail(referral))

    body = response.json()
    assert response.status_code == 200
    assert body["case"] is None and body["consent"] is None
    assert body["shared"]["fields"] == ["places"]
    assert body["shared"]["places"][0]["facts"] == "Open tot middernacht."
    for hidden in ("summary", "descriptions", "victims", "offenders", "indicators", "advice"):
        assert body["shared"][hidden] is None
    assert "Anna" not in response.content.decode()
    assert referral.case.reference not in response.content.decode()


def test_after_a_decline_the_receiver_gets_the_referral_alone(world, login):
    zvh = world.orgs[Organisation.Kind.ZVH]
    referral = declined(world, zvh, shared_fields=[SharedField.VICTIMS], **CASE_DATA)
    response = api(login, world.user(Role.PROCESS_DIRECTOR)).get(detail(referral))
    body = response.json()
    assert body["status"] == "declined" and body["response"] == "Geen capaciteit."
    assert body["shared"] is None
    assert "Anna" not in response.content.decode()


def test_veilig_thuis_gets_the_case_and_the_preview(world, login):
    referral = ready(world, world.orgs[Organisation.Kind.ZVH], **CASE_DATA)
    body = api(login, world.user(Role.VT_STAFF)).get(detail(referral)).json()
    assert body["case"] == str(referral.case.public_id)
    assert body["shared"]["fields"] == ["summary", "places"]


@pytest.mark.parametrize("role", [Role.AVIM, Role.CARE_COORDINATOR])
def test_another_organisation_gets_404(world, login, role):
    referral = sent(world)
    assert api(login, world.user(role)).get(detail(referral)).status_code == 404


def test_the_receiver_gets_no_draft(world, login):
    referral = draft(world)
    assert api(login, world.user(Role.MUNICIPAL_OFFICER)).get(detail(referral)).status_code == 404


def test_the_receiver_cannot_reach_the_case_through_the_cases_api(world, login):
    referral = accepted(world, world.orgs[Organisation.Kind.ZVH])
    url = reverse("api:case-detail", kwargs={"public_id": referral.case.public_id})
    assert api(login, world.user(Role.PROCESS_DIRECTOR)).get(url).status_code == 404


def test_the_list_has_the_work_lists(world, login):
    waiting, running = sent(world), accepted(world)
    client = api(login, world.user(Role.MUNICIPAL_OFFICER))

    inbox = client.get(LIST, {"tab": "inbox"}).json()["results"]
    busy = client.get(LIST, {"tab": "running"}).json()["results"]

    assert [r["id"] for r in inbox] == [str(waiting.public_id)]
    assert [r["id"] for r in busy] == [str(running.public_id)]


def test_a_work_list_not_for_the_role_is_a_400(world, login):
    response = api(login, world.user(Role.MUNICIPAL_OFFICER)).get(LIST, {"tab": "sent"})
    assert response.status_code == 400


def test_an_invalid_filter_is_a_400(world, login):
    response = api(login, world.user(Role.VT_STAFF)).get(LIST, {"status": "lost"})
    assert response.status_code == 400
    assert "status" in response.json()


def test_reads_are_logged(world, login):
    referral = sent(
        world, world.orgs[Organisation.Kind.ZVH], shared_fields=["victims"], **CASE_DATA
    )
    client = api(login, world.user(Role.PROCESS_DIRECTOR))
    client.get(LIST)
    client.get(detail(referral))
    assert list_reads().get().additional_data["object_ids"] == [str(referral.public_id)]
    entry = reads_of(referral).get()
    assert entry.access_kind == AuditLogEntry.AccessKind.READ
    assert len(entry.additional_data["persons"]) == 1


def list_queries(client, params) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(LIST, params)
    assert response.status_code == 200
    return [q["sql"] for q in captured.captured_queries]


@pytest.mark.parametrize("params", [{}, {"tab": "sent"}])
def test_the_list_costs_as_many_queries_for_50_as_for_5(world, login, params):
    client = api(login, world.user(Role.VT_STAFF))
    case = referral_case(world)
    for _ in range(5):
        sent(world, case=case)
    client.get(LIST, params)
    with_five = list_queries(client, params)
    for _ in range(45):
        sent(world, case=case)

    with_fifty = list_queries(client, params)

    assert len(with_fifty) == len(with_five)
    # A keyset page: the list is never counted.
    assert not [sql for sql in with_fifty if "COUNT(" in sql and "referrals_referral" in sql]


# --- preparing ----------------------------------------------------------------------------


def test_veilig_thuis_creates_a_draft(world, login):
    case = referral_case(world)
    zvh = world.orgs[Organisation.Kind.ZVH]
    response = api(login, world.user(Role.VT_STAFF)).post(
        LIST,
        {
            "case": str(case.public_id),
            "route": "zvh_weighing",
            "receiving_organisation": str(zvh.public_id),
            "reason": "Graag procesregie.",
        },
    )
    assert response.status_code == 201
    referral = Referral.objects.get()
    assert response["Location"].endswith(detail(referral))
    assert response.json()["status"] == "draft"


def test_a_case_of_another_region_is_not_found(world, other_world, login):
    case = referral_case(other_world)
    response = api(login, world.user(Role.VT_STAFF)).post(
        LIST,
        {
            "case": str(case.public_id),
            "route": "administrative",
            "receiving_organisation": str(world.municipality.public_id),
        },
    )
    assert response.status_code == 400
    assert "case" in response.json()
    assert not Referral.objects.exists()


def test_a_receiver_that_does_not_take_the_route_is_a_400(world, login):
    case = referral_case(world)
    response = api(login, world.user(Role.VT_STAFF)).post(
        LIST,
        {
            "case": str(case.public_id),
            "route": "zvh_weighing",
            "receiving_organisation": str(world.municipality.public_id),
        },
    )
    assert response.status_code == 400
    assert "receiving_organisation" in response.json()


def test_only_veilig_thuis_creates(world, login):
    case = referral_case(world)
    response = api(login, world.user(Role.MUNICIPAL_OFFICER)).post(
        LIST, {"case": str(case.public_id)}
    )
    assert response.status_code == 403


def test_put_replaces_and_patch_changes_a_draft(world, login):
    referral = draft(world, world.municipality)
    client = api(login, world.user(Role.VT_STAFF))

    put = client.put(
        detail(referral),
        with_version(
            referral,
            legal_basis="public_task",
            shared_fields=["places"],
            via_riec=True,
            instruments=["bibob"],
        ),
    )
    assert put.status_code == 200, put.content
    assert put.json()["reason"] == ""  # left out of a PUT: emptied

    patch = client.patch(detail(referral), with_version(referral, reason="Nieuwe vraag."))
    assert patch.status_code == 200
    body = patch.json()
    assert body["reason"] == "Nieuwe vraag."
    assert body["shared_fields"] == ["places"] and body["instruments"] == ["bibob"]


def test_unknown_fields_are_refused(world, login):
    referral = draft(world)
    response = api(login, world.user(Role.VT_STAFF)).patch(
        detail(referral), with_version(referral, status="completed")
    )
    assert response.status_code == 400
    assert "status" in response.json()


def test_a_referral_without_legal_basis_is_refused_and_nothing_changes(world, login):
    referral = complete_draft(
        draft(world, world.orgs[Organisation.Kind.ZVH]), world, legal_basis=""
    )
    before = state(referral)

    response = api(login, world.user(Role.VT_STAFF)).post(
        step(referral, "send"), with_version(referral)
    )

    assert response.status_code == 400
    assert "zonder grondslag" in response.json()["legal_basis"][0]
    assert state(referral) == before


def test_the_administrative_route_refuses_the_victims_file(world, login):
    referral = draft(world, world.municipality)
    before = state(referral)
    response = api(login, world.user(Role.VT_STAFF)).patch(
        detail(referral),
        with_version(referral, legal_basis="public_task", shared_fields=["places", "victims"]),
    )
    assert response.status_code == 400
    assert "nooit het dossier van het slachtoffer" in response.json()["shared_fields"][0]
    assert state(referral) == before


def test_consent_rules_in_the_api(world, login):
    referral = complete_draft(
        draft(world, world.orgs[Organisation.Kind.ZVH]),
        world,
        legal_basis="consent",
        shared_fields=["victims"],
    )
    staff = api(login, world.user(Role.VT_STAFF))
    refused = staff.post(step(referral, "send"), with_version(referral))
    assert refused.status_code == 400 and "consent" in refused.json()

    given = consent(referral.case.persons.get(), world)
    chosen = staff.patch(detail(referral), with_version(referral, consent=str(given.public_id)))
    assert chosen.status_code == 200
    assert chosen.json()["consent"] == str(given.public_id)
    assert staff.post(step(referral, "send"), with_version(referral)).status_code == 200


def test_vt_staff_may_not_write_the_override_but_an_officer_may(world, login):
    referral = complete_draft(
        draft(world, world.orgs[Organisation.Kind.ZVH]),
        world,
        legal_basis="consent",
        shared_fields=["victims"],
    )
    body = with_version(referral, consent_override_reason="Acuut gevaar.")
    assert api(login, world.user(Role.VT_STAFF)).patch(detail(referral), body).status_code == 400
    officer = api(login, world.user(Role.VT_OFFICER))
    assert officer.patch(detail(referral), body).status_code == 200
    assert officer.post(step(referral, "send"), with_version(referral)).status_code == 200


def test_a_sent_referral_cannot_be_changed(world, login):
    referral = sent(world)
    response = api(login, world.user(Role.VT_STAFF)).patch(detail(referral), with_version(referral))
    assert response.status_code == 409
    assert response.json()["code"] == "transition_not_allowed"


def test_a_stale_version_is_409(world, login):
    referral = ready(world)
    response = api(login, world.user(Role.VT_STAFF)).post(step(referral, "send"), {"version": 99})
    assert response.status_code == 409
    assert response.json()["code"] == "stale_version"


# --- answering ----------------------------------------------------------------------------


def test_the_process_director_accepts_and_the_trajectories_open(world, login):
    zvh = world.orgs[Organisation.Kind.ZVH]
    referral = sent(world, zvh)
    response = api(login, world.user(Role.PROCESS_DIRECTOR)).post(
        step(referral, "accept"), with_version(referral, response="Wij nemen het op.")
    )
    assert response.status_code == 200
    assert response.json()["status"] == "accepted"
    assert TrajectoryAccess.objects.filter(case=referral.case, organisation=zvh).exists()


def test_completing_a_referral_that_was_never_accepted_is_409(world, login):
    referral = sent(world)
    before = state(referral)
    response = api(login, world.user(Role.MUNICIPAL_OFFICER)).post(
        step(referral, "complete"), with_version(referral, feedback="Klaar.")
    )
    assert response.status_code == 409
    assert "nooit is geaccepteerd" in response.json()["detail"]
    assert response.json()["status"] == "sent"
    assert state(referral) == before


def test_a_decline_needs_a_reason(world, login):
    referral = sent(world)
    before = state(referral)
    response = api(login, world.user(Role.MUNICIPAL_OFFICER)).post(
        step(referral, "decline"), with_version(referral, reason="")
    )
    assert response.status_code == 400 and "reason" in response.json()
    assert state(referral) == before


def test_the_receiver_declines_and_completes(world, login):
    first, second = sent(world), accepted(world)
    client = api(login, world.user(Role.MUNICIPAL_OFFICER))
    declined_body = client.post(
        step(first, "decline"), with_version(first, reason="Niet onze taak.")
    ).json()
    completed_body = client.post(
        step(second, "complete"), with_version(second, feedback="Pand gesloten.")
    ).json()
    assert declined_body["status"] == "declined" and declined_body["shared"] is None
    assert completed_body["status"] == ReferralStatus.COMPLETED
    assert completed_body["feedback"] == "Pand gesloten."


def test_veilig_thuis_may_not_answer_for_a_receiver_with_users(world, login):
    referral = sent(world)
    response = api(login, world.user(Role.VT_STAFF)).post(step(referral, "accept"), {})
    assert response.status_code == 403


# --- the plan -----------------------------------------------------------------------------


def test_the_plan_as_base64_json(world, login):
    referral = accepted(world, world.orgs[Organisation.Kind.ZVH])
    response = api(login, world.user(Role.PROCESS_DIRECTOR)).post(
        step(referral, "plan"),
        {"file_name": "plan.pdf", "content": base64.b64encode(PDF_BYTES).decode()},
    )
    assert response.status_code == 200, response.content
    assert response.json()["plan"]["name"] == "plan.pdf"


def test_the_plan_as_multipart(world, login):
    referral = accepted(world, world.orgs[Organisation.Kind.ZVH])
    response = login(world.user(Role.PROCESS_DIRECTOR)).post(
        step(referral, "plan"), {"file": pdf_upload()}
    )
    assert response.status_code == 200, response.content
    assert response.json()["plan"]["content_type"] == "application/pdf"


def test_a_plan_that_is_no_document_is_a_400(world, login):
    referral = accepted(world, world.orgs[Organisation.Kind.ZVH])
    response = api(login, world.user(Role.PROCESS_DIRECTOR)).post(
        step(referral, "plan"),
        {"file_name": "plan.pdf", "content": base64.b64encode(b"<script>x</script>").decode()},
    )
    assert response.status_code == 400
    assert "niet toegestaan" in response.json()["file"][0]


def test_base64_content_is_limited_to_the_request_body_limit(settings):
    from referrals.api.serializers import PLAN_CONTENT_LIMIT, ReferralPlanUploadSerializer

    assert PLAN_CONTENT_LIMIT == settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    serializer = ReferralPlanUploadSerializer(
        data={"file_name": "plan.pdf", "content": "A" * (PLAN_CONTENT_LIMIT + 4)}
    )
    assert not serializer.is_valid()
    assert "content" in serializer.errors


def test_bad_base64_is_a_400(world, login):
    referral = accepted(world, world.orgs[Organisation.Kind.ZVH])
    response = api(login, world.user(Role.PROCESS_DIRECTOR)).post(
        step(referral, "plan"), {"file_name": "plan.pdf", "content": "%%%"}
    )
    assert response.status_code == 400


def test_the_plan_downloads_for_who_sees_the_referral_only(world, login):
    referral = with_plan(world)
    ok = api(login, world.user(Role.PROCESS_DIRECTOR)).get(step(referral, "plan"))
    assert ok.status_code == 200
    assert b"".join(ok.streaming_content) == PDF_BYTES
    assert api(login, world.user(Role.AVIM)).get(step(referral, "plan")).status_code == 404
