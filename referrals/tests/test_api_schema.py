"""The OpenAPI schema documents every referrals endpoint and generates cleanly."""

import pytest
import yaml
from django.urls import get_resolver
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from accounts.roles import Role
from referrals.api.viewsets import ReferralViewSet

PATHS = {
    "/api/v1/referrals/": {"get", "post"},
    "/api/v1/referrals/{public_id}/": {"get", "put", "patch"},
    "/api/v1/referrals/{public_id}/send/": {"post"},
    "/api/v1/referrals/{public_id}/accept/": {"post"},
    "/api/v1/referrals/{public_id}/decline/": {"post"},
    "/api/v1/referrals/{public_id}/complete/": {"post"},
    "/api/v1/referrals/{public_id}/plan/": {"get", "post"},
}
HTTP_METHODS = {"get", "post", "put", "patch", "delete"}
OWN_COMPONENTS = ("Referral", "Shared", "LegalBasis", "Instrument")


@pytest.fixture
def schema(world, login):
    response = login(world.user(Role.VT_STAFF)).get("/api/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_it_documents_every_referrals_path_and_method(schema):
    paths = {
        path: {m for m in operations if m in HTTP_METHODS}
        for path, operations in schema["paths"].items()
        if path.startswith("/api/v1/referrals/")
    }
    assert paths == PATHS


def test_every_step_documents_its_refusals(schema):
    for name in ["send", "accept", "decline", "complete"]:
        operation = schema["paths"][f"/api/v1/referrals/{{public_id}}/{name}/"]["post"]
        assert operation["requestBody"]["content"]["application/json"]["examples"], name
        assert {"200", "400", "403", "404", "409"} <= set(operation["responses"]), name


def test_the_plan_takes_multipart_and_json(schema):
    upload = schema["paths"]["/api/v1/referrals/{public_id}/plan/"]["post"]
    assert {"multipart/form-data", "application/json"} <= set(upload["requestBody"]["content"])


def test_the_plan_download_documents_the_types_it_is_sent_as(schema):
    download = schema["paths"]["/api/v1/referrals/{public_id}/plan/"]["get"]
    assert set(download["responses"]["200"]["content"]) == {
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.oasis.opendocument.text",
    }


def test_the_base64_plan_content_has_a_maximum_length(schema):
    upload = schema["components"]["schemas"]["ReferralPlanUploadRequest"]
    assert upload["properties"]["content"]["maxLength"] == 5 * 1024 * 1024


def test_the_list_documents_its_403(schema):
    assert "403" in schema["paths"]["/api/v1/referrals/"]["get"]["responses"]


def test_what_is_null_for_the_receiver_is_documented_nullable(schema):
    components = schema["components"]["schemas"]
    assert components["ReferralListItem"]["properties"]["case"]["nullable"] is True
    for name in ("case", "consent", "consent_override_reason"):
        assert components["Referral"]["properties"][name]["nullable"] is True, name


def test_it_names_its_enums(schema):
    components = schema["components"]["schemas"]
    assert {"ReferralStatusEnum", "ReferralRouteEnum", "SharedFieldEnum", "LegalBasisEnum"} <= set(
        components
    )


def test_it_generates_a_valid_schema_without_warnings_of_its_own():
    """What ``manage.py spectacular --validate --fail-on-warn`` checks, for this app's part."""
    GENERATOR_STATS.reset()
    generated = SchemaGenerator(urlconf=get_resolver().urlconf_name).get_schema(public=True)

    validate_schema(generated)
    messages = list(GENERATOR_STATS._warn_cache) + list(GENERATOR_STATS._error_cache)
    own = [m for m in messages if "referral" in m.lower() or any(c in m for c in OWN_COMPONENTS)]
    assert own == []


def test_every_action_has_a_required_permission():
    actions = {"list", "retrieve", "create", "update", "partial_update", "metadata"}
    for extra in ReferralViewSet.get_extra_actions():
        actions.add(extra.__name__)
        actions.update(extra.mapping.values())
    assert set(ReferralViewSet.required_permissions) == actions


def test_the_list_pages_by_cursor_without_a_count(schema):
    operation = schema["paths"]["/api/v1/referrals/"]["get"]
    parameters = {p["name"] for p in operation["parameters"]}
    assert "cursor" in parameters and "page" not in parameters
    page = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    properties = schema["components"]["schemas"][page.rsplit("/", 1)[-1]]["properties"]
    assert set(properties) == {"next", "previous", "results"}


def test_the_list_documents_a_bad_cursor_and_a_tab_not_for_the_role(schema):
    bad_request = schema["paths"]["/api/v1/referrals/"]["get"]["responses"]["400"]
    examples = bad_request["content"]["application/json"]["examples"]
    assert {next(iter(e["value"])) for e in examples.values()} == {"tab", "cursor"}
