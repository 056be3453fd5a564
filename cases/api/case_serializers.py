"""Serializers of the cases API: input serializers parse, output serializers render.

No business logic here (STYLE.md rule 8). Input serializers check types, lengths and choices,
refuse fields they do not know (``signals.api.serializers.InputSerializer``) and resolve
references by public id: a signal the user may see, an active organisation of the user's
region. Who may do what, dates in range, open actions on closing: the services decide.
"""

from __future__ import annotations

import uuid

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers
from rest_framework.reverse import reverse

from signals import selectors as signal_selectors
from signals.api.serializers import (
    ClassificationField,
    CountryCodeField,
    InputSerializer,
    OptionalChoiceField,
    OrganisationRefField,
    OrganisationRefSerializer,
)
from signals.models import AgeBand, ExploitationForm, Gender, Signal

from ..models import TEXT_MAX_LENGTH, Action, Case, CloseReason, LeadKind
from ..selectors.case import CaseFilters
from ..services.case import CLOSE_NOTE_MAX_LENGTH, REOPEN_REASON_MAX_LENGTH
from ..workflow import CaseStatus

# --- enums with a name of their own -------------------------------------------------------------


class CaseChoiceField(serializers.ChoiceField):
    """A choice field documented as its own named enum (``CaseChoiceFieldScheme``).

    drf-spectacular names an enum after its field: this API's ``status`` (open/closed) would
    collide with the signals' ``status``. A name of its own avoids that and tells a client
    what the values are.
    """

    def __init__(self, *, enum_name: str, **kwargs):
        self.enum_name = enum_name
        super().__init__(**kwargs)


class CaseChoiceFieldScheme(OpenApiSerializerFieldExtension):
    target_class = "cases.api.case_serializers.CaseChoiceField"
    match_subclasses = True

    def get_name(self):
        return self.target.enum_name

    def map_serializer_field(self, auto_schema, direction):
        return {
            "type": "string",
            "enum": list(self.target.choices),
            "description": "\n".join(
                f"* `{value}` - {label}" for value, label in self.target.choices.items()
            ),
        }


def case_status_field(**kwargs) -> CaseChoiceField:
    return CaseChoiceField(enum_name="CaseStatusEnum", choices=CaseStatus.choices, **kwargs)


def lead_kind_field(**kwargs) -> CaseChoiceField:
    return CaseChoiceField(enum_name="LeadKindEnum", choices=LeadKind.choices, **kwargs)


def close_reason_field(**kwargs) -> CaseChoiceField:
    return CaseChoiceField(enum_name="CloseReasonEnum", choices=CloseReason.choices, **kwargs)


def version_field() -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=1,
        help_text="The version of the case you read. A stale version is refused with 409.",
        error_messages={"required": _("De versie van de casus ontbreekt.")},
    )


# --- input --------------------------------------------------------------------------------------


