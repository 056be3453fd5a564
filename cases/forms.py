"""Forms of the case pages: they validate and shape input, the services decide (STYLE.md rule 8).

Each form checks what it can on its own (required, lengths, dates, choices among the
organisations of the region) so the user sees every mistake at once; whatever a service
still refuses is put back onto the same fields (``apply_errors``). Forms that change the
case itself carry the ``version`` the user read (optimistic lock); adding an action, a note
or a consent appends and overwrites nothing.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from signals.models import Classification, ExploitationForm

from .models import TEXT_MAX_LENGTH, Case, CloseReason, ConsentGiver, LeadKind
from .selectors.case import CaseFilters
from .services.case import CLOSE_NOTE_MAX_LENGTH, REOPEN_REASON_MAX_LENGTH, SCOPE_MAX_LENGTH
from .workflow import CaseStatus

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {"invalid": _("Vul een geldige datum in (dag-maand-jaar).")}


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's messages onto the form's own fields (others at the top of the form)."""
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, message)
        return
    for key, messages in exc.message_dict.items():
        field = key if key in form.fields else None
        for message in messages:
            form.add_error(field, message)


def _organisations(region_id: int):
    return Organisation.objects.filter(region_id=region_id, is_active=True).order_by("name")


def _blank(label) -> list[tuple[str, str]]:
    return [("", label)]


class VersionForm(forms.Form):
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={
            "required": _("De versie van de casus ontbreekt. Laad de pagina opnieuw."),
            "invalid": _("De versie van de casus ontbreekt. Laad de pagina opnieuw."),
            "min_value": _("De versie van de casus ontbreekt. Laad de pagina opnieuw."),
        },
    )


# --- lists -------------------------------------------------------------------------------------


class CaseFilterForm(forms.Form):
    reference = forms.CharField(
        label=_("Kenmerk"),
        required=False,
        max_length=24,
        error_messages={"max_length": _("Een kenmerk is hooguit 24 tekens.")},
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_blank(_("Alle")) + CaseStatus.choices
    )
    lead_organisation = forms.ModelChoiceField(
        label=_("Regiehouder"),
        required=False,
        queryset=Organisation.objects.none(),
        empty_label=_("Alle"),
        error_messages={"invalid_choice": _("Kies een organisatie uit uw regio.")},
    )
    classification = forms.ChoiceField(
        label=_("Eindclassificatie"),
        required=False,
        choices=_blank(_("Alle")) + Classification.choices,
    )
    form = forms.ChoiceField(
        label=_("Vorm van uitbuiting"),
        required=False,
        choices=_blank(_("Alle")) + ExploitationForm.choices,
    )

    def __init__(self, *args, user: User, register: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if register:
            self.fields["lead_organisation"].queryset = Organisation.objects.filter(
                region_id=user.organisation.region_id
            ).order_by("name")
        else:
            # A lead sees only its own cases: filtering by lead would say nothing.
            del self.fields["lead_organisation"]
        for name in ("status", "classification", "form"):
            self.fields[name].error_messages["invalid_choice"] = _(
                "Kies een van de mogelijkheden uit de lijst."
            )

    def filters(self) -> CaseFilters:
        if not self.is_bound or not self.is_valid():
            return CaseFilters()
        data = self.cleaned_data
        lead = data.get("lead_organisation")
        return CaseFilters(
            status=data.get("status", ""),
            lead_organisation=lead.pk if lead else None,
            classification=data.get("classification", ""),
            form=data.get("form", ""),
            reference=data.get("reference", "").strip(),
        )

    def has_criteria(self) -> bool:
        return self.filters().any


# --- opening a case ----------------------------------------------------------------------------


class LeadFields(forms.Form):
    lead_organisation = forms.ModelChoiceField(
        label=_("Regiehouder"),
        help_text=_("De organisatie die de casus leidt en de acties bijhoudt."),
        queryset=Organisation.objects.none(),
        empty_label=_("— kies een organisatie —"),
        error_messages={
            "required": _("Kies de regiehouder."),
            "invalid_choice": _("Kies een actieve organisatie uit de regio."),
        },
    )
    lead_kind = forms.ChoiceField(
        label=_("Soort regiehouder"),
        choices=_blank(_("— kies —")) + LeadKind.choices,
        error_messages={
            "required": _("Kies wie de regie heeft."),
            "invalid_choice": _("Kies wie de regie heeft."),
        },
    )

    def __init__(self, *args, region_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_organisation"].queryset = _organisations(region_id)


class CaseOpenForm(LeadFields):
    """A new case on the signal, with its lead organisation."""


class CaseJoinForm(forms.Form):
    """Add the signal to an open case of the same person, chosen from the candidates."""

    case = forms.ChoiceField(
        label=_("Bestaande casus"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies de casus waaraan u het signaal toevoegt."),
            "invalid_choice": _("Kies een van de open casussen uit de lijst."),
        },
    )

    def __init__(self, *args, cases: list[Case], **kwargs):
        super().__init__(*args, **kwargs)
        self.cases = {str(c.public_id): c for c in cases}
        self.fields["case"].choices = [
            (str(c.public_id), f"{c.reference} — {c.lead_organisation.name}") for c in cases
        ]

    @property
    def chosen_case(self) -> Case | None:
        return self.cases.get(self.cleaned_data.get("case", ""))


class LeadChangeForm(VersionForm, LeadFields):
    """Veilig Thuis hands the lead to another organisation."""


# --- actions and notes -------------------------------------------------------------------------


class ActionForm(forms.Form):
    description = forms.CharField(
        label=_("Wat moet er gebeuren?"),
        max_length=500,
        help_text=_("Maximaal 500 tekens."),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": _("Beschrijf de actie."),
            "max_length": _("Houd de actie kort: maximaal 500 tekens."),
        },
    )
    owner_organisation = forms.ModelChoiceField(
        label=_("Door wie"),
        queryset=Organisation.objects.none(),
        empty_label=_("— kies een organisatie —"),
        error_messages={
            "required": _("Kies de organisatie die de actie uitvoert."),
            "invalid_choice": _("Kies een actieve organisatie uit de regio."),
        },
    )
    due_date = forms.DateField(
        label=_("Uiterlijk op"),
        widget=DATE_WIDGET,
        error_messages={"required": _("Vul de uiterste datum in."), **DATE_ERRORS},
    )

    def __init__(self, *args, region_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_organisation"].queryset = _organisations(region_id)


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Notitie"),
        max_length=TEXT_MAX_LENGTH,
        help_text=_("Zichtbaar voor Veilig Thuis en de regiehouder. Maximaal 10.000 tekens."),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Schrijf een notitie."),
            "max_length": _("De notitie is te lang: maximaal 10.000 tekens."),
        },
    )


