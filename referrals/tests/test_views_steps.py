"""Each step in the browser: the rules refuse with a clear Dutch message and change nothing."""

import pytest
from django.urls import reverse

from accounts.models import Organisation
from accounts.roles import Role
from cases.models import TrajectoryAccess
from referrals.models import Referral
from referrals.tests.factories import (
    accepted,
    complete_draft,
    consent,
    draft,
    external_receiver,
    ready,
    referral_case,
    sent,
)
from referrals.tests.support import edit_form, state, url
from referrals.workflow import ReferralStatus


def post(client, name, referral, data):
    return client.post(url(name, referral), data)


def version(referral, prefix):
    referral.refresh_from_db()
    return {f"{prefix}-version": referral.version}


# --- preparing ----------------------------------------------------------------------------


def test_veilig_thuis_drafts_from_a_case(world, login):
    case = referral_case(world)
    client = login(world.user(Role.VT_STAFF))
    assert client.get(url("create", case_id=case.public_id)).status_code == 200

    response = client.post(
        url("create", case_id=case.public_id),
        {
            "route": "zvh_weighing",
            "receiving_organisation": world.orgs[Organisation.Kind.ZVH].pk,
            "reason": "Graag procesregie.",
        },
    )

    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("edit", referral)
    assert referral.status == ReferralStatus.DRAFT


def test_a_receiver_that_does_not_take_the_route_is_refused(world, login):
    case = referral_case(world)
    response = login(world.user(Role.VT_STAFF)).post(
        url("create", case_id=case.public_id),
        {"route": "zvh_weighing", "receiving_organisation": world.municipality.pk},
    )
    assert response.status_code == 400
    assert "kan geen verwijzing op de route" in response.content.decode()
    assert not Referral.objects.exists()


def test_the_receivers_follow_the_route(world, login):
    client = login(world.user(Role.VT_STAFF))
    html = client.get(url("receivers"), {"route": "police_om"}).content.decode()
    avim = world.orgs[Organisation.Kind.POLICE_AVIM]
    assert f'value="{avim.pk}"' in html
    assert f'value="{world.municipality.pk}"' not in html


def test_the_edit_form_explains_the_administrative_restriction(world, login):
    referral = draft(world, world.municipality)
    html = login(world.user(Role.VT_STAFF)).get(url("edit", referral)).content.decode()
    assert "nooit het dossier van het slachtoffer" in html
    assert 'value="victims"' not in html
    assert "Wet Bibob" in html


def test_the_edit_form_shows_the_victims_valid_consents(world, login):
    referral = draft(world, world.orgs[Organisation.Kind.ZVH])
    consent(referral.case.persons.get(), world)
    html = login(world.user(Role.VT_STAFF)).get(url("edit", referral)).content.decode()
    assert "Anna Müller" in html and "Delen met de route" in html


def test_vt_staff_cannot_fill_in_the_override(world, login):
    referral = draft(world, world.orgs[Organisation.Kind.ZVH])
    html = login(world.user(Role.VT_STAFF)).get(url("edit", referral)).content.decode()
    assert 'name="consent_override_reason"' in html and "disabled" in html
    client = login(world.user(Role.VT_STAFF))
    client.post(
        url("edit", referral),
        edit_form(referral, legal_basis="consent", consent_override_reason="Ik besluit dit."),
    )
    referral.refresh_from_db()
    assert referral.consent_override_reason == ""


def test_the_administrative_route_refuses_the_victims_file_in_the_form(world, login):
    referral = draft(world, world.municipality)
    before = state(referral)
    response = login(world.user(Role.VT_STAFF)).post(
        url("edit", referral),
        edit_form(referral, legal_basis="public_task", shared_fields=["places", "victims"]),
    )
    assert response.status_code == 400
    assert "Kies gegevens uit de lijst" in response.content.decode()
    assert state(referral) == before


def test_it_saves_the_edit(world, login):
    referral = draft(world, world.municipality)
    response = login(world.user(Role.VT_STAFF)).post(
        url("edit", referral),
        {
            **edit_form(referral, legal_basis="public_task", shared_fields=["places"]),
            "via_riec": "on",
            "instruments": ["apv", "closure"],
        },
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.legal_basis, referral.shared_fields) == ("public_task", ["places"])
    assert referral.via_riec and referral.instruments == ["apv", "closure"]


def test_a_referral_without_legal_basis_is_refused_with_a_clear_message(world, login):
    referral = draft(world, world.orgs[Organisation.Kind.ZVH])
    referral = complete_draft(referral, world, legal_basis="")
    before = state(referral)

    response = post(login(world.user(Role.VT_STAFF)), "send", referral, version(referral, "send"))

    assert response.status_code == 400
    assert "zonder grondslag voor het delen kan niet worden verstuurd" in response.content.decode()
    assert state(referral) == before


def test_sending_without_shared_fields_is_refused(world, login):
    referral = complete_draft(
        draft(world, world.orgs[Organisation.Kind.ZVH]), world, shared_fields=[]
    )
    before = state(referral)
    response = post(login(world.user(Role.VT_STAFF)), "send", referral, version(referral, "send"))
    assert response.status_code == 400
    assert "Kies welke gegevens de ontvanger te zien krijgt" in response.content.decode()
    assert state(referral) == before


