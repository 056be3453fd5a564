"""Figures of the speed of the route: durations between its steps, and acute consultations."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import (
    Count,
    DateTimeField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from referrals.models import Referral
from referrals.workflow import ReferralStatus
from screening.models import AgendaItem
from screening.workflow import ItemOutcome, MeetingStatus
from signals.models import AcuteConsultation, ClassificationRecord, EventKind, Signal, SignalEvent
from signals.workflow import Status

from ..stats import EMPTY, Span, duration_stats
from ..tables import COUNT, DAYS, PERCENT, Cell, Row, Table


def with_route_moments(signals: QuerySet[Signal]) -> QuerySet[Signal]:
    """Annotate when each signal was screened and when its first referral was accepted.

    Screened: the concluding of the first meeting that decided on it, else (an acute signal,
    never at the table) its first final classification. First referral accepted: the
    earliest answer "accepted" (possibly completed since) of a referral of a case the signal
    belongs to, given at or after the screening.
    """
    decided_at = (
        AgendaItem.objects.filter(
            signal=OuterRef("pk"),
            outcome=ItemOutcome.DECIDED,
            meeting__status=MeetingStatus.CONCLUDED,
        )
        .order_by("meeting__concluded_at")
        .values("meeting__concluded_at")[:1]
    )
    classified_at = (
        ClassificationRecord.objects.filter(signal=OuterRef("pk"), kind="final")
        .order_by("created_at")
        .values("created_at")[:1]
    )
    accepted_at = (
        Referral.objects.filter(
            case__case_signals__signal=OuterRef("pk"),
            status__in=[ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED],
            answered_at__isnull=False,
            answered_at__gte=OuterRef("screened_at"),
        )
        .order_by("answered_at")
        .values("answered_at")[:1]
    )
    return signals.annotate(
        screened_at=Coalesce(
            Subquery(decided_at), Subquery(classified_at), output_field=DateTimeField()
        )
    ).annotate(accepted_at=Subquery(accepted_at, output_field=DateTimeField()))


ROUTE_SPANS = [
    Span("submitted_registered", "submitted_at", "registered_at"),
    Span("registered_screened", "registered_at", "screened_at"),
    Span("screened_accepted", "screened_at", "accepted_at"),
]
ROUTE_SPAN_LABELS = {
    "submitted_registered": gettext_lazy("Ingediend → geregistreerd"),
    "registered_screened": gettext_lazy("Geregistreerd → gescreend"),
    "screened_accepted": gettext_lazy("Gescreend → eerste verwijzing geaccepteerd"),
}
STAT_COLUMNS = [
    gettext_lazy("Aantal"),
    gettext_lazy("Mediaan (dagen)"),
    gettext_lazy("90e percentiel (dagen)"),
]


def stat_row(key: str, label: str, stat) -> Row:
    return Row(key, label, [Cell(stat.count), Cell(stat.median, DAYS), Cell(stat.p90, DAYS)])


def speed_tables(signals: QuerySet[Signal]) -> dict[str, Table]:
    stats = duration_stats(with_route_moments(signals), ROUTE_SPANS).get(None, {})

    speed = Table(
        key="route_speed",
        title=_("Snelheid van de route"),
        columns=[str(c) for c in STAT_COLUMNS],
        rows=[
            stat_row(span.name, str(ROUTE_SPAN_LABELS[span.name]), stats.get(span.name, EMPTY))
            for span in ROUTE_SPANS
        ],
        bases={1: 0, 2: 0},
        note=_("In dagen; alleen signalen waarvan beide momenten bekend zijn."),
    )
    return {"route_speed": speed, "acute": acute_table(signals)}


def acute_table(signals: QuerySet[Signal]) -> Table:
    """Acute signals in the register: consulted within 24 hours of reaching Veilig Thuis?

    The clock starts when the signal was submitted, or when it was marked acute if that was
    later (a signal can become acute in the register).
    """
    marked_at = (
        SignalEvent.objects.filter(signal=OuterRef("pk"), kind=EventKind.ACUTE_MARKED)
        .order_by("created_at")
        .values("created_at")[:1]
    )
    consulted_at = (
        AcuteConsultation.objects.filter(signal=OuterRef("pk"))
        .order_by("consulted_at")
        .values("consulted_at")[:1]
    )
    acute = (
        signals.filter(is_acute=True)
        .exclude(status=Status.HANDLED_INTERNALLY)
        .annotate(
            marked_at=Subquery(marked_at, output_field=DateTimeField()),
            consulted_at=Subquery(consulted_at, output_field=DateTimeField()),
        )
        .annotate(
            clock_start=Coalesce(
                Greatest("submitted_at", "marked_at"),
                "submitted_at",
                "marked_at",
                "created_at",
                output_field=DateTimeField(),
            )
        )
        .annotate(
            deadline=ExpressionWrapper(
                F("clock_start") + timedelta(hours=24), output_field=DateTimeField()
            )
        )
    )
    counts = acute.aggregate(
        total=Count("pk"),
        within=Count("pk", filter=Q(consulted_at__lte=F("deadline"))),
        later=Count("pk", filter=Q(consulted_at__gt=F("deadline"))),
        pending=Count("pk", filter=Q(consulted_at__isnull=True)),
    )
    total = counts["total"]

    def share(n: int) -> Cell:
        return Cell(100.0 * n / total if total else None, PERCENT)

    labels = [
        ("within_24h", _("Overlegd binnen 24 uur"), counts["within"]),
        ("later", _("Later overlegd"), counts["later"]),
        ("not_consulted", _("(Nog) geen overleg vastgelegd"), counts["pending"]),
    ]
    return Table(
        key="acute",
        title=_("Acute signalen: overleg binnen 24 uur"),
        columns=[_("Aantal"), _("Aandeel")],
        rows=[Row(k, label, [Cell(n, COUNT), share(n)]) for k, label, n in labels],
        total=Row("total", _("Acute signalen"), [Cell(total), share(total)]),
        bases={1: 0},
        chart="bar",
    )
