"""Rules on the content of a signal, shared by the HTML forms, the API and the services."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import DESCRIPTION_MAX_LENGTH, AgeBand, ExploitationForm


def normalise(text: str) -> str:
    """Lower case, accents and punctuation removed: "Müller-Łukasz" → "muller lukasz"."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    # Letters that do not decompose (ł, ø, ß, æ) get their usual transliteration.
    stripped = stripped.translate(
        str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "Æ": "AE"})
    )
    return " ".join(re.sub(r"[^\w]+", " ", stripped.lower()).split())


# Sane ranges for dates a user types: a year typed as 0202 or 1026 is refused, not stored.
EARLIEST_RECEIVED_AT = date(2000, 1, 1)
EARLIEST_BIRTH_DATE = date(1900, 1, 1)


def age_on(birth_date: date, day: date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def validate_signal_fields(
    *,
    received_at: date | None,
    description: str,
    forms: list[str],
    labour_sector: str,
    criminal_kind: str = "",
) -> None:
    errors: dict[str, list[str]] = {}
    if received_at and received_at > timezone.localdate():
        errors.setdefault("received_at", []).append(_("De ontvangstdatum ligt in de toekomst."))
    elif received_at and received_at < EARLIEST_RECEIVED_AT:
        errors.setdefault("received_at", []).append(
            _("De ontvangstdatum ligt te ver in het verleden.")
        )
    if not description or not description.strip():
        errors.setdefault("description", []).append(_("Beschrijf wat er is gezien."))
    elif len(description) > DESCRIPTION_MAX_LENGTH:
        errors.setdefault("description", []).append(
            _("De beschrijving is te lang: maximaal %(max)s tekens.")
            % {"max": f"{DESCRIPTION_MAX_LENGTH:,}".replace(",", ".")}
        )
    if not forms:
        errors.setdefault("forms", []).append(
            _("Kies minstens één (vermoedelijke) vorm van uitbuiting, of 'Onbekend'.")
        )
    if labour_sector and ExploitationForm.LABOUR not in forms:
        errors.setdefault("labour_sector", []).append(
            _("Een sector hoort alleen bij arbeidsuitbuiting.")
        )
    if criminal_kind and ExploitationForm.CRIMINAL not in forms:
        errors.setdefault("criminal_kind", []).append(
            _("Een soort criminele uitbuiting hoort alleen bij de vorm criminele uitbuiting.")
        )
    if errors:
        raise ValidationError(errors)


def validate_person_fields(
    *,
    birth_date: date | None,
    age_band: str,
    nationality: str,
    is_stateless: bool,
    age_at_exploitation_start: int | None,
    reference_day: date | None = None,
) -> None:
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    day = reference_day or today
    if birth_date and birth_date > today:
        errors.setdefault("birth_date", []).append(_("De geboortedatum ligt in de toekomst."))
    elif birth_date and birth_date < EARLIEST_BIRTH_DATE:
        errors.setdefault("birth_date", []).append(
            _("De geboortedatum ligt te ver in het verleden.")
        )
    elif birth_date and age_band:
        low, high = AgeBand.bounds(age_band)
        if not low <= age_on(birth_date, day) <= high:
            errors.setdefault("age_band", []).append(
                _("De geschatte leeftijd past niet bij de geboortedatum (%(age)s jaar).")
                % {"age": age_on(birth_date, day)}
            )
    if is_stateless and nationality:
        errors.setdefault("nationality", []).append(
            _("Kies een nationaliteit óf staatloos, niet allebei.")
        )
    if (
        age_at_exploitation_start is not None
        and birth_date
        and age_at_exploitation_start > age_on(birth_date, day)
    ):
        errors.setdefault("age_at_exploitation_start", []).append(
            _("De leeftijd bij het begin van de uitbuiting is hoger dan de huidige leeftijd.")
        )
    if errors:
        raise ValidationError(errors)
