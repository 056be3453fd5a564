"""Life cycles of reporting: an annual report run, and an action of the implementation plan.

A report run: queued → running → done | failed. A failed (or killed) run stays as it is, for
the record; starting the same report again makes a new run. A queued or running run whose
worker stopped reporting progress for longer than the task time limit is marked failed by
the next start (``services.annual_report_start``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("In de wachtrij")
    RUNNING = "running", _("Bezig")
    DONE = "done", _("Klaar")
    FAILED = "failed", _("Mislukt")


ALLOWED_TRANSITIONS: dict[ReportStatus, frozenset[ReportStatus]] = {
    ReportStatus.QUEUED: frozenset({ReportStatus.RUNNING, ReportStatus.FAILED}),
    ReportStatus.RUNNING: frozenset({ReportStatus.DONE, ReportStatus.FAILED}),
    ReportStatus.DONE: frozenset(),
    ReportStatus.FAILED: frozenset(),
}

ACTIVE = frozenset({ReportStatus.QUEUED, ReportStatus.RUNNING})


class ReportStepNotAllowed(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def check_transition(current: str, target: str) -> None:
    if ReportStatus(target) not in ALLOWED_TRANSITIONS[ReportStatus(current)]:
        raise ReportStepNotAllowed(
            f"An annual report cannot go from {current} to {target}."  # a programming error
        )


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Gepland")
    IN_PROGRESS = "in_progress", _("In uitvoering")
    DONE = "done", _("Afgerond")
    DELAYED = "delayed", _("Vertraagd")
    CANCELLED = "cancelled", _("Vervallen")


class Audience(models.TextChoices):
    MUNICIPAL_STAFF = "municipal_staff", _("Medewerkers gemeente")
    FRONT_DESK = "front_desk", _("Frontoffice en handhaving")
    CARE_PROFESSIONALS = "care", _("Zorg- en hulpverleners")
    POLICE_ENFORCEMENT = "police", _("Politie en toezichthouders")
    EDUCATION = "education", _("Onderwijs en jongerenwerk")
    BUSINESSES = "businesses", _("Ondernemers en werkgevers")
    PUBLIC = "public", _("Inwoners")
    OTHER = "other", _("Anders")
