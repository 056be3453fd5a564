import uuid

from auditlog.models import AbstractLogEntry
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _

from .roles import STAFF_ROLES, Role


class TimeStampedModel(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Region(TimeStampedModel):
    """A Veilig Thuis region. Nothing region-specific is hard-coded: a region is data."""

    name = models.CharField(_("naam"), max_length=100, unique=True)
    code = models.SlugField(
        _("code"), max_length=10, unique=True, help_text=_("Voorvoegsel van kenmerken, bv. ZL")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("regio")
        verbose_name_plural = _("regio's")

    def __str__(self) -> str:
        return self.name


class Organisation(TimeStampedModel):
    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Gemeente")
        VEILIG_THUIS = "veilig_thuis", _("Veilig Thuis")
        POLICE_AVIM = "police_avim", _("Politie (AVIM)")
        ZVH = "zvh", _("Zorg- en Veiligheidshuis")
        RIEC = "riec", _("RIEC")
        LABOUR_INSPECTORATE = "labour_inspectorate", _("Arbeidsinspectie")
        COMENSHA = "comensha", _("CoMensha")
        CARE_PROVIDER = "care_provider", _("Zorg- of opvangaanbieder")
        OTHER = "other", _("Overig")

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("regio")
    )
    name = models.CharField(_("naam"), max_length=200)
    kind = models.CharField(_("soort"), max_length=30, choices=Kind.choices)
    cbs_code = models.CharField(
        _("CBS-gemeentecode"),
        max_length=6,
        blank=True,
        help_text=_("Alleen voor gemeenten, bv. GM0917"),
    )
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"], name="organisation_unique_name_per_region"
            ),
            models.UniqueConstraint(
                fields=["cbs_code"],
                condition=~models.Q(cbs_code=""),
                name="organisation_unique_cbs_code",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    kind__in=[
                        "municipality",
                        "veilig_thuis",
                        "police_avim",
                        "zvh",
                        "riec",
                        "labour_inspectorate",
                        "comensha",
                        "care_provider",
                        "other",
                    ]
                ),
                name="organisation_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="municipality") | models.Q(cbs_code=""),
                name="organisation_cbs_code_only_for_municipalities",
            ),
        ]
        permissions = [("manage_api_tokens", "Kan API-tokens uitgeven en intrekken")]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person working in the route. One role, one organisation, never a superuser."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="users",
        verbose_name=_("organisatie"),
    )
    role = models.CharField(_("rol"), max_length=30, choices=Role.choices)
    # Sessions started before this moment are ended on their next request ("uitloggen overal").
    sessions_revoked_at = models.DateTimeField(_("sessies beëindigd op"), null=True, blank=True)

    objects = UserManager()

    REQUIRED_FIELDS = ["email", "organisation", "role"]

    class Meta:
        ordering = ["username"]
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=[r.value for r in Role]), name="user_role_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(is_superuser=False), name="user_never_superuser"
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def save(self, *args, **kwargs):
        # The admin is for functional management only; nobody bypasses permissions.
        self.is_superuser = False
        self.is_staff = self.role in STAFF_ROLES
        super().save(*args, **kwargs)

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    @property
    def region_id(self) -> int:
        return self.organisation.region_id


class AuditLogEntry(AbstractLogEntry):
    """django-auditlog's entry, extended with what NEN 7513 asks: role, organisation, page.

    Append-only: ``save()`` refuses to change an existing row, ``delete()`` always refuses,
    the admin offers no change or delete, and in PostgreSQL a trigger refuses UPDATE and
    DELETE on the table whatever the client.
    """

    class AccessKind(models.TextChoices):
        READ = "read", _("inzien")
        LIST = "list", _("lijst")
        SEARCH = "search", _("zoeken")
        EXPORT = "export", _("export")
        PRINT = "print", _("afdruk")
        DENIED = "denied", _("geweigerd")

    actor_role = models.CharField(_("rol"), max_length=30, blank=True)
    actor_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisatie"),
    )
    access_kind = models.CharField(
        _("soort inzage"), max_length=10, choices=AccessKind.choices, blank=True
    )
    request_path = models.CharField(_("pagina of endpoint"), max_length=500, blank=True)
    request_method = models.CharField(_("methode"), max_length=10, blank=True)

    class Meta(AbstractLogEntry.Meta):
        verbose_name = _("auditregel")
        verbose_name_plural = _("auditregels")
        indexes = [
            models.Index(fields=["actor", "timestamp"], name="auditentry_actor_time"),
            models.Index(fields=["content_type", "object_pk"], name="auditentry_object"),
        ]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionDenied("Audit entries are append-only.")
        from .audit import fill_request_context

        fill_request_context(self)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("Audit entries are append-only.")


