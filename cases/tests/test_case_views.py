"""The case pages: lists, the case page, and each form's refusals in Dutch (nothing saved)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation
from accounts.roles import Role
from cases.models import Action, Case, CaseNote, Consent
from cases.tests.case_support import (
    action_url,
    add_action,
    close,
    detail_url,
    in_days,
    lead_user,
    record_consent,
    reload,
    step_url,
    victim,
    vt,
)
from cases.tests.factories import make_case, screened_signal
from cases.workflow import CaseStatus
from signals.tests.factories import registered_signal

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


# --- lists -------------------------------------------------------------------------------------


def test_veilig_thuis_sees_the_register_with_filters(world, login):
    ours = make_case(world)
    theirs = make_case(world, lead=world.orgs[Organisation.Kind.ZVH])
    closed = close(world, make_case(world))
    client = login(vt(world))

    everything = html(client.get(reverse("cases:list")))
    by_status = html(client.get(reverse("cases:list"), {"status": "closed"}))
    by_lead = html(client.get(reverse("cases:list"), {"lead_organisation": world.municipality.pk}))

    assert all(c.reference in everything for c in (ours, theirs, closed))
    assert closed.reference in by_status and ours.reference not in by_status
    assert ours.reference in by_lead and theirs.reference not in by_lead
    assert "Regiehouder" in everything  # the lead filter is offered to the register


def test_a_lead_sees_its_own_cases_without_the_lead_filter(world, login):
    mine = make_case(world)
    other = make_case(world, lead=world.other_municipality)
    page = html(login(lead_user(world)).get(reverse("cases:list")))
    assert mine.reference in page and other.reference not in page
    assert 'name="lead_organisation"' not in page


def test_an_invalid_filter_shows_a_dutch_message(world, login):
    response = login(vt(world)).get(reverse("cases:list"), {"status": "kwijt"})
    assert response.status_code == 200
    assert "Kies een van de mogelijkheden uit de lijst." in html(response)


def test_my_actions_shows_the_reference_but_links_only_cases_i_may_open(world, login):
    case = make_case(world)  # led by the municipality
    action = add_action(world, case, owner=world.orgs[Organisation.Kind.ZVH])
    page = html(login(world.user(Role.CARE_COORDINATOR)).get(reverse("cases:my_actions")))
    assert action.description in page
    assert case.reference in page
    assert f'href="{detail_url(case)}"' not in page
    assert action_url(action, "action_complete") in page


def test_my_cases_lists_the_cases_my_organisation_leads(world, login):
    mine = make_case(world)
    page = html(login(lead_user(world)).get(reverse("cases:mine")))
    assert mine.reference in page


# --- the case page -----------------------------------------------------------------------------


def test_the_case_page_shows_everything_of_the_case(world, login):
    case = make_case(world)
    add_action(world, case)
    record_consent(world, case)
    signal = case.signals.get()

    page = html(login(vt(world)).get(detail_url(case)))

    assert case.reference in page
    assert reverse("signals:detail", kwargs={"public_id": signal.public_id}) in page
    assert victim(case).name in page
    assert "Intakegesprek plannen" in page
    assert "Delen met de zorgcoördinator" in page  # consent, for those who may see it
    assert "Casus geopend op signaal" in page  # the timeline
    assert "Terug op de screeningsagenda" in page
    assert reverse("screening:case_evaluation", kwargs={"public_id": case.public_id}) in page


def test_a_lead_without_consent_rights_does_not_see_consent(world, login):
    case = make_case(world)
    record_consent(world, case)
    page = html(login(lead_user(world)).get(detail_url(case)))
    assert "Delen met de zorgcoördinator" not in page
    assert "Terug op de screeningsagenda" not in page  # that is Veilig Thuis' table


def test_another_organisation_gets_404(world, login):
    case = make_case(world)
    other = world.user(Role.MUNICIPAL_OFFICER, world.other_municipality)
    assert login(other).get(detail_url(case)).status_code == 404


def test_another_region_gets_404(world, other_world, login):
    case = make_case(world)
    assert login(vt(other_world)).get(detail_url(case)).status_code == 404


# --- steps: the happy path ---------------------------------------------------------------------


def test_the_lead_adds_an_action(world, login):
    case = make_case(world)
    response = login(lead_user(world)).post(
        step_url(case, "action_add"),
        {
            "action-description": "Huisbezoek",
            "action-owner_organisation": world.orgs[Organisation.Kind.POLICE_AVIM].pk,
            "action-due_date": in_days(5).isoformat(),
        },
    )
    assert response.status_code == 302
    assert Action.objects.get(case=case).description == "Huisbezoek"


def test_closing_with_open_actions_asks_for_the_confirmation(world, login):
    case = make_case(world)
    add_action(world, case)
    case = reload(case)
    client = login(vt(world))
    data = {"close-version": case.version, "close-reason": "goal_reached"}

    refused = client.post(step_url(case, "close"), data)
    assert refused.status_code == 400
    assert "Bevestig dat u de casus toch wilt sluiten" in html(refused)
    assert reload(case).status == CaseStatus.OPEN

    confirmed = client.post(step_url(case, "close"), {**data, "close-confirm_open_actions": "on"})
    assert confirmed.status_code == 302
    assert reload(case).status == CaseStatus.CLOSED


def test_the_owner_completes_its_action_from_my_actions(world, login):
    case = make_case(world)
    action = add_action(world, case, owner=world.orgs[Organisation.Kind.ZVH])
    response = login(world.user(Role.CARE_COORDINATOR)).post(action_url(action, "action_complete"))
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:my_actions")
    assert Action.objects.get(pk=action.pk).done_at is not None


def test_completing_twice_answers_409_in_dutch(world, login):
    case = make_case(world)
    action = add_action(world, case)
    client = login(vt(world))
    client.post(action_url(action, "action_complete"))
    response = client.post(action_url(action, "action_complete"))
    assert response.status_code == 409
    assert "Deze actie is al afgerond." in html(response)


def test_veilig_thuis_hands_over_the_lead(world, login):
    case = make_case(world)
    zvh = world.orgs[Organisation.Kind.ZVH]
    response = login(vt(world)).post(
        step_url(case, "lead_change"),
        {"lead-version": case.version, "lead-lead_organisation": zvh.pk, "lead-lead_kind": "zvh"},
    )
    assert response.status_code == 302
    assert reload(case).lead_organisation == zvh


def test_reopening_a_closed_case(world, login):
    case = close(world, make_case(world))
    response = login(vt(world)).post(
        step_url(case, "reopen"),
        {"reopen-version": reload(case).version, "reopen-reason": "Nieuwe informatie."},
    )
    assert response.status_code == 302
    assert reload(case).status == CaseStatus.OPEN


# --- steps: bad input answers 400 with the Dutch message, nothing saved ------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action-description": "", "action-due_date": "2026-12-01"}, "Beschrijf de actie."),
        ({"action-description": "x", "action-due_date": "morgen"}, "Vul een geldige datum in"),
        (
            {"action-description": "x", "action-due_date": "2020-01-01"},
            "De uiterste datum ligt in het verleden.",
        ),
        ({"action-description": "x" * 501}, "maximaal 500 tekens"),
    ],
    ids=["no-description", "bad-date", "past-date", "too-long"],
)
def test_a_bad_action_is_refused(world, login, data, message):
    case = make_case(world)
    body = {"action-owner_organisation": world.municipality.pk, **data}
    response = login(vt(world)).post(step_url(case, "action_add"), body)
    assert response.status_code == 400
    assert message in html(response)
    assert "Er is nog niets opgeslagen" in html(response) or "Controleer het formulier" in html(
        response
    )
    assert not Action.objects.exists()


def test_an_owner_of_another_region_is_refused(world, other_world, login):
    case = make_case(world)
    response = login(vt(world)).post(
        step_url(case, "action_add"),
        {
            "action-description": "Huisbezoek",
            "action-owner_organisation": other_world.municipality.pk,
            "action-due_date": in_days(2).isoformat(),
        },
    )
    assert response.status_code == 400
    assert "Kies een actieve organisatie uit de regio." in html(response)
    assert not Action.objects.exists()


def test_an_empty_note_is_refused(world, login):
    case = make_case(world)
    response = login(vt(world)).post(step_url(case, "note_add"), {"note-text": ""})
    assert response.status_code == 400
    assert "Schrijf een notitie." in html(response)
    assert not CaseNote.objects.exists()


def test_closing_for_another_reason_without_a_note_is_refused(world, login):
    case = make_case(world)
    response = login(vt(world)).post(
        step_url(case, "close"), {"close-version": case.version, "close-reason": "other"}
    )
    assert response.status_code == 400
    assert "Licht toe waarom de casus wordt gesloten." in html(response)
    assert reload(case).status == CaseStatus.OPEN


def test_a_stale_close_answers_409(world, login):
    case = make_case(world)
    response = login(vt(world)).post(
        step_url(case, "close"), {"close-version": case.version + 3, "close-reason": "goal_reached"}
    )
    assert response.status_code == 409
    assert "intussen door iemand anders gewijzigd" in html(response)
    assert reload(case).status == CaseStatus.OPEN


def test_consent_of_a_child_by_herself_is_refused(world, login):
    from signals.tests.factories import person_input

    born = timezone.localdate() - timedelta(days=14 * 365)
    case = make_case(world, persons=[person_input(birth_date=born, age_band="")])
    person = victim(case)
    prefix = f"consent-{str(person.public_id)[:8]}"
    response = login(vt(world)).post(
        reverse(
            "cases:consent_record",
            kwargs={"public_id": case.public_id, "person_id": person.public_id},
        ),
        {
            f"{prefix}-given_by": "person",
            f"{prefix}-given_on": timezone.localdate().isoformat(),
            f"{prefix}-scope": "Delen met de opvang",
        },
    )
    assert response.status_code == 400
    assert "jonger dan 16 jaar" in html(response)
    assert not Consent.objects.exists()


def test_withdrawing_consent(world, login):
    case = make_case(world)
    consent = record_consent(world, case)
    response = login(vt(world)).post(
        reverse(
            "cases:consent_withdraw",
            kwargs={"public_id": case.public_id, "consent_id": consent.public_id},
        ),
        {f"withdraw-{str(consent.public_id)[:8]}-withdrawn_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    assert Consent.objects.get(pk=consent.pk).withdrawn_on == timezone.localdate()


# --- opening a case from a signal --------------------------------------------------------------


def open_url(signal) -> str:
    return reverse("cases:open", kwargs={"signal_id": signal.public_id})


def test_veilig_thuis_opens_a_case_on_a_screened_signal(world, login):
    signal = screened_signal(world)
    response = login(vt(world)).post(
        open_url(signal),
        {
            "choice": "open",
            "open-lead_organisation": world.municipality.pk,
            "open-lead_kind": "municipality",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(case)
    assert case.lead_organisation == world.municipality


def test_opening_without_a_lead_is_refused_in_dutch(world, login):
    signal = screened_signal(world)
    response = login(vt(world)).post(open_url(signal), {"choice": "open"})
    assert response.status_code == 400
    assert "Kies de regiehouder." in html(response)
    assert not Case.objects.exists()


def test_the_open_page_offers_the_open_cases_of_the_same_person(world, login):
    existing = make_case(world)
    signal = screened_signal(world)
    client = login(vt(world))

    page = html(client.get(open_url(signal)))
    assert existing.reference in page
    assert "Toevoegen aan een bestaande casus" in page

    response = client.post(
        open_url(signal), {"choice": "join", "join-case": str(existing.public_id)}
    )
    assert response.status_code == 302
    assert signal in reload(existing).signals.all()
    assert reload(existing).signals.count() == 2


def test_a_signal_not_yet_decided_cannot_get_a_case(world, login):
    signal = registered_signal(world.user(Role.MUNICIPAL_OFFICER), vt(world), world.municipality)
    response = login(vt(world)).get(open_url(signal))
    assert response.status_code == 409
    assert "gescreend of acuut besproken signaal" in html(response)
