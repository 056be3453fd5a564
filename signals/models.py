"""The central Veilig Thuis register: signals, the persons and places involved, indicators.

Persons are minimal by design (no BSN, no contact data). A person's role is per signal,
never a fixed label: a victim in one signal may be a suspect in another.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from accounts.models import Organisation, Region, TimeStampedModel
from accounts.roles import Role

from .workflow import Status

DESCRIPTION_MAX_LENGTH = 20_000


class ExploitationForm(models.TextChoices):
    SEXUAL = "sexual", _("Seksuele uitbuiting")
    LABOUR = "labour", _("Arbeidsuitbuiting")
    CRIMINAL = "criminal", _("Criminele uitbuiting")
    ORGAN_REMOVAL = "organ_removal", _("Gedwongen orgaanverwijdering")
    UNKNOWN = "unknown", _("Onbekend")


class LabourSector(models.TextChoices):
    AGRICULTURE = "agriculture", _("Land- en tuinbouw")
    TEMP_AGENCY = "temp_agency", _("Uitzendbureau")
    CONSTRUCTION = "construction", _("Bouw")
    HOSPITALITY = "hospitality", _("Horeca")
    SLAUGHTERHOUSE = "slaughterhouse", _("Vleesverwerking")
    CLEANING = "cleaning", _("Schoonmaak")
    TRANSPORT = "transport", _("Transport en logistiek")
    BEAUTY_MASSAGE = "beauty_massage", _("Schoonheid en massage")
    DOMESTIC = "domestic", _("Huishoudelijk werk")
    OTHER = "other", _("Anders")


class CriminalKind(models.TextChoices):
    """What the victim is forced to do in criminal exploitation. Forced begging is its own
    sector for CoMensha (docs/decisions/0011-kind-of-criminal-exploitation.md)."""

    DRUG_RUNNING = "drug_running", _("Drugskoerier/-handel")
    MONEY_MULE = "money_mule", _("Geldezel")
    CANNABIS = "cannabis", _("Hennepteelt/knippen")
    PICKPOCKETING = "pickpocketing", _("Zakkenrollen/winkeldiefstal")
    BEGGING = "begging", _("Gedwongen bedelarij")
    OTHER = "other", _("Anders")


class Source(models.TextChoices):
    MUNICIPALITY_INTERNAL = "municipality_internal", _("Gemeente (intern)")
    EXTERNAL_CARE_SAFETY = "external_care_safety", _("Externe zorg- of veiligheidspartner")
    CARE_COORDINATOR = "care_coordinator", _("Zorgcoördinator")
    AVIM = "avim", _("AVIM")
    CITIZEN = "citizen", _("Burger")


# Which sources each role may record. AVIM and the care coordinator bring their own signals;
# Veilig Thuis takes in what reaches it by phone or mail.
SOURCES_BY_ROLE: dict[str, tuple[Source, ...]] = {
    Role.MUNICIPAL_OFFICER: (
        Source.MUNICIPALITY_INTERNAL,
        Source.EXTERNAL_CARE_SAFETY,
        Source.CITIZEN,
    ),
    Role.AVIM: (Source.AVIM,),
    Role.CARE_COORDINATOR: (Source.CARE_COORDINATOR,),
    Role.VT_STAFF: (Source.EXTERNAL_CARE_SAFETY, Source.CITIZEN),
    Role.VT_OFFICER: (Source.EXTERNAL_CARE_SAFETY, Source.CITIZEN),
}


class Classification(models.TextChoices):
    NONE = "none", _("Geen sprake van mensenhandel")
    POTENTIAL = "potential", _("Potentieel slachtoffer")
    SUSPECTED = "suspected", _("Vermoedelijk slachtoffer")
    ACTUAL = "actual", _("Daadwerkelijk slachtoffer")


class Indicator(models.Model):
    """A public trafficking indicator from the reference checklist, per form of exploitation."""

    form = models.CharField(
        _("vorm van uitbuiting"), max_length=20, choices=ExploitationForm.choices
    )
    text = models.CharField(_("indicator"), max_length=300)
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["form", "position", "pk"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicatoren")
        constraints = [
            models.UniqueConstraint(fields=["form", "text"], name="indicator_unique_text_per_form"),
        ]

    def __str__(self) -> str:
        return self.text


class ReferenceCounter(models.Model):
    """The last sequence number handed out per region and year; locked row per allocation."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="reference_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.region_id}/{self.year}: {self.last_number}"


class SignalQuerySet(models.QuerySet):
    def visible_to(self, user) -> SignalQuerySet:
        from .selectors import signal_visibility_filter

        return self.filter(signal_visibility_filter(user))


