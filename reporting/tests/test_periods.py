"""Which period and municipality a question is about, and the Dutch answer to a wrong one."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.http import Http404

from accounts.roles import Role
from reporting.periods import Period, period_from, scope_for

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def frozen():
    with time_machine.travel("2026-06-15 12:00 +0200", tick=False):
        yield


def errors(**kwargs) -> dict:
    with pytest.raises(ValidationError) as caught:
        period_from(**kwargs)
    return caught.value.message_dict


def test_nothing_asked_is_the_current_year():
    assert period_from(year=None) == Period(date(2026, 1, 1), date(2026, 12, 31), "year", 2026)


def test_a_quarter_runs_to_its_last_day():
    assert period_from(year=2024, quarter=1) == Period(
        date(2024, 1, 1), date(2024, 3, 31), "quarter", 2024, 1
    )
    assert period_from(year=2024, quarter=4).end == date(2024, 12, 31)
    assert Period.for_quarter(2024, 1).label == "1e kwartaal 2024"


def test_a_custom_period_goes_before_year_and_quarter():
    period = period_from(year=2020, quarter=2, start=date(2025, 3, 1), end=date(2025, 5, 31))

    assert (period.start, period.end, period.kind) == (
        date(2025, 3, 1),
        date(2025, 5, 31),
        "custom",
    )
    assert period.label == "1-3-2025 t/m 31-5-2025"
    assert [m for _y, m in period.months()] == [3, 4, 5]


def test_the_previous_year_of_each_kind():
    assert Period.for_year(2025).previous_year() == Period.for_year(2024)
    assert Period.for_quarter(2025, 3).previous_year() == Period.for_quarter(2024, 3)
    leap = Period(date(2024, 2, 29), date(2024, 3, 31)).previous_year()
    assert (leap.start, leap.end) == (date(2023, 2, 28), date(2023, 3, 31))


@pytest.mark.parametrize("year", [1900, 1999, 2027])
def test_a_year_out_of_range_is_refused_in_dutch(year):
    assert errors(year=year) == {"year": ["Kies een jaar van 2000 tot en met 2026."]}


def test_an_end_before_the_start_is_refused_in_dutch():
    assert errors(year=None, start=date(2025, 5, 1), end=date(2025, 4, 30)) == {
        "end": ["De einddatum ligt voor de begindatum."]
    }


def test_half_a_custom_period_is_refused_in_dutch():
    assert errors(year=None, start=date(2025, 5, 1)) == {"end": ["Vul ook de einddatum in."]}


def test_a_quarter_needs_a_valid_number():
    assert errors(year=2025, quarter=5) == {"quarter": ["Kies kwartaal 1, 2, 3 of 4."]}


def test_a_municipal_officer_always_gets_its_own_municipality(world):
    officer = world.user(Role.MUNICIPAL_OFFICER)

    assert scope_for(officer, None).municipality == world.municipality
    assert scope_for(officer, str(world.municipality.public_id)).municipality == world.municipality


def test_a_municipal_officer_asking_for_another_municipality_gets_404(world, other_world):
    officer = world.user(Role.MUNICIPAL_OFFICER)

    for other in (world.other_municipality, other_world.municipality):
        with pytest.raises(Http404):
            scope_for(officer, str(other.public_id))
    with pytest.raises(Http404):
        scope_for(officer, "not-a-municipality")


def test_an_unknown_municipality_is_a_dutch_message_for_the_region_roles(world, other_world):
    analyst = world.user(Role.POLICY_ANALYST)

    assert scope_for(analyst, str(world.other_municipality.public_id)).municipality == (
        world.other_municipality
    )
    for value in ("x", str(other_world.municipality.public_id), str(world.orgs["riec"].public_id)):
        with pytest.raises(ValidationError) as caught:
            scope_for(analyst, value)
        assert caught.value.message_dict == {
            "municipality": ["Onbekende gemeente: kies een gemeente uit de lijst."]
        }
