"""The annual evaluation as a PDF (plan 8.1): rendered by WeasyPrint from a Django template.

The figures are ``figures.export_figures`` for the report's year and scope, the same
selector as the dashboard, suppressed as every export is; the previous year the same way.
WeasyPrint reads nothing but our own static files (``accounts.pdf.StaticOnlyFetcher``) and
writes a tagged PDF (PDF/UA-1: structure tags, language, title) for screen readers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy
from weasyprint import HTML

from accounts.pdf import StaticOnlyFetcher

from .charts import chart
from .figures import export_figures
from .models import AnnualReport
from .periods import Period, Scope
from .selectors import actions_for_year, sessions_for_year
from .services import introduction_text
from .tables import Figures

PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}

# The four evaluation topics of plan 8.1, with the tables each one shows.
CASES_SECTIONS = [
    (
        gettext_lazy("Signalen"),
        [
            "signals_by_month",
            "signals_by_source",
            "signals_by_municipality",
            "signals_by_form",
            "signals_by_sector",
            "signals_by_criminal_kind",
            "classification",
        ],
    ),
    (
        gettext_lazy("Mogelijke slachtoffers"),
        ["persons_age", "persons_gender", "persons_nationality"],
    ),
    (gettext_lazy("Snelheid van de route"), ["route_speed", "acute"]),
    (gettext_lazy("Casussen"), ["cases", "case_close_reasons"]),
    (gettext_lazy("Zorgtrajecten en opvang"), ["trajectories", "trajectory_durations", "shelter"]),
]
CHAIN_TABLES = ["screening", "attendance", "referrals"]


@dataclass(frozen=True)
class RenderedReport:
    pdf: bytes
    pages: int
    data_date: datetime


def _change(current, previous) -> str:
    if not isinstance(current, int) or not isinstance(previous, int):
        return "–"
    difference = current - previous
    return f"+{difference}" if difference > 0 else ("0" if difference == 0 else f"−{-difference}")


def summary_rows(figures: Figures, previous: Figures) -> list[dict]:
    """The key figures against the previous year, as shown (a hidden cell gives no change)."""
    rows = []
    for row in figures["headline"].rows:
        before = previous["headline"].row(row.key).cells[0]
        now = row.cells[0]
        rows.append(
            {
                "label": row.label,
                "current": now.display,
                "previous": before.display,
                "change": _change(now.shown, before.shown),
            }
        )
    return rows


def speed_rows(figures: Figures, previous: Figures) -> list[dict]:
    """The medians of the route's speed against the previous year, as shown."""
    rows = []
    for table_key in ("route_speed",):
        for row in figures[table_key].rows:
            before = previous[table_key].row(row.key)
            rows.append(
                {
                    "label": row.label,
                    "current": row.cells[1].display,
                    "previous": before.cells[1].display,
                }
            )
    return rows


def annual_report_context(report: AnnualReport, progress: Callable[[int], None]) -> dict:
    scope = Scope(report.region, report.municipality)
    period = Period.for_year(report.year)
    figures = export_figures(scope=scope, period=period)
    progress(30)
    previous = export_figures(scope=scope, period=period.previous_year())
    progress(50)
    sessions = list(sessions_for_year(scope=scope, year=report.year))
    charts = {
        key: chart(table, f"chart-{key}") for key, table in figures.tables.items() if table.chart
    }
    return {
        "report": report,
        "scope": scope,
        "period": period,
        "figures": figures,
        "previous": previous,
        "summary": summary_rows(figures, previous),
        "speed": speed_rows(figures, previous),
        "charts": charts,
        "introduction": introduction_text(report.region, report.year),
        "actions": list(actions_for_year(region=report.region, year=report.year)),
        "sessions": sessions,
        "session_participants": sum(s.participants for s in sessions),
        "cases_sections": [
            (str(title), [figures[k] for k in keys]) for title, keys in CASES_SECTIONS
        ],
        "chain_tables": [figures[k] for k in CHAIN_TABLES],
        "previous_tables": [t for k, t in previous.tables.items() if k != "headline"],
        "generated_at": timezone.now(),
    }


def render_annual_report(
    report: AnnualReport, progress: Callable[[int], None] = lambda p: None
) -> RenderedReport:
    context = annual_report_context(report, progress)
    html = render_to_string("reporting/annual_pdf.html", context)
    progress(60)
    document = HTML(string=html, base_url="static:/", url_fetcher=StaticOnlyFetcher()).render(
        **PDF_OPTIONS
    )
    progress(85)
    pdf = document.write_pdf(**PDF_OPTIONS)
    progress(95)
    return RenderedReport(
        pdf=pdf, pages=len(document.pages), data_date=context["figures"].data_date
    )
