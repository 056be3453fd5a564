"""The OpenAPI schema documents every signals endpoint, with examples, and generates cleanly."""

import pytest
import yaml
from django.urls import get_resolver
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from accounts.roles import Role
from signals.api.viewsets import SignalViewSet

PATHS = {
    "/api/v1/signals/": {"get", "post"},
    "/api/v1/signals/{public_id}/": {"get", "put"},
    "/api/v1/signals/{public_id}/submit/": {"post"},
    "/api/v1/signals/{public_id}/register/": {"post"},
    "/api/v1/signals/{public_id}/mark-acute/": {"post"},
    "/api/v1/signals/{public_id}/close-internally/": {"post"},
    "/api/v1/signals/{public_id}/acute-consultation/": {"post"},
    "/api/v1/signals/{public_id}/persons/": {"get"},
    "/api/v1/signals/{public_id}/notes/": {"get", "post"},
}
HTTP_METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture
def schema(world, login):
    response = login(world.user(Role.MUNICIPAL_OFFICER)).get("/api/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_it_documents_every_signals_path_and_method(schema):
    paths = {
        path: {m for m in operations if m in HTTP_METHODS}
        for path, operations in schema["paths"].items()
        if path.startswith("/api/v1/signals/")
    }

    assert paths == PATHS


def test_it_gives_an_example_for_create_and_every_step(schema):
    paths = schema["paths"]
    create = paths["/api/v1/signals/"]["post"]
    assert create["requestBody"]["content"]["application/json"]["examples"]
    assert create["responses"]["201"]["content"]["application/json"]["examples"]
    for step in ["submit", "register", "mark-acute", "close-internally", "acute-consultation"]:
        operation = paths[f"/api/v1/signals/{{public_id}}/{step}/"]["post"]
        assert operation["requestBody"]["content"]["application/json"]["examples"], step
        assert {"200", "400", "403", "404", "409"} <= set(operation["responses"]), step
        conflict = operation["responses"]["409"]["content"]["application/json"]
        assert {"StepNotAllowed", "StaleVersion"} <= set(conflict["examples"]), step


def test_it_documents_404_for_signals_of_others(schema):
    retrieve = schema["paths"]["/api/v1/signals/{public_id}/"]["get"]

    assert "another organisation" in retrieve["responses"]["404"]["description"]


def test_it_offers_the_session_and_the_integration_token(schema):
    assert set(schema["components"]["securitySchemes"]) >= {"sessionAuth", "tokenAuth"}


def test_it_refuses_the_schema_without_login(client):
    assert client.get("/api/schema/").status_code in (401, 403)


def test_it_generates_a_valid_schema_without_warnings():
    """What ``manage.py spectacular --validate --fail-on-warn`` checks."""
    GENERATOR_STATS.reset()
    generated = SchemaGenerator(urlconf=get_resolver().urlconf_name).get_schema(public=True)

    validate_schema(generated)
    assert list(GENERATOR_STATS._warn_cache) == []
    assert list(GENERATOR_STATS._error_cache) == []


def test_every_action_has_a_required_permission():
    actions = {"list", "retrieve", "create", "update", "metadata"}
    for extra in SignalViewSet.get_extra_actions():
        actions.add(extra.__name__)
        actions.update(extra.mapping.values())

    assert set(SignalViewSet.required_permissions) == actions
