"""The referral page: the receiver sees the shared fields and nothing else of the case."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AuditLogEntry, Organisation
from accounts.roles import Role
from referrals.models import SharedField
from referrals.tests.factories import accepted, declined, draft, ready, sent
from referrals.tests.support import reads_of, url
from signals.tests.factories import person_input, place_input

CASE_DATA = {
    "persons": [
        person_input(name="Anna Müller"),
        person_input(role="possible_offender", name="Viktor Zwart", age_band="30-39"),
    ],
    "places": [place_input(name="Nagelstudio Glans", facts="Open tot middernacht.")],
    "description": "Vier vrouwen wonen boven de nagelstudio.",
}


def page(login, user, referral):
    response = login(user).get(url("detail", referral))
    return response, response.content.decode()


def test_the_receiver_sees_only_the_chosen_fields(world, login):
    zvh = world.orgs[Organisation.Kind.ZVH]
    referral = sent(world, zvh, shared_fields=[SharedField.PLACES], **CASE_DATA)

    response, html = page(login, world.user(Role.PROCESS_DIRECTOR), referral)

    assert response.status_code == 200
    assert "Nagelstudio Glans" in html and "Open tot middernacht." in html
    assert "Anna Müller" not in html
    assert "Viktor Zwart" not in html
    assert "Vier vrouwen" not in html
    assert referral.case.reference not in html  # the summary was not shared


def test_victims_show_when_chosen(world, login):
    zvh = world.orgs[Organisation.Kind.ZVH]
    referral = sent(world, zvh, shared_fields=[SharedField.VICTIMS], **CASE_DATA)
    _response, html = page(login, world.user(Role.PROCESS_DIRECTOR), referral)
    assert "Anna Müller" in html and "Viktor Zwart" not in html


def test_after_a_decline_the_receiver_sees_the_referral_alone(world, login):
    zvh = world.orgs[Organisation.Kind.ZVH]
    referral = declined(world, zvh, shared_fields=[SharedField.PLACES], **CASE_DATA)

    response, html = page(login, world.user(Role.PROCESS_DIRECTOR), referral)

    assert response.status_code == 200
    assert "Geen capaciteit." in html  # its own answer
    assert "Nagelstudio Glans" not in html
    assert "worden niet meer gedeeld" in html


def test_the_receiver_never_reaches_the_case_page(world, login):
    referral = accepted(world, world.orgs[Organisation.Kind.ZVH], **CASE_DATA)
    client = login(world.user(Role.PROCESS_DIRECTOR))
    response = client.get(reverse("cases:detail", kwargs={"public_id": referral.case.public_id}))
    assert response.status_code == 404


def test_the_lead_organisation_does_reach_it(world, login):
    zvh = world.orgs[Organisation.Kind.ZVH]
    referral = accepted(world, zvh, lead=zvh, **CASE_DATA)
    client = login(world.user(Role.PROCESS_DIRECTOR))
    response = client.get(reverse("cases:detail", kwargs={"public_id": referral.case.public_id}))
    assert response.status_code == 200


def test_the_consent_and_override_are_not_for_the_receiver(world, login):
    referral = sent(world, world.orgs[Organisation.Kind.ZVH])
    _response, html = page(login, world.user(Role.PROCESS_DIRECTOR), referral)
    assert "Toestemming</dt>" not in html
    assert "Reden om zonder geldige toestemming" not in html


def test_veilig_thuis_sees_what_the_receiver_will_see(world, login):
    referral = ready(world, world.orgs[Organisation.Kind.ZVH], **CASE_DATA)
    _response, html = page(login, world.user(Role.VT_STAFF), referral)
    assert "Wat de ontvanger ziet" in html
    assert "Nagelstudio Glans" in html


@pytest.mark.parametrize("role", [Role.AVIM, Role.CARE_COORDINATOR])
def test_another_organisation_gets_404(world, login, role):
    referral = sent(world)  # to the municipality
    response, _html = page(login, world.user(role), referral)
    assert response.status_code == 404


def test_the_receiver_does_not_see_a_draft(world, login):
    referral = draft(world)
    response, _html = page(login, world.user(Role.MUNICIPAL_OFFICER), referral)
    assert response.status_code == 404


def test_each_read_is_logged_with_the_persons_shown(world, login):
    zvh = world.orgs[Organisation.Kind.ZVH]
    referral = sent(world, zvh, shared_fields=[SharedField.VICTIMS], **CASE_DATA)
    page(login, world.user(Role.PROCESS_DIRECTOR), referral)
    entry = reads_of(referral).get()
    assert entry.access_kind == AuditLogEntry.AccessKind.READ
    assert entry.additional_data["shared_fields"] == ["victims"]
    victim = referral.case.persons.get()
    assert entry.additional_data["persons"] == [str(victim.public_id)]


def detail_queries(client, referral) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url("detail", referral))
    assert response.status_code == 200
    return len(captured)


def test_the_page_costs_as_many_queries_for_20_persons_and_places_as_for_one(world, login):
    zvh = world.orgs[Organisation.Kind.ZVH]
    every_field = list(SharedField.values)
    small = sent(world, zvh, shared_fields=every_field)
    large = sent(
        world,
        zvh,
        shared_fields=every_field,
        persons=[person_input(name=f"Persoon {n}") for n in range(20)],
        places=[place_input(name=f"Pand {n}") for n in range(20)],
    )
    client = login(world.user(Role.PROCESS_DIRECTOR))
    client.get(url("detail", small))  # warm the per-process caches

    assert detail_queries(client, large) == detail_queries(client, small)