class Signal(TimeStampedModel):
    # No index of its own: the register's indexes and unique constraints below start with the
    # region, as does reporting's (region, received_at). A lone region index is never the
    # better one, yet on data loaded region by region the planner took it for the dashboard's
    # period queries and read the region's whole register (15 ms against 2 ms each).
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="signals", db_index=False
    )
    reference = models.CharField(_("kenmerk"), max_length=20, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    sequence = models.PositiveIntegerField(null=True, blank=True)
    source = models.CharField(_("bron"), max_length=30, choices=Source.choices)
    reporting_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="reported_signals",
        verbose_name=_("melder"),
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )
    municipality = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="signals_located",
        verbose_name=_("gemeente waar het speelt"),
        limit_choices_to={"kind": Organisation.Kind.MUNICIPALITY},
    )
    received_at = models.DateField(_("ontvangen op"))
    description = models.TextField(
        _("wat is er gezien"), validators=[MaxLengthValidator(DESCRIPTION_MAX_LENGTH)]
    )
    labour_sector = models.CharField(
        _("sector"), max_length=20, choices=LabourSector.choices, blank=True
    )
    criminal_kind = models.CharField(
        _("soort criminele uitbuiting"), max_length=20, choices=CriminalKind.choices, blank=True
    )
    indicators = models.ManyToManyField(
        Indicator, blank=True, related_name="+", verbose_name=_("indicatoren")
    )
    is_acute = models.BooleanField(_("acuut"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    preliminary_classification = models.CharField(
        _("voorlopige classificatie"), max_length=10, choices=Classification.choices, blank=True
    )
    final_classification = models.CharField(
        _("definitieve classificatie"), max_length=10, choices=Classification.choices, blank=True
    )
    submitted_at = models.DateTimeField(_("ingediend op"), null=True, blank=True)
    registered_at = models.DateTimeField(_("geregistreerd op"), null=True, blank=True)
    closed_at = models.DateTimeField(_("afgesloten op"), null=True, blank=True)
    acute_alert_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Optimistic lock: every change states the version it read; a stale one is refused.
    version = models.PositiveIntegerField(default=1)
    # Unaccented, lower-case text of description and person names, kept by the services;
    # PostgreSQL indexes it for full-text search (see migrations), SQLite searches it plainly.
    search_text = models.TextField(default="", blank=True, editable=False)

    objects = SignalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("signaal")
        verbose_name_plural = _("signalen")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "reference"],
                condition=~models.Q(reference=""),
                name="signal_unique_reference",
            ),
            models.UniqueConstraint(
                fields=["region", "year", "sequence"],
                condition=models.Q(sequence__isnull=False),
                name="signal_unique_sequence",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values), name="signal_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(source__in=Source.values), name="signal_source_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(preliminary_classification__in=[*Classification.values, ""]),
                name="signal_preliminary_classification_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(final_classification__in=[*Classification.values, ""]),
                name="signal_final_classification_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["region", "status", "-submitted_at"], name="signal_register_idx"),
            # The register's default order: its first page reads 25 index entries, not the
            # whole region (docs/performance.md).
            models.Index(
                fields=["region", "-submitted_at", "-id"], name="signal_register_order_idx"
            ),
            models.Index(
                fields=["reporting_organisation", "-created_at"], name="signal_sender_idx"
            ),
        ]
        permissions = [
            ("view_register", "Kan het register van de regio inzien"),
            ("register_signal", "Kan signalen registreren en voorlopig classificeren"),
            ("add_note", "Kan verrijking toevoegen"),
            ("record_acute_consultation", "Kan acuut overleg vastleggen"),
            ("view_person_matches", "Kan mogelijke herhaalde slachtoffers zien en koppelen"),
        ]

    def __str__(self) -> str:
        return self.reference or f"concept {str(self.public_id)[:8]}"

    @property
    def forms(self) -> list[str]:
        return [f.form for f in self.exploitation_forms.all()]