def on_consent(world):
    referral = draft(world, world.orgs[Organisation.Kind.ZVH])
    return complete_draft(referral, world, legal_basis="consent", shared_fields=["victims"])


def test_sending_on_consent_without_consent_is_refused(world, login):
    referral = on_consent(world)
    before = state(referral)
    response = post(login(world.user(Role.VT_STAFF)), "send", referral, version(referral, "send"))
    assert response.status_code == 400
    assert "geldige toestemming" in response.content.decode()
    assert state(referral) == before


def test_a_vt_officer_overrides_in_the_browser(world, login):
    referral = on_consent(world)
    client = login(world.user(Role.VT_OFFICER))
    client.post(
        url("edit", referral),
        edit_form(referral, consent_override_reason="Acuut gevaar voor het slachtoffer."),
    )
    response = post(client, "send", referral, version(referral, "send"))
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT


def test_vt_staff_cannot_send_on_the_officers_override(world, login):
    referral = on_consent(world)
    login(world.user(Role.VT_OFFICER)).post(
        url("edit", referral), edit_form(referral, consent_override_reason="Acuut gevaar.")
    )
    before = state(referral)
    response = post(login(world.user(Role.VT_STAFF)), "send", referral, version(referral, "send"))
    assert response.status_code == 400
    assert "Alleen een aandachtsfunctionaris" in response.content.decode()
    assert state(referral) == before


def test_a_stale_version_is_409(world, login):
    referral = ready(world)
    response = post(login(world.user(Role.VT_STAFF)), "send", referral, {"send-version": 99})
    assert response.status_code == 409
    assert "intussen door iemand anders gewijzigd" in response.content.decode()


def test_a_sent_referral_cannot_be_edited(world, login):
    referral = sent(world)
    response = login(world.user(Role.VT_STAFF)).get(url("edit", referral))
    assert response.status_code == 409
    assert "kan niet meer worden gewijzigd" in response.content.decode()


# --- answering ----------------------------------------------------------------------------


def test_the_process_director_accepts_and_the_trajectories_open(world, login):
    zvh = world.orgs[Organisation.Kind.ZVH]
    referral = sent(world, zvh)
    response = post(
        login(world.user(Role.PROCESS_DIRECTOR)),
        "accept",
        referral,
        {**version(referral, "accept"), "accept-response": "Wij nemen de procesregie."},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    assert TrajectoryAccess.objects.filter(case=referral.case, organisation=zvh).exists()


def test_a_decline_without_reason_is_refused(world, login):
    referral = sent(world)
    before = state(referral)
    response = post(
        login(world.user(Role.MUNICIPAL_OFFICER)),
        "decline",
        referral,
        {**version(referral, "decline"), "decline-reason": ""},
    )
    assert response.status_code == 400
    assert "Geef aan waarom" in response.content.decode()
    assert state(referral) == before


def test_completing_a_referral_that_was_never_accepted_is_refused(world, login):
    referral = sent(world)
    before = state(referral)
    response = post(
        login(world.user(Role.MUNICIPAL_OFFICER)),
        "complete",
        referral,
        {**version(referral, "complete"), "complete-feedback": "Klaar."},
    )
    assert response.status_code == 409
    assert "nooit is geaccepteerd, kan niet worden afgerond" in response.content.decode()
    assert state(referral) == before


def test_completing_needs_feedback(world, login):
    referral = accepted(world)
    before = state(referral)
    response = post(
        login(world.user(Role.MUNICIPAL_OFFICER)),
        "complete",
        referral,
        {**version(referral, "complete"), "complete-feedback": ""},
    )
    assert response.status_code == 400
    assert "Schrijf de terugkoppeling" in response.content.decode()
    assert state(referral) == before


def test_the_receiver_completes_with_feedback(world, login):
    referral = accepted(world)
    response = post(
        login(world.user(Role.MUNICIPAL_OFFICER)),
        "complete",
        referral,
        {**version(referral, "complete"), "complete-feedback": "Pand gesloten."},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.COMPLETED and referral.feedback == "Pand gesloten."


def test_veilig_thuis_answers_for_an_external_receiver(world, login):
    referral = sent(world, external_receiver(world))
    client = login(world.user(Role.VT_STAFF))
    html = client.get(url("detail", referral)).content.decode()
    assert "namens hen vast" in html
    response = post(client, "accept", referral, version(referral, "accept"))
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.answered_on_behalf


@pytest.mark.parametrize("step", ["accept", "decline", "complete"])
def test_veilig_thuis_may_not_answer_for_a_receiver_with_users(world, login, step):
    referral = sent(world)
    before = state(referral)
    response = post(login(world.user(Role.VT_STAFF)), step, referral, version(referral, step))
    assert response.status_code == 403
    assert state(referral) == before


def test_the_case_page_shows_the_feedback(world, login):
    referral = accepted(world)
    post(
        login(world.user(Role.MUNICIPAL_OFFICER)),
        "complete",
        referral,
        {**version(referral, "complete"), "complete-feedback": "Pand gesloten na bezoek."},
    )
    html = (
        login(world.user(Role.VT_STAFF))
        .get(reverse("cases:detail", kwargs={"public_id": referral.case.public_id}))
        .content.decode()
    )
    assert "Pand gesloten na bezoek." in html
