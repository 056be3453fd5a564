"""Forms of the referral pages: they validate and shape input, the services decide (STYLE.md rule 8).

Every form that changes a referral carries the ``version`` the user read (optimistic lock);
whatever a service still refuses is put back on the same fields (``apply_errors``).
"""

from __future__ import annotations

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from accounts.roles import Role
from cases.models import Case, Consent
from signals.forms import apply_errors  # noqa: F401  (re-exported for the views)

from .models import (
    ADMINISTRATIVE_FIELDS,
    REFERRAL_ROUTES,
    ROUTE_RECEIVERS,
    Instrument,
    LegalBasis,
    Referral,
    SharedField,
)
from .services import ReferralInput

TEXT_LIMIT = 5000
FEEDBACK_LIMIT = 10_000
NOTE_LIMIT = 1000

VERSION_MISSING = _("De versie van de verwijzing ontbreekt. Laad de pagina opnieuw.")


class VersionForm(forms.Form):
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={"required": VERSION_MISSING, "invalid": VERSION_MISSING},
    )


def receivers_for(region_id: int, route: str | None) -> forms.models.QuerySet:
    """The active organisations of the region that can receive a referral on ``route``."""
    kinds = ROUTE_RECEIVERS.get(route) if route else None
    if kinds is None:
        kinds = frozenset().union(*ROUTE_RECEIVERS.values())
    return Organisation.objects.filter(
        region_id=region_id, is_active=True, kind__in=kinds
    ).order_by("kind", "name")


class ReceiverChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return f"{obj.name} ({obj.get_kind_display()})"