class SignalForm(models.Model):
    """A suspected form of exploitation of a signal (several per signal)."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="exploitation_forms")
    form = models.CharField(max_length=20, choices=ExploitationForm.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["signal", "form"], name="signal_form_unique"),
            models.CheckConstraint(
                condition=models.Q(form__in=ExploitationForm.values), name="signal_form_valid"
            ),
        ]
        indexes = [models.Index(fields=["form", "signal"], name="signal_form_idx")]

    def __str__(self) -> str:
        return self.get_form_display()


class AgeBand(models.TextChoices):
    UNDER_12 = "0-11", _("jonger dan 12")
    FROM_12 = "12-15", _("12 tot 16")
    FROM_16 = "16-17", _("16 of 17")
    FROM_18 = "18-22", _("18 tot 23")
    FROM_23 = "23-29", _("23 tot 30")
    FROM_30 = "30-39", _("30 tot 40")
    FROM_40 = "40-49", _("40 tot 50")
    FROM_50 = "50-64", _("50 tot 65")
    FROM_65 = "65-120", _("65 of ouder")

    @classmethod
    def bounds(cls, value: str) -> tuple[int, int]:
        low, high = value.split("-")
        return int(low), int(high)


class Gender(models.TextChoices):
    FEMALE = "female", _("Vrouw")
    MALE = "male", _("Man")
    OTHER = "other", _("Anders")
    UNKNOWN = "unknown", _("Onbekend")


class ResidenceStatus(models.TextChoices):
    DUTCH = "dutch", _("Nederlander")
    EU = "eu", _("EU-burger")
    LEGAL = "legal", _("Rechtmatig verblijf")
    ASYLUM = "asylum", _("Asielzoeker")
    NO_LEGAL_RESIDENCE = "none", _("Geen rechtmatig verblijf")
    UNKNOWN = "unknown", _("Onbekend")


class Person(TimeStampedModel):
    """A person in the register of a region. Minimal: no BSN, no address, no contact data."""

    audit_personal_repr = True  # the audit log names a person by id only

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="persons")
    name = models.CharField(_("naam of alias"), max_length=200)
    is_alias = models.BooleanField(_("is een alias"), default=False)
    birth_date = models.DateField(_("geboortedatum"), null=True, blank=True)
    age_band = models.CharField(
        _("geschatte leeftijd"), max_length=6, choices=AgeBand.choices, blank=True
    )
    gender = models.CharField(
        _("gender"), max_length=10, choices=Gender.choices, default=Gender.UNKNOWN
    )
    nationality = CountryField(_("nationaliteit"), blank=True)
    is_stateless = models.BooleanField(_("staatloos"), default=False)
    residence_status = models.CharField(
        _("verblijfsstatus"),
        max_length=10,
        choices=ResidenceStatus.choices,
        default=ResidenceStatus.UNKNOWN,
    )
    language = models.CharField(_("taal"), max_length=60, blank=True)
    # Lower-case name without accents or punctuation, for repeat-victim hints.
    normalised_name = models.CharField(max_length=200, db_index=True, editable=False, default="")

    class Meta:
        ordering = ["name"]
        verbose_name = _("persoon")
        verbose_name_plural = _("personen")
        constraints = [
            models.CheckConstraint(
                condition=~(models.Q(is_stateless=True) & ~models.Q(nationality="")),
                name="person_stateless_has_no_nationality",
            ),
        ]

    def __str__(self) -> str:
        return f"{_('persoon')} {str(self.public_id)[:8]}"


class PersonRole(models.TextChoices):
    POSSIBLE_VICTIM = "possible_victim", _("Mogelijk slachtoffer")
    POSSIBLE_OFFENDER = "possible_offender", _("Mogelijke dader")
    OTHER = "other", _("Anders betrokken")


class SignalPerson(models.Model):
    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="involvements")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="involvements")
    role = models.CharField(_("rol in dit signaal"), max_length=20, choices=PersonRole.choices)
    age_at_exploitation_start = models.PositiveSmallIntegerField(
        _("geschatte leeftijd bij begin uitbuiting"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(120)],
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("betrokken persoon")
        verbose_name_plural = _("betrokken personen")
        constraints = [
            models.UniqueConstraint(fields=["signal", "person"], name="signal_person_unique"),
            models.CheckConstraint(
                condition=models.Q(role__in=PersonRole.values), name="signal_person_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} in {self.signal}"


class PlaceKind(models.TextChoices):
    PREMISES = "premises", _("Pand")
    COMPANY = "company", _("Bedrijf")
    HOUSING = "housing", _("Huisvesting")
    WEBSITE_APP = "website_app", _("Website of app")
    OTHER = "other", _("Anders")


class Place(models.Model):
    """A place or business involved: what the administrative route works on later."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="places")
    kind = models.CharField(_("soort"), max_length=20, choices=PlaceKind.choices)
    name = models.CharField(_("naam"), max_length=200, blank=True)
    address = models.CharField(_("adres"), max_length=300, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("plaats"), max_length=100, blank=True)
    url = models.URLField(_("website of app"), blank=True)
    kvk_number = models.CharField(_("KvK-nummer"), max_length=8, blank=True)
    facts = models.TextField(
        _("wat is er bekend"), blank=True, validators=[MaxLengthValidator(5000)]
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("plaats of bedrijf")
        verbose_name_plural = _("plaatsen en bedrijven")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=PlaceKind.values), name="place_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.address or self.url or self.get_kind_display()


