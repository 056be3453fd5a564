"""The dashboard, its API and the figures selector ask a fixed number of queries."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from reporting.figures import compute_figures
from reporting.periods import Period, Scope

from .dataset import build

URL = "/rapportage/"


def count(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)


def test_the_number_of_queries_does_not_grow_with_the_data(world, login):
    client = login(world.user(Role.POLICY_ANALYST))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, {"year": "2025"}).status_code == 200
        return len(captured.captured_queries)

    empty = queries()
    build(world)
    assert queries() == empty
    assert empty <= 40


def test_the_selector_asks_the_same_queries_for_a_region_and_a_municipality(world):
    build(world)
    period = Period.for_year(2025)

    region = count(lambda: compute_figures(scope=Scope(world.region), period=period))
    municipality = count(
        lambda: compute_figures(scope=Scope(world.region, world.municipality), period=period)
    )

    assert region == municipality + 1  # the region's list of municipalities
    assert region <= 30


def test_the_api_asks_as_many_queries_as_the_page(world, login):
    build(world)
    client = login(world.user(Role.POLICY_ANALYST))

    page = count(lambda: client.get(URL, {"year": "2025"}))
    api = count(lambda: client.get("/api/v1/reports/dashboard/", {"year": "2025"}))

    assert abs(page - api) <= 3  # sessions and the navigation's permission look-ups differ
