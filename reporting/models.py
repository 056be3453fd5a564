"""Reporting: the annual evaluation PDFs, the implementation plan and awareness sessions.

The dashboard and the CoMensha figures are computed from the records of the route
(``reporting.figures``); nothing here copies them. What this app stores is what the yearly
evaluation (plan 8.1) adds of its own: the generated reports (each version kept, with its
checksum, author and data date), the editable introduction of the policy topic, the actions
of the implementation plan (uitvoeringsplan) and the awareness and training sessions.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, Region, TimeStampedModel

from .workflow import ActionStatus, Audience, ReportStatus

REGION_SCOPE = "region"


def report_path(instance: AnnualReport, filename: str) -> str:
    # A stable, non-guessable stored name; the download name is made by the file view.
    return f"reports/{instance.region_id}/{instance.public_id.hex}.pdf"


class AnnualReport(TimeStampedModel):
    """One generated annual evaluation PDF (or the attempt to make one).

    ``scope_key`` is ``"region"`` or the public id of the municipality: a plain column, so the
    partial unique constraint below ("one active run per year and scope") also holds for the
    region-wide report (a NULL municipality would never collide).
    """

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="annual_reports")
    year = models.PositiveSmallIntegerField(_("jaar"))
    municipality = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gemeente"),
    )
    scope_key = models.CharField(max_length=40, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(
        _("voortgang"), default=0, validators=[MaxValueValidator(100)]
    )
    file = models.FileField(upload_to=report_path, max_length=200, blank=True)
    sha256 = models.CharField(_("controlegetal (SHA-256)"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("grootte"), null=True, blank=True)
    pages = models.PositiveSmallIntegerField(_("pagina's"), null=True, blank=True)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("gemaakt door"),
    )
    data_date = models.DateTimeField(_("cijfers van"), null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    error = models.CharField(_("fout"), max_length=500, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("jaarverslag")
        verbose_name_plural = _("jaarverslagen")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ReportStatus.values),
                name="annual_report_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(progress__gte=0, progress__lte=100),
                name="annual_report_progress_range",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=ReportStatus.DONE) | ~models.Q(file=""),
                name="annual_report_done_has_file",
            ),
            # Starting the same report twice while one runs finds the running one: at most one
            # queued or running report per region, year and scope.
            models.UniqueConstraint(
                fields=["region", "year", "scope_key"],
                condition=models.Q(status__in=["queued", "running"]),
                name="annual_report_one_active_run",
            ),
        ]
        indexes = [
            models.Index(
                fields=["region", "year", "scope_key", "-created_at"], name="report_scope_idx"
            )
        ]
        permissions = [
            ("view_dashboard", "Kan het dashboard met cijfers van de meldroute zien"),
            ("export_comensha", "Kan de CoMensha-cijfers (geaggregeerd) exporteren"),
            (
                "view_comensha_tracker",
                "Kan de CoMensha-volglijst en de gepseudonimiseerde slachtofferlijst zien",
            ),
            ("generate_annual_report", "Kan het jaarverslag (evaluatie) maken en downloaden"),
        ]

    def __str__(self) -> str:
        return f"{_('jaarverslag')} {self.year} ({self.scope_label})"

    @property
    def scope_label(self) -> str:
        return self.municipality.name if self.municipality_id else self.region.name

    @property
    def is_active(self) -> bool:
        return self.status in (ReportStatus.QUEUED, ReportStatus.RUNNING)

    @property
    def download_name(self) -> str:
        scope = self.municipality.cbs_code if self.municipality_id else self.region.code
        stamp = self.created_at.strftime("%Y%m%d-%H%M")
        return f"jaarverslag-{self.year}-{scope}-{stamp}.pdf".lower()


class EvaluationIntroduction(TimeStampedModel):
    """The editable introduction of the policy topic, per region and year."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("jaar"))
    text = models.TextField(
        _("inleiding beleid"), blank=True, validators=[MaxLengthValidator(10_000)]
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("inleiding evaluatie")
        verbose_name_plural = _("inleidingen evaluatie")
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="evaluation_intro_once"),
        ]

    def __str__(self) -> str:
        return f"{_('inleiding')} {self.year}"


class ImplementationAction(TimeStampedModel):
    """An action of the regional implementation plan (uitvoeringsplan), evaluated each year."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("actie"), max_length=300)
    owner_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("eigenaar")
    )
    due_date = models.DateField(_("gereed op"))
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    completed_on = models.DateField(_("afgerond op"), null=True, blank=True)
    progress_notes = models.TextField(
        _("voortgang"), blank=True, validators=[MaxLengthValidator(5000)]
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["due_date", "title", "pk"]
        verbose_name = _("actie uitvoeringsplan")
        verbose_name_plural = _("acties uitvoeringsplan")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ActionStatus.values),
                name="implementation_action_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status=ActionStatus.DONE) | models.Q(completed_on__isnull=True),
                name="implementation_action_completed_only_when_done",
            ),
        ]
        permissions = [
            (
                "manage_implementation_plan",
                "Kan acties van het uitvoeringsplan en voorlichtingen vastleggen",
            )
        ]

    def __str__(self) -> str:
        return self.title


class AwarenessSession(TimeStampedModel):
    """An awareness or training session (voorlichting, training) held in the region."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("datum"))
    municipality = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gemeente"),
        help_text=_("Leeg voor een regionale bijeenkomst."),
    )
    topic = models.CharField(_("onderwerp"), max_length=300)
    audience = models.CharField(_("doelgroep"), max_length=20, choices=Audience.choices)
    participants = models.PositiveIntegerField(
        _("aantal deelnemers"), validators=[MinValueValidator(0), MaxValueValidator(100_000)]
    )
    organised_by = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("georganiseerd door"),
    )
    notes = models.TextField(_("opmerkingen"), blank=True, validators=[MaxLengthValidator(2000)])
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("voorlichting of training")
        verbose_name_plural = _("voorlichtingen en trainingen")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(audience__in=Audience.values),
                name="awareness_session_audience_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.topic
