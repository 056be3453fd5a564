from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db import transaction

from accounts.models import User
from signals import services
from signals.models import ExploitationForm, Signal, Source
from signals.services import PersonInput, PlaceInput, SignalInput
from signals.workflow import Status


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


# --- helpers for the service tests (signals/tests/test_services_*.py) ----------------------

# A fixed "now" for tests where dates matter: Monday 30 November 2026, 10:00 in Zuid-Limburg.
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 11, 30, 10, 0, tzinfo=AMSTERDAM)


def reload(signal: Signal) -> Signal:
    return Signal.objects.get(pk=signal.pk)


def submitted_signal(actor: User, municipality=None, **overrides) -> Signal:
    signal = make_signal(actor, municipality, **overrides)
    return services.signal_submit(signal=signal, actor=actor, version=signal.version)


def registered_signal(
    actor: User, registrar: User, municipality=None, *, classification="potential", **overrides
) -> Signal:
    signal = submitted_signal(actor, municipality, **overrides)
    return services.signal_register(
        signal=signal,
        actor=registrar,
        version=signal.version,
        preliminary_classification=classification,
    )


def scheduled_signal(actor: User, registrar: User, municipality=None, **overrides) -> Signal:
    """On a screening agenda. The screening app does this through ``signal_transition``."""
    signal = registered_signal(actor, registrar, municipality, **overrides)
    with transaction.atomic():
        locked = Signal.objects.select_for_update().get(pk=signal.pk)
        return services.signal_transition(signal=locked, to=Status.SCHEDULED, actor=registrar)


def with_email(user: User) -> User:
    user.email = f"{user.username}@example.nl"
    user.save(update_fields=["email"])
    return user
