"""The one selector behind the dashboard, the API and the annual PDF.

``dashboard_figures(user=…, period=…, municipality=…)`` answers what ``user`` may see:

- the scope: the user's region, or one municipality of it; a municipal officer its own
  municipality only (another answers 404, ``periods.scope_for``);
- the numbers: exact for the roles with access to the register's personal data (Veilig
  Thuis), suppressed (``tables.suppress_table``) for every other role. Exports, the PDF
  included, always use ``Figures.suppressed()``.

The page, the JSON and the PDF render the same ``Figures``, so their numbers are equal by
construction. The number of queries does not depend on the amount of data (about 27,
in one read-only snapshot: ``stats.figures_snapshot``; ``tests/test_figures_queries.py``).
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from ..periods import Period, Scope, region_municipalities, scope_for
from ..stats import figures_snapshot
from ..tables import Cell, Figures, Row, Table
from .followup import case_tables, referral_tables, screening_tables, trajectory_tables
from .persons import person_tables
from .register import signal_base, signal_tables
from .speed import speed_tables

# Who sees exact counts: the roles that may read the register's personal data anyway.
EXACT_PERMISSION = "signals.view_register"


def sees_exact_counts(user: User) -> bool:
    return user.has_perm(EXACT_PERMISSION)


def compute_figures(*, scope: Scope, period: Period) -> Figures:
    """Every table, exact. Not for display as such: see ``dashboard_figures``."""
    with figures_snapshot():
        data_date = timezone.now()
        municipalities = (
            [scope.municipality] if scope.municipality else region_municipalities(scope.region)
        )
        signals = signal_base(scope, period)
        tables: dict[str, Table] = {}
        tables.update(signal_tables(signals, period, municipalities))
        tables.update(person_tables(signals))
        tables.update(speed_tables(signals))
        tables.update(screening_tables(scope, period))
        tables.update(referral_tables(scope, period))
        tables.update(case_tables(scope, period))
        tables.update(trajectory_tables(scope, period))
    head = tables.pop("_signal_head")
    headline = Table(
        key="headline",
        title=_("Kerncijfers"),
        columns=[_("Aantal")],
        rows=[
            Row("signals", _("Signalen"), [Cell(head.value("total"))]),
            Row(
                "signals_internal",
                _("waarvan intern afgehandeld door de gemeente"),
                [Cell(head.value("internal"))],
            ),
            Row("signals_acute", _("Acute signalen"), [Cell(head.value("acute"))]),
            Row(
                "victims",
                _("Mogelijke slachtoffers"),
                [Cell(tables["persons_age"].value("total"))],
            ),
            Row(
                "meetings", _("Screeningsoverleggen"), [Cell(tables["screening"].value("meetings"))]
            ),
            Row(
                "referrals", _("Verwijzingen verstuurd"), [Cell(tables["referrals"].value("total"))]
            ),
            Row("cases_opened", _("Casussen geopend"), [Cell(tables["cases"].value("opened"))]),
            Row("cases_closed", _("Casussen gesloten"), [Cell(tables["cases"].value("closed"))]),
            Row(
                "trajectories",
                _("Zorgtrajecten actief"),
                [Cell(tables["trajectories"].value("total"))],
            ),
        ],
    )
    return Figures(
        period=period, scope=scope, data_date=data_date, tables={"headline": headline, **tables}
    )


def dashboard_figures(*, user: User, period: Period, municipality: str | None) -> Figures:
    """The figures ``user`` may see for ``period``, narrowed to ``municipality`` (a public id).

    Raises Http404 (a municipal officer asking for another municipality) or a Dutch
    ValidationError (a municipality that is not of the user's region).
    """
    figures = compute_figures(scope=scope_for(user, municipality), period=period)
    return figures if sees_exact_counts(user) else figures.suppressed()


def export_figures(*, scope: Scope, period: Period) -> Figures:
    """What leaves the system (CSV, XLSX, PDF): always suppressed, for every role."""
    return compute_figures(scope=scope, period=period).suppressed()


__all__ = [
    "compute_figures",
    "dashboard_figures",
    "export_figures",
    "sees_exact_counts",
]
