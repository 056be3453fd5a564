"""Figures of the register: the period's signals and what they break down by.

Every function takes the period's signals (``signal_base``) and returns tables of exact
counts; each is one GROUP BY query (or one aggregate), whatever the number of records. The
persons in them: ``persons.py``; the speed of the route: ``speed.py``.
"""

from __future__ import annotations

from django.db.models import (
    Count,
    QuerySet,
)
from django.db.models.functions import (
    TruncMonth,
)
from django.utils.translation import gettext as _

from signals.models import (
    AgeBand,
    Classification,
    CriminalKind,
    ExploitationForm,
    LabourSector,
    Signal,
    SignalForm,
    Source,
)
from signals.workflow import Status

from ..periods import Period, Scope
from ..tables import Cell, Row, Table

MINOR_BANDS = [b for b in AgeBand.values if AgeBand.bounds(b)[1] < 18]
ADULT_BANDS = [b for b in AgeBand.values if AgeBand.bounds(b)[0] >= 18]
NOT_CLASSIFIED = ""


def signal_base(scope: Scope, period: Period) -> QuerySet[Signal]:
    """The period's signals: received in the period, in the register or handled internally.

    Drafts are not signals yet. What a municipality handled in its own route is counted
    (DOMAIN.md: "counted in aggregates") though it never reached the register.
    """
    qs = Signal.objects.filter(
        region=scope.region, received_at__gte=period.start, received_at__lte=period.end
    ).exclude(status=Status.DRAFT)
    if scope.municipality is not None:
        qs = qs.filter(municipality=scope.municipality)
    return qs


def counts_table(
    key: str,
    title: str,
    counts: dict,
    labels: list[tuple[str, str]],
    *,
    total: int | None = None,
    total_label: str = "",
    chart: str = "bar",
    column: str = "",
    note: str = "",
) -> Table:
    """A one-column table of counts, one row per label (zero rows included)."""
    rows = [Row(k, str(label), [Cell(int(counts.get(k, 0)))]) for k, label in labels]
    if total is None:
        total = sum(int(counts.get(k, 0)) for k, _label in labels)
    return Table(
        key=key,
        title=title,
        columns=[column or _("Aantal")],
        rows=rows,
        total=Row("total", total_label or _("Totaal"), [Cell(total)]),
        chart=chart,
        note=note,
    )


SIGNAL_FACTS = [
    "month",
    "source",
    "municipality",
    "labour_sector",
    "criminal_kind",
    "preliminary_classification",
    "final_classification",
    "status",
    "is_acute",
]


def signal_facts(signals: QuerySet[Signal]) -> list[dict]:
    """One GROUP BY over everything the signal tables break down by; the tables are its
    margins. One scan of the period's signals instead of one per table."""
    return list(
        signals.order_by()
        .annotate(month=TruncMonth("received_at"))
        .values(*SIGNAL_FACTS)
        .annotate(n=Count("pk"))
    )


def tally(facts: list[dict], key, where=lambda row: True) -> dict:
    result: dict = {}
    for row in facts:
        if where(row):
            k = key(row)
            result[k] = result.get(k, 0) + row["n"]
    return result


def signal_tables(
    signals: QuerySet[Signal], period: Period, municipalities: list
) -> dict[str, Table]:
    facts = signal_facts(signals)
    total = sum(row["n"] for row in facts)
    internal = tally(facts, lambda r: r["status"] == Status.HANDLED_INTERNALLY).get(True, 0)
    acute = tally(facts, lambda r: r["is_acute"] and r["status"] != Status.HANDLED_INTERNALLY).get(
        True, 0
    )
    tables: dict[str, Table] = {}

    by_month = tally(facts, lambda r: (r["month"].year, r["month"].month))
    tables["signals_by_month"] = counts_table(
        "signals_by_month",
        _("Signalen per maand"),
        {f"{y}-{m:02d}": by_month.get((y, m), 0) for y, m in period.months()},
        [(f"{y}-{m:02d}", period.month_label(y, m)) for y, m in period.months()],
        total=total,
        total_label=_("Totaal signalen"),
        chart="line",
    )
    tables["signals_by_source"] = counts_table(
        "signals_by_source",
        _("Signalen naar bron"),
        tally(facts, lambda r: r["source"]),
        list(Source.choices),
        total=total,
        total_label=_("Totaal signalen"),
    )
    by_municipality = tally(facts, lambda r: r["municipality"])
    tables["signals_by_municipality"] = counts_table(
        "signals_by_municipality",
        _("Signalen naar gemeente waar het speelt"),
        {str(m.public_id): by_municipality.get(m.pk, 0) for m in municipalities},
        [(str(m.public_id), m.name.removeprefix("Gemeente ")) for m in municipalities],
        total=total,
        total_label=_("Totaal signalen"),
    )
    # The (signal, form) pairs themselves (a few per signal): both the signals per form and
    # the signals without any form come from them, without a second scan.
    pairs = set(
        SignalForm.objects.filter(signal__in=signals).order_by().values_list("signal_id", "form")
    )
    by_form = tally([{"form": f, "n": 1} for _signal, f in pairs], lambda r: r["form"])
    no_form = total - len({signal for signal, _f in pairs})
    form_labels = list(ExploitationForm.choices)
    if no_form:
        by_form["none"] = no_form
        form_labels.append(("none", _("Geen vorm vastgelegd")))
    tables["signals_by_form"] = counts_table(
        "signals_by_form",
        _("Signalen naar vorm van uitbuiting"),
        by_form,
        form_labels,
        total=total,
        total_label=_("Totaal signalen"),
        note=_("Een signaal kan over meer dan één vorm gaan."),
    )
    by_sector = tally(facts, lambda r: r["labour_sector"], where=lambda r: r["labour_sector"])
    tables["signals_by_sector"] = counts_table(
        "signals_by_sector",
        _("Signalen naar sector (arbeidsuitbuiting)"),
        by_sector,
        list(LabourSector.choices),
        total_label=_("Signalen met een sector"),
    )
    by_kind = tally(facts, lambda r: r["criminal_kind"], where=lambda r: r["criminal_kind"])
    tables["signals_by_criminal_kind"] = counts_table(
        "signals_by_criminal_kind",
        _("Signalen naar soort criminele uitbuiting"),
        by_kind,
        list(CriminalKind.choices),
        total_label=_("Signalen met een soort"),
    )
    preliminary = tally(facts, lambda r: r["preliminary_classification"])
    final = tally(facts, lambda r: r["final_classification"])
    labels = [*Classification.choices, (NOT_CLASSIFIED, _("(Nog) niet geclassificeerd"))]
    tables["classification"] = Table(
        key="classification",
        title=_("Classificatie: voorlopig en definitief"),
        columns=[_("Voorlopig"), _("Definitief")],
        rows=[
            Row(
                k or "not_classified",
                str(label),
                [Cell(preliminary.get(k, 0)), Cell(final.get(k, 0))],
            )
            for k, label in labels
        ],
        total=Row("total", _("Totaal signalen"), [Cell(total), Cell(total)]),
        chart="bar",
        chart_columns=(0, 1),
    )
    tables["_signal_head"] = Table(
        key="_signal_head",
        title="",
        columns=[""],
        rows=[
            Row("total", "", [Cell(total)]),
            Row("internal", "", [Cell(internal)]),
            Row("acute", "", [Cell(acute)]),
        ],
    )
    return tables
