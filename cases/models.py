"""Follow-up after the route is decided: cases, their actions, and the care trajectories.

A ``Case`` is what somebody owns once the screening table (or an acute consultation) has
chosen a route: the lead organisation ("regiehouder") records actions and notes, and closes
it. A ``Trajectory`` is the zorgcoördinator's shielded record of one victim's care; no other
role reaches it, except the process director of a ZVH the case was referred to
(``TrajectoryAccess``, granted by the referrals app when that ZVH accepts).

``CaseEvent`` is the case's append-only timeline. The page shows it together with the
timelines of the linked signals, so the whole story is on one page without this app
importing the apps that come after it.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, Region, TimeStampedModel
from signals.models import Classification, ExploitationForm, Person, Signal

from .workflow import CaseStatus, Phase

TEXT_MAX_LENGTH = 10_000


class LeadKind(models.TextChoices):
    """Who holds the lead ("regiehouder"), as the table or VT chose it."""

    PRESENTER = "presenter", _("Inbrenger")
    ZVH = "zvh", _("Zorg- en Veiligheidshuis")
    MUNICIPALITY = "municipality", _("Gemeente")
    CARE_COORDINATOR = "care_coordinator", _("Zorgcoördinator")


# The lead kind an organisation implies when nothing else says so.
LEAD_KIND_OF_ORGANISATION = {
    Organisation.Kind.ZVH: LeadKind.ZVH,
    Organisation.Kind.MUNICIPALITY: LeadKind.MUNICIPALITY,
}


class CloseReason(models.TextChoices):
    GOAL_REACHED = "goal_reached", _("Doel bereikt")
    REFERRED_OUT = "referred_out", _("Overgedragen")
    NO_CONSENT = "no_consent", _("Geen toestemming")
    LEFT_REGION = "left_region", _("Persoon heeft de regio verlaten")
    NO_TRAFFICKING = "no_trafficking", _("Toch geen mensenhandel")
    OTHER = "other", _("Anders")


class CaseCounter(models.Model):
    """The last case number per region and year (references like ``ZL-CAS-2026-00042``)."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="case_counter_once"),
        ]

    def __str__(self) -> str:
        return f"{self.region_id}/{self.year}: {self.last_number}"


class Case(TimeStampedModel):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="cases")
    reference = models.CharField(_("kenmerk"), max_length=24, unique=True)
    lead_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="led_cases",
        verbose_name=_("regiehouder"),
    )
    lead_kind = models.CharField(_("soort regiehouder"), max_length=20, choices=LeadKind.choices)
    signals = models.ManyToManyField(Signal, through="CaseSignal", related_name="cases")
    persons = models.ManyToManyField(Person, through="CasePerson", related_name="cases")
    # The forms of exploitation and the final classification the case was opened on; the
    # signals keep their own history.
    forms = models.JSONField(_("vormen van uitbuiting"), default=list, blank=True)
    classification = models.CharField(
        _("eindclassificatie"), max_length=10, choices=Classification.choices
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    close_reason = models.CharField(
        _("reden van sluiten"), max_length=20, choices=CloseReason.choices, blank=True
    )
    close_note = models.TextField(
        _("toelichting bij sluiten"), blank=True, validators=[MaxLengthValidator(2000)]
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("gesloten op"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("casus")
        verbose_name_plural = _("casussen")
        permissions = [
            ("open_case", "Open a case from a route decision or acute consultation"),
            ("lead_case", "Record actions and notes as the lead organisation"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=CaseStatus.values), name="case_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status=CaseStatus.OPEN, close_reason="")
                | models.Q(status=CaseStatus.CLOSED) & ~models.Q(close_reason=""),
                name="case_closed_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["region", "status", "-created_at"], name="case_region_status_idx"),
            models.Index(
                fields=["lead_organisation", "status", "-created_at"], name="case_lead_status_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def form_labels(self) -> list[str]:
        labels = dict(ExploitationForm.choices)
        return [str(labels.get(f, f)) for f in self.forms]


class CaseSignal(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="case_signals")
    signal = models.ForeignKey(Signal, on_delete=models.PROTECT, related_name="case_links")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "signal"], name="case_signal_once"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.signal_id}"


class CasePerson(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="case_persons")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="case_links")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "person"], name="case_person_once"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.person_id}"