# --- closing and reopening ---------------------------------------------------------------------


class CloseForm(VersionForm):
    reason = forms.ChoiceField(
        label=_("Reden van sluiten"),
        choices=_blank(_("— kies een reden —")) + CloseReason.choices,
        error_messages={
            "required": _("Kies de reden van sluiten."),
            "invalid_choice": _("Kies een reden uit de lijst."),
        },
    )
    note = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=CLOSE_NOTE_MAX_LENGTH,
        help_text=_("Verplicht bij 'Anders'. Maximaal 2.000 tekens."),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("De toelichting is te lang: maximaal 2.000 tekens.")},
    )
    confirm_open_actions = forms.BooleanField(
        label=_("Ik bevestig dat er nog open acties zijn en wil de casus toch sluiten"),
        required=False,
    )

    def __init__(self, *args, open_actions: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        if not open_actions:
            # Nothing to confirm: the service refuses anyway if an action was added meanwhile.
            self.fields["confirm_open_actions"].widget = forms.HiddenInput()


class ReopenForm(VersionForm):
    reason = forms.CharField(
        label=_("Waarom heropent u de casus?"),
        max_length=REOPEN_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": _("Geef de reden om de casus te heropenen."),
            "max_length": _("Houd de reden kort: maximaal 250 tekens."),
        },
    )


# --- consent -----------------------------------------------------------------------------------


class ConsentForm(forms.Form):
    given_by = forms.ChoiceField(
        label=_("Gegeven door"),
        choices=_blank(_("— kies —")) + ConsentGiver.choices,
        error_messages={
            "required": _("Kies wie de toestemming gaf."),
            "invalid_choice": _("Kies wie de toestemming gaf."),
        },
    )
    given_on = forms.DateField(
        label=_("Gegeven op"),
        widget=DATE_WIDGET,
        error_messages={
            "required": _("Vul de datum in waarop de toestemming is gegeven."),
            **DATE_ERRORS,
        },
    )
    scope = forms.CharField(
        label=_("Waarvoor"),
        max_length=SCOPE_MAX_LENGTH,
        help_text=_(
            "Bijvoorbeeld: delen met de zorgcoördinator en de opvang. Maximaal 500 tekens."
        ),
        error_messages={
            "required": _("Beschrijf waarvoor de toestemming geldt."),
            "max_length": _("Houd het kort: maximaal 500 tekens."),
        },
    )


class ConsentWithdrawForm(forms.Form):
    withdrawn_on = forms.DateField(
        label=_("Ingetrokken op"),
        widget=DATE_WIDGET,
        error_messages={"required": _("Vul de datum van intrekken in."), **DATE_ERRORS},
    )
