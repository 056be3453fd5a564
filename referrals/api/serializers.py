"""Serializers of the referrals API: input serializers parse, output serializers render.

No business logic here (STYLE.md rule 8). Unknown fields are refused (``InputSerializer``);
cases, organisations and consents are named by their public id (UUID). What a receiving
organisation gets of the case is decided by ``selectors.referral_shared_view``; the output
serializer only renders it: the case's id, the consent and the override reason only to those
who see the case (Veilig Thuis, the lead organisation).
"""

from __future__ import annotations

import base64
import binascii

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from signals.api.serializers import InputSerializer

from ..files import MAX_PLAN_SIZE
from ..models import REFERRAL_ROUTES, Instrument, LegalBasis, Referral, SharedField
from ..selectors import ReferralView, Tab, sees_case
from ..workflow import ReferralStatus

TEXT_LIMIT = 5000
FEEDBACK_LIMIT = 10_000
NOTE_LIMIT = 1000
# The base64 content of a plan sent as JSON cannot be longer than the request body may be.
PLAN_CONTENT_LIMIT = settings.DATA_UPLOAD_MAX_MEMORY_SIZE


class NamedChoiceField(serializers.ChoiceField):
    """A choice field documented as its own named enum (``schema.NamedChoiceFieldScheme``).

    drf-spectacular names an enum after its field: this API's ``status`` and ``route`` would
    collide with the signals' and the screening table's.
    """

    def __init__(self, *, enum_name: str, **kwargs):
        self.enum_name = enum_name
        super().__init__(**kwargs)


def route_field(**kwargs) -> NamedChoiceField:
    return NamedChoiceField(
        enum_name="ReferralRouteEnum",
        choices=[(r.value, r.label) for r in REFERRAL_ROUTES],
        **kwargs,
    )


def status_field(**kwargs) -> NamedChoiceField:
    return NamedChoiceField(
        enum_name="ReferralStatusEnum", choices=ReferralStatus.choices, **kwargs
    )


def shared_field_field(**kwargs) -> NamedChoiceField:
    return NamedChoiceField(enum_name="SharedFieldEnum", choices=SharedField.choices, **kwargs)


def instrument_field(**kwargs) -> NamedChoiceField:
    return NamedChoiceField(enum_name="InstrumentEnum", choices=Instrument.choices, **kwargs)


def legal_basis_field(**kwargs) -> NamedChoiceField:
    return NamedChoiceField(enum_name="LegalBasisEnum", choices=LegalBasis.choices, **kwargs)


# --- input --------------------------------------------------------------------------------


class ReferralCreateInputSerializer(InputSerializer):
    case = serializers.UUIDField(help_text="Id of an open case of your region.")
    route = route_field()
    receiving_organisation = serializers.UUIDField(
        help_text="Id of an organisation of the case's region that receives on this route."
    )
    reason = serializers.CharField(
        max_length=TEXT_LIMIT, required=False, allow_blank=True, default=""
    )


class ReferralUpdateInputSerializer(InputSerializer):
    """A draft's content. PUT sends all of it (what is left out is emptied); PATCH only what changes."""

    version = serializers.IntegerField(min_value=1)
    reason = serializers.CharField(max_length=TEXT_LIMIT, required=False, allow_blank=True)
    legal_basis = legal_basis_field(required=False, allow_blank=True)
    legal_basis_note = serializers.CharField(
        max_length=NOTE_LIMIT, required=False, allow_blank=True
    )
    shared_fields = serializers.ListField(
        child=shared_field_field(), required=False, max_length=len(SharedField.values)
    )
    consent = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text="Id of a consent of a possible victim of the case (legal basis consent only).",
    )
    consent_override_reason = serializers.CharField(
        max_length=NOTE_LIMIT,
        required=False,
        allow_blank=True,
        help_text="Only a VT officer: the written reason to share without a valid consent of "
        "every possible victim.",
    )
    via_riec = serializers.BooleanField(required=False)
    instruments = serializers.ListField(
        child=instrument_field(), required=False, max_length=len(Instrument.values)
    )


class ReferralVersionInputSerializer(InputSerializer):
    version = serializers.IntegerField(min_value=1, help_text="The version you read.")


class ReferralAcceptInputSerializer(ReferralVersionInputSerializer):
    response = serializers.CharField(
        max_length=TEXT_LIMIT, required=False, allow_blank=True, default=""
    )


