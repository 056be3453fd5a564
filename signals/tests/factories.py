from datetime import date

from accounts.models import User
from signals import services
from signals.models import ExploitationForm, Source
from signals.services import PersonInput, PlaceInput, SignalInput


def signal_input(municipality, **overrides) -> SignalInput:
    values = {
        "source": Source.MUNICIPALITY_INTERNAL,
        "municipality": municipality,
        "received_at": date(2026, 11, 2),
        "description": "Vier vrouwen wonen boven een nagelstudio en werken er dag en nacht.",
        "forms": [ExploitationForm.LABOUR],
        "labour_sector": "beauty_massage",
        "indicators": [],
        "is_acute": False,
    }
    values.update(overrides)
    return SignalInput(**values)


def person_input(**overrides) -> PersonInput:
    values = {
        "role": "possible_victim",
        "name": "Anna Müller",
        "age_band": "23-29",
        "gender": "female",
    }
    values.update(overrides)
    return PersonInput(**values)


def place_input(**overrides) -> PlaceInput:
    values = {
        "kind": "company",
        "name": "Nagelstudio Glans",
        "address": "Markt 1",
        "city": "Heerlen",
    }
    values.update(overrides)
    return PlaceInput(**values)


def make_signal(actor: User, municipality=None, *, persons=None, places=None, **overrides):
    data = signal_input(municipality or actor.organisation, **overrides)
    return services.signal_create(
        actor=actor,
        data=data,
        persons=[person_input()] if persons is None else persons,
        places=[place_input()] if places is None else places,
    )
