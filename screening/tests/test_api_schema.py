"""The OpenAPI schema documents every screening endpoint, with examples, and generates cleanly."""

import pytest
import yaml
from django.urls import get_resolver
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from accounts.roles import Role
from screening.api.viewsets import MeetingViewSet

MEETING = "/api/v1/screening/meetings/{public_id}/"
ITEM = MEETING + "items/{item_id}/"
PATHS = {
    "/api/v1/screening/meetings/": {"get"},
    MEETING: {"get"},
    MEETING + "close-agenda/": {"post"},
    MEETING + "start/": {"post"},
    MEETING + "conclude/": {"post"},
    MEETING + "items/": {"post"},
    ITEM: {"delete"},
    ITEM + "accept/": {"post"},
    ITEM + "move/": {"post"},
    ITEM + "input/": {"post"},
    ITEM + "classify/": {"post"},
    ITEM + "decide/": {"post"},
    ITEM + "carry-over/": {"post"},
}
HTTP_METHODS = {"get", "post", "put", "patch", "delete"}
WITH_BODY = ["items/", "{item_id}/move/", "{item_id}/input/", "{item_id}/classify/"]
WITH_VERSION = ["{item_id}/decide/", "{item_id}/carry-over/"]


@pytest.fixture
def schema(world, login):
    response = login(world.user(Role.VT_STAFF)).get("/api/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def operations(schema):
    for path, methods in schema["paths"].items():
        if path.startswith("/api/v1/screening/"):
            for method, operation in methods.items():
                if method in HTTP_METHODS:
                    yield path, method, operation


def test_it_documents_every_screening_path_and_method(schema):
    paths: dict[str, set[str]] = {}
    for path, method, _operation in operations(schema):
        paths.setdefault(path, set()).add(method)

    assert paths == PATHS


def test_every_operation_has_an_example_and_the_refusals(schema):
    for path, method, operation in operations(schema):
        responses = operation["responses"]
        assert "404" in responses or path == "/api/v1/screening/meetings/", path
        if method == "delete":
            continue
        success = next(code for code in responses if code.startswith("2"))
        assert responses[success]["content"]["application/json"]["examples"], path
        if method == "post":
            assert {"403", "404", "409"} <= set(responses), path


def test_the_actions_with_a_body_show_a_request_example_and_400(schema):
    for path, _method, operation in operations(schema):
        if any(path.endswith(end) for end in WITH_BODY + WITH_VERSION):
            assert operation["requestBody"]["content"]["application/json"]["examples"], path
            assert "400" in operation["responses"], path
        if any(path.endswith(end) for end in WITH_VERSION):
            conflict = operation["responses"]["409"]["content"]["application/json"]
            assert {"StepNotAllowed", "StaleVersion"} <= set(conflict["examples"]), path


def test_it_names_the_enums_of_the_table(schema):
    names = set(schema["components"]["schemas"])

    assert {
        "MeetingStatusEnum",
        "AgendaItemStateEnum",
        "AgendaItemOutcomeEnum",
        "RouteEnum",
        "ClassificationKindEnum",
        "AdviceChecklistEnum",
    } <= names


def test_it_generates_a_valid_schema_without_warnings():
    """What ``manage.py spectacular --validate --fail-on-warn`` checks."""
    GENERATOR_STATS.reset()
    generated = SchemaGenerator(urlconf=get_resolver().urlconf_name).get_schema(public=True)

    validate_schema(generated)
    assert list(GENERATOR_STATS._warn_cache) == []
    assert list(GENERATOR_STATS._error_cache) == []


def test_every_action_has_a_required_permission():
    actions = {"list", "retrieve", "metadata"}
    for extra in MeetingViewSet.get_extra_actions():
        actions.add(extra.__name__)
        actions.update(extra.mapping.values())

    assert set(MeetingViewSet.required_permissions) == actions
