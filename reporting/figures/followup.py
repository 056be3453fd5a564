"""Figures of the follow-up: the screening table, referrals, cases and care trajectories.

Each population has its own date in the period: meetings by their date, referrals by when
they were sent, cases by when they were opened or closed, trajectories by whether they ran
at some moment of the period. With a municipality chosen, a meeting, referral, case or
trajectory counts when one of its signals plays in that municipality.
"""

from __future__ import annotations

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Lead, TruncDate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import Case as FollowUpCase
from cases.models import CaseSignal, CloseReason, PhaseChange, Placement, ShelterType, Trajectory
from cases.workflow import CaseStatus, Phase
from referrals.models import REFERRAL_ROUTES, Referral
from referrals.routes import Route
from referrals.workflow import ReferralStatus
from screening.models import AgendaItem, Attendance, Meeting
from screening.workflow import ItemOutcome, MeetingStatus

from ..periods import Period, Scope
from ..stats import EMPTY, Span, duration_stats
from ..tables import DAYS, Cell, Row, Table
from .register import counts_table
from .speed import STAT_COLUMNS, stat_row


def _in_municipality(scope: Scope, case_path: str) -> Q:
    """Records whose case has a signal playing in the chosen municipality (if one is)."""
    if scope.municipality is None:
        return Q()
    return Q(
        Exists(
            CaseSignal.objects.filter(
                case=OuterRef(case_path), signal__municipality=scope.municipality
            )
        )
    )


# --- the screening table ------------------------------------------------------------------


def screening_tables(scope: Scope, period: Period) -> dict[str, Table]:
    meetings = Meeting.objects.filter(
        region=scope.region,
        status=MeetingStatus.CONCLUDED,
        scheduled_for__gte=period.start_at,
        scheduled_for__lt=period.end_before,
    )
    items = AgendaItem.objects.filter(meeting__in=meetings)
    if scope.municipality is not None:
        items = items.filter(signal__municipality=scope.municipality)
        meetings = meetings.filter(Exists(items.filter(meeting=OuterRef("pk"))))
    item_counts = items.aggregate(
        decided=Count("pk", filter=Q(outcome=ItemOutcome.DECIDED)),
        carried=Count("pk", filter=Q(outcome=ItemOutcome.CARRIED_OVER)),
    )
    held = meetings.count()
    present = dict(
        Attendance.objects.filter(meeting__in=meetings, present=True)
        .order_by()
        .values("organisation__name")
        .annotate(n=Count("meeting", distinct=True))
        .values_list("organisation__name", "n")
    )
    organisations = sorted(present)
    return {
        "screening": Table(
            key="screening",
            title=_("Screeningstafel"),
            columns=[_("Aantal")],
            rows=[
                Row("meetings", _("Overleggen gehouden"), [Cell(held)]),
                Row(
                    "items_decided",
                    _("Agendapunten besproken en besloten"),
                    [Cell(item_counts["decided"])],
                ),
                Row(
                    "items_carried_over",
                    _("Agendapunten doorgeschoven"),
                    [Cell(item_counts["carried"])],
                ),
            ],
            chart="bar",
        ),
        "attendance": Table(
            key="attendance",
            title=_("Aanwezigheid per organisatie"),
            columns=[_("Overleggen aanwezig")],
            rows=[Row(name, name, [Cell(present[name])]) for name in organisations],
            note=_("Van de %(n)s gehouden overleggen.") % {"n": held},
        ),
    }


# --- referrals ------------------------------------------------------------------------------

REFERRAL_COLUMNS = [
    gettext_lazy("Verstuurd"),
    gettext_lazy("Beantwoord"),
    gettext_lazy("Geaccepteerd"),
    gettext_lazy("Afgewezen"),
    gettext_lazy("Nog geen antwoord"),
    gettext_lazy("Afgerond"),
    gettext_lazy("Mediaan antwoordtijd (dagen)"),
    gettext_lazy("90e percentiel antwoordtijd (dagen)"),
]
ACCEPTED = [ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED]


