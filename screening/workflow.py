"""Life cycles of the weekly screening table (DESIGN.md, "Meeting life cycle")."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Gepland")
    AGENDA_CLOSED = "agenda_closed", _("Agenda gesloten")
    IN_SESSION = "in_session", _("In vergadering")
    CONCLUDED = "concluded", _("Afgerond")


MEETING_TRANSITIONS: dict[MeetingStatus, frozenset[MeetingStatus]] = {
    MeetingStatus.PLANNED: frozenset({MeetingStatus.AGENDA_CLOSED, MeetingStatus.IN_SESSION}),
    MeetingStatus.AGENDA_CLOSED: frozenset({MeetingStatus.IN_SESSION}),
    MeetingStatus.IN_SESSION: frozenset({MeetingStatus.CONCLUDED}),
    MeetingStatus.CONCLUDED: frozenset(),
}

# The agenda can still be prepared (items added, removed, reordered) in these statuses.
AGENDA_EDITABLE = frozenset({MeetingStatus.PLANNED, MeetingStatus.AGENDA_CLOSED})


class ItemState(models.TextChoices):
    PROPOSED = "proposed", _("Voorgesteld")
    ACCEPTED = "accepted", _("Op de agenda")


class ItemOutcome(models.TextChoices):
    PENDING = "pending", _("Nog te bespreken")
    DECIDED = "decided", _("Besloten")
    CARRIED_OVER = "carried_over", _("Doorgeschoven")