class DraftForm(forms.Form):
    """A new referral from a case: route, receiver and the question to the receiver."""

    route = forms.ChoiceField(
        label=_("Route"),
        choices=[("", _("— kies een route —"))] + [(r.value, r.label) for r in REFERRAL_ROUTES],
        error_messages={
            "required": _("Kies de route."),
            "invalid_choice": _("Kies een route uit de lijst."),
        },
    )
    receiving_organisation = ReceiverChoiceField(
        label=_("Ontvangende organisatie"),
        queryset=Organisation.objects.none(),
        empty_label=_("— kies eerst de route —"),
        help_text=_("Alleen organisaties uit de regio die op deze route verwijzingen ontvangen."),
        error_messages={
            "required": _("Kies de ontvangende organisatie."),
            "invalid_choice": _("Kies een organisatie uit de regio van de casus."),
        },
    )
    reason = forms.CharField(
        label=_("Vraag aan de ontvanger"),
        help_text=_("Wat vraagt u de ontvanger te doen? Zet hier geen persoonsgegevens in."),
        max_length=TEXT_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        # Every receiver of the region is a valid choice here; whether it takes the chosen
        # route is the service's rule, with its own message. htmx narrows the list as the
        # route is chosen (``views.receivers``).
        self.fields["receiving_organisation"].queryset = receivers_for(case.region_id, None)
        self.fields["route"].widget.attrs.update(
            {
                "hx-get": reverse("referrals:receivers"),
                "hx-target": "#id_receiving_organisation",
                "hx-trigger": "change",
            }
        )


class EditForm(VersionForm):
    """Completing a draft: the legal basis, what is shared, consent, and the administrative details."""

    reason = forms.CharField(
        label=_("Vraag aan de ontvanger"),
        max_length=TEXT_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    legal_basis = forms.ChoiceField(
        label=_("Grondslag voor het delen"),
        help_text=_("Verplicht om te versturen: op grond waarvan worden gegevens gedeeld?"),
        choices=LegalBasis.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Kies een grondslag uit de lijst.")},
    )
    legal_basis_note = forms.CharField(
        label=_("Toelichting op de grondslag"),
        max_length=NOTE_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    shared_fields = forms.MultipleChoiceField(
        label=_("Welke gegevens ziet de ontvanger?"),
        choices=SharedField.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("De ontvanger ziet alleen wat u hier aanvinkt, en verder niets van de casus."),
        error_messages={"invalid_choice": _("Kies gegevens uit de lijst.")},
    )
    consent = forms.ModelChoiceField(
        label=_("Toestemming waarop u zich beroept"),
        queryset=Consent.objects.none(),
        required=False,
        empty_label=_("— geen gekozen —"),
        help_text=_(
            "Alleen bij de grondslag toestemming. Bij het versturen moet elk mogelijk slachtoffer van de casus een geldige toestemming hebben."
        ),
        error_messages={"invalid_choice": _("Kies een geldige toestemming uit de lijst.")},
    )
    consent_override_reason = forms.CharField(
        label=_("Reden om zonder geldige toestemming te delen"),
        help_text=_(
            "Alleen de aandachtsfunctionaris van Veilig Thuis: schriftelijk vastgelegd besluit om te delen hoewel niet elk slachtoffer geldige toestemming heeft gegeven."
        ),
        max_length=NOTE_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    via_riec = forms.BooleanField(
        label=_("Via het RIEC Informatieplein / de ondermijningstafel"), required=False
    )
    instruments = forms.MultipleChoiceField(
        label=_("Overwogen instrumenten"),
        choices=Instrument.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Kies instrumenten uit de lijst.")},
    )

    def __init__(self, *args, referral: Referral, user: User, consents, **kwargs):
        initial = kwargs.pop("initial", None) or {
            "version": referral.version,
            "reason": referral.reason,
            "legal_basis": referral.legal_basis,
            "legal_basis_note": referral.legal_basis_note,
            "shared_fields": referral.shared_fields,
            "consent": referral.consent_id,
            "consent_override_reason": referral.consent_override_reason,
            "via_riec": referral.via_riec,
            "instruments": referral.instruments,
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.referral = referral
        self.fields["consent"].queryset = Consent.objects.filter(
            pk__in=[c.pk for c in consents]
        ).select_related("person")
        self.fields["consent"].label_from_instance = _consent_label
        if referral.is_administrative:
            self.fields["shared_fields"].choices = [
                (value, label)
                for value, label in SharedField.choices
                if value in ADMINISTRATIVE_FIELDS
            ]
            self.fields["shared_fields"].help_text = _(
                "Bij de bestuurlijke aanpak gaan alleen het kenmerk en de plaatsen en bedrijven (met de feiten erover) mee, nooit het dossier van het slachtoffer."
            )
        else:
            del self.fields["via_riec"]
            del self.fields["instruments"]
        if user.role != Role.VT_OFFICER:
            # VT staff see the officer's reason, if any, but cannot write one.
            self.fields["consent_override_reason"].disabled = True

    def to_input(self) -> ReferralInput:
        data = self.cleaned_data
        return ReferralInput(
            reason=data["reason"],
            legal_basis=data["legal_basis"],
            legal_basis_note=data["legal_basis_note"],
            shared_fields=list(data["shared_fields"]),
            consent=data["consent"],
            consent_override_reason=data["consent_override_reason"] or "",
            via_riec=data.get("via_riec", False),
            instruments=list(data.get("instruments", [])),
        )


def _consent_label(consent: Consent) -> str:
    return _("%(person)s — %(giver)s, %(date)s: %(scope)s") % {
        "person": consent.person.name,
        "giver": consent.get_given_by_display().lower(),
        "date": consent.given_on.strftime("%d-%m-%Y"),
        "scope": consent.scope,
    }


class AcceptForm(VersionForm):
    response = forms.CharField(
        label=_("Reactie"),
        max_length=TEXT_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DeclineForm(VersionForm):
    reason = forms.CharField(
        label=_("Reden van afwijzen"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Geef aan waarom de verwijzing wordt afgewezen.")},
    )


class CompleteForm(VersionForm):
    feedback = forms.CharField(
        label=_("Terugkoppeling"),
        help_text=_("Wat is er met de verwijzing gedaan? De terugkoppeling gaat naar de casus."),
        max_length=FEEDBACK_LIMIT,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("Schrijf de terugkoppeling: wat is er met de verwijzing gedaan?")
        },
    )


class PlanForm(forms.Form):
    file = forms.FileField(
        label=_("Integraal plan van aanpak"),
        help_text=_("PDF, DOCX of ODT, maximaal 20 MB."),
        error_messages={
            "required": _("Kies het bestand met het plan van aanpak."),
            "empty": _("Het bestand is leeg."),
        },
    )
