"""Forms of the register: they validate and shape input, the services decide (STYLE.md rule 8).

Field checks run here so a user sees every mistake at once; the shared rules of
``validation.py`` run here *and* in the services, and whatever a service still refuses is
mapped back onto the same fields (``apply_errors``, ``SignalEditor.add_service_errors``).
Every form that changes a signal carries the ``version`` the user read (optimistic lock);
adding a note or an attachment appends and overwrites nothing, so those carry none.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User

from .models import (
    DESCRIPTION_MAX_LENGTH,
    SOURCES_BY_ROLE,
    AgeBand,
    Classification,
    CriminalKind,
    ExploitationForm,
    Gender,
    Indicator,
    LabourSector,
    Person,
    PersonRole,
    PlaceKind,
    ResidenceStatus,
    Signal,
    Source,
)
from .selectors import ORDERINGS, SignalFilters
from .services import PersonInput, PlaceInput, SignalInput
from .validation import validate_person_fields, validate_signal_fields
from .workflow import Status

MAX_PERSONS = 50
MAX_PLACES = 50

DESCRIPTION_LIMIT_TEXT = f"{DESCRIPTION_MAX_LENGTH:,}".replace(",", ".")

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {"invalid": _("Vul een geldige datum in (dag-maand-jaar).")}


def _blank(label) -> list[tuple[str, str]]:
    return [("", label)]


def apply_errors(form: forms.Form, exc: ValidationError, *, skip_known: bool = False) -> None:
    """Put the messages of a service or shared rule onto the form's own fields.

    ``skip_known`` keeps one message per field: a field that already failed its own check
    (e.g. "required") does not get a second, derived one.
    """
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, message)
        return
    for key, messages in exc.message_dict.items():
        field = key if key in form.fields else None
        if skip_known and field is not None and field in form.errors:
            continue
        for message in messages:
            form.add_error(field, message)


class VersionForm(forms.Form):
    """The version of the signal the user read; a stale one is refused by the service."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={
            "required": _("De versie van het signaal ontbreekt. Laad de pagina opnieuw."),
            "invalid": _("De versie van het signaal ontbreekt. Laad de pagina opnieuw."),
        },
    )


# --- intake: the signal with its persons and places ---------------------------------------


