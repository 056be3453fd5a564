"""The follow-up's figures against the hand-made data set of 2025 (dataset.py), exactly."""

from __future__ import annotations

import pytest

from reporting.figures import compute_figures
from reporting.periods import Period, Scope


def values(table, column: int = 0) -> dict:
    return {row.key: row.cells[column].value for row in table.all_rows}


@pytest.fixture
def figures(ds):
    return compute_figures(scope=Scope(ds.world.region), period=Period.for_year(2025))


def test_it_counts_meetings_held_items_decided_and_carried_over(figures):
    # M1–M4 concluded in 2025; M0 was in 2024 and M5 is still planned.
    assert values(figures["screening"]) == {
        "meetings": 4,
        "items_decided": 8,
        "items_carried_over": 3,
    }


def test_it_counts_attendance_per_organisation(ds, figures):
    names = {row.label: row.cells[0].value for row in figures["attendance"].rows}

    assert names == {"Veilig Thuis zl": 4, "Politie (AVIM) zl": 3, "Zorg- en Veiligheidshuis zl": 2}


def test_it_counts_referrals_per_route_with_their_answers(figures):
    table = figures["referrals"]
    columns = ["sent", "answered", "accepted", "declined", "waiting", "completed"]

    def counts(key):
        return dict(zip(columns, (c.value for c in table.row(key).cells[:6]), strict=True))

    # R0 was sent in 2024.
    assert counts("care_structure") == {
        "sent": 2, "answered": 1, "accepted": 1, "declined": 0, "waiting": 1, "completed": 1,
    }  # fmt: skip
    assert counts("zvh_weighing") == {
        "sent": 1, "answered": 1, "accepted": 0, "declined": 1, "waiting": 0, "completed": 0,
    }  # fmt: skip
    assert counts("total") == {
        "sent": 6, "answered": 5, "accepted": 4, "declined": 1, "waiting": 1, "completed": 1,
    }  # fmt: skip


def test_it_measures_answer_times_per_route_and_overall(figures):
    table = figures["referrals"]

    assert table.value("administrative", 6) == pytest.approx(7.0)
    assert table.value("police_om", 6) == pytest.approx(1.125)
    assert table.value("comensha", 6) is None
    # 1, 1.125, 1.125, 2, 7 days
    assert table.value("total", 6) == pytest.approx(1.125)
    assert table.value("total", 7) == pytest.approx(5.0)


def test_it_counts_cases_opened_closed_and_open(figures):
    # C0 (opened in 2024) was closed in 2025; C1 and C4 closed too; C2 and C3 stay open.
    assert values(figures["cases"]) == {"opened": 4, "closed": 3, "open_at_end": 2}
    reasons = {k: v for k, v in values(figures["case_close_reasons"]).items() if v}
    assert reasons == {"goal_reached": 2, "no_consent": 1, "total": 3}


def test_it_counts_trajectories_by_their_phase_at_the_end_of_the_period(figures):
    # T5 closed in 2024; T1 and T4 closed in 2025; T2 in support, T3 just registered.
    assert values(figures["trajectories"]) == {
        "registration": 1, "intake": 0, "support": 1, "aftercare": 0, "closed": 2, "total": 4,
    }  # fmt: skip


def test_a_trajectory_s_phase_is_the_one_it_had_at_the_end_of_a_quarter(ds):
    q1 = compute_figures(scope=Scope(ds.world.region), period=Period.for_quarter(2025, 1))

    # On 31 March: T1 in support (since 1 March), T2 in intake, T4 closed on 1 March.
    assert {k: v for k, v in values(q1["trajectories"]).items() if v} == {
        "intake": 1, "support": 1, "closed": 1, "total": 3,
    }  # fmt: skip


def test_it_measures_trajectory_durations(figures):
    table = figures["trajectory_durations"]

    # T1: 25 January → 1 November (280 days); T4: 22 December 2024 → 1 March (69 days).
    assert [c.value for c in table.row("total").cells] == [2, 174.5, pytest.approx(258.9)]
    # Registration left in 2025: 7 (T1), 10 (T2), 14 (T4) days.
    assert [c.value for c in table.row("registration").cells] == [3, 10.0, pytest.approx(13.2)]
    assert [c.value for c in table.row("intake").cells] == [3, 49.0, pytest.approx(53.8)]
    assert [c.value for c in table.row("support").cells] == [1, 184.0, 184.0]
    assert [c.value for c in table.row("aftercare").cells] == [1, 61.0, 61.0]


def test_it_counts_shelter_use_and_stays(figures):
    table = figures["shelter"]
    used = {
        row.key: [c.value for c in row.cells[:2]] for row in table.all_rows if row.cells[0].value
    }

    # P5 ended in 2024; P4 began in 2024 and ran into 2025; P3 is still running.
    assert used == {
        "cosm": [1, 1], "omm": [1, 0], "womens_shelter": [1, 1], "emergency_bed": [1, 1],
        "total": [4, 3],
    }  # fmt: skip
    # Stays that ended: 48, 10 and 18 days.
    assert table.value("total", 2) == pytest.approx(18.0)
    assert table.value("total", 3) == pytest.approx(42.0)


def test_the_headline_repeats_the_tables(figures):
    assert values(figures["headline"]) == {
        "signals": 14,
        "signals_internal": 2,
        "signals_acute": 4,
        "victims": 12,
        "meetings": 4,
        "referrals": 6,
        "cases_opened": 4,
        "cases_closed": 3,
        "trajectories": 4,
    }
