"""Helpers for the HTML view tests (``test_views_*.py``): form data as a browser sends it.

No tests here; the module is named like the view tests so it stays with them.
"""

from __future__ import annotations

import io
import re
from datetime import timedelta

from django.utils import timezone

from accounts.models import AuditLogEntry
from signals.models import Signal

MANAGEMENT = ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")


def person(**overrides) -> dict:
    values = {
        "role": "possible_victim",
        "name": "Anna Müller",
        "birth_date": "",
        "age_band": "23-29",
        "age_at_exploitation_start": "",
        "gender": "female",
        "nationality": "PL",
        "residence_status": "eu",
        "language": "Pools",
    }
    values.update(overrides)
    return values


def place(**overrides) -> dict:
    values = {
        "kind": "company",
        "name": "Nagelstudio Glans",
        "address": "Markt 1",
        "postcode": "6411 AA",
        "city": "Heerlen",
        "url": "",
        "kvk_number": "12345678",
        "facts": "Open tot middernacht.",
    }
    values.update(overrides)
    return values


def formset(prefix: str, rows: list[dict], *, initial: int = 0) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "50",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            if value is True:
                value = "on"
            if value is False:
                continue
            data[f"{prefix}-{index}-{key}"] = value
    return data


def signal_form(municipality, *, persons=None, places=None, **overrides) -> dict:
    """The POST of the intake form; ``persons``/``places`` are lists of row dicts."""
    data = {
        "source": "municipality_internal",
        "municipality": str(municipality.pk),
        "received_at": (timezone.localdate() - timedelta(days=3)).isoformat(),
        "description": "Vier vrouwen wonen boven een nagelstudio en werken er dag en nacht.",
        "forms": ["labour"],
        "labour_sector": "beauty_massage",
    }
    for key, value in overrides.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    data.update(formset("persons", [person()] if persons is None else persons))
    data.update(formset("places", [] if places is None else places))
    return data


def edit_form(signal: Signal, **overrides) -> dict:
    """The POST of the edit form as the page would send it back unchanged."""
    involvements = list(signal.involvements.select_related("person"))
    persons = [
        person(
            public_id=str(i.person.public_id),
            role=i.role,
            name=i.person.name,
            birth_date=i.person.birth_date.isoformat() if i.person.birth_date else "",
            age_band=i.person.age_band,
            gender=i.person.gender,
            nationality=i.person.nationality.code or "",
            residence_status=i.person.residence_status,
            language=i.person.language,
        )
        for i in involvements
    ]
    places = [
        place(
            kind=p.kind,
            name=p.name,
            address=p.address,
            postcode=p.postcode,
            city=p.city,
            url=p.url,
            kvk_number=p.kvk_number,
            facts=p.facts,
        )
        for p in signal.places.all()
    ]
    data = {
        "version": str(signal.version),
        "source": signal.source,
        "municipality": str(signal.municipality_id),
        "received_at": signal.received_at.isoformat(),
        "description": signal.description,
        "forms": signal.forms,
        "labour_sector": signal.labour_sector,
        "criminal_kind": signal.criminal_kind,
        "indicators": [str(i.pk) for i in signal.indicators.all()],
    }
    if signal.is_acute:
        data["is_acute"] = "on"
    data.update(formset("persons", persons, initial=len(persons)))
    data.update(formset("places", places, initial=len(places)))
    data.update(overrides)
    return data


def access_entries(model, kind: str | None = None):
    from django.contrib.contenttypes.models import ContentType

    entries = AuditLogEntry.objects.filter(
        action=AuditLogEntry.Action.ACCESS,
        content_type=ContentType.objects.get_for_model(model),
    )
    if kind:
        entries = entries.filter(access_kind=kind)
    return entries.order_by("pk")


def row_of(html: str, reference: str) -> str:
    """The <tr> of the list that shows this reference."""
    for row in re.findall(r"<tr\b.*?</tr>", html, flags=re.S):
        if f">{reference}<" in row:
            return row
    raise AssertionError(f"{reference} is not in the list")


def png_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (21, 66, 115)).save(buffer, format="PNG")
    return buffer.getvalue()


PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
