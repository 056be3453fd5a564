"""Forms of the trajectory pages: they validate and shape input, the services decide.

Field checks run here so a coordinator sees every mistake at once; what a service still
refuses (an overlap, a date before the current phase, closing without an outcome) comes back
onto the same fields through ``signals.forms.apply_errors``. Forms that change the
trajectory's own data carry the ``version`` read (optimistic lock); adding a placement or a
care meeting appends and overwrites nothing, so those carry none.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from signals.forms import DATE_ERRORS, DATE_WIDGET

from .models import TEXT_MAX_LENGTH, ShelterType, Trajectory, TrajectoryOutcome
from .services.trajectory import MAX_CAPACITY
from .workflow import PHASE_TRANSITIONS, Phase

SEARCH_MAX_LENGTH = 100
VERSION_ERRORS = {
    "required": _("De versie van het zorgtraject ontbreekt. Laad de pagina opnieuw."),
    "invalid": _("De versie van het zorgtraject ontbreekt. Laad de pagina opnieuw."),
}


def _date(label, **kwargs) -> forms.DateField:
    errors = {**DATE_ERRORS, "required": _("Vul een datum in.")}
    return forms.DateField(label=label, widget=DATE_WIDGET, error_messages=errors, **kwargs)


class VersionField(forms.IntegerField):
    def __init__(self, **kwargs):
        super().__init__(
            widget=forms.HiddenInput, min_value=1, error_messages=VERSION_ERRORS, **kwargs
        )


# --- the work list ------------------------------------------------------------------------------


class TrajectoryFilterForm(forms.Form):
    phase = forms.ChoiceField(
        label=_("Fase"), required=False, choices=[("", _("Alle fasen")), *Phase.choices]
    )
    q = forms.CharField(
        label=_("Zoeken op kenmerk of naam"),
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        error_messages={"max_length": _("Zoek met hoogstens %(limit_value)d tekens.")},
    )

    def filters(self) -> dict[str, str]:
        if not self.is_bound or not self.is_valid():
            return {"phase": "", "q": ""}
        return {"phase": self.cleaned_data["phase"], "q": self.cleaned_data["q"].strip()}


# --- opening ------------------------------------------------------------------------------------


class TrajectoryOpenForm(forms.Form):
    person = forms.ChoiceField(
        label=_("Voor wie"),
        help_text=_("Een mogelijk slachtoffer in deze casus zonder lopend zorgtraject."),
        error_messages={
            "required": _("Kies voor wie het zorgtraject is."),
            "invalid_choice": _("Kies een persoon uit de lijst."),
        },
    )

    def __init__(self, *args, persons, **kwargs):
        super().__init__(*args, **kwargs)
        self.persons = {str(p.public_id): p for p in persons}
        self.fields["person"].choices = [
            ("", _("Kies een persoon")),
            *[(key, p.name) for key, p in self.persons.items()],
        ]

    def clean_person(self):
        return self.persons[self.cleaned_data["person"]]


# --- steps on a trajectory ----------------------------------------------------------------------


class PhaseChangeForm(forms.Form):
    to = forms.ChoiceField(
        label=_("Naar fase"),
        choices=Phase.choices,
        error_messages={
            "required": _("Kies de nieuwe fase."),
            "invalid_choice": _("Kies een fase uit de lijst."),
        },
    )
    on_date = _date(_("Vanaf"))
    outcome = forms.ChoiceField(
        label=_("Uitkomst (bij afsluiten)"),
        required=False,
        choices=[("", "—"), *TrajectoryOutcome.choices],
        error_messages={"invalid_choice": _("Kies een uitkomst uit de lijst.")},
    )
    outcome_note = forms.CharField(
        label=_("Toelichting bij de uitkomst"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = VersionField()

    def __init__(self, *args, trajectory: Trajectory, **kwargs):
        super().__init__(*args, **kwargs)
        # Every phase is accepted, so an illegal step gets the service's reason (409); the
        # list offers only the steps the phase allows.
        allowed = PHASE_TRANSITIONS[Phase(trajectory.phase)]
        self.fields["to"].widget.choices = [
            ("", _("Kies een fase")),
            *[(p.value, p.label) for p in Phase if p in allowed],
        ]


class PlacementForm(forms.Form):
    shelter_type = forms.ChoiceField(
        label=_("Soort opvang"),
        choices=[("", _("Kies de soort opvang")), *ShelterType.choices],
        error_messages={
            "required": _("Kies de soort opvang."),
            "invalid_choice": _("Kies een soort opvang uit de lijst."),
        },
    )
    provider = forms.CharField(label=_("Opvanglocatie"), required=False, max_length=200)
    start_date = _date(_("Begindatum"))
    end_date = _date(
        _("Einddatum"),
        required=False,
        help_text=_("Leeg laten zolang de plaatsing loopt."),
    )


class PlacementEndForm(forms.Form):
    end_date = _date(_("Einddatum"))
    version = VersionField()


class ReflectionForm(forms.Form):
    reflection_start = _date(
        _("Begin van de bedenktijd"),
        help_text=_(
            "De bedenktijd duurt drie maanden; u krijgt twee weken voor het einde een herinnering."
        ),
    )
    version = VersionField()


class CareMeetingForm(forms.Form):
    held_on = _date(_("Datum van het overleg"))
    participants = forms.CharField(
        label=_("Deelnemers"),
        max_length=1000,
        error_messages={"required": _("Vul in wie er aan het overleg deelnamen.")},
    )
    agreements = forms.CharField(
        label=_("Afspraken"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Vul de gemaakte afspraken in.")},
    )


class ComenshaForm(forms.Form):
    reported_to_comensha_on = _date(_("Gemeld aan CoMensha op"))
    version = VersionField()


# --- capacity -----------------------------------------------------------------------------------


class CapacityForm(forms.Form):
    """One number per shelter type; empty means "no capacity configured"."""

    def __init__(self, *args, current: dict[str, int], **kwargs):
        super().__init__(*args, **kwargs)
        for shelter_type in ShelterType:
            self.fields[shelter_type.value] = forms.IntegerField(
                label=shelter_type.label,
                required=False,
                min_value=0,
                max_value=MAX_CAPACITY,
                initial=current.get(shelter_type.value),
                error_messages={"invalid": _("Vul een heel getal in.")},
            )

    def places(self) -> dict[str, int | None]:
        return {name: self.cleaned_data.get(name) for name in self.fields}
