"""Logging a signal in the browser: the intake form with persons and places added inline."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from signals.models import Person, Signal
from signals.tests.test_views_support import person, place, signal_form
from signals.workflow import Status

URL = reverse("signals:create")


@pytest.fixture
def officer(world):
    return world.user(Role.MUNICIPAL_OFFICER)


def test_it_shows_an_accessible_form(world, officer, login):
    response = login(officer).get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_description">' in html
    assert "Maximaal 20.000 tekens" in html
    for legend in ("Betrokken personen", "Plaatsen en bedrijven", "Indicatoren"):
        assert f"<legend>{legend}" in html
    # One fieldset per form of exploitation for the indicator checklist.
    assert "<legend>Arbeidsuitbuiting</legend>" in html
    assert 'hx-get="/signalen/persoon-rij/"' in html
    assert "Persoon toevoegen" in html
    # The municipality list holds the region's municipalities only.
    assert world.other_municipality.name in html


def test_it_creates_a_signal_with_two_persons_and_a_place(world, officer, login):
    data = signal_form(
        world.municipality,
        persons=[
            person(),
            person(
                role="possible_offender",
                name="Jan de Vries",
                age_band="",
                birth_date="1980-04-02",
                gender="male",
                nationality="NL",
                residence_status="dutch",
            ),
        ],
        places=[place()],
    )
    client = login(officer)
    response = client.post(URL, data)

    signal = Signal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("signals:detail", args=[signal.public_id])
    assert signal.status == Status.DRAFT
    assert signal.reporting_organisation == officer.organisation
    assert signal.forms == ["labour"]
    roles = {i.person.name: i.role for i in signal.involvements.select_related("person")}
    assert roles == {"Anna Müller": "possible_victim", "Jan de Vries": "possible_offender"}
    assert signal.places.get().kvk_number == "12345678"
    detail = client.get(response["Location"]).content.decode()
    assert "is vastgelegd als concept" in detail
    assert "Jan de Vries" in detail


def test_it_ignores_an_empty_row_and_a_row_marked_for_removal(world, officer, login):
    empty = dict.fromkeys(person(), "") | {"gender": "unknown", "residence_status": "unknown"}
    removed = person(name="Weg Ermee", DELETE=True)
    data = signal_form(world.municipality, persons=[person(), empty, removed])

    response = login(officer).post(URL, data)

    assert response.status_code == 302
    assert list(Person.objects.values_list("name", flat=True)) == ["Anna Müller"]


def test_it_adds_a_person_row_with_htmx(officer, login):
    response = login(officer).get(
        reverse("signals:person_row"), {"persons-TOTAL_FORMS": "2"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="persons-2-name"' in html
    assert "<legend>Persoon 3</legend>" in html
    # The management form counts the new row, swapped in out of band.
    assert 'name="persons-TOTAL_FORMS" value="3"' in html
    assert 'hx-swap-oob="true"' in html
    # Focus moves into the new row.
    assert 'name="persons-2-role" autofocus' in html


def test_it_adds_a_place_row_by_index(officer, login):
    response = login(officer).get(reverse("signals:place_row"), {"index": "0"})
    html = response.content.decode()
    assert 'name="places-0-kind"' in html
    assert 'name="places-0-DELETE"' in html
    assert 'name="places-TOTAL_FORMS" value="1"' in html


@pytest.mark.parametrize("index", ["-1", "50", "x", ""])
def test_it_refuses_a_row_index_out_of_range(officer, login, index):
    response = login(officer).get(reverse("signals:person_row"), {"index": index})
    assert response.status_code == 400


def test_it_adds_a_row_without_javascript_and_saves_nothing(world, officer, login):
    data = signal_form(world.municipality) | {"add_row": "persons"}
    response = login(officer).post(URL, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="persons-1-name"' in html
    assert Signal.objects.count() == 0


def test_it_refuses_roles_that_do_not_take_in_signals(world, login):
    client = login(world.user(Role.POLICY_ANALYST))
    assert client.get(URL).status_code == 403
    assert client.post(URL, signal_form(world.municipality)).status_code == 403
    assert Signal.objects.count() == 0


def test_it_offers_only_the_sources_of_the_role(world, login):
    html = login(world.user(Role.AVIM)).get(URL).content.decode()
    assert 'value="avim"' in html
    assert 'value="municipality_internal"' not in html
