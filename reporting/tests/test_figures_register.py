"""The register's figures against the hand-made data set of 2025 (dataset.py), exactly."""

from __future__ import annotations

from datetime import date

import pytest

from reporting.figures import compute_figures
from reporting.periods import Period, Scope


def values(table, column: int = 0) -> dict:
    return {row.key: row.cells[column].value for row in table.all_rows}


@pytest.fixture
def figures(ds):
    return compute_figures(scope=Scope(ds.world.region), period=Period.for_year(2025))


def test_it_counts_the_period_s_signals_by_month(figures):
    months = values(figures["signals_by_month"])

    assert months == {
        "2025-01": 3, "2025-02": 0, "2025-03": 6, "2025-04": 0, "2025-05": 0, "2025-06": 5,
        "2025-07": 0, "2025-08": 0, "2025-09": 0, "2025-10": 0, "2025-11": 0, "2025-12": 0,
        "total": 14,
    }  # fmt: skip


def test_it_leaves_out_drafts_other_years_and_other_regions(figures):
    assert figures["headline"].value("signals") == 14  # not s15 (draft), s16 (2024), s17


def test_it_counts_by_source(figures):
    assert values(figures["signals_by_source"]) == {
        "municipality_internal": 7,
        "external_care_safety": 5,
        "care_coordinator": 0,
        "avim": 2,
        "citizen": 0,
        "total": 14,
    }


def test_it_counts_by_municipality(ds, figures):
    world = ds.world
    assert values(figures["signals_by_municipality"]) == {
        str(world.municipality.public_id): 10,
        str(world.other_municipality.public_id): 4,
        "total": 14,
    }


def test_it_counts_a_signal_once_per_form(figures):
    assert values(figures["signals_by_form"]) == {
        "sexual": 4,
        "labour": 8,
        "criminal": 2,  # s04 (with labour) and s07
        "organ_removal": 0,
        "unknown": 1,
        "total": 14,
    }


def test_it_counts_labour_sectors(figures):
    sectors = {k: v for k, v in values(figures["signals_by_sector"]).items() if v}

    assert sectors == {
        "agriculture": 4,
        "construction": 1,
        "hospitality": 1,
        "cleaning": 1,
        "temp_agency": 1,
        "total": 8,
    }


def test_it_counts_kinds_of_criminal_exploitation(figures):
    kinds = {k: v for k, v in values(figures["signals_by_criminal_kind"]).items() if v}

    assert kinds == {"drug_running": 1, "money_mule": 1, "total": 2}  # s07, s04


def test_it_counts_preliminary_and_final_classifications(figures):
    table = figures["classification"]

    assert values(table, 0) == {
        "none": 1, "potential": 7, "suspected": 3, "actual": 0, "not_classified": 3, "total": 14,
    }  # fmt: skip
    assert values(table, 1) == {
        "none": 2, "potential": 1, "suspected": 3, "actual": 2, "not_classified": 6, "total": 14,
    }  # fmt: skip


def test_it_counts_internal_and_acute_signals(figures):
    assert figures["headline"].value("signals_internal") == 2  # s09, s14
    assert figures["headline"].value("signals_acute") == 4  # s03, s07, s11, s13


def test_it_counts_each_possible_victim_once(figures):
    # pA is a victim in s01 and s04; offenders (pK, pN) and the draft's or 2024's don't count.
    assert figures["headline"].value("victims") == 12


def test_it_counts_minors_at_registration_and_at_the_start_of_exploitation(figures):
    table = figures["persons_age"]

    # At registration: pB (16), pD (17: her birthday is the day after), pH (band 16-17).
    # pG turned 18 on the day she was registered: adult.
    assert values(table, 0) == {"minor": 3, "adult": 9, "unknown": 0, "total": 12}
    # At the start: pA (17, from her first signal), pB (15), pD (16), pL (17).
    assert values(table, 1) == {"minor": 4, "adult": 5, "unknown": 3, "total": 12}


def test_it_counts_gender_and_nationality_groups(figures):
    assert values(figures["persons_gender"]) == {
        "female": 7, "male": 4, "other": 0, "unknown": 1, "total": 12,
    }  # fmt: skip
    assert values(figures["persons_nationality"]) == {
        "dutch": 5, "non_dutch": 5, "stateless": 1, "unknown": 1, "total": 12,
    }  # fmt: skip


def test_it_measures_submitted_to_registered(figures):
    row = figures["route_speed"].row("submitted_registered")
    count, median, p90 = (c.value for c in row.cells)

    # 0.5, 1, 1, 2, 2, 2, 3, 4, 5, 10 days
    assert count == 10
    assert median == pytest.approx(2.0)
    assert p90 == pytest.approx(5.5)


def test_it_measures_registered_to_screened_by_the_concluded_meeting(figures):
    row = figures["route_speed"].row("registered_screened")
    count, median, p90 = (c.value for c in row.cells)

    # s03 was carried over on 21 January and decided on 28 January: the later meeting counts.
    # 0.125, 4.125, 5.125, 6.625, 8.125, 10.125, 12.125, 14.125 days
    assert count == 8
    assert median == pytest.approx(7.375)
    assert p90 == pytest.approx(12.725)


def test_it_measures_screened_to_the_first_accepted_referral_after_it(figures):
    row = figures["route_speed"].row("screened_accepted")
    count, median, p90 = (c.value for c in row.cells)

    # s01: 2.9167 (R1); s02: 5 (R3; R2 was declined); s04: 2 (R4: R3 came before its
    # screening); s12: 8 (R6; R5 is unanswered).
    assert count == 4
    assert median == pytest.approx((2 + 11 / 12 + 5) / 2)
    assert p90 == pytest.approx(7.1)


def test_it_shares_acute_signals_consulted_within_24_hours(figures):
    table = figures["acute"]

    # s03: 23 h after it was marked acute (2 days after submission); s07: after 11 h;
    # s13: after 49 h; s11: no consultation.
    assert values(table) == {"within_24h": 2, "later": 1, "not_consulted": 1, "total": 4}
    assert table.value("within_24h", 1) == pytest.approx(50.0)


def test_a_quarter_and_a_custom_period_count_their_own_signals(ds):
    region = ds.world.region
    q1 = compute_figures(scope=Scope(region), period=Period.for_quarter(2025, 1))
    custom = compute_figures(
        scope=Scope(region), period=Period(date(2025, 3, 1), date(2025, 3, 10))
    )

    assert q1["headline"].value("signals") == 9
    assert custom["headline"].value("signals") == 3  # s04, s05, s06 (2, 5 and 8 March)


def test_a_municipality_narrows_every_figure(ds):
    scope = Scope(ds.world.region, ds.world.other_municipality)
    figures = compute_figures(scope=scope, period=Period.for_year(2025))

    assert figures["headline"].value("signals") == 4  # s03, s07, s11, s14
    assert figures["headline"].value("victims") == 3  # pC, pF, pM; s11 has only an offender
    assert figures["headline"].value("meetings") == 2  # s03 was on M1 and M2
    assert figures["headline"].value("cases_opened") == 0