def attachment_path(instance: Attachment, filename: str) -> str:
    # A random stored name: the original name is kept in the row, never on disk.
    return f"attachments/{instance.signal.region_id}/{uuid.uuid4().hex}"


class Attachment(TimeStampedModel):
    audit_personal_repr = True

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("bestandsnaam"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("bijlage")
        verbose_name_plural = _("bijlagen")

    def __str__(self) -> str:
        return f"{_('bijlage')} {str(self.public_id)[:8]}"


class Note(TimeStampedModel):
    """What a partner knows about a signal ("verrijking"). Not shown to the sending municipality."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("verrijking"), validators=[MaxLengthValidator(10_000)])

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("verrijking")
        verbose_name_plural = _("verrijkingen")

    def __str__(self) -> str:
        return f"{_('verrijking')} {self.pk}"


class AcuteConsultation(TimeStampedModel):
    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="acute_consultations")
    consulted_at = models.DateTimeField(_("overlegd op"))
    consulted_organisations = models.ManyToManyField(
        Organisation, related_name="+", verbose_name=_("overlegd met")
    )
    decision = models.TextField(_("besluit"), validators=[MaxLengthValidator(5000)])
    shelter_needed = models.BooleanField(_("opvang nodig"))
    follow_up = models.TextField(_("vervolg"), blank=True, validators=[MaxLengthValidator(5000)])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["consulted_at"]
        verbose_name = _("acuut overleg")
        verbose_name_plural = _("acute overleggen")

    def __str__(self) -> str:
        return f"{_('acuut overleg')} {self.signal}"


class PersonLink(models.Model):
    """VT's judgement that two person records are the same person (repeat victim)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="links_from")
    same_as = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="links_to")
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "same_as"], name="person_link_unique"),
            models.CheckConstraint(
                condition=~models.Q(person=models.F("same_as")), name="person_link_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} = {self.same_as_id}"


class ClassificationRecord(models.Model):
    """Every classification ever given to a signal: appended, never overwritten.

    ``Signal.preliminary_classification``/``final_classification`` hold the latest value for
    lists and filters; this history says who set what, when, why, and what it replaced.
    """

    class Kind(models.TextChoices):
        PRELIMINARY = "preliminary", _("Voorlopig")
        FINAL = "final", _("Definitief")

    signal = models.ForeignKey(Signal, on_delete=models.PROTECT, related_name="classifications")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    value = models.CharField(max_length=10, choices=Classification.choices)
    previous_value = models.CharField(max_length=10, choices=Classification.choices, blank=True)
    reason = models.CharField(_("toelichting"), max_length=500, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("classificatie")
        verbose_name_plural = _("classificaties")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(value__in=Classification.values),
                name="classification_value_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["preliminary", "final"]),
                name="classification_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_value_display()}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Classification records are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Classification records are append-only.")


class EventKind(models.TextChoices):
    CREATED = "created", _("Aangemaakt")
    CHANGED = "changed", _("Gewijzigd")
    STATUS = "status", _("Status gewijzigd")
    ACUTE_MARKED = "acute_marked", _("Acuut gemeld")
    ACUTE_CONSULTED = "acute_consulted", _("Acuut overleg vastgelegd")
    NOTE = "note", _("Verrijking toegevoegd")
    ATTACHMENT = "attachment", _("Bijlage toegevoegd")
    PERSON_LINKED = "person_linked", _("Persoon gekoppeld")
    CLASSIFIED = "classified", _("Geclassificeerd")
    ROUTE = "route", _("Route")


class SignalEvent(models.Model):
    """The timeline of a signal: one append-only row per thing that happened.

    Status history lives here too (``from_status``/``to_status``). Later steps of the route
    (screening, cases, referrals) append their own events through ``services.event_append``.
    ``visible_to_sender`` marks what the sending municipality may see as feedback.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    signal = models.ForeignKey(Signal, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    summary = models.CharField(max_length=300)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, related_name="+"
    )
    visible_to_sender = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("gebeurtenis")
        verbose_name_plural = _("gebeurtenissen")

    def __str__(self) -> str:
        return self.summary

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Signal events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Signal events are append-only.")
