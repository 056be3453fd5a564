"""Serializers of the signals API: input serializers parse, output serializers render.

No business logic here (STYLE.md rule 8). Input serializers check types, formats and lengths,
refuse fields they do not know (mass assignment: nothing is silently dropped or written) and
resolve references — organisations by their public id (UUID), never by database id. The
rules that span fields or depend on the actor (a birth date in the future or contradicting
the age band, a received date in the future, a source the role may not choose, indicators of
another form) are the services' (``signals.validation``); the viewsets map a service's
``ValidationError`` back onto the field names sent here (``errors.nest_errors``).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail
from rest_framework.reverse import reverse
from rest_framework.settings import api_settings

from accounts.models import Organisation

from ..models import (
    DESCRIPTION_MAX_LENGTH,
    AgeBand,
    Classification,
    CriminalKind,
    ExploitationForm,
    Gender,
    Indicator,
    LabourSector,
    PersonRole,
    PlaceKind,
    ResidenceStatus,
    Signal,
    Source,
)
from ..selectors import can_see_partner_input
from ..services import PersonInput, PlaceInput, SignalInput
from ..workflow import Status

ALPHA2 = re.compile(r"[A-Z]{2}")
# The same limits as the intake form in the browser.
MAX_PERSONS = 50
MAX_PLACES = 50
DESCRIPTION_LIMIT_TEXT = f"{DESCRIPTION_MAX_LENGTH:,}".replace(",", ".")


# --- input --------------------------------------------------------------------------------


class InputSerializer(serializers.Serializer):
    """Refuses fields it does not know: a misspelt or forbidden field is an error, not ignored."""

    def to_internal_value(self, data):
        unknown = sorted(set(data) - set(self.fields)) if isinstance(data, Mapping) else []
        errors: dict[str, Any] = {}
        value = None
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if isinstance(exc.detail, dict):
                errors.update(exc.detail)
            else:
                errors[api_settings.NON_FIELD_ERRORS_KEY] = exc.detail
        for name in unknown:
            errors[str(name)] = [ErrorDetail(str(_("Onbekend veld.")), code="unknown_field")]
        if errors:
            raise serializers.ValidationError(errors)
        return value


class ClassificationField(serializers.ChoiceField):
    """none / potential / suspected / actual: one enum in the schema whatever the field's name.

    Named ``ClassificationEnum`` by ``schema.ClassificationFieldScheme``; other APIs that show
    a classification should use this field too, so the schema keeps one name for the set.
    """

    def __init__(self, *, blank_as_null: bool = False, **kwargs):
        self.blank_as_null = blank_as_null  # output: the model stores "not classified" as ""
        super().__init__(choices=Classification.choices, **kwargs)

    def to_representation(self, value):
        if self.blank_as_null and not value:
            return None
        return super().to_representation(value)


class OrganisationRefField(serializers.SlugRelatedField):
    """An active organisation of the user's region, named by its public id (UUID).

    An id of another region answers the same as one that does not exist.
    """

    default_error_messages = {
        "does_not_exist": _("Kies een organisatie uit uw regio."),
        "invalid": _("Geef het id (UUID) van een organisatie."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Organisation.objects.all())
        super().__init__(slug_field="public_id", **kwargs)

    def get_queryset(self):
        user = self.context["request"].user
        return (
            super()
            .get_queryset()
            .filter(region_id=user.organisation.region_id)
            .filter(self.active_filter())
        )

    def active_filter(self) -> Q:
        return Q(is_active=True)

    def to_internal_value(self, data):
        try:
            uuid.UUID(str(data))
        except ValueError:
            self.fail("invalid")
        return super().to_internal_value(data)


class MunicipalityRefField(OrganisationRefField):
    """A municipality of the user's region; when editing, also the signal's current one."""

    default_error_messages = {
        "does_not_exist": _("Kies een gemeente uit uw regio."),
        "invalid": _("Geef het id (UUID) van een gemeente."),
    }

    def __init__(self, *, include_inactive: bool = False, **kwargs):
        kwargs.setdefault(
            "queryset", Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY)
        )
        self.include_inactive = include_inactive
        super().__init__(**kwargs)

    def active_filter(self) -> Q:
        if self.include_inactive:
            return Q()
        signal = self.context.get("signal")
        active = Q(is_active=True)
        return active | Q(pk=signal.municipality_id) if signal is not None else active


class PersonInputSerializer(InputSerializer):
    id = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text="When updating: the id of a person already in this signal. Leave out for a new person.",
    )
    role = serializers.ChoiceField(choices=PersonRole.choices)
    name = serializers.CharField(max_length=200, help_text="Name or alias.")
    is_alias = serializers.BooleanField(default=False)
    birth_date = serializers.DateField(allow_null=True, default=None)
    age_band = serializers.ChoiceField(
        choices=AgeBand.choices,
        allow_blank=True,
        allow_null=True,
        default="",
        help_text="Estimated age when the birth date is not known.",
    )
    age_at_exploitation_start = serializers.IntegerField(
        min_value=0, max_value=120, allow_null=True, default=None
    )
    gender = serializers.ChoiceField(choices=Gender.choices, default=Gender.UNKNOWN)
    nationality = serializers.CharField(
        max_length=2,
        allow_blank=True,
        allow_null=True,
        default="",
        help_text="ISO 3166-1 alpha-2 country code, e.g. RO. Empty when stateless or unknown.",
    )
    is_stateless = serializers.BooleanField(default=False)
    residence_status = serializers.ChoiceField(
        choices=ResidenceStatus.choices, default=ResidenceStatus.UNKNOWN
    )
    language = serializers.CharField(max_length=60, allow_blank=True, default="")

    def validate_nationality(self, value: str | None) -> str:
        code = (value or "").upper()
        # Two ASCII letters first: django-countries reads digits as a numeric code, and int()
        # fails on digits such as "³" (a 500 the fuzzer found).
        if code and (not ALPHA2.fullmatch(code) or not countries.name(code)):
            raise serializers.ValidationError(_("Kies een land uit de lijst (ISO 3166-1 alpha-2)."))
        return code

    @staticmethod
    def to_input(data: dict[str, Any]) -> PersonInput:
        return PersonInput(
            role=data["role"],
            name=data["name"],
            is_alias=data["is_alias"],
            birth_date=data["birth_date"],
            age_band=data["age_band"] or "",
            age_at_exploitation_start=data["age_at_exploitation_start"],
            gender=data["gender"],
            nationality=data["nationality"],
            is_stateless=data["is_stateless"],
            residence_status=data["residence_status"],
            language=data["language"],
            public_id=data.get("id"),
        )


class PlaceInputSerializer(InputSerializer):
    kind = serializers.ChoiceField(choices=PlaceKind.choices)
    name = serializers.CharField(max_length=200, allow_blank=True, default="")
    address = serializers.CharField(max_length=300, allow_blank=True, default="")
    postcode = serializers.CharField(max_length=10, allow_blank=True, default="")
    city = serializers.CharField(max_length=100, allow_blank=True, default="")
    url = serializers.URLField(max_length=200, allow_blank=True, default="")
    kvk_number = serializers.RegexField(
        r"^\d{8}$",
        max_length=8,
        allow_blank=True,
        default="",
        error_messages={"invalid": _("Een KvK-nummer bestaat uit 8 cijfers.")},
    )
    facts = serializers.CharField(max_length=5000, allow_blank=True, default="")

    @staticmethod
    def to_input(data: dict[str, Any]) -> PlaceInput:
        return PlaceInput(**data)


class SignalInputSerializer(InputSerializer):
    """A new signal with its persons and places; it starts as a draft of your organisation."""

    source = serializers.ChoiceField(
        choices=Source.choices, help_text="Which sources a role may choose: see the docs."
    )
    municipality = MunicipalityRefField(help_text="Id of the municipality where it happens.")
    received_at = serializers.DateField(help_text="Not in the future.")
    description = serializers.CharField(
        max_length=DESCRIPTION_MAX_LENGTH,
        help_text=f"What was seen or heard. At most {DESCRIPTION_MAX_LENGTH} characters.",
        error_messages={
            "required": _("Beschrijf wat er is gezien."),
            "blank": _("Beschrijf wat er is gezien."),
            "max_length": _("De beschrijving is te lang: maximaal %(max)s tekens.")
            % {"max": DESCRIPTION_LIMIT_TEXT},
        },
    )
    forms = serializers.ListField(
        child=serializers.ChoiceField(choices=ExploitationForm.choices),
        allow_empty=False,
        max_length=len(ExploitationForm.choices),
        help_text="Suspected forms of exploitation; 'unknown' when not clear yet.",
        error_messages={
            "empty": _("Kies minstens één (vermoedelijke) vorm van uitbuiting, of 'Onbekend'.")
        },
    )
    labour_sector = serializers.ChoiceField(
        choices=LabourSector.choices,
        allow_blank=True,
        allow_null=True,
        default="",
        help_text="Only with the form 'labour'.",
    )
    criminal_kind = serializers.ChoiceField(
        choices=CriminalKind.choices,
        allow_blank=True,
        allow_null=True,
        default="",
        help_text="Only with the form 'criminal': what the victim is forced to do.",
    )
    indicators = serializers.PrimaryKeyRelatedField(
        many=True,
        queryset=Indicator.objects.all(),
        required=False,
        help_text="Ids from the indicator checklist, of the chosen forms only.",
    )
    is_acute = serializers.BooleanField(default=False)
    persons = PersonInputSerializer(many=True, max_length=MAX_PERSONS, required=False)
    places = PlaceInputSerializer(many=True, max_length=MAX_PLACES, required=False)

    def validate_forms(self, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))  # the same form twice is one form

    def to_inputs(self) -> tuple[SignalInput, list[PersonInput], list[PlaceInput]]:
        data = self.validated_data
        signal_input = SignalInput(
            source=data["source"],
            municipality=data["municipality"],
            received_at=data["received_at"],
            description=data["description"],
            forms=data["forms"],
            labour_sector=data["labour_sector"] or "",
            criminal_kind=data["criminal_kind"] or "",
            indicators=list(data.get("indicators", [])),
            is_acute=data["is_acute"],
        )
        persons = [PersonInputSerializer.to_input(p) for p in data.get("persons", [])]
        places = [PlaceInputSerializer.to_input(p) for p in data.get("places", [])]
        return signal_input, persons, places


def version_field() -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=1,
        help_text="The version of the signal you read. A stale version is refused with 409.",
        error_messages={"required": _("De versie van het signaal ontbreekt.")},
    )


class SignalUpdateSerializer(SignalInputSerializer):
    """The whole content of the signal (PUT): persons and places sent replace those stored."""

    version = version_field()


class VersionInputSerializer(InputSerializer):
    version = version_field()


class RegisterInputSerializer(VersionInputSerializer):
    preliminary_classification = ClassificationField()


class CloseInternallyInputSerializer(VersionInputSerializer):
    reason = serializers.CharField(
        max_length=250, help_text="How the municipality handled the signal itself."
    )


class AcuteConsultationInputSerializer(VersionInputSerializer):
    consulted_at = serializers.DateTimeField(help_text="Not in the future.")
    organisations = OrganisationRefField(
        many=True, allow_empty=False, help_text="Ids of the organisations of the region consulted."
    )
    decision = serializers.CharField(max_length=5000)
    shelter_needed = serializers.BooleanField()
    follow_up = serializers.CharField(max_length=5000, allow_blank=True, default="")


class NoteInputSerializer(InputSerializer):
    text = serializers.CharField(
        max_length=10_000, help_text="What your organisation knows about this signal."
    )


# --- output -------------------------------------------------------------------------------


class OptionalChoiceField(serializers.ChoiceField):
    """A choice the model stores as "" when not given; rendered as null."""

    def __init__(self, **kwargs):
        super().__init__(allow_null=True, read_only=True, **kwargs)

    def to_representation(self, value):
        return value or None


@extend_schema_field(OpenApiTypes.STR)
class CountryCodeField(serializers.Field):
    """A django-countries value as its ISO 3166-1 alpha-2 code, or null."""

    def __init__(self, **kwargs):
        super().__init__(allow_null=True, read_only=True, **kwargs)

    def to_representation(self, value):
        return getattr(value, "code", None) or None


class OrganisationRefSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    name = serializers.CharField()


class PersonSerializer(serializers.Serializer):
    """A person as involved in this signal (the role is per signal)."""

    id = serializers.UUIDField(source="person.public_id")
    role = serializers.ChoiceField(choices=PersonRole.choices)
    name = serializers.CharField(source="person.name")
    is_alias = serializers.BooleanField(source="person.is_alias")
    birth_date = serializers.DateField(source="person.birth_date", allow_null=True)
    age_band = OptionalChoiceField(choices=AgeBand.choices, source="person.age_band")
    age_at_exploitation_start = serializers.IntegerField(allow_null=True)
    gender = serializers.ChoiceField(choices=Gender.choices, source="person.gender")
    nationality = CountryCodeField(source="person.nationality")
    is_stateless = serializers.BooleanField(source="person.is_stateless")
    residence_status = serializers.ChoiceField(
        choices=ResidenceStatus.choices, source="person.residence_status"
    )
    language = serializers.CharField(source="person.language")


class PlaceSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    kind = serializers.ChoiceField(choices=PlaceKind.choices)
    name = serializers.CharField()
    address = serializers.CharField()
    postcode = serializers.CharField()
    city = serializers.CharField()
    url = serializers.CharField()
    kvk_number = serializers.CharField()
    facts = serializers.CharField()


class ClassificationsSerializer(serializers.Serializer):
    preliminary = ClassificationField(
        source="preliminary_classification", blank_as_null=True, allow_null=True, read_only=True
    )
    final = ClassificationField(
        source="final_classification", blank_as_null=True, allow_null=True, read_only=True
    )


SignalLinksSerializer = inline_serializer(
    name="SignalLinks",
    fields={
        "self": serializers.URLField(),
        "persons": serializers.URLField(),
        "notes": serializers.URLField(
            allow_null=True, help_text="Null when partner input is not shown to you."
        ),
    },
)


class SignalSummarySerializer(serializers.Serializer):
    """A row of the list: no description, persons or places (those are in the detail)."""

    id = serializers.UUIDField(source="public_id")
    reference = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    source = serializers.ChoiceField(choices=Source.choices)
    reporting_organisation = OrganisationRefSerializer()
    municipality = OrganisationRefSerializer()
    received_at = serializers.DateField()
    forms = serializers.ListField(child=serializers.ChoiceField(choices=ExploitationForm.choices))
    labour_sector = OptionalChoiceField(choices=LabourSector.choices)
    criminal_kind = OptionalChoiceField(choices=CriminalKind.choices)
    is_acute = serializers.BooleanField()
    classifications = ClassificationsSerializer(source="*")
    submitted_at = serializers.DateTimeField(allow_null=True)
    registered_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    version = serializers.IntegerField()
    links = serializers.SerializerMethodField()

    @extend_schema_field(SignalLinksSerializer)
    def get_links(self, signal: Signal) -> dict[str, str | None]:
        request = self.context["request"]
        kwargs = {"public_id": signal.public_id}
        notes = None
        if can_see_partner_input(request.user, signal):
            notes = reverse("api:signal-notes", kwargs=kwargs, request=request)
        return {
            "self": reverse("api:signal-detail", kwargs=kwargs, request=request),
            "persons": reverse("api:signal-persons", kwargs=kwargs, request=request),
            "notes": notes,
        }


class SignalListItemSerializer(SignalSummarySerializer):
    is_overdue = serializers.BooleanField(
        help_text="Submitted more than 5 working days ago and not registered yet."
    )


class SignalSerializer(SignalSummarySerializer):
    """A signal with everything the user may see of it."""

    description = serializers.CharField()
    indicators = serializers.SerializerMethodField()
    persons = PersonSerializer(source="involvements", many=True)
    places = PlaceSerializer(many=True)

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_indicators(self, signal: Signal) -> list[int]:
        return [indicator.pk for indicator in signal.indicators.all()]


class NoteSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    text = serializers.CharField()
    organisation = OrganisationRefSerializer()
    author = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_author(self, note) -> str:
        return note.author.get_full_name() or note.author.username
