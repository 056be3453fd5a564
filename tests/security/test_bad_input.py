"""Bad input: every text input has a maximum length, dates have sane ranges, text is never HTML.

* Forms: every form class of the project's apps (``<app>.forms`` and whatever the URL conf
  imports), walked through its declared fields, model-form fields included.
* API: every string the OpenAPI schema accepts — request bodies and query parameters — read
  from ``/api/schema/``, so the serializers are checked as the API actually uses them.
* Dates: a year typed wrong (0001, 1026, 9999) is refused, through the services and the API.
* Text: what users type is shown as text; script and markup come out escaped.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
from datetime import date
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.test import Client
from django.urls import get_resolver, reverse
from knox.models import AuthToken

from accounts.roles import Role
from screening.tests.factories import registered_signal
from signals import services
from signals.tests.factories import make_signal, person_input, place_input

ROOT = Path(settings.BASE_DIR)
PROJECT_APPS = [
    config.name for config in apps.get_app_configs() if Path(config.path).parent == ROOT
]

# --- maximum lengths: forms ---------------------------------------------------------------------


def project_forms() -> list[type[forms.BaseForm]]:
    for app in PROJECT_APPS:
        if importlib.util.find_spec(f"{app}.forms") is not None:
            importlib.import_module(f"{app}.forms")
    get_resolver().url_patterns  # noqa: B018 - imports every view module (and its forms)

    found, todo = [], [forms.BaseForm]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in PROJECT_APPS:
            found.append(cls)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


def unbounded(field: forms.Field) -> bool:
    if not isinstance(field, forms.CharField) or isinstance(field, forms.UUIDField):
        return False  # choices, numbers, dates, files, ids: bounded by their kind
    if field.max_length is not None:
        return False
    return not any(isinstance(v, MaxLengthValidator) for v in field.validators)


FORMS = project_forms()


def test_the_walk_finds_the_forms():
    names = {f"{c.__module__}.{c.__name__}" for c in FORMS}
    assert "signals.forms.AttachmentForm" in names
    assert len(FORMS) >= 10


@pytest.mark.parametrize("form_class", FORMS, ids=[c.__qualname__ for c in FORMS])
def test_every_text_field_of_a_form_has_a_maximum_length(form_class):
    missing = [name for name, field in form_class.base_fields.items() if unbounded(field)]

    assert not missing, f"{form_class.__module__}.{form_class.__qualname__}: {missing}"


# --- maximum lengths: the API, from its schema ---------------------------------------------------

BOUNDED_FORMATS = {"uuid", "date", "date-time", "time", "duration", "binary"}


def unbounded_strings(schema: dict, components: dict, where: str, seen: set) -> list[str]:
    """Every string in a (request) schema that may be of any length, as a path."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return []
        return unbounded_strings(components[name], components, where, seen | {name})
    found = []
    for key in ("allOf", "anyOf", "oneOf"):
        for part in schema.get(key, []):
            found += unbounded_strings(part, components, where, seen)
    if schema.get("readOnly"):
        return found
    kind = schema.get("type")
    is_string = kind == "string" or (isinstance(kind, list) and "string" in kind)
    if (
        is_string
        and "maxLength" not in schema
        and "enum" not in schema
        and schema.get("format") not in BOUNDED_FORMATS
    ):
        found.append(where)
    for name, prop in schema.get("properties", {}).items():
        found += unbounded_strings(prop, components, f"{where}.{name}", seen)
    if "items" in schema:
        found += unbounded_strings(schema["items"], components, f"{where}[]", seen)
    if isinstance(schema.get("additionalProperties"), dict):
        found += unbounded_strings(schema["additionalProperties"], components, f"{where}{{}}", seen)
    return found


@pytest.fixture
def openapi(world) -> dict:
    key = AuthToken.objects.create(world.user(Role.VT_STAFF))[1]
    client = Client(headers={"Authorization": f"Token {key}"})
    return client.get("/api/schema/", HTTP_ACCEPT="application/json").json()


def test_every_string_the_api_accepts_has_a_maximum_length(openapi):
    components = openapi.get("components", {}).get("schemas", {})
    missing, checked = [], 0
    for path, item in openapi["paths"].items():
        for method, operation in item.items():
            if not isinstance(operation, dict):
                continue
            label = f"{method.upper()} {path}"
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "path":
                    continue  # the URL pattern bounds it (a UUID)
                checked += 1
                missing += unbounded_strings(
                    parameter.get("schema", {}),
                    components,
                    f"{label} ?{parameter['name']}",
                    set(),
                )
            for content in operation.get("requestBody", {}).get("content", {}).values():
                checked += 1
                missing += unbounded_strings(content.get("schema", {}), components, label, set())
    assert checked > 20
    assert not missing, "strings without maxLength:\n" + "\n".join(sorted(set(missing)))