class Action(TimeStampedModel):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="actions")
    description = models.CharField(_("actie"), max_length=500)
    owner_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="actions", verbose_name=_("eigenaar")
    )
    due_date = models.DateField(_("uiterlijk op"))
    done_at = models.DateTimeField(_("afgerond op"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("actie")
        verbose_name_plural = _("acties")
        indexes = [
            models.Index(
                fields=["owner_organisation", "due_date"],
                condition=models.Q(done_at__isnull=True),
                name="action_open_owner_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    def is_overdue(self, today: date) -> bool:
        return self.done_at is None and self.due_date < today


class CaseNote(TimeStampedModel):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("notitie"), validators=[MaxLengthValidator(TEXT_MAX_LENGTH)])

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("notitie")
        verbose_name_plural = _("notities")

    def __str__(self) -> str:
        return f"note {self.pk}"


class CaseEventKind(models.TextChoices):
    OPENED = "opened", _("Geopend")
    SIGNAL_ADDED = "signal_added", _("Signaal toegevoegd")
    ACTION = "action", _("Actie")
    NOTE = "note", _("Notitie")
    CLOSED = "closed", _("Gesloten")
    REOPENED = "reopened", _("Heropend")
    EVALUATION = "evaluation", _("Evaluatie aan de screeningstafel")
    REFERRAL = "referral", _("Verwijzing")
    TRAJECTORY = "trajectory", _("Zorgtraject")
    LEAD = "lead", _("Regiehouder")


class CaseEvent(models.Model):
    """The case's timeline: one append-only row per thing that happened.

    The referrals app writes its steps here too (through ``services.case_event_append``).
    Events about a trajectory say only that something happened, never what: the case's
    readers are not the trajectory's readers.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=CaseEventKind.choices)
    summary = models.CharField(max_length=300)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("gebeurtenis")
        verbose_name_plural = _("gebeurtenissen")

    def __str__(self) -> str:
        return self.summary

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Case events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Case events are append-only.")


# --- consent (recorded on the person; referrals on consent need a valid one) ----------------


class ConsentGiver(models.TextChoices):
    PERSON = "person", _("De persoon zelf (16 jaar of ouder)")
    PARENT = "parent", _("Ouder met gezag")
    GUARDIAN = "guardian", _("Voogd")


CONSENT_OWN_AGE = 16


class Consent(TimeStampedModel):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="consents")
    given_by = models.CharField(_("gegeven door"), max_length=10, choices=ConsentGiver.choices)
    given_on = models.DateField(_("gegeven op"))
    scope = models.CharField(_("waarvoor"), max_length=500)
    withdrawn_on = models.DateField(_("ingetrokken op"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-given_on", "-pk"]
        verbose_name = _("toestemming")
        verbose_name_plural = _("toestemmingen")

    def __str__(self) -> str:
        return f"consent {self.pk}"

    def is_valid_on(self, day: date) -> bool:
        return self.given_on <= day and (self.withdrawn_on is None or self.withdrawn_on > day)


# --- the zorgcoördinator's trajectories (shielded) -------------------------------------------


class TrajectoryOutcome(models.TextChoices):
    SAFE_AND_STABLE = "safe_and_stable", _("Veilig en stabiel, zorg afgerond")
    RETURNED = "returned", _("Teruggekeerd naar land van herkomst")
    TRANSFERRED = "transferred", _("Overgedragen aan andere zorg")
    LOST_CONTACT = "lost_contact", _("Contact verloren")
    DECLINED = "declined", _("Hulp geweigerd")
    OTHER = "other", _("Anders")


class ShelterType(models.TextChoices):
    COSM = "cosm", _("COSM (categorale opvang)")
    OMM = "omm", _("OMM (opvang meervoudige problematiek)")
    WOMENS_SHELTER = "womens_shelter", _("Vrouwen- / huiselijkgeweldopvang")
    LABOUR_CRISIS = "labour_crisis", _("Crisisplek arbeidsuitbuiting")
    EMERGENCY_BED = "emergency_bed", _("Noodbed schrijnende arbeidsmigranten")
    INTAKE_HUB = "intake_hub", _("Zuidelijke intakevoorziening")
    YOUTH_CARE = "youth_care", _("Jeugdzorg")
    OTHER = "other", _("Anders")


# The longest stay a shelter type is meant for (DOMAIN.md: emergency beds at most 2 weeks).
SHELTER_STAY_LIMIT_DAYS = {ShelterType.EMERGENCY_BED: 14}

REFLECTION_PERIOD_MONTHS = 3


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=d)
        except ValueError:
            continue
    raise ValueError(day)


class Trajectory(TimeStampedModel):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="trajectories")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="trajectories")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="trajectories")
    coordinator_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="coordinated_trajectories"
    )
    phase = models.CharField(
        _("fase"), max_length=15, choices=Phase.choices, default=Phase.REGISTRATION
    )
    phase_since = models.DateField(_("in deze fase sinds"))
    reflection_start = models.DateField(_("bedenktijd vanaf"), null=True, blank=True)
    reported_to_comensha_on = models.DateField(_("gemeld aan CoMensha op"), null=True, blank=True)
    outcome = models.CharField(
        _("uitkomst"), max_length=20, choices=TrajectoryOutcome.choices, blank=True
    )
    outcome_note = models.TextField(
        _("toelichting uitkomst"), blank=True, validators=[MaxLengthValidator(2000)]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("zorgtraject")
        verbose_name_plural = _("zorgtrajecten")
        permissions = [("manage_trajectory", "Run care trajectories (zorgcoördinator)")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(phase__in=Phase.values), name="trajectory_phase_valid"
            ),
            models.UniqueConstraint(
                fields=["case", "person"],
                condition=~models.Q(phase="closed"),
                name="trajectory_one_open_per_person_and_case",
            ),
            models.CheckConstraint(
                condition=models.Q(phase="closed") | models.Q(outcome=""),
                name="trajectory_outcome_only_when_closed",
            ),
        ]
        indexes = [
            models.Index(
                fields=["coordinator_organisation", "phase", "-created_at"],
                name="trajectory_org_phase_idx",
            ),
            # The coordinator's work list, newest first: a page reads its rows from the top of
            # this index instead of sorting every trajectory the organisation ever ran.
            models.Index(
                fields=["coordinator_organisation", "-created_at", "-id"],
                name="trajectory_org_newest_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"traject {self.pk}"

    @property
    def reflection_end(self) -> date | None:
        if self.reflection_start is None:
            return None
        return add_months(self.reflection_start, REFLECTION_PERIOD_MONTHS)

    @property
    def reflection_reminder_on(self) -> date | None:
        end = self.reflection_end
        return end - timedelta(days=14) if end else None


class PhaseChange(models.Model):
    """Append-only: when a trajectory entered a phase (for the durations per phase)."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="phases")
    phase = models.CharField(max_length=15, choices=Phase.choices)
    entered_on = models.DateField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["entered_on", "pk"]

    def __str__(self) -> str:
        return f"{self.trajectory_id}:{self.phase}"


class Placement(TimeStampedModel):
    trajectory = models.ForeignKey(Trajectory, on_delete=models.PROTECT, related_name="placements")
    shelter_type = models.CharField(_("soort opvang"), max_length=20, choices=ShelterType.choices)
    provider = models.CharField(_("opvanglocatie"), max_length=200, blank=True)
    start_date = models.DateField(_("begindatum"))
    end_date = models.DateField(_("einddatum"), null=True, blank=True)

    class Meta:
        ordering = ["start_date", "pk"]
        verbose_name = _("opvangplaatsing")
        verbose_name_plural = _("opvangplaatsingen")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="placement_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(
                fields=["shelter_type"],
                condition=models.Q(end_date__isnull=True),
                name="placement_current_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.get_shelter_type_display()

    def days(self, today: date) -> int:
        return ((self.end_date or today) - self.start_date).days

    def limit_days(self) -> int | None:
        return SHELTER_STAY_LIMIT_DAYS.get(self.shelter_type)


class ShelterCapacity(models.Model):
    """Configurable number of places per shelter type in a region (the capacity overview)."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="shelter_capacities")
    shelter_type = models.CharField(_("soort opvang"), max_length=20, choices=ShelterType.choices)
    places = models.PositiveIntegerField(_("plaatsen"))

    class Meta:
        ordering = ["shelter_type"]
        verbose_name = _("opvangcapaciteit")
        verbose_name_plural = _("opvangcapaciteit")
        constraints = [
            models.UniqueConstraint(fields=["region", "shelter_type"], name="capacity_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_shelter_type_display()}: {self.places}"


class CareMeeting(TimeStampedModel):
    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.PROTECT, related_name="care_meetings"
    )
    held_on = models.DateField(_("datum"))
    participants = models.CharField(_("deelnemers"), max_length=1000)
    agreements = models.TextField(_("afspraken"), validators=[MaxLengthValidator(TEXT_MAX_LENGTH)])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("zorgoverleg")
        verbose_name_plural = _("zorgoverleggen")

    def __str__(self) -> str:
        return f"care meeting {self.pk}"


class TrajectoryAccess(models.Model):
    """A process director's organisation may read one case's trajectories (ZVH referral)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="trajectory_grants")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=300)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "organisation"], name="trajectory_grant_once"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}→{self.organisation_id}"


class Reminder(models.Model):
    """One row per reminder sent: the key makes every reminder task idempotent."""

    key = models.CharField(max_length=120, unique=True)
    sent_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key