def referral_tables(scope: Scope, period: Period) -> dict[str, Table]:
    referrals = Referral.objects.filter(
        case__region=scope.region, sent_at__gte=period.start_at, sent_at__lt=period.end_before
    ).filter(_in_municipality(scope, "case"))
    counts = {
        row["route"]: row
        for row in referrals.order_by()
        .values("route")
        .annotate(
            sent=Count("pk"),
            accepted=Count("pk", filter=Q(status__in=ACCEPTED)),
            declined=Count("pk", filter=Q(status=ReferralStatus.DECLINED)),
            waiting=Count("pk", filter=Q(status=ReferralStatus.SENT)),
            completed=Count("pk", filter=Q(status=ReferralStatus.COMPLETED)),
        )
    }
    answer = Span("answer", "sent_at", "answered_at")
    by_route = duration_stats(referrals, [answer], group="route")
    overall = duration_stats(referrals, [answer]).get(None, {}).get("answer", EMPTY)

    def cells(row: dict, stat) -> list[Cell]:
        answered = row.get("accepted", 0) + row.get("declined", 0)
        values = [
            row.get("sent", 0),
            answered,
            row.get("accepted", 0),
            row.get("declined", 0),
            row.get("waiting", 0),
            row.get("completed", 0),
        ]
        return [Cell(v) for v in values] + [Cell(stat.median, DAYS), Cell(stat.p90, DAYS)]

    labels = dict(Route.choices)
    rows = [
        Row(
            route,
            str(labels[route]),
            cells(counts.get(route, {}), by_route.get(route, {}).get("answer", EMPTY)),
        )
        for route in REFERRAL_ROUTES
    ]
    totals = {
        key: sum(counts.get(r, {}).get(key, 0) for r in REFERRAL_ROUTES)
        for key in ("sent", "accepted", "declined", "waiting", "completed")
    }
    return {
        "referrals": Table(
            key="referrals",
            title=_("Verwijzingen per route"),
            columns=[str(c) for c in REFERRAL_COLUMNS],
            rows=rows,
            total=Row("total", _("Alle routes"), cells(totals, overall)),
            chart="bar",
            row_sums=((0, (1, 4)), (1, (2, 3))),
            bases={6: 1, 7: 1},
            note=_(
                "Verwijzingen verstuurd in de periode; de stand van nu. Antwoordtijd: van "
                "versturen tot accepteren of afwijzen."
            ),
        )
    }


# --- cases ----------------------------------------------------------------------------------


def case_tables(scope: Scope, period: Period) -> dict[str, Table]:
    cases = FollowUpCase.objects.filter(region=scope.region).filter(_in_municipality(scope, "pk"))
    closed_in_period = Q(
        status=CaseStatus.CLOSED, closed_at__gte=period.start_at, closed_at__lt=period.end_before
    )
    counts = cases.aggregate(
        opened=Count(
            "pk", filter=Q(created_at__gte=period.start_at, created_at__lt=period.end_before)
        ),
        closed=Count("pk", filter=closed_in_period),
        open_at_end=Count(
            "pk",
            filter=Q(created_at__lt=period.end_before)
            & (Q(status=CaseStatus.OPEN) | Q(closed_at__gte=period.end_before)),
        ),
    )
    reasons = dict(
        cases.filter(closed_in_period)
        .order_by()
        .values("close_reason")
        .annotate(n=Count("pk"))
        .values_list("close_reason", "n")
    )
    return {
        "cases": Table(
            key="cases",
            title=_("Casussen"),
            columns=[_("Aantal")],
            rows=[
                Row("opened", _("Geopend in de periode"), [Cell(counts["opened"])]),
                Row("closed", _("Gesloten in de periode"), [Cell(counts["closed"])]),
                Row(
                    "open_at_end",
                    _("Open aan het eind van de periode"),
                    [Cell(counts["open_at_end"])],
                ),
            ],
            chart="bar",
        ),
        "case_close_reasons": counts_table(
            "case_close_reasons",
            _("Gesloten casussen naar reden"),
            reasons,
            list(CloseReason.choices),
            total=counts["closed"],
            total_label=_("Gesloten in de periode"),
        ),
    }


# --- trajectories and shelter -----------------------------------------------------------------

OPEN_PHASES = [p for p in Phase.values if p != Phase.CLOSED]


