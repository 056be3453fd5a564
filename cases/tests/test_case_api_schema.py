"""The OpenAPI schema documents every cases endpoint and generates cleanly.

The schema is generated from this app's routes alone (mounted as in ``config.urls``), so the
check says something about these endpoints whatever the state of the other apps' routes;
``signals/tests/test_api_schema.py`` checks the whole project's schema.
"""

import pytest
from django.urls import include, path
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from cases import api_urls
from cases.api.case import CaseViewSet

PATHS = {
    "/api/v1/cases/": {"get", "post"},
    "/api/v1/cases/my-actions/": {"get"},
    "/api/v1/cases/{public_id}/": {"get"},
    "/api/v1/cases/{public_id}/actions/": {"get", "post"},
    "/api/v1/cases/{public_id}/actions/{action_id}/complete/": {"post"},
    "/api/v1/cases/{public_id}/actions/{action_id}/reopen/": {"post"},
    "/api/v1/cases/{public_id}/notes/": {"get", "post"},
    "/api/v1/cases/{public_id}/close/": {"post"},
    "/api/v1/cases/{public_id}/reopen/": {"post"},
    "/api/v1/cases/{public_id}/add-signal/": {"post"},
}
HTTP_METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def schema():
    """What ``manage.py spectacular --validate --fail-on-warn`` checks, for these routes."""
    GENERATOR_STATS.reset()
    patterns = [path("api/v1/", include((api_urls.urlpatterns, "api")))]
    generated = SchemaGenerator(patterns=patterns).get_schema(public=True)
    warnings, errors = list(GENERATOR_STATS._warn_cache), list(GENERATOR_STATS._error_cache)
    return generated, warnings, errors


def test_it_generates_a_valid_schema_without_warnings(schema):
    generated, warnings, errors = schema
    validate_schema(generated)
    assert warnings == []
    assert errors == []


def test_it_documents_every_path_and_method(schema):
    generated = schema[0]
    paths = {
        p: {m for m in operations if m in HTTP_METHODS}
        for p, operations in generated["paths"].items()
    }
    assert paths == PATHS


def test_every_step_documents_its_refusals(schema):
    paths = schema[0]["paths"]
    for step in ("close", "reopen", "add-signal"):
        operation = paths[f"/api/v1/cases/{{public_id}}/{step}/"]["post"]
        assert {"200", "400", "403", "404", "409"} <= set(operation["responses"]), step
    complete = paths["/api/v1/cases/{public_id}/actions/{action_id}/complete/"]["post"]
    assert {"200", "403", "404", "409"} <= set(complete["responses"])
    retrieve = paths["/api/v1/cases/{public_id}/"]["get"]
    assert "another organisation" in retrieve["responses"]["404"]["description"]


def test_the_case_status_has_its_own_enum(schema):
    components = schema[0]["components"]["schemas"]
    assert components["CaseStatusEnum"]["enum"] == ["open", "closed"]
    assert "CloseReasonEnum" in components and "LeadKindEnum" in components


def test_every_action_has_a_required_permission():
    actions = {"list", "retrieve", "create", "metadata"}
    for extra in CaseViewSet.get_extra_actions():
        actions.add(extra.__name__)
        actions.update(extra.mapping.values())
    assert set(CaseViewSet.required_permissions) == actions