class SignalForm(VersionForm):
    source = forms.ChoiceField(
        label=_("Bron"),
        help_text=_("Van wie komt het signaal?"),
        error_messages={
            "required": _("Kies de bron van het signaal."),
            "invalid_choice": _("Deze bron kunt u met uw rol niet kiezen."),
        },
    )
    municipality = forms.ModelChoiceField(
        label=_("Gemeente waar het speelt"),
        queryset=Organisation.objects.none(),
        empty_label=_("— kies een gemeente —"),
        error_messages={
            "required": _("Kies de gemeente waar het speelt."),
            "invalid_choice": _("Kies een gemeente uit uw regio."),
        },
    )
    received_at = forms.DateField(
        label=_("Ontvangen op"),
        widget=DATE_WIDGET,
        error_messages={"required": _("Vul de ontvangstdatum in."), **DATE_ERRORS},
    )
    description = forms.CharField(
        label=_("Wat is er gezien?"),
        help_text=_(
            "Beschrijf feitelijk wat is gezien of gehoord, door wie en wanneer. Maximaal %(max)s tekens."
        )
        % {"max": DESCRIPTION_LIMIT_TEXT},
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": _("Beschrijf wat er is gezien."),
            "max_length": _("De beschrijving is te lang: maximaal %(max)s tekens.")
            % {"max": DESCRIPTION_LIMIT_TEXT},
        },
    )
    labour_sector = forms.ChoiceField(
        label=_("Sector"),
        help_text=_("Alleen bij arbeidsuitbuiting."),
        choices=_blank(_("— geen sector —")) + LabourSector.choices,
        required=False,
        error_messages={"invalid_choice": _("Kies een sector uit de lijst.")},
    )
    criminal_kind = forms.ChoiceField(
        label=_("Soort criminele uitbuiting"),
        help_text=_(
            "Alleen bij criminele uitbuiting. Speelt gedwongen bedelarij mee, kies dan die."
        ),
        choices=_blank(_("— geen soort —")) + CriminalKind.choices,
        required=False,
        error_messages={"invalid_choice": _("Kies een soort uit de lijst.")},
    )
    indicators = forms.ModelMultipleChoiceField(
        label=_("Indicatoren"),
        help_text=_("Kies alleen indicatoren bij de vormen van uitbuiting die u hierboven koos."),
        queryset=Indicator.objects.filter(is_active=True).order_by("form", "position", "pk"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": _("Kies indicatoren uit de lijst.")},
    )
    is_acute = forms.BooleanField(
        label=_("Acuut: er is direct gevaar of direct handelen nodig"),
        help_text=_(
            "Veilig Thuis en AVIM worden direct gewaarschuwd zodra het signaal in het register staat."
        ),
        required=False,
    )

    # Declared last: inside the class body this name hides the ``django.forms`` module.
    forms = forms.MultipleChoiceField(
        label=_("Vermoedelijke vormen van uitbuiting"),
        help_text=_("Kies er één of meer; kies 'Onbekend' als het nog niet duidelijk is."),
        choices=ExploitationForm.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Kies minstens één (vermoedelijke) vorm van uitbuiting, of 'Onbekend'."),
            "invalid_choice": _("Kies een vorm uit de lijst."),
        },
    )

    field_order = [
        "version",
        "source",
        "municipality",
        "received_at",
        "description",
        "forms",
        "labour_sector",
        "criminal_kind",
        "indicators",
        "is_acute",
    ]

    def __init__(self, *args, user: User, signal: Signal | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.signal = signal
        sources: tuple[str, ...] = tuple(SOURCES_BY_ROLE.get(user.role, ()))
        if signal is not None and signal.reporting_organisation_id != user.organisation_id:
            # Veilig Thuis completes a signal another organisation sent: its source stays.
            sources = (signal.source,)
        self.fields["source"].choices = _blank(_("— kies een bron —")) + [
            (value, Source(value).label) for value in sources
        ]
        if len(sources) == 1:
            self.fields["source"].initial = sources[0]
        municipalities = Organisation.objects.filter(
            region_id=user.organisation.region_id, kind=Organisation.Kind.MUNICIPALITY
        )
        if signal is not None:
            active = municipalities.filter(is_active=True) | municipalities.filter(
                pk=signal.municipality_id
            )
        else:
            active = municipalities.filter(is_active=True)
        self.fields["municipality"].queryset = active.order_by("name")
        if signal is None:
            del self.fields["version"]
        elif signal.is_acute:
            # Only the acute consultation withdraws "acute" (signals.services.signal_update).
            self.fields["is_acute"].disabled = True
            self.fields["is_acute"].help_text = _(
                "Dit signaal is als acuut gemeld; dat kan alleen het acute overleg intrekken."
            )

    def clean(self):
        cleaned = super().clean()
        try:
            validate_signal_fields(
                received_at=cleaned.get("received_at"),
                description=cleaned.get("description") or "",
                forms=cleaned.get("forms") or [],
                labour_sector=cleaned.get("labour_sector") or "",
                criminal_kind=cleaned.get("criminal_kind") or "",
            )
        except ValidationError as exc:
            apply_errors(self, exc, skip_known=True)
        return cleaned

    def indicator_groups(self) -> list[tuple[str, str, list]]:
        """The indicator checkboxes grouped per form of exploitation, for one fieldset each."""
        groups: dict[str, list] = {}
        for checkbox in self["indicators"]:
            groups.setdefault(checkbox.data["value"].instance.form, []).append(checkbox)
        return [
            (form.label, form.value, groups[form.value])
            for form in ExploitationForm
            if form.value in groups
        ]


class PersonForm(forms.Form):
    public_id = forms.UUIDField(widget=forms.HiddenInput, required=False)
    role = forms.ChoiceField(
        label=_("Rol in dit signaal"),
        choices=_blank(_("— kies een rol —")) + PersonRole.choices,
        error_messages={
            "required": _("Kies de rol van deze persoon in dit signaal."),
            "invalid_choice": _("Kies een rol uit de lijst."),
        },
    )
    name = forms.CharField(
        label=_("Naam of alias"),
        max_length=200,
        error_messages={
            "required": _("Vul een naam of alias in."),
            "max_length": _("De naam is te lang: maximaal 200 tekens."),
        },
    )
    is_alias = forms.BooleanField(label=_("Dit is een alias of roepnaam"), required=False)
    birth_date = forms.DateField(
        label=_("Geboortedatum"), widget=DATE_WIDGET, required=False, error_messages=DATE_ERRORS
    )
    age_band = forms.ChoiceField(
        label=_("Geschatte leeftijd"),
        help_text=_("Als de geboortedatum niet bekend is."),
        choices=_blank(_("— onbekend —")) + AgeBand.choices,
        required=False,
    )
    age_at_exploitation_start = forms.IntegerField(
        label=_("Geschatte leeftijd bij begin uitbuiting"),
        min_value=0,
        max_value=120,
        required=False,
        error_messages={
            "invalid": _("Vul een leeftijd in jaren in."),
            "min_value": _("Vul een leeftijd van 0 tot 120 jaar in."),
            "max_value": _("Vul een leeftijd van 0 tot 120 jaar in."),
        },
    )
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, initial=Gender.UNKNOWN)
    nationality = Person._meta.get_field("nationality").formfield(
        label=_("Nationaliteit"), required=False, empty_label=_("— onbekend —")
    )
    is_stateless = forms.BooleanField(label=_("Staatloos"), required=False)
    residence_status = forms.ChoiceField(
        label=_("Verblijfsstatus"), choices=ResidenceStatus.choices, initial=ResidenceStatus.UNKNOWN
    )
    language = forms.CharField(
        label=_("Taal"),
        help_text=_("De taal waarin met deze persoon gesproken kan worden."),
        max_length=60,
        required=False,
    )

    def __init__(self, *args, reference_day: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # Ages are judged on the day the signal was received, as the services do.
        self.reference_day = reference_day

    def clean(self):
        cleaned = super().clean()
        try:
            validate_person_fields(
                birth_date=cleaned.get("birth_date"),
                age_band=cleaned.get("age_band") or "",
                nationality=str(cleaned.get("nationality") or ""),
                is_stateless=bool(cleaned.get("is_stateless")),
                age_at_exploitation_start=cleaned.get("age_at_exploitation_start"),
                reference_day=self.reference_day,
            )
        except ValidationError as exc:
            apply_errors(self, exc, skip_known=True)
        return cleaned


class PlaceForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Soort"),
        choices=_blank(_("— kies een soort —")) + PlaceKind.choices,
        error_messages={"required": _("Kies wat voor plaats dit is.")},
    )
    name = forms.CharField(label=_("Naam"), max_length=200, required=False)
    address = forms.CharField(label=_("Adres"), max_length=300, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=10, required=False)
    city = forms.CharField(label=_("Plaats"), max_length=100, required=False)
    url = forms.URLField(
        label=_("Website of app"),
        max_length=200,
        assume_scheme="https",
        required=False,
        error_messages={"invalid": _("Vul een geldig webadres in.")},
    )
    kvk_number = forms.RegexField(
        label=_("KvK-nummer"),
        regex=r"^\d{8}$",
        max_length=8,
        required=False,
        error_messages={"invalid": _("Een KvK-nummer bestaat uit 8 cijfers.")},
    )
    facts = forms.CharField(
        label=_("Wat is er bekend over deze plaats?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class RowFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields[forms.formsets.DELETION_FIELD_NAME].label = _("Verwijderen bij opslaan")


def _formset(form, max_num: int, extra: int):
    return forms.formset_factory(
        form,
        formset=RowFormSet,
        extra=extra,
        can_delete=True,
        max_num=max_num,
        absolute_max=max_num,
        validate_max=True,
    )


PersonFormSet = _formset(PersonForm, MAX_PERSONS, extra=0)
PlaceFormSet = _formset(PlaceForm, MAX_PLACES, extra=0)

ROW_FORMSETS = {"persons": PersonFormSet, "places": PlaceFormSet}
ROW_LIMITS = {"persons": MAX_PERSONS, "places": MAX_PLACES}


def row_form(prefix: str, index: int) -> forms.Form:
    """One empty row of the persons or places formset, as the formset itself would build it."""
    formset = ROW_FORMSETS[prefix](prefix=prefix)
    form = formset.form(
        prefix=formset.add_prefix(index), empty_permitted=True, use_required_attribute=False
    )
    formset.add_fields(form, index)
    return form


def _signal_initial(signal: Signal) -> dict:
    return {
        "version": signal.version,
        "source": signal.source,
        "municipality": signal.municipality_id,
        "received_at": signal.received_at,
        "description": signal.description,
        "forms": signal.forms,
        "labour_sector": signal.labour_sector,
        "criminal_kind": signal.criminal_kind,
        "indicators": [i.pk for i in signal.indicators.all()],
        "is_acute": signal.is_acute,
    }


def _person_initial(signal: Signal) -> list[dict]:
    return [
        {
            "public_id": i.person.public_id,
            "role": i.role,
            "name": i.person.name,
            "is_alias": i.person.is_alias,
            "birth_date": i.person.birth_date,
            "age_band": i.person.age_band,
            "age_at_exploitation_start": i.age_at_exploitation_start,
            "gender": i.person.gender,
            "nationality": i.person.nationality.code or "",
            "is_stateless": i.person.is_stateless,
            "residence_status": i.person.residence_status,
            "language": i.person.language,
        }
        for i in signal.involvements.all()
    ]


def _place_initial(signal: Signal) -> list[dict]:
    fields = ("kind", "name", "address", "postcode", "city", "url", "kvk_number", "facts")
    return [{f: getattr(p, f) for f in fields} for p in signal.places.all()]


class SignalEditor:
    """The signal form with its persons and places formsets, validated and mapped as one.

    ``inputs()`` turns the cleaned forms into the service's input; ``add_service_errors``
    puts a service's ValidationError back on the field it is about — ``persons.<i>.<field>``
    on the i-th person *sent to the service* (deleted and empty rows are not sent).
    """

    def __init__(self, *, user: User, signal: Signal | None = None, data=None):
        self.user = user
        self.signal = signal
        if signal is not None:
            initial = _signal_initial(signal)
            persons, places = _person_initial(signal), _place_initial(signal)
        else:
            initial, persons, places = {}, [], []
            if user.organisation.kind == Organisation.Kind.MUNICIPALITY:
                initial["municipality"] = user.organisation_id
        self.form = SignalForm(data, user=user, signal=signal, initial=initial)
        # A new signal starts with one empty person row; an empty row is ignored on save.
        self.persons = _formset(PersonForm, MAX_PERSONS, extra=1 if signal is None else 0)(
            data, prefix="persons", initial=persons
        )
        self.places = PlaceFormSet(data, prefix="places", initial=places)
        self._sent_persons: list[PersonForm] = []

    @property
    def version(self) -> int:
        return self.form.cleaned_data["version"]

    def is_valid(self) -> bool:
        form_ok = self.form.is_valid()
        # Set before the person forms are built (lazily, on first access).
        received_at = self.form.cleaned_data.get("received_at")
        self.persons.form_kwargs = {"reference_day": received_at}
        persons_ok = self.persons.is_valid()
        places_ok = self.places.is_valid()
        return form_ok and persons_ok and places_ok

    @staticmethod
    def _kept(formset) -> list[forms.Form]:
        # An untouched extra row has no cleaned data; a row marked for removal is left out.
        return [f for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]

    def inputs(self) -> tuple[SignalInput, list[PersonInput], list[PlaceInput]]:
        data = self.form.cleaned_data
        signal_input = SignalInput(
            source=data["source"],
            municipality=data["municipality"],
            received_at=data["received_at"],
            description=data["description"],
            forms=list(data["forms"]),
            labour_sector=data["labour_sector"],
            criminal_kind=data["criminal_kind"],
            indicators=list(data["indicators"]),
            is_acute=data["is_acute"],
        )
        self._sent_persons = self._kept(self.persons)
        persons = [
            PersonInput(
                role=c["role"],
                name=c["name"],
                is_alias=c["is_alias"],
                birth_date=c["birth_date"],
                age_band=c["age_band"],
                age_at_exploitation_start=c["age_at_exploitation_start"],
                gender=c["gender"],
                nationality=str(c["nationality"] or ""),
                is_stateless=c["is_stateless"],
                residence_status=c["residence_status"],
                language=c["language"],
                public_id=c["public_id"],
            )
            for c in (f.cleaned_data for f in self._sent_persons)
        ]
        places = [
            PlaceInput(
                kind=c["kind"],
                name=c["name"],
                address=c["address"],
                postcode=c["postcode"],
                city=c["city"],
                url=c["url"],
                kvk_number=c["kvk_number"],
                facts=c["facts"],
            )
            for c in (f.cleaned_data for f in self._kept(self.places))
        ]
        return signal_input, persons, places

    def add_error(self, message: str) -> None:
        self.form.add_error(None, message)

    def add_service_errors(self, exc: ValidationError) -> None:
        if not hasattr(exc, "error_dict"):
            for message in exc.messages:
                self.add_error(message)
            return
        for key, messages in exc.message_dict.items():
            form, field = self.form, key
            if key.startswith("persons."):
                _prefix, index, field = key.split(".", 2)
                position = int(index)
                if position < len(self._sent_persons):
                    form = self._sent_persons[position]
                else:
                    field = NON_FIELD_ERRORS
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)

    def error_items(self) -> list[tuple[str, str, str]]:
        """(anchor, label, message) for the error summary at the top of the page."""
        items: list[tuple[str, str, str]] = [("", "", e) for e in self.form.non_field_errors()]
        items += [
            (f.auto_id, str(f.label), e) for f in self.form if not f.is_hidden for e in f.errors
        ]
        for title, formset in ((_("Persoon"), self.persons), (_("Plaats"), self.places)):
            items += [("", "", e) for e in formset.non_form_errors()]
            for number, form in enumerate(formset.forms, start=1):
                if not form.is_bound or not form.errors:
                    continue
                label = f"{title} {number}"
                items += [(form.prefix, label, e) for e in form.non_field_errors()]
                items += [
                    (f.auto_id, f"{label} — {f.label}", e)
                    for f in form
                    if not f.is_hidden
                    for e in f.errors
                ]
        return items


# --- the register list --------------------------------------------------------------------

ORDERING_LABELS = {
    "-submitted_at": _("Ingediend, nieuwste eerst"),
    "submitted_at": _("Ingediend, oudste eerst"),
    "-received_at": _("Ontvangen, nieuwste eerst"),
    "received_at": _("Ontvangen, oudste eerst"),
    "-reference": _("Kenmerk, aflopend"),
    "reference": _("Kenmerk, oplopend"),
    "status": _("Status"),
}

YES_NO = [("", _("— alle —")), ("ja", _("Ja")), ("nee", _("Nee"))]


class SignalFilterForm(forms.Form):
    """Search and filters of the list; Veilig Thuis gets the register's full set."""

    q = forms.CharField(
        label=_("Zoeken"),
        help_text=_(
            "In de beschrijving en de namen van personen; hoofdletters en accenten maken niet uit."
        ),
        max_length=200,
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=_blank(_("— alle —")) + Status.choices, required=False
    )
    source = forms.ChoiceField(
        label=_("Bron"), choices=_blank(_("— alle —")) + Source.choices, required=False
    )
    municipality = forms.ModelChoiceField(
        label=_("Gemeente"),
        queryset=Organisation.objects.none(),
        empty_label=_("— alle —"),
        required=False,
    )
    form = forms.ChoiceField(
        label=_("Vorm van uitbuiting"),
        choices=_blank(_("— alle —")) + ExploitationForm.choices,
        required=False,
    )
    classification = forms.ChoiceField(
        label=_("Classificatie"),
        choices=_blank(_("— alle —")) + Classification.choices,
        required=False,
    )
    is_acute = forms.ChoiceField(label=_("Acuut"), choices=YES_NO, required=False)
    received_from = forms.DateField(
        label=_("Ontvangen vanaf"), widget=DATE_WIDGET, required=False, error_messages=DATE_ERRORS
    )
    received_to = forms.DateField(
        label=_("Ontvangen tot en met"),
        widget=DATE_WIDGET,
        required=False,
        error_messages=DATE_ERRORS,
    )
    ordering = forms.ChoiceField(
        label=_("Sorteren op"),
        choices=[(key, ORDERING_LABELS[key]) for key in ORDERINGS],
        required=False,
    )

    REGISTER_ONLY = ("source", "municipality", "classification")

    def __init__(self, *args, user: User, register: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if register:
            self.fields["municipality"].queryset = Organisation.objects.filter(
                region_id=user.organisation.region_id, kind=Organisation.Kind.MUNICIPALITY
            ).order_by("name")
        else:
            for name in self.REGISTER_ONLY:
                del self.fields[name]

    def filters(self) -> SignalFilters:
        """The valid criteria; an invalid one is shown as an error and left out."""
        if not self.is_bound:
            return SignalFilters()
        self.is_valid()
        c = self.cleaned_data
        municipality = c.get("municipality")
        acute = c.get("is_acute")
        return SignalFilters(
            status=c.get("status") or "",
            source=c.get("source") or "",
            municipality=municipality.pk if municipality else None,
            form=c.get("form") or "",
            classification=c.get("classification") or "",
            is_acute={"ja": True, "nee": False}.get(acute or ""),
            received_from=c.get("received_from"),
            received_to=c.get("received_to"),
            q=(c.get("q") or "").strip(),
            ordering=c.get("ordering") or SignalFilters.ordering,
        )

    def has_criteria(self) -> bool:
        """Whether a search or filter narrows the list (sorting does not)."""
        if not self.is_bound:
            return False
        self.is_valid()
        return any(
            value not in (None, "") for key, value in self.cleaned_data.items() if key != "ordering"
        )


# --- actions on a signal ------------------------------------------------------------------


class RegisterForm(VersionForm):
    preliminary_classification = forms.ChoiceField(
        label=_("Voorlopige classificatie"),
        choices=_blank(_("— kies een classificatie —")) + Classification.choices,
        error_messages={
            "required": _("Kies een voorlopige classificatie."),
            "invalid_choice": _("Kies een voorlopige classificatie."),
        },
    )


class CloseInternallyForm(VersionForm):
    reason = forms.CharField(
        label=_("Hoe is het signaal intern afgehandeld?"),
        help_text=_("Het signaal blijft alleen zichtbaar voor uw gemeente. Maximaal 250 tekens."),
        max_length=250,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Leg kort vast hoe het signaal intern is afgehandeld."),
            "max_length": _("Houd het kort: maximaal 250 tekens."),
        },
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Wat weet uw organisatie over dit signaal?"),
        help_text=_(
            "Niet zichtbaar voor de gemeente die het signaal stuurde. Maximaal 10.000 tekens."
        ),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Schrijf wat u weet."),
            "max_length": _("De verrijking is te lang: maximaal 10.000 tekens."),
        },
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Bestand"),
        help_text=_("PDF, JPEG, PNG, DOCX, XLSX, EML of MSG; maximaal 20 MB."),
        error_messages={
            "required": _("Kies een bestand."),
            "empty": _("Het bestand is leeg."),
            "invalid": _("Kies een bestand."),
        },
    )


class AcuteConsultationForm(VersionForm):
    consulted_at = forms.DateTimeField(
        label=_("Overlegd op"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        error_messages={
            "required": _("Vul in wanneer is overlegd."),
            "invalid": _("Vul een geldige datum en tijd in."),
        },
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Overlegd met"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Kies met wie is overlegd."),
            "invalid_choice": _("Kies organisaties uit de regio."),
        },
    )
    decision = forms.CharField(
        label=_("Besluit"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Leg het besluit vast.")},
    )
    shelter_needed = forms.TypedChoiceField(
        label=_("Is (nood)opvang nodig?"),
        choices=[("ja", _("Ja")), ("nee", _("Nee"))],
        coerce=lambda value: value == "ja",
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies of opvang nodig is.")},
    )
    follow_up = forms.CharField(
        label=_("Vervolg"),
        help_text=_("Wie doet wat, en wanneer?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, region_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = Organisation.objects.filter(
            region_id=region_id, is_active=True
        ).order_by("name")
