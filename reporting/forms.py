"""Forms of reporting: they parse and validate input only; the work is in figures/services.

``FiguresFilterForm`` is the one parser of "which period, which municipality" for the
dashboard page, the API and the annual report: the same Dutch messages everywhere.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User

from .models import AwarenessSession, ImplementationAction
from .periods import Period, period_from, scope_for

QUARTERS = [
    ("", _("Heel jaar")),
    ("1", _("1e kwartaal")),
    ("2", _("2e kwartaal")),
    ("3", _("3e kwartaal")),
    ("4", _("4e kwartaal")),
]
FORMATS = [("csv", "CSV"), ("xlsx", "Excel (XLSX)")]
MUNICIPALITY_MAX_LENGTH = 36  # a public id (UUID) as text
PROGRESS_NOTES_MAX_LENGTH = 5000  # as the model's validator
NOTES_MAX_LENGTH = 2000  # as the model's validator


def _apply_errors(form: forms.Form, exc: ValidationError) -> None:
    for field, messages in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


class FiguresFilterForm(forms.Form):
    """Year, quarter or custom period, and municipality. Empty: the current year, the region.

    ``cleaned_data`` gets ``period`` (a ``periods.Period``) and ``scope`` (``periods.Scope``);
    a municipal officer asking for another municipality raises Http404 from ``clean``.
    """

    year = forms.IntegerField(
        label=_("Jaar"),
        required=False,
        error_messages={"invalid": _("Vul een jaartal in, bijvoorbeeld 2025.")},
    )
    quarter = forms.TypedChoiceField(
        label=_("Kwartaal"), choices=QUARTERS, required=False, coerce=int, empty_value=None
    )
    start = forms.DateField(
        label=_("Of een eigen periode: van"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Vul een geldige datum in.")},
    )
    end = forms.DateField(
        label=_("tot en met"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Vul een geldige datum in.")},
    )
    municipality = forms.CharField(
        label=_("Gemeente"),
        required=False,
        max_length=MUNICIPALITY_MAX_LENGTH,
        error_messages={"max_length": _("Onbekende gemeente: kies een gemeente uit de lijst.")},
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["quarter"].error_messages["invalid_choice"] = _("Kies kwartaal 1, 2, 3 of 4.")

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            data["period"] = period_from(
                year=data.get("year"),
                quarter=data.get("quarter"),
                start=data.get("start"),
                end=data.get("end"),
            )
            data["scope"] = scope_for(self.user, data.get("municipality") or None)
        except ValidationError as exc:
            _apply_errors(self, exc)
        return data

    @property
    def period(self) -> Period:
        return self.cleaned_data["period"]

    @property
    def scope(self):
        return self.cleaned_data["scope"]


class YearForm(forms.Form):
    year = forms.IntegerField(
        label=_("Jaar"), error_messages={"invalid": _("Vul een jaartal in, bijvoorbeeld 2025.")}
    )
    format = forms.ChoiceField(label=_("Formaat"), choices=FORMATS, required=False)

    def clean_year(self):
        from .periods import check_year

        year = self.cleaned_data["year"]
        try:
            check_year(year)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["year"]) from None
        return year


class AnnualReportForm(forms.Form):
    year = forms.IntegerField(
        label=_("Jaar"), error_messages={"invalid": _("Vul een jaartal in, bijvoorbeeld 2025.")}
    )
    municipality = forms.CharField(
        label=_("Voor"),
        required=False,
        max_length=MUNICIPALITY_MAX_LENGTH,
        help_text=_("De hele regio, of één gemeente."),
        error_messages={"max_length": _("Onbekende gemeente: kies een gemeente uit de lijst.")},
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            from .periods import check_year

            check_year(data["year"])
            data["scope"] = scope_for(self.user, data.get("municipality") or None)
        except ValidationError as exc:
            _apply_errors(self, exc)
        return data


class IntroductionForm(forms.Form):
    year = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Inleiding bij het thema beleid"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Staat in het jaarverslag onder 'Beleid'. Geen persoonsgegevens."),
    )


class _RegionChoices:
    """Limit organisation choices to the user's region (the services check it again)."""

    def limit(self, field: str, queryset) -> None:
        self.fields[field].queryset = queryset


class ImplementationActionForm(_RegionChoices, forms.ModelForm):
    progress_notes = forms.CharField(
        label=_("Voortgang"),
        required=False,
        max_length=PROGRESS_NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "max_length": _("De voortgang is te lang: maximaal %(limit_value)d tekens.")
        },
    )

    class Meta:
        model = ImplementationAction
        fields = [
            "title",
            "owner_organisation",
            "due_date",
            "status",
            "completed_on",
            "progress_notes",
        ]
        widgets = {
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "completed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean(self):
        data = super().clean()
        if data.get("status") != "done":
            data["completed_on"] = None  # only a finished action has a completion date
            self.instance.completed_on = None
        return data

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit(
            "owner_organisation",
            Organisation.objects.filter(region_id=user.organisation.region_id, is_active=True),
        )


class AwarenessSessionForm(_RegionChoices, forms.ModelForm):
    notes = forms.CharField(
        label=_("Opmerkingen"),
        required=False,
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": _("De opmerkingen zijn te lang: maximaal %(limit_value)d tekens.")
        },
    )

    class Meta:
        model = AwarenessSession
        fields = [
            "held_on",
            "municipality",
            "topic",
            "audience",
            "participants",
            "organised_by",
            "notes",
        ]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        region = Organisation.objects.filter(region_id=user.organisation.region_id, is_active=True)
        self.limit("municipality", region.filter(kind=Organisation.Kind.MUNICIPALITY))
        self.limit("organised_by", region)
