"""Query-count guards: the work list, the detail page and the API list cost the same number of
queries for 5 rows as for 50."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import CareMeeting, PhaseChange, Placement
from cases.tests.test_trajectory_support import (
    add_victims,
    coordinated_case,
    coordinator,
    open_trajectory,
)

pytestmark = pytest.mark.django_db


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries)


def _trajectories(world, case, count):
    for person in add_victims(case, count):
        open_trajectory(world, case=case, person=person)


@pytest.mark.parametrize(
    ("url", "params"),
    [
        (reverse("trajectories:list"), {}),
        (reverse("trajectories:list"), {"phase": "registration", "q": "CAS"}),
        (reverse("api:trajectory-list"), {}),
    ],
)
def test_the_lists_cost_the_same_for_5_and_50(world, login, url, params):
    # The HTML list shows 25 per page: the 5-row page is compared with a full page of 25 out
    # of 50; the API shows 50 per page.
    case = coordinated_case(world)
    client = login(coordinator(world))
    _trajectories(world, case, 5)
    client.get(url, params)  # warm the per-process caches (content types, permissions)
    with_five = _queries(client, url, params)
    _trajectories(world, case, 45)

    with_fifty = _queries(client, url, params)

    assert with_fifty == with_five
    assert with_five <= 20


def _history(world, trajectory, count):
    """``count`` placements, care meetings and phase changes, written directly."""
    start = timezone.localdate() - timedelta(days=3 * count + 10)
    actor = coordinator(world)
    for i in range(count):
        day = start + timedelta(days=3 * i)
        Placement.objects.create(
            trajectory=trajectory,
            shelter_type="omm",
            start_date=day,
            end_date=day + timedelta(days=2),
        )
        CareMeeting.objects.create(
            trajectory=trajectory,
            held_on=day,
            participants="ZoCo",
            agreements="Afspraak.",
            recorded_by=actor,
        )
        PhaseChange.objects.create(
            trajectory=trajectory, phase="support", entered_on=day, actor=actor
        )


@pytest.mark.parametrize("api", [False, True], ids=["html", "api"])
def test_the_detail_costs_the_same_for_5_and_50_placements_and_meetings(world, login, api):
    trajectory = open_trajectory(world)
    name = "api:trajectory-detail" if api else "trajectories:detail"
    url = reverse(name, kwargs={"public_id": trajectory.public_id})
    client = login(coordinator(world))
    _history(world, trajectory, 5)
    client.get(url)
    with_five = _queries(client, url)
    _history(world, trajectory, 45)

    with_fifty = _queries(client, url)

    assert with_fifty == with_five
    assert with_five <= 25