class Notification(models.Model):
    """An in-app notice for one user (e.g. an acute signal). ``key`` makes sending idempotent."""

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    key = models.CharField(max_length=100)
    message = models.CharField(_("bericht"), max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_key")
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.message


class Tombstone(models.Model):
    """Proof that a record was anonymised: what, when, by which rule and by whom.

    One row per anonymised record (a signal, a person, a case, a trajectory, a generated
    file). It names the record by model and id only and holds no content, so it can be kept
    as long as the proof is needed. The unique constraint makes anonymising idempotent: a
    record with a tombstone is never processed again.
    """

    class Rule(models.TextChoices):
        SIGNAL_NONE = "signal_none", _("Signaal zonder mensenhandel of intern afgehandeld")
        SIGNAL_CLOSED = "signal_closed", _("Afgesloten signaal")
        CASE_CLOSED = "case_closed", _("Gesloten casus")
        TRAJECTORY_CLOSED = "trajectory_closed", _("Afgesloten zorgtraject")
        PERSON_RELEASED = "person_released", _("Persoon zonder bewaarde dossiers")
        ERASURE_REQUEST = "erasure_request", _("Verzoek tot wissen (AVG art. 17)")

    model_label = models.CharField(_("soort gegeven"), max_length=100)
    object_pk = models.CharField(_("database-id"), max_length=64)
    object_public_id = models.CharField(_("id"), max_length=64, blank=True)
    rule = models.CharField(_("regel"), max_length=30, choices=Rule.choices)
    anonymised_at = models.DateTimeField(_("geanonimiseerd op"))
    actor = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uitgevoerd door"),
    )
    subject_request = models.ForeignKey(
        "SubjectRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tombstones",
    )
    # Counts only (fields, rows, files): never a value.
    details = models.JSONField(_("wat is gedaan"), default=dict, blank=True)

    class Meta:
        ordering = ["-anonymised_at", "-pk"]
        verbose_name = _("anonimiseringsbewijs")
        verbose_name_plural = _("anonimiseringsbewijzen")
        constraints = [
            models.UniqueConstraint(fields=["model_label", "object_pk"], name="tombstone_once"),
        ]
        indexes = [models.Index(fields=["rule", "-anonymised_at"], name="tombstone_rule_idx")]

    def __str__(self) -> str:
        return f"{self.model_label} {self.object_public_id or self.object_pk}"


class SubjectRequest(models.Model):
    """A data-subject request the privacy officer handled (AVG art. 15 access, art. 17 erasure).

    Holds the pseudonymous ids of the person records concerned, never the name or birth date
    that was searched for.
    """

    class Kind(models.TextChoices):
        ACCESS = "access", _("Inzage")
        ERASURE = "erasure", _("Wissen")

    class Outcome(models.TextChoices):
        DONE = "done", _("Uitgevoerd")
        REFUSED = "refused", _("Geweigerd")

    kind = models.CharField(_("soort verzoek"), max_length=10, choices=Kind.choices)
    outcome = models.CharField(_("uitkomst"), max_length=10, choices=Outcome.choices)
    reason = models.TextField(_("reden"), blank=True, max_length=2000)
    refusal = models.TextField(_("waarom geweigerd"), blank=True, max_length=4000)
    person_ids = models.JSONField(_("personen (id)"), default=list)
    record_count = models.PositiveIntegerField(_("aantal dossiers"), default=0)
    actor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("op"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("verzoek van betrokkene")
        verbose_name_plural = _("verzoeken van betrokkenen")
        permissions = [
            ("handle_subject_requests", "Kan verzoeken van betrokkenen (inzage, wissen) uitvoeren")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"
