"""The weekly screening table: meetings, their agenda, partner input and decisions.

Partner input and route decisions are rows of their own, appended per partner, so two
partners typing at the same time never overwrite each other. A concluded meeting is
read-only; a correction is an addendum.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, Region, TimeStampedModel
from cases.models import Case
from referrals.routes import Route
from signals.models import Signal

from .workflow import ItemOutcome, ItemState, MeetingStatus


class Meeting(TimeStampedModel):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="meetings")
    scheduled_for = models.DateTimeField(_("datum en tijd"))
    agenda_closes_at = models.DateTimeField(_("agenda sluit"))
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    started_at = models.DateTimeField(null=True, blank=True)
    concluded_at = models.DateTimeField(null=True, blank=True)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    minutes = models.FileField(upload_to="minutes/", blank=True)
    minutes_sha256 = models.CharField(max_length=64, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-scheduled_for"]
        verbose_name = _("screeningsoverleg")
        verbose_name_plural = _("screeningsoverleggen")
        constraints = [
            models.UniqueConstraint(fields=["region", "scheduled_for"], name="meeting_unique_slot"),
            models.CheckConstraint(
                condition=models.Q(status__in=MeetingStatus.values), name="meeting_status_valid"
            ),
        ]
        permissions = [
            ("manage_agenda", "Kan de agenda van het screeningsoverleg beheren"),
            ("contribute_to_meeting", "Kan inbreng leveren aan het screeningsoverleg"),
            ("conclude_meeting", "Kan het screeningsoverleg afronden"),
        ]

    def __str__(self) -> str:
        return f"{_('Screeningsoverleg')} {self.scheduled_for:%d-%m-%Y}"


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField(default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "organisation"], name="attendance_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} @ {self.meeting_id}"


class AgendaItem(TimeStampedModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="items")
    signal = models.ForeignKey(Signal, on_delete=models.PROTECT, related_name="agenda_items")
    position = models.PositiveIntegerField(default=0)
    state = models.CharField(max_length=10, choices=ItemState.choices, default=ItemState.ACCEPTED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    presenter = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("inbrenger")
    )
    guest_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gast voor dit punt"),
    )
    outcome = models.CharField(
        max_length=15, choices=ItemOutcome.choices, default=ItemOutcome.PENDING
    )
    weighing = models.TextField(_("weging"), blank=True, validators=[MaxLengthValidator(10_000)])
    advice = models.TextField(_("advies"), blank=True, validators=[MaxLengthValidator(10_000)])
    advice_checklist = models.JSONField(_("adviespunten"), default=list, blank=True)
    follow_up_owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("eigenaar vervolg"),
    )
    follow_up_due = models.DateField(_("vervolg uiterlijk"), null=True, blank=True)
    # Set when the item evaluates an open case (the case back at the table), not a new signal.
    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluation_items",
        verbose_name=_("evaluatie van casus"),
    )
    # How often this signal was carried over before it reached this meeting.
    times_carried_over = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["meeting", "position", "pk"]
        verbose_name = _("agendapunt")
        verbose_name_plural = _("agendapunten")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "signal"], name="agenda_item_unique_signal"),
            models.CheckConstraint(
                condition=models.Q(outcome__in=ItemOutcome.values), name="agenda_item_outcome_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=ItemState.values), name="agenda_item_state_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} #{self.position}: {self.signal}"


class PartnerInput(models.Model):
    """What one partner knows about one item ("verrijking"); one row per contribution."""

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="inputs")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(validators=[MaxLengthValidator(10_000)])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.organisation} on {self.item_id}"


class RouteDecision(models.Model):
    """One route the table chose for an item; handed to cases/referrals when concluded."""

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="decisions")
    route = models.CharField(_("route"), max_length=30, choices=Route.choices)
    note = models.TextField(_("toelichting"), blank=True, validators=[MaxLengthValidator(5000)])
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    handed_off_at = models.DateTimeField(null=True, blank=True)
    # The case the decision was handed to (opened, joined or evaluated).
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="route_decisions"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["item", "route"], name="route_decision_unique"),
            models.CheckConstraint(condition=models.Q(route__in=Route.values), name="route_valid"),
        ]

    def __str__(self) -> str:
        return self.get_route_display()


class Addendum(models.Model):
    """A correction to a concluded meeting's minutes: added, never an edit."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="addenda")
    item = models.ForeignKey(
        AgendaItem, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.TextField(validators=[MaxLengthValidator(10_000)])
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"addendum {self.pk}"