# --- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("received_at", date(1, 1, 1), "De ontvangstdatum ligt te ver in het verleden."),
        ("received_at", date(1026, 11, 2), "De ontvangstdatum ligt te ver in het verleden."),
        ("received_at", date(9999, 12, 31), "De ontvangstdatum ligt in de toekomst."),
    ],
)
def test_a_received_date_out_of_range_is_refused(world, field, value, message):
    officer = world.user(Role.MUNICIPAL_OFFICER)

    with pytest.raises(ValidationError) as refused:
        make_signal(officer, **{field: value})

    assert message in refused.value.message_dict[field]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (date(1, 1, 1), "De geboortedatum ligt te ver in het verleden."),
        (date(1899, 12, 31), "De geboortedatum ligt te ver in het verleden."),
        (date(9999, 12, 31), "De geboortedatum ligt in de toekomst."),
    ],
)
def test_a_birth_date_out_of_range_is_refused(world, value, message):
    officer = world.user(Role.MUNICIPAL_OFFICER)

    with pytest.raises(ValidationError) as refused:
        make_signal(officer, persons=[person_input(birth_date=value, age_band="")])

    assert message in str(refused.value)


def api_client(user) -> Client:
    return Client(headers={"Authorization": f"Token {AuthToken.objects.create(user)[1]}"})


@pytest.mark.parametrize("received_at", ["0001-01-01", "1026-11-02", "9999-12-31"])
def test_the_api_refuses_a_received_date_out_of_range(world, received_at):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    body = {
        "source": "municipality_internal",
        "municipality": str(world.municipality.public_id),
        "received_at": received_at,
        "description": "Vier vrouwen wonen boven een nagelstudio.",
        "forms": ["labour"],
    }

    response = api_client(officer).post("/api/v1/signals/", body, content_type="application/json")

    assert response.status_code == 400
    assert "received_at" in response.json()


@pytest.mark.parametrize("consulted_at", ["0001-01-01T09:00:00Z", "2001-01-01T09:00:00Z"])
def test_an_acute_consultation_before_the_signal_was_received_is_refused(world, consulted_at):
    from tests.permission_matrix import _acute

    vt = world.user(Role.VT_STAFF)
    signal = _acute(world, world.municipality)
    body = {
        "version": signal.version,
        "consulted_at": consulted_at,
        "organisations": [str(vt.organisation.public_id)],
        "decision": "Opvang geregeld.",
        "shelter_needed": True,
    }

    response = api_client(vt).post(
        f"/api/v1/signals/{signal.public_id}/acute-consultation/",
        body,
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "consulted_at" in response.json()


# --- text is text ----------------------------------------------------------------------------------

SCRIPT = "<script>alert('xss')</script>"
BOLD = "<b>vet</b>"
IMG = '<img src=x onerror="alert(1)">'


def test_free_text_of_a_signal_and_a_note_is_escaped_on_the_detail_page(world, login):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    vt = world.user(Role.VT_STAFF)
    signal = registered_signal(
        world,
        sender=officer,
        description=f"Gezien {SCRIPT} en {BOLD}",
        persons=[person_input(name=f"Anna {BOLD}", language=IMG)],
        places=[place_input(name=f"Studio {SCRIPT}", facts=f"Feiten {IMG}")],
    )
    services.note_add(signal=signal, actor=vt, text=f"Bekend {SCRIPT} {BOLD}")

    html = login(vt).get(reverse("signals:detail", args=[signal.public_id])).content.decode()

    for raw in (SCRIPT, BOLD, IMG):
        assert raw not in html, f"{raw} rendered as markup"
    assert "&lt;script&gt;alert(&#x27;xss&#x27;)&lt;/script&gt;" in html
    assert "&lt;b&gt;vet&lt;/b&gt;" in html
    assert "onerror" not in html or "&lt;img src=x onerror=" in html


TEMPLATE_SUFFIXES = (".html", ".txt")
UNESCAPING = re.compile(r"\|\s*safe\b|\{%\s*autoescape\s+off|\|\s*safeseq\b")
# Code that builds markup itself, with the reason it is safe.
MARK_SAFE_ALLOWED = {
    "reporting/charts.py": "server-drawn SVG; every text in it goes through escape()",
}


def project_files(suffixes: tuple[str, ...]) -> list[Path]:
    roots = [ROOT / app for app in PROJECT_APPS] + [ROOT / "templates"]
    return [
        path
        for root in roots
        for path in root.rglob("*")
        if path.suffix in suffixes and "migrations" not in path.parts and "tests" not in path.parts
    ]


def test_no_template_switches_escaping_off():
    offenders = [
        str(path.relative_to(ROOT))
        for path in project_files(TEMPLATE_SUFFIXES)
        if UNESCAPING.search(path.read_text(encoding="utf-8"))
    ]
    assert not offenders


def test_only_known_code_marks_strings_safe():
    offenders = [
        str(path.relative_to(ROOT))
        for path in project_files((".py",))
        if "mark_safe(" in path.read_text(encoding="utf-8")
        and str(path.relative_to(ROOT)) not in MARK_SAFE_ALLOWED
    ]
    assert not offenders
