"""The OpenAPI schema documents every trajectory endpoint and generates without warnings."""

import pytest
import yaml
from django.urls import get_resolver
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from cases.api.trajectory import TrajectoryViewSet
from cases.tests.test_trajectory_support import coordinator

BASE = "/api/v1/trajectories/"
ONE = BASE + "{public_id}/"
PATHS = {
    BASE: {"get", "post"},
    ONE: {"get"},
    ONE + "phase/": {"post"},
    ONE + "placements/": {"get", "post"},
    ONE + "placements/{placement_id}/end/": {"post"},
    ONE + "reflection-period/": {"post"},
    ONE + "care-meetings/": {"get", "post"},
    ONE + "comensha-reported/": {"post"},
}
HTTP_METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture
def schema(world, login):
    response = login(coordinator(world)).get("/api/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_it_documents_every_trajectory_path_and_method(schema):
    paths = {
        path: {m for m in operations if m in HTTP_METHODS}
        for path, operations in schema["paths"].items()
        if path.startswith(BASE)
    }
    assert paths == PATHS


def test_it_documents_the_404_of_the_shielding_and_the_409_of_a_step(schema):
    retrieve = schema["paths"][ONE]["get"]
    assert "as if none existed" in retrieve["responses"]["404"]["description"]
    phase = schema["paths"][ONE + "phase/"]["post"]
    assert {"200", "400", "403", "404", "409"} <= set(phase["responses"])
    assert "TrajectoryPhaseEnum" in schema["components"]["schemas"]


def test_it_documents_the_400_of_an_unknown_phase_filter(schema):
    listing = schema["paths"][BASE]["get"]
    assert "phase" in listing["responses"]["400"]["description"]
    assert any(p["name"] == "phase" and p["in"] == "query" for p in listing["parameters"])


def test_it_generates_a_valid_schema_without_warnings():
    GENERATOR_STATS.reset()
    generated = SchemaGenerator(urlconf=get_resolver().urlconf_name).get_schema(public=True)

    validate_schema(generated)
    # Only this API's own: the whole schema's warnings are signals/tests/test_api_schema.py's.
    mine = [
        w
        for w in [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]
        if "cases/api/trajectory.py" in w or "Trajectory" in w
    ]
    assert mine == []
    assert generated["paths"][BASE]


def test_every_action_has_a_required_permission():
    actions = {"list", "retrieve", "create", "metadata"}
    for extra in TrajectoryViewSet.get_extra_actions():
        actions.add(extra.__name__)
        actions.update(extra.mapping.values())
    assert set(TrajectoryViewSet.required_permissions) == actions
