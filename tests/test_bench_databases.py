"""`make bench` drops the databases of earlier synth code when it loads a size again."""

from tests.bench.resetdb import stale

EXISTING = [
    "meldroute_bench_1000_1_111",
    "meldroute_bench_1000_1_222",
    "meldroute_bench_10000_1_111",
    "meldroute_bench_1000_2_111",
    "meldroute_bench_year20000_2025_1_111",
    "meldroute_bench_1000_1_kept-by-hand",
]


def test_the_earlier_loads_of_the_same_size_and_seed_are_stale():
    assert stale("meldroute_bench_1000_1_222", EXISTING) == ["meldroute_bench_1000_1_111"]


def test_other_sizes_seeds_and_names_are_left_alone():
    assert stale("meldroute_bench_100000_1_222", EXISTING) == []
    assert stale("meldroute_bench_1000_3_222", EXISTING) == []
    assert stale("meldroute_bench_year20000_2024_1_222", EXISTING) == []


def test_the_region_year_database_drops_its_own_earlier_load():
    assert stale("meldroute_bench_year20000_2025_1_9", EXISTING) == [
        "meldroute_bench_year20000_2025_1_111"
    ]
