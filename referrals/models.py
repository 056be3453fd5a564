"""Referrals: a case sent on to a route partner, with the legal basis and what is shared.

The receiving organisation sees the referral and exactly the ``shared_fields`` chosen when it
was made (``SharedField``), read live from the case's signals while the referral is open; after
a decline it sees the referral alone. A referral to the administrative route carries only the
places and businesses and the facts about them, never the victim's file
(``ADMINISTRATIVE_FIELDS``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, TimeStampedModel
from cases.models import Case, Consent

from .routes import Route
from .workflow import ReferralStatus


class LegalBasis(models.TextChoices):
    CONSENT = "consent", _("Toestemming van betrokkene")
    LEGAL_DUTY = "legal_duty", _("Wettelijke plicht")
    PUBLIC_TASK = "public_task", _("Publieke taak")
    VITAL_INTEREST = "vital_interest", _("Vitaal belang")


class SharedField(models.TextChoices):
    """What of the case a receiving organisation may read (data minimisation)."""

    SUMMARY = "summary", _("Kenmerk, gemeente, vormen van uitbuiting en classificatie")
    DESCRIPTION = "description", _("Omschrijving van de signalen")
    VICTIMS = "victims", _("Mogelijke slachtoffers (naam, geboortedatum, geslacht, nationaliteit)")
    OFFENDERS = "offenders", _("Mogelijke daders")
    PLACES = "places", _("Locaties en bedrijven, met de feiten erover")
    INDICATORS = "indicators", _("Aangevinkte signalen (indicatoren)")
    ADVICE = "advice", _("Advies van de screeningstafel")


# The administrative route deals with places and businesses, never with the victim.
ADMINISTRATIVE_ROUTES = frozenset({Route.ADMINISTRATIVE})
ADMINISTRATIVE_FIELDS = frozenset({SharedField.SUMMARY, SharedField.PLACES})

# Routes a case can be referred on (the others are handled inside the case itself).
REFERRAL_ROUTES = [
    Route.ZVH_WEIGHING,
    Route.ADMINISTRATIVE,
    Route.CARE_STRUCTURE,
    Route.SAFETY_PGA_TOPX,
    Route.POLICE_OM,
    Route.LABOUR_INSPECTORATE,
    Route.COMENSHA,
]

# The kinds of organisation that can receive a referral on each route.
ROUTE_RECEIVERS: dict[str, frozenset[str]] = {
    Route.ZVH_WEIGHING: frozenset({Organisation.Kind.ZVH}),
    Route.ADMINISTRATIVE: frozenset({Organisation.Kind.MUNICIPALITY}),
    Route.CARE_STRUCTURE: frozenset(
        {Organisation.Kind.MUNICIPALITY, Organisation.Kind.CARE_PROVIDER, Organisation.Kind.ZVH}
    ),
    Route.SAFETY_PGA_TOPX: frozenset({Organisation.Kind.ZVH, Organisation.Kind.MUNICIPALITY}),
    Route.POLICE_OM: frozenset({Organisation.Kind.POLICE_AVIM}),
    Route.LABOUR_INSPECTORATE: frozenset({Organisation.Kind.LABOUR_INSPECTORATE}),
    Route.COMENSHA: frozenset({Organisation.Kind.COMENSHA}),
}

# Organisations without users in this system: Veilig Thuis records their answer for them.
EXTERNAL_KINDS = frozenset(
    {
        Organisation.Kind.LABOUR_INSPECTORATE,
        Organisation.Kind.COMENSHA,
        Organisation.Kind.CARE_PROVIDER,
        Organisation.Kind.OTHER,
    }
)


# Not answered yet: Veilig Thuis' "sent" work list (drafts and what waits for an answer).
UNANSWERED_STATUSES = (ReferralStatus.DRAFT, ReferralStatus.SENT)


class Instrument(models.TextChoices):
    BIBOB = "bibob", _("Wet Bibob")
    APV = "apv", _("APV (lokale verordening)")
    CLOSURE = "closure", _("Sluiting van een pand")
    ADMINISTRATIVE_REPORT = "administrative_report", _("Bestuurlijke rapportage")
    OTHER = "other", _("Anders")


def plan_path(instance: Referral, filename: str) -> str:
    # A random stored name outside the web root: the original name is kept in the row only.
    return f"plans/{instance.case.region_id}/{uuid.uuid4().hex}"


class Referral(TimeStampedModel):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="referrals")
    route = models.CharField(_("route"), max_length=30, choices=Route.choices)
    receiving_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="received_referrals",
        verbose_name=_("ontvangende organisatie"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.DRAFT
    )
    reason = models.TextField(
        _("vraag aan de ontvanger"), blank=True, validators=[MaxLengthValidator(5000)]
    )
    legal_basis = models.CharField(
        _("grondslag voor delen"), max_length=20, choices=LegalBasis.choices, blank=True
    )
    legal_basis_note = models.CharField(_("toelichting grondslag"), max_length=1000, blank=True)
    shared_fields = models.JSONField(_("gedeelde gegevens"), default=list, blank=True)
    consent = models.ForeignKey(
        Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    consent_override_reason = models.CharField(
        _("reden om zonder geldige toestemming te delen"), max_length=1000, blank=True
    )
    via_riec = models.BooleanField(
        _("via RIEC Informatieplein / ondermijningstafel"), default=False
    )
    instruments = models.JSONField(_("overwogen instrumenten"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("verstuurd op"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("beantwoord op"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Veilig Thuis recorded the answer for a receiver without users in the system.
    answered_on_behalf = models.BooleanField(_("namens de ontvanger vastgelegd"), default=False)
    response = models.TextField(_("reactie"), blank=True, validators=[MaxLengthValidator(5000)])
    completed_at = models.DateTimeField(_("afgerond op"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    feedback = models.TextField(
        _("terugkoppeling"), blank=True, validators=[MaxLengthValidator(10_000)]
    )
    plan = models.FileField(
        _("integraal plan van aanpak"), upload_to=plan_path, max_length=200, blank=True
    )
    plan_name = models.CharField(max_length=200, blank=True)
    plan_content_type = models.CharField(max_length=100, blank=True)
    plan_size = models.PositiveIntegerField(null=True, blank=True)
    plan_sha256 = models.CharField(max_length=64, blank=True)
    plan_uploaded_at = models.DateTimeField(null=True, blank=True)
    plan_uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("verwijzing")
        verbose_name_plural = _("verwijzingen")
        permissions = [
            ("send_referral", "Prepare and send referrals"),
            ("answer_referral", "Accept, decline and complete referrals sent to the organisation"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ReferralStatus.values), name="referral_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(route__in=REFERRAL_ROUTES), name="referral_route_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | ~models.Q(legal_basis=""),
                name="referral_sent_has_legal_basis",
            ),
        ]
        indexes = [
            models.Index(
                fields=["receiving_organisation", "status", "-sent_at"],
                name="referral_inbox_idx",
            ),
            # Veilig Thuis' list of what it sent and what still waits for an answer.
            models.Index(fields=["status", "-sent_at"], name="referral_status_sent_idx"),
            # The lists' "newest first": a page reads the index from the top (or from a keyset
            # cursor) until it has a page of the user's region, instead of sorting the region.
            models.Index(fields=["-created_at", "-id"], name="referral_newest_idx"),
            # The same for the "sent" work list: only the referrals that wait, so the page
            # does not read past the years of answered ones.
            models.Index(
                fields=["-created_at", "-id"],
                condition=models.Q(status__in=UNANSWERED_STATUSES),
                name="referral_unanswered_idx",
            ),
            # Reporting's referral figures of a period: the period's referrals, not a scan of
            # every referral ever sent.
            models.Index(fields=["sent_at"], name="referral_sent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_route_display()} → {self.receiving_organisation}"

    @property
    def is_administrative(self) -> bool:
        return self.route in ADMINISTRATIVE_ROUTES