def trajectory_tables(scope: Scope, period: Period) -> dict[str, Table]:
    trajectories = Trajectory.objects.filter(region=scope.region).filter(
        _in_municipality(scope, "case")
    )
    # Ran at some moment of the period: started before its end, not closed before its start.
    active = trajectories.filter(created_at__lt=period.end_before).exclude(
        phase=Phase.CLOSED, phase_since__lt=period.start
    )
    phase_at_end = (
        PhaseChange.objects.filter(trajectory=OuterRef("pk"), entered_on__lte=period.end)
        .order_by("-entered_on", "-pk")
        .values("phase")[:1]
    )
    by_phase = dict(
        active.annotate(
            phase_at_end=Coalesce(
                Subquery(phase_at_end),
                Case(
                    When(phase_since__lte=period.end, then=F("phase")),
                    default=Value(Phase.REGISTRATION),
                    output_field=CharField(),
                ),
                output_field=CharField(),
            )
        )
        .order_by()
        .values("phase_at_end")
        .annotate(n=Count("pk"))
        .values_list("phase_at_end", "n")
    )
    phases = counts_table(
        "trajectories",
        _("Zorgtrajecten in de periode, naar fase aan het eind ervan"),
        by_phase,
        list(Phase.choices),
        total_label=_("Trajecten actief in de periode"),
    )

    closed = trajectories.filter(
        phase=Phase.CLOSED, phase_since__gte=period.start, phase_since__lte=period.end
    ).annotate(started_on=TruncDate("created_at"))
    total_stat = (
        duration_stats(closed, [Span("total", "started_on", "phase_since")])
        .get(None, {})
        .get("total", EMPTY)
    )
    # A phase is left when the trajectory's next phase is entered: one pass over the phase
    # changes in order, not a look-up of the next change for each. The closed phase lands in a
    # group of its own, which the table does not show.
    left = (
        PhaseChange.objects.filter(trajectory__in=trajectories)
        .annotate(
            left_on=Window(
                Lead("entered_on"), partition_by=[F("trajectory_id")], order_by=F("pk").asc()
            )
        )
        .filter(left_on__gte=period.start, left_on__lte=period.end)
    )
    per_phase = duration_stats(left, [Span("phase", "entered_on", "left_on")], group="phase")
    labels = dict(Phase.choices)
    durations = Table(
        key="trajectory_durations",
        title=_("Duur van zorgtrajecten"),
        columns=[str(c) for c in STAT_COLUMNS],
        rows=[
            stat_row("total", _("Hele traject (afgesloten in de periode)"), total_stat),
            *(
                stat_row(
                    phase,
                    _("Fase %(phase)s (verlaten in de periode)")
                    % {"phase": str(labels[phase]).lower()},
                    per_phase.get(phase, {}).get("phase", EMPTY),
                )
                for phase in OPEN_PHASES
            ),
        ],
        bases={1: 0, 2: 0},
        note=_("In dagen."),
    )
    return {
        "trajectories": phases,
        "trajectory_durations": durations,
        **_shelter(trajectories, period),
    }


def _shelter(trajectories: QuerySet[Trajectory], period: Period) -> dict[str, Table]:
    placements = Placement.objects.filter(
        trajectory__in=trajectories, start_date__lte=period.end
    ).exclude(end_date__lt=period.start)
    counts = {
        row["shelter_type"]: row
        for row in placements.order_by()
        .values("shelter_type")
        .annotate(
            n=Count("pk"),
            ended=Count("pk", filter=Q(end_date__isnull=False, end_date__lte=period.end)),
        )
    }
    ended = placements.filter(end_date__isnull=False, end_date__lte=period.end)
    stats = duration_stats(ended, [Span("stay", "start_date", "end_date")], group="shelter_type")
    overall = duration_stats(ended, [Span("stay", "start_date", "end_date")]).get(None, {})

    def cells(row: dict, stat) -> list[Cell]:
        return [
            Cell(row.get("n", 0)),
            Cell(row.get("ended", 0)),
            Cell(stat.median, DAYS),
            Cell(stat.p90, DAYS),
        ]

    labels = dict(ShelterType.choices)
    totals = {k: sum(r[k] for r in counts.values()) for k in ("n", "ended")}
    return {
        "shelter": Table(
            key="shelter",
            title=_("Opvang: plaatsingen in de periode"),
            columns=[
                _("Plaatsingen"),
                _("Waarvan beëindigd"),
                _("Mediaan verblijf (dagen)"),
                _("90e percentiel verblijf (dagen)"),
            ],
            rows=[
                Row(
                    t, str(labels[t]), cells(counts.get(t, {}), stats.get(t, {}).get("stay", EMPTY))
                )
                for t in ShelterType.values
            ],
            total=Row("total", _("Alle opvang"), cells(totals, overall.get("stay", EMPTY))),
            chart="bar",
            bases={2: 1, 3: 1},
        )
    }
