"""Bad input gets Dutch field errors on the field it is about, and nothing is saved."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from signals.forms import SignalEditor
from signals.models import Indicator, Person, Place, Signal
from signals.tests.test_views_support import person, place, signal_form

URL = reverse("signals:create")
TOMORROW = (timezone.localdate() + timedelta(days=1)).isoformat()


def nothing_saved() -> bool:
    return not (Signal.objects.exists() or Person.objects.exists() or Place.objects.exists())


def post(world, login, **kwargs):
    client = login(world.user(Role.MUNICIPAL_OFFICER))
    data = signal_form(world.municipality, places=[place()], **kwargs)
    return client.post(URL, data)


CASES = {
    "birth date in the future": (
        {"persons": [person(birth_date=TOMORROW, age_band="")]},
        "id_persons-0-birth_date",
        "De geboortedatum ligt in de toekomst.",
    ),
    "received date in the future": (
        {"received_at": TOMORROW},
        "id_received_at",
        "De ontvangstdatum ligt in de toekomst.",
    ),
    "age band contradicting the birth date": (
        {"persons": [person(birth_date="1960-01-01", age_band="16-17")]},
        "id_persons-0-age_band",
        "De geschatte leeftijd past niet bij de geboortedatum",
    ),
    "empty description": (
        {"description": "   "},
        "id_description",
        "Beschrijf wat er is gezien.",
    ),
    "a 1 MB description": (
        {"description": "x" * 1_000_000},
        "id_description",
        "De beschrijving is te lang: maximaal 20.000 tekens.",
    ),
    "no form of exploitation": ({"forms": None}, "id_forms", "Kies minstens één"),
    "a sector without labour exploitation": (
        {"forms": ["sexual"]},
        "id_labour_sector",
        "Een sector hoort alleen bij arbeidsuitbuiting.",
    ),
    "nationality and stateless": (
        {"persons": [person(is_stateless=True)]},
        "id_persons-0-nationality",
        "Kies een nationaliteit óf staatloos, niet allebei.",
    ),
}


@pytest.mark.parametrize(("overrides", "anchor", "message"), CASES.values(), ids=CASES.keys())
def test_it_refuses_bad_input_with_a_dutch_field_error(world, login, overrides, anchor, message):
    response = post(world, login, **overrides)
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    # The error summary at the top links to the field.
    assert f'href="#{anchor}"' in html
    assert nothing_saved()


def test_it_refuses_a_municipality_of_another_region(world, other_world, login):
    client = login(world.user(Role.MUNICIPAL_OFFICER))
    data = signal_form(other_world.municipality)
    response = client.post(URL, data)
    assert response.status_code == 400
    assert "Kies een gemeente uit uw regio." in response.content.decode()
    assert nothing_saved()


def test_it_puts_the_error_on_the_right_person(world, login):
    persons = [person(), person(name="Tweede", birth_date=TOMORROW, age_band="")]
    response = post(world, login, persons=persons)
    html = response.content.decode()
    assert 'href="#id_persons-1-birth_date"' in html
    assert "Persoon 2 — Geboortedatum" in html
    assert nothing_saved()


def test_it_shows_a_rule_only_the_service_checks_on_its_field(world, login):
    """Indicators must belong to a chosen form: signals.services refuses it, the form shows it."""
    sexual = Indicator.objects.filter(form="sexual", is_active=True).first()
    response = post(world, login, indicators=[str(sexual.pk)])
    html = response.content.decode()
    assert response.status_code == 400
    assert "Kies alleen indicatoren bij de gekozen vormen van uitbuiting." in html
    assert 'href="#id_indicators"' in html
    assert nothing_saved()


def test_it_maps_service_person_errors_onto_the_persons_sent(world):
    """``persons.<i>`` counts the persons sent to the service, not the rows on the page."""
    officer = world.user(Role.MUNICIPAL_OFFICER)
    empty = dict.fromkeys(person(), "") | {"gender": "unknown", "residence_status": "unknown"}
    data = signal_form(world.municipality, persons=[person(name="Een"), empty, person(name="Twee")])
    editor = SignalEditor(user=officer, data=data)
    assert editor.is_valid()
    _data, persons, _places = editor.inputs()
    assert [p.name for p in persons] == ["Een", "Twee"]

    editor.add_service_errors(ValidationError({"persons.1.name": ["Niet goed."]}))

    assert editor.persons.forms[2].errors["name"] == ["Niet goed."]
    assert not editor.persons.forms[1].errors
