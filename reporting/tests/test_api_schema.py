"""The OpenAPI schema documents every reports endpoint and generates cleanly."""

from __future__ import annotations

import pytest
import yaml

from accounts.roles import Role

PATHS = {
    "/api/v1/reports/dashboard/": {"get"},
    "/api/v1/reports/comensha/": {"get"},
    "/api/v1/reports/annual/": {"get", "post"},
    "/api/v1/reports/annual/{public_id}/": {"get"},
    "/api/v1/reports/annual/{public_id}/file/": {"get"},
}
HTTP_METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture
def schema(world, login):
    response = login(world.user(Role.POLICY_ANALYST)).get("/api/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_it_documents_every_reports_path_and_method(schema):
    paths = {
        path: {m for m in operations if m in HTTP_METHODS}
        for path, operations in schema["paths"].items()
        if path.startswith("/api/v1/reports/")
    }

    assert paths == PATHS


def test_the_dashboard_documents_its_filters_and_its_errors(schema):
    operation = schema["paths"]["/api/v1/reports/dashboard/"]["get"]

    assert {p["name"] for p in operation["parameters"]} == {
        "year", "quarter", "start", "end", "municipality",
    }  # fmt: skip
    assert {"200", "400", "403", "404"} <= set(operation["responses"])


def test_the_comensha_export_documents_its_three_formats(schema):
    content = schema["paths"]["/api/v1/reports/comensha/"]["get"]["responses"]["200"]["content"]

    assert set(content) == {
        "text/csv",
        "application/json",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }


def test_starting_a_report_answers_202(schema):
    operation = schema["paths"]["/api/v1/reports/annual/"]["post"]

    assert "202" in operation["responses"]
    assert operation["requestBody"]["content"]["application/json"]


def test_the_schema_validates_without_warnings():
    """What ``manage.py spectacular --validate --fail-on-warn`` checks."""
    from django.urls import get_resolver
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    GENERATOR_STATS.reset()
    generated = SchemaGenerator(urlconf=get_resolver().urlconf_name).get_schema(public=True)

    validate_schema(generated)
    assert list(GENERATOR_STATS._warn_cache) == []
    assert list(GENERATOR_STATS._error_cache) == []
