"""Bad input is refused field by field, in Dutch, and nothing of it is saved."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Organisation
from accounts.roles import Role
from signals import services
from signals.models import (
    DESCRIPTION_MAX_LENGTH,
    SOURCES_BY_ROLE,
    Indicator,
    Person,
    Place,
    ReferenceCounter,
    Signal,
    SignalForm,
)
from signals.tests.factories import NOW, make_signal, person_input, place_input, signal_input

# NOW is 30 November 2026; signal_input's default received_at is 2 November 2026.
CASES = {
    "birth_date_in_the_future": (
        Role.MUNICIPAL_OFFICER,
        lambda w: {"persons": [person_input(birth_date=date(2026, 12, 1), age_band="")]},
        "persons.0.birth_date",
        "De geboortedatum ligt in de toekomst.",
    ),
    "received_date_in_the_future": (
        Role.MUNICIPAL_OFFICER,
        lambda w: {"received_at": date(2026, 12, 1)},
        "received_at",
        "De ontvangstdatum ligt in de toekomst.",
    ),
    "age_band_contradicts_birth_date": (
        Role.MUNICIPAL_OFFICER,
        lambda w: {"persons": [person_input(birth_date=date(1990, 5, 1), age_band="16-17")]},
        "persons.0.age_band",
        "De geschatte leeftijd past niet bij de geboortedatum (36 jaar).",
    ),
    "empty_description": (
        Role.MUNICIPAL_OFFICER,
        lambda w: {"description": " \n\t "},
        "description",
        "Beschrijf wat er is gezien.",
    ),
    "description_one_character_too_long": (
        Role.MUNICIPAL_OFFICER,
        lambda w: {"description": "a" * (DESCRIPTION_MAX_LENGTH + 1)},
        "description",
        "De beschrijving is te lang: maximaal 20.000 tekens.",
    ),
    "description_of_one_megabyte": (
        Role.MUNICIPAL_OFFICER,
        lambda w: {"description": "mensenhandel " * (1024 * 1024 // 13 + 1)},
        "description",
        "De beschrijving is te lang: maximaal 20.000 tekens.",
    ),
    "municipality_of_another_region": (
        Role.MUNICIPAL_OFFICER,
        lambda w: {"municipality": w["other_world"].municipality},
        "municipality",
        "Kies een gemeente uit uw regio.",
    ),
    "organisation_that_is_not_a_municipality": (
        Role.MUNICIPAL_OFFICER,
        lambda w: {"municipality": w["world"].orgs[Organisation.Kind.VEILIG_THUIS]},
        "municipality",
        "Kies een gemeente uit uw regio.",
    ),
    "avim_choosing_citizen_as_source": (
        Role.AVIM,
        lambda w: {"source": "citizen"},
        "source",
        "Deze bron kunt u met uw rol niet kiezen.",
    ),
    "municipality_choosing_avim_as_source": (
        Role.MUNICIPAL_OFFICER,
        lambda w: {"source": "avim"},
        "source",
        "Deze bron kunt u met uw rol niet kiezen.",
    ),
    "indicator_of_a_form_not_chosen": (
        Role.MUNICIPAL_OFFICER,
        lambda w: {
            "indicators": [Indicator.objects.create(form="sexual", text="Testindicator seksueel")]
        },
        "indicators",
        "Kies alleen indicatoren bij de gekozen vormen van uitbuiting.",
    ),
    "inactive_indicator": (
        Role.MUNICIPAL_OFFICER,
        lambda w: {
            "indicators": [
                Indicator.objects.create(form="labour", text="Vervallen", is_active=False)
            ]
        },
        "indicators",
        "Kies alleen indicatoren bij de gekozen vormen van uitbuiting.",
    ),
    "stateless_with_a_nationality": (
        Role.MUNICIPAL_OFFICER,
        lambda w: {"persons": [person_input(is_stateless=True, nationality="SY")]},
        "persons.0.nationality",
        "Kies een nationaliteit óf staatloos, niet allebei.",
    ),
    "labour_sector_without_labour": (
        Role.MUNICIPAL_OFFICER,
        lambda w: {"forms": ["sexual"], "labour_sector": "agriculture"},
        "labour_sector",
        "Een sector hoort alleen bij arbeidsuitbuiting.",
    ),
    "no_form_of_exploitation": (
        Role.MUNICIPAL_OFFICER,
        lambda w: {"forms": [], "labour_sector": ""},
        "forms",
        "Kies minstens één (vermoedelijke) vorm van uitbuiting, of 'Onbekend'.",
    ),
    "person_without_a_name": (
        Role.MUNICIPAL_OFFICER,
        lambda w: {"persons": [person_input(), person_input(name="  ")]},
        "persons.1.name",
        "Vul een naam of alias in.",
    ),
    "older_at_the_start_than_now": (
        Role.MUNICIPAL_OFFICER,
        lambda w: {
            "persons": [
                person_input(birth_date=date(2000, 1, 1), age_band="", age_at_exploitation_start=30)
            ]
        },
        "persons.0.age_at_exploitation_start",
        "De leeftijd bij het begin van de uitbuiting is hoger dan de huidige leeftijd.",
    ),
}


def build(world, other_world, role, case):
    actor = world.user(role)
    values = {
        "source": SOURCES_BY_ROLE[role][0],
        "municipality": world.municipality,
        "persons": [person_input()],
        "places": [place_input()],
    }
    values.update(case({"world": world, "other_world": other_world}))
    persons, places = values.pop("persons"), values.pop("places")
    return actor, signal_input(**values), persons, places


def stored() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Signal, Person, Place, SignalForm, ReferenceCounter)
    }


@pytest.mark.parametrize(("role", "case", "field", "message"), CASES.values(), ids=CASES.keys())
def test_it_refuses_bad_input_when_creating_and_saves_nothing(
    world, other_world, time_machine, role, case, field, message
):
    time_machine.move_to(NOW, tick=False)
    actor, data, persons, places = build(world, other_world, role, case)

    with pytest.raises(ValidationError) as refused:
        services.signal_create(actor=actor, data=data, persons=persons, places=places)

    assert message in refused.value.message_dict[field]
    assert stored() == dict.fromkeys(stored(), 0)


@pytest.mark.parametrize(("role", "case", "field", "message"), CASES.values(), ids=CASES.keys())
def test_it_refuses_bad_input_when_editing_and_changes_nothing(
    world, other_world, time_machine, role, case, field, message
):
    time_machine.move_to(NOW, tick=False)
    actor, data, persons, places = build(world, other_world, role, case)
    signal = make_signal(actor, world.municipality, source=SOURCES_BY_ROLE[role][0])
    before = stored()
    version, description = signal.version, signal.description
    names = list(Person.objects.values_list("name", flat=True))

    with pytest.raises(ValidationError) as refused:
        services.signal_update(
            signal=signal,
            actor=actor,
            version=signal.version,
            data=data,
            persons=persons,
            places=places,
        )

    assert message in refused.value.message_dict[field]
    assert stored() == before
    fresh = Signal.objects.get(pk=signal.pk)
    assert (fresh.version, fresh.description) == (version, description)
    assert list(Person.objects.values_list("name", flat=True)) == names


def test_it_accepts_a_birth_date_that_fits_the_age_band(world, time_machine):
    time_machine.move_to(NOW, tick=False)
    officer = world.user(Role.MUNICIPAL_OFFICER)

    signal = make_signal(officer, persons=[person_input(birth_date=date(2000, 6, 1))])

    person = signal.involvements.get().person
    assert (person.birth_date, person.age_band) == (date(2000, 6, 1), "23-29")


def test_it_accepts_a_description_of_exactly_the_limit(world):
    signal = make_signal(
        world.user(Role.MUNICIPAL_OFFICER), description="a" * DESCRIPTION_MAX_LENGTH
    )

    assert len(Signal.objects.get(pk=signal.pk).description) == DESCRIPTION_MAX_LENGTH


def test_it_reports_every_wrong_field_at_once(world, time_machine):
    time_machine.move_to(NOW, tick=False)
    officer = world.user(Role.MUNICIPAL_OFFICER)
    data = signal_input(world.municipality, received_at=date(2027, 1, 1), description="")

    with pytest.raises(ValidationError) as refused:
        services.signal_create(
            actor=officer,
            data=data,
            persons=[person_input(birth_date=date(2027, 1, 1), age_band="")],
            places=[],
        )

    assert {"received_at", "description", "persons.0.birth_date"} <= set(refused.value.message_dict)
