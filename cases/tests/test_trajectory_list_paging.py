"""The trajectory work list counts at most a bounded number of rows and pages on past it."""

import pytest
from django.urls import reverse

from accounts import pagination
from accounts.tests.pagination_support import counts_over, is_bounded
from cases.tests.test_trajectory_support import (
    add_victims,
    coordinated_case,
    coordinator,
    open_trajectory,
)
from cases.views import trajectory as views

pytestmark = pytest.mark.django_db

LIST = reverse("trajectories:list")


def _trajectories(world, count: int) -> None:
    case = coordinated_case(world)
    for person in add_victims(case, count):
        open_trajectory(world, case=case, person=person)


def rows(html: str) -> int:
    return html.count('<th scope="row">')


def test_it_says_more_than_the_limit_and_pages_on(world, login, monkeypatch):
    _trajectories(world, 5)
    monkeypatch.setattr(pagination, "COUNT_LIMIT", 3)
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    client = login(coordinator(world))

    first = client.get(LIST).content.decode()
    third = client.get(LIST, {"page": 3}).content.decode()

    assert "Meer dan 3 zorgtrajecten" in first
    assert "Pagina 1<" in first and 'rel="next"' in first
    assert rows(first) == 2
    assert rows(third) == 1 and 'rel="next"' not in third and 'rel="prev"' in third
    # The phase tabs still give the exact numbers.
    assert "Alle fasen (5)" in first


def test_up_to_the_limit_the_count_is_exact(world, login, monkeypatch):
    _trajectories(world, 3)
    monkeypatch.setattr(pagination, "COUNT_LIMIT", 3)
    html = login(coordinator(world)).get(LIST).content.decode()
    assert "3 zorgtrajecten" in html
    assert "Meer dan" not in html


def test_the_page_count_reads_at_most_the_limit_plus_one_row(world, login):
    _trajectories(world, 1)
    client = login(coordinator(world))
    bounded = counts_over("cases_trajectory", lambda: client.get(LIST))
    assert any(is_bounded(sql) for sql in bounded)
    # Besides it only the tabs' count per phase, grouped: no exact count of the whole list.
    assert len(bounded) == 2