class SignalRefField(serializers.SlugRelatedField):
    """A signal the user may see, named by its public id; another's answers as non-existent."""

    default_error_messages = {
        "does_not_exist": _("Er is geen signaal met dit id dat u kunt zien."),
        "invalid": _("Geef het id (UUID) van een signaal."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Signal.objects.none())  # replaced per request below
        super().__init__(slug_field="public_id", **kwargs)

    def get_queryset(self):
        return signal_selectors.signal_list(user=self.context["request"].user)

    def to_internal_value(self, data):
        try:
            uuid.UUID(str(data))
        except ValueError:
            self.fail("invalid")
        return super().to_internal_value(data)


class CaseFilterSerializer(serializers.Serializer):
    """The list's query parameters; an invalid value is a 400, never silently dropped."""

    status = case_status_field(required=False, allow_blank=True)
    lead_organisation = OrganisationRefField(
        required=False, help_text="Id of the lead organisation (of your region)."
    )
    classification = ClassificationField(required=False, allow_blank=True)
    form = serializers.ChoiceField(
        choices=ExploitationForm.choices, required=False, allow_blank=True
    )
    reference = serializers.CharField(
        max_length=24,
        required=False,
        allow_blank=True,
        help_text="Part of the case reference, e.g. `CAS-2026-0004`.",
    )

    def to_filters(self) -> CaseFilters:
        data = self.validated_data
        lead = data.get("lead_organisation")
        return CaseFilters(
            status=data.get("status", ""),
            lead_organisation=lead.pk if lead else None,
            classification=data.get("classification", ""),
            form=data.get("form", ""),
            reference=data.get("reference", "").strip(),
        )


class CaseCreateInputSerializer(InputSerializer):
    signal = SignalRefField(help_text="Id of a screened or acutely consulted signal.")
    lead_organisation = OrganisationRefField(help_text="Id of the lead organisation.")
    lead_kind = lead_kind_field()


class AddSignalInputSerializer(InputSerializer):
    signal = SignalRefField(help_text="Id of a screened, acutely consulted or routed signal.")


class CaseActionInputSerializer(InputSerializer):
    description = serializers.CharField(max_length=500, help_text="What must happen.")
    owner_organisation = OrganisationRefField(help_text="Id of the organisation that does it.")
    due_date = serializers.DateField(help_text="From today up to two years ahead.")


class CaseNoteInputSerializer(InputSerializer):
    text = serializers.CharField(max_length=TEXT_MAX_LENGTH)


class CloseInputSerializer(InputSerializer):
    version = version_field()
    reason = close_reason_field()
    note = serializers.CharField(
        max_length=CLOSE_NOTE_MAX_LENGTH,
        allow_blank=True,
        default="",
        help_text="Required with reason `other`.",
    )
    confirm_open_actions = serializers.BooleanField(
        default=False,
        help_text="Must be true when the case still has open actions; else 400.",
    )


class ReopenInputSerializer(InputSerializer):
    version = version_field()
    reason = serializers.CharField(max_length=REOPEN_REASON_MAX_LENGTH)


# --- output -------------------------------------------------------------------------------------


class CaseActionSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    case = serializers.SerializerMethodField()
    description = serializers.CharField()
    owner_organisation = OrganisationRefSerializer()
    due_date = serializers.DateField()
    done = serializers.BooleanField(source="is_done")
    done_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()

    @extend_schema_field(
        inline_serializer(
            name="CaseRef",
            fields={"id": serializers.UUIDField(), "reference": serializers.CharField()},
        )
    )
    def get_case(self, action: Action) -> dict[str, str]:
        # The owner of an action may not see the case: its reference and id, nothing more.
        return {"id": str(action.case.public_id), "reference": action.case.reference}


class CaseNoteSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    text = serializers.CharField()
    organisation = OrganisationRefSerializer()
    author = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_author(self, note) -> str:
        return note.author.get_full_name() or note.author.username


class CaseSignalSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    reference = serializers.CharField()
    status = serializers.CharField(help_text="The signal's status (see the signals API).")
    received_at = serializers.DateField()


class CasePersonSerializer(serializers.Serializer):
    """A person of the case: the minimum the lead needs (no birth date, no residence status)."""

    id = serializers.UUIDField(source="public_id")
    name = serializers.CharField()
    is_alias = serializers.BooleanField()
    age_band = OptionalChoiceField(choices=AgeBand.choices)
    gender = serializers.ChoiceField(choices=Gender.choices)
    nationality = CountryCodeField()


CaseLinksSerializer = inline_serializer(
    name="CaseLinks",
    fields={
        "self": serializers.URLField(),
        "actions": serializers.URLField(),
        "notes": serializers.URLField(),
    },
)


class CaseListItemSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    reference = serializers.CharField()
    status = case_status_field()
    lead_organisation = OrganisationRefSerializer()
    lead_kind = lead_kind_field()
    classification = ClassificationField(blank_as_null=True, allow_null=True, read_only=True)
    forms = serializers.ListField(child=serializers.ChoiceField(choices=ExploitationForm.choices))
    open_actions = serializers.SerializerMethodField()
    close_reason = close_reason_field(
        allow_null=True, help_text="Null while the case is open.", read_only=True
    )
    created_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)
    version = serializers.IntegerField()
    links = serializers.SerializerMethodField()

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["close_reason"] = data["close_reason"] or None
        return data

    def get_open_actions(self, case: Case) -> int:
        annotated = getattr(case, "open_actions", None)
        if annotated is not None:
            return annotated
        return sum(1 for action in case.actions.all() if action.done_at is None)

    @extend_schema_field(CaseLinksSerializer)
    def get_links(self, case: Case) -> dict[str, str]:
        request = self.context["request"]
        kwargs = {"public_id": case.public_id}
        return {
            "self": reverse("api:case-detail", kwargs=kwargs, request=request),
            "actions": reverse("api:case-actions", kwargs=kwargs, request=request),
            "notes": reverse("api:case-notes", kwargs=kwargs, request=request),
        }


class CaseSerializer(CaseListItemSerializer):
    """A case with its signals, persons, actions and notes."""

    close_note = serializers.CharField()
    signals = serializers.SerializerMethodField()
    persons = serializers.SerializerMethodField()
    actions = CaseActionSerializer(many=True)
    notes = CaseNoteSerializer(many=True)

    @extend_schema_field(CaseSignalSerializer(many=True))
    def get_signals(self, case: Case):
        return CaseSignalSerializer(
            [link.signal for link in case.case_signals.all()], many=True
        ).data

    @extend_schema_field(CasePersonSerializer(many=True))
    def get_persons(self, case: Case):
        return CasePersonSerializer(
            [link.person for link in case.case_persons.all()], many=True
        ).data