class ReferralDeclineInputSerializer(ReferralVersionInputSerializer):
    reason = serializers.CharField(
        max_length=TEXT_LIMIT,
        error_messages={"blank": _("Geef aan waarom de verwijzing wordt afgewezen.")},
    )


class ReferralCompleteInputSerializer(ReferralVersionInputSerializer):
    feedback = serializers.CharField(
        max_length=FEEDBACK_LIMIT,
        error_messages={
            "blank": _("Schrijf de terugkoppeling: wat is er met de verwijzing gedaan?")
        },
    )


class ReferralPlanUploadSerializer(InputSerializer):
    """The plan as a multipart upload (``file``) or as JSON with the content in base64."""

    file = serializers.FileField(required=False, help_text="Multipart: the document.")
    file_name = serializers.CharField(
        max_length=200, required=False, help_text="JSON: the document's file name."
    )
    content = serializers.CharField(
        required=False,
        max_length=PLAN_CONTENT_LIMIT,
        error_messages={
            "max_length": _(
                "De inhoud is te groot voor JSON: stuur het plan als bestand (multipart)."
            )
        },
        help_text="JSON: the document, base64-encoded. The request body is limited to 5 MB; "
        "send larger plans (up to 20 MB) as multipart.",
    )

    def validate(self, attrs):
        if attrs.get("file") is not None:
            return {"file": attrs["file"]}
        if not attrs.get("content") or not attrs.get("file_name"):
            raise serializers.ValidationError(
                {"file": [_("Stuur het plan als bestand, of als file_name met content (base64).")]}
            )
        try:
            raw = base64.b64decode(attrs["content"], validate=True)
        except (binascii.Error, ValueError):
            raise serializers.ValidationError(
                {"content": [_("De inhoud is geen geldige base64.")]}
            ) from None
        if len(raw) > MAX_PLAN_SIZE:
            raise serializers.ValidationError(
                {"file": [_("Het bestand is te groot: maximaal 20 MB.")]}
            )
        return {"file": SimpleUploadedFile(attrs["file_name"], raw)}


class ReferralFilterSerializer(serializers.Serializer):
    tab = NamedChoiceField(
        enum_name="ReferralWorklistEnum",
        choices=[(t, label) for t, label in Tab.LABELS.items()],
        required=False,
        help_text="A work list: `inbox` waits for your organisation's answer, `running` is "
        "accepted and waits for feedback, `sent` (Veilig Thuis) holds drafts and sent referrals.",
    )
    status = status_field(required=False)
    route = route_field(required=False)
    case = serializers.UUIDField(required=False, help_text="Only the referrals of this case.")


# --- output -------------------------------------------------------------------------------


class ReferralOrganisationSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    name = serializers.CharField()


class ReferralPlanSerializer(serializers.Serializer):
    name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    uploaded_at = serializers.DateTimeField()
    url = serializers.URLField(help_text="Download (GET), for who may see the referral.")


class SharedSummarySerializer(serializers.Serializer):
    case_reference = serializers.CharField()
    signal_references = serializers.ListField(child=serializers.CharField())
    municipalities = serializers.ListField(child=serializers.CharField())
    forms = serializers.ListField(child=serializers.CharField())
    classification = serializers.CharField()


class SharedDescriptionSerializer(serializers.Serializer):
    received_at = serializers.DateField()
    description = serializers.CharField()


class SharedPersonSerializer(serializers.Serializer):
    name = serializers.CharField(source="person.name")
    is_alias = serializers.BooleanField(source="person.is_alias")
    birth_date = serializers.DateField(source="person.birth_date", allow_null=True)
    age_band = serializers.CharField(source="person.age_band")
    gender = serializers.CharField(source="person.gender")
    nationality = serializers.SerializerMethodField()
    is_stateless = serializers.BooleanField(source="person.is_stateless")

    @extend_schema_field(OpenApiTypes.STR)
    def get_nationality(self, involvement) -> str:
        return str(involvement.person.nationality or "")


class SharedPlaceSerializer(serializers.Serializer):
    kind = serializers.CharField()
    name = serializers.CharField()
    address = serializers.CharField()
    postcode = serializers.CharField()
    city = serializers.CharField()
    url = serializers.CharField()
    kvk_number = serializers.CharField()
    facts = serializers.CharField()


class SharedIndicatorSerializer(serializers.Serializer):
    form = serializers.CharField()
    text = serializers.CharField()


