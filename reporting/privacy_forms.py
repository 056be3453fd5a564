"""Forms of the privacy officer's pages: finding a person, choosing records, erasing."""

from __future__ import annotations

import uuid
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Tombstone

EXPORT_FORMATS = [("pdf", _("PDF")), ("json", _("JSON"))]


class SubjectSearchForm(forms.Form):
    name = forms.CharField(label=_("Naam of alias"), max_length=200, strip=True)
    birth_date = forms.DateField(
        label=_("Geboortedatum"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Personen zonder bekende geboortedatum met dezelfde naam worden ook getoond."),
    )

    def clean_birth_date(self) -> date | None:
        value = self.cleaned_data.get("birth_date")
        if value and not date(1900, 1, 1) <= value <= timezone.localdate():
            raise ValidationError(_("Kies een geboortedatum tussen 1900 en vandaag."))
        return value


MAX_PERSONS = 20


class PublicIdsField(forms.MultipleChoiceField):
    """Public ids of person records; which ones the officer may use, the selector decides."""

    widget = forms.MultipleHiddenInput

    def valid_value(self, value) -> bool:
        try:
            uuid.UUID(str(value))
        except ValueError:
            return False
        return True

    def validate(self, value) -> None:
        super().validate(value)
        if len(value) > MAX_PERSONS:
            raise ValidationError(_("Kies ten hoogste %(n)s personen.") % {"n": MAX_PERSONS})


class PersonChoiceForm(forms.Form):
    persons = PublicIdsField(
        label=_("Personen"), error_messages={"required": _("Kies ten minste één persoon.")}
    )


class ExportForm(PersonChoiceForm):
    format = forms.ChoiceField(label=_("Formaat"), choices=EXPORT_FORMATS)


class ErasureForm(PersonChoiceForm):
    reason = forms.CharField(
        label=_("Reden en grondslag van het verzoek"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bijvoorbeeld: verzoek van betrokkene van 3 maart, identiteit gecontroleerd."),
    )
    confirm = forms.BooleanField(
        label=_("Ik heb gecontroleerd dat dit de juiste persoon is en dat wissen is toegestaan."),
    )


class TombstoneFilterForm(forms.Form):
    rule = forms.ChoiceField(
        label=_("Regel"), required=False, choices=[("", _("Alle")), *Tombstone.Rule.choices]
    )
