"""The server-side SVG charts: accessible, escaped, and never drawing a hidden value."""

from __future__ import annotations

from reporting.charts import bar_chart, chart, line_chart, nice_max
from reporting.tables import Cell, Row, Table, suppress_table


def months(values: list[int]) -> Table:
    rows = [Row(f"m{i}", f"m{i}", [Cell(v)]) for i, v in enumerate(values)]
    return Table("months", "Signalen per maand", ["Aantal"], rows,
                 total=Row("total", "Totaal", [Cell(sum(values))]), chart="line")  # fmt: skip


def test_a_chart_is_an_image_with_a_title_and_a_description():
    svg = str(bar_chart(months([7, 9]), "c1"))

    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
                          'aria-labelledby="c1-title c1-desc"')  # fmt: skip
    assert '<title id="c1-title">Signalen per maand</title>' in svg
    assert '<desc id="c1-desc">' in svg
    assert "style=" not in svg and "<script" not in svg


def test_labels_are_escaped():
    table = months([7])
    table.rows[0].label = '<b onclick="x">Zorg & Veiligheid</b>'

    svg = str(bar_chart(table, "c2"))

    assert "<b " not in svg
    assert "&lt;b onclick=&quot;x&quot;&gt;Zorg &amp;" in svg


def test_a_suppressed_cell_gets_its_mark_and_no_bar():
    hidden = suppress_table(months([3, 9, 6]))

    svg = str(bar_chart(hidden, "c3"))

    assert svg.count("<rect ") == 1  # only the 9 is drawn
    assert ">&lt;5</text>" in svg and ">x</text>" in svg


def test_a_hidden_month_breaks_the_line():
    hidden = suppress_table(months([8, 9, 2, 7, 10, 5]))

    svg = str(line_chart(hidden, "c4"))

    # 2 is hidden, and 5 with it (the total would give it away): two lines, four points.
    assert svg.count("<polyline ") == 2
    assert svg.count("<circle ") == 4
    assert ">&lt;5</text>" in svg and ">x</text>" in svg


def test_the_axis_ends_on_a_round_number():
    assert [nice_max(v) for v in (0, 1, 3, 7, 12, 180, 2600)] == [1, 1, 5, 10, 20, 200, 5000]


def test_a_table_without_a_chart_draws_nothing():
    table = months([1])
    table.chart = ""

    assert str(chart(table, "c5")) == ""