class SharedAdviceSerializer(serializers.Serializer):
    created_at = serializers.DateTimeField()
    summary = serializers.CharField()


class SharedDataSerializer(serializers.Serializer):
    """Only the chosen fields are filled; the others are null."""

    fields = serializers.ListField(child=shared_field_field())
    summary = SharedSummarySerializer(allow_null=True)
    descriptions = SharedDescriptionSerializer(many=True, allow_null=True)
    victims = SharedPersonSerializer(many=True, allow_null=True)
    offenders = SharedPersonSerializer(many=True, allow_null=True)
    places = SharedPlaceSerializer(many=True, allow_null=True)
    indicators = SharedIndicatorSerializer(many=True, allow_null=True)
    advice = SharedAdviceSerializer(many=True, allow_null=True)


class ReferralListItemSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    url = serializers.SerializerMethodField()
    route = route_field()
    status = status_field()
    receiving_organisation = ReferralOrganisationSerializer()
    case = serializers.SerializerMethodField(
        allow_null=True,
        help_text="The case's id, for those who see the case (Veilig Thuis, the lead "
        "organisation); null for the receiving organisation.",
    )
    sent_at = serializers.DateTimeField(allow_null=True)
    answered_at = serializers.DateTimeField(allow_null=True)
    completed_at = serializers.DateTimeField(allow_null=True)
    is_overdue = serializers.SerializerMethodField(
        help_text="Sent and unanswered for longer than the configured number of working days."
    )
    version = serializers.IntegerField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, referral: Referral) -> str:
        return reverse(
            "api:referral-detail",
            kwargs={"public_id": referral.public_id},
            request=self.context.get("request"),
        )

    @extend_schema_field(OpenApiTypes.UUID)
    def get_case(self, referral: Referral) -> str | None:
        request = self.context.get("request")
        if request is None or not sees_case(request.user, referral):
            return None
        return str(referral.case.public_id)

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_is_overdue(self, referral: Referral) -> bool:
        return bool(getattr(referral, "is_overdue", False))


class ReferralSerializer(ReferralListItemSerializer):
    reason = serializers.CharField()
    legal_basis = legal_basis_field(allow_blank=True)
    legal_basis_note = serializers.CharField()
    shared_fields = serializers.ListField(child=shared_field_field())
    via_riec = serializers.BooleanField()
    instruments = serializers.ListField(child=instrument_field())
    consent = serializers.SerializerMethodField(
        allow_null=True, help_text="The consent relied on; null for the receiving organisation."
    )
    consent_override_reason = serializers.SerializerMethodField(
        allow_null=True,
        help_text="A VT officer's reason to share without valid consent; null for the receiver.",
    )
    response = serializers.CharField(help_text="The answer; after a decline, its reason.")
    answered_on_behalf = serializers.BooleanField(
        help_text="Veilig Thuis recorded the answer for a receiver without users in the system."
    )
    feedback = serializers.CharField()
    plan = serializers.SerializerMethodField()
    shared = serializers.SerializerMethodField(
        help_text="What of the case is shared with the receiver. Null for the receiver after "
        "a decline: it then sees the referral alone."
    )

    def _view(self) -> ReferralView:
        return self.context["view_of_referral"]

    @extend_schema_field(OpenApiTypes.UUID)
    def get_consent(self, referral: Referral) -> str | None:
        if not self._view().sees_case or referral.consent is None:
            return None
        return str(referral.consent.public_id)

    @extend_schema_field(OpenApiTypes.STR)
    def get_consent_override_reason(self, referral: Referral) -> str | None:
        if not self._view().sees_case:
            return None
        return referral.consent_override_reason

    @extend_schema_field(ReferralPlanSerializer(allow_null=True))
    def get_plan(self, referral: Referral) -> dict | None:
        if not referral.plan:
            return None
        return {
            "name": referral.plan_name,
            "content_type": referral.plan_content_type,
            "size": referral.plan_size,
            "uploaded_at": serializers.DateTimeField().to_representation(referral.plan_uploaded_at),
            "url": reverse(
                "api:referral-plan",
                kwargs={"public_id": referral.public_id},
                request=self.context.get("request"),
            ),
        }

    @extend_schema_field(SharedDataSerializer(allow_null=True))
    def get_shared(self, referral: Referral) -> dict | None:
        shared = self._view().shared
        if shared is None:
            return None
        return SharedDataSerializer(shared).data
