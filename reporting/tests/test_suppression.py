"""Small-cell suppression: "<5" for counts 1–4, a second cell where a total would reveal one."""

from __future__ import annotations

from reporting.figures import compute_figures, dashboard_figures
from reporting.periods import Period, Scope
from reporting.tables import (
    DAYS,
    PERCENT,
    PRIMARY,
    SECONDARY,
    SMALL_BASE,
    Cell,
    Row,
    Table,
    count_cells,
    suppress_table,
)


def table(counts: list[int], total: int | None = None, **kwargs) -> Table:
    rows = [Row(f"r{i}", f"rij {i}", [Cell(v)]) for i, v in enumerate(counts)]
    total = sum(counts) if total is None else total
    return Table("t", "T", ["Aantal"], rows, total=Row("total", "Totaal", [Cell(total)]), **kwargs)


def shown(t: Table) -> list[str]:
    return [row.cells[0].display for row in t.all_rows]


def test_it_shows_counts_of_one_to_four_as_less_than_five():
    assert shown(suppress_table(table([1, 4, 5, 0, 2]))) == ["<5", "<5", "5", "0", "<5", "12"]


def test_it_hides_a_second_cell_when_the_total_would_reveal_the_only_small_one():
    result = suppress_table(table([3, 9, 6, 0]))

    # 18 − 9 − 6 would give the 3 back: the smallest other non-zero cell goes too.
    assert shown(result) == ["<5", "9", "x", "0", "18"]
    assert [r.cells[0].suppressed for r in result.rows] == [PRIMARY, "", SECONDARY, ""]


def test_two_small_cells_protect_each_other():
    assert shown(suppress_table(table([3, 2, 9]))) == ["<5", "<5", "9", "14"]


def test_a_small_total_hides_itself_and_a_lone_zero_does_not_need_help():
    assert shown(suppress_table(table([3, 0, 0]))) == ["<5", "0", "0", "<5"]


def test_the_exact_table_is_left_as_it_was():
    original = table([3, 9, 6])
    suppress_table(original)

    assert [c.suppressed for c in count_cells([original])] == ["", "", "", ""]


def test_it_protects_sums_within_a_row_and_down_every_column():
    # Columns: sent = answered + waiting; answered = accepted + declined.
    rows = [
        Row("a", "A", [Cell(10), Cell(7), Cell(3), Cell(4), Cell(3)]),
        Row("b", "B", [Cell(20), Cell(12), Cell(12), Cell(0), Cell(8)]),
    ]
    total = Row("total", "Alle", [Cell(30), Cell(19), Cell(15), Cell(4), Cell(11)])
    t = Table(
        "r", "R", ["sent", "answered", "accepted", "declined", "waiting"], rows, total=total,
        row_sums=((0, (1, 4)), (1, (2, 3))),
    )  # fmt: skip

    result = suppress_table(t)

    for row in result.all_rows:
        for total_index, parts in t.row_sums:
            group = [row.cells[total_index], *(row.cells[p] for p in parts)]
            assert sum(1 for c in group if c.suppressed) != 1, row.key
    for column in range(5):
        group = [result.total.cells[column], *(r.cells[column] for r in result.rows)]
        assert sum(1 for c in group if c.suppressed) != 1, column
    assert all(c.display != str(c.value) or not 0 < c.value < 5 for c in count_cells([result]))


def test_a_statistic_over_a_suppressed_count_is_not_shown():
    rows = [
        Row("few", "Weinig", [Cell(3), Cell(2.5, DAYS), Cell(75.0, PERCENT)]),
        Row("many", "Veel", [Cell(12), Cell(4.0, DAYS), Cell(25.0, PERCENT)]),
    ]
    t = Table("s", "S", ["n", "mediaan", "aandeel"], rows, bases={1: 0, 2: 0})

    result = suppress_table(t)

    assert [c.display for c in result.row("few").cells] == ["<5", "–", "–"]
    assert result.row("few").cells[1].suppressed == SMALL_BASE
    assert [c.display for c in result.row("many").cells] == ["12", "4,0", "25%"]


def test_the_data_set_s_small_cells_are_hidden_and_the_totals_kept(ds):
    figures = compute_figures(scope=Scope(ds.world.region), period=Period.for_year(2025))
    hidden = figures.suppressed()

    assert [r.cells[0].display for r in hidden["signals_by_source"].all_rows] == [
        "7",
        "x",
        "0",
        "<5",
        "0",
        "14",
    ]  # fmt: skip  (AVIM 2 is small; external 5 goes with it)
    months = {r.key: r.cells[0].display for r in hidden["signals_by_month"].all_rows}
    assert (months["2025-01"], months["2025-03"], months["2025-06"], months["total"]) == (
        "<5", "6", "x", "14",
    )  # fmt: skip
    # Minors at registration 3: with the total of 12 shown, the adults (9) are hidden too.
    age = hidden["persons_age"]
    assert [r.cells[0].display for r in age.all_rows] == ["<5", "x", "0", "12"]
    # Screened → accepted over 4 signals: the count is "<5", the median and p90 are not shown.
    assert [c.display for c in hidden["route_speed"].row("screened_accepted").cells] == [
        "<5", "–", "–",
    ]  # fmt: skip
    assert [c.display for c in hidden["route_speed"].row("submitted_registered").cells] == [
        "10", "2,0", "5,5",
    ]  # fmt: skip


def test_no_count_from_one_to_four_is_left_anywhere(ds):
    figures = compute_figures(scope=Scope(ds.world.region), period=Period.for_year(2025))
    small = [c for c in count_cells(figures.tables.values()) if c.value in (1, 2, 3, 4)]
    assert small  # the data set has small cells to hide

    for cell in count_cells(figures.suppressed().tables.values()):
        assert cell.shown is None or cell.shown == 0 or cell.shown >= 5


def test_veilig_thuis_sees_exact_counts_and_the_analyst_does_not(ds):
    from accounts.roles import Role

    period = Period.for_year(2025)
    world = ds.world
    for role, exact in [
        (Role.VT_STAFF, True),
        (Role.VT_OFFICER, True),
        (Role.POLICY_ANALYST, False),
        (Role.CHAIN_DIRECTOR, False),
        (Role.MUNICIPAL_OFFICER, False),
    ]:
        figures = dashboard_figures(user=world.user(role), period=period, municipality=None)
        assert figures.exact is exact, role
