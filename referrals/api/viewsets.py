"""``/api/v1/referrals/``: referrals through the API, with the HTML's selectors and services.

The same order as the signals API, so no endpoint can skip a step:

1. authentication (session with both login factors, or an integration token) — else 401;
2. the referral through ``selectors.referral_get`` — not visible to the user: 404, whatever
   the role (another organisation's referral answers as one that does not exist);
3. the action's model permission from ``required_permissions``, then who may do this step on
   this referral (``services.may_prepare`` / ``may_answer`` / ``may_attach_plan``) — else 403,
   before the body is read;
4. the body through an input serializer — else 400 with field errors;
5. one service call — its refusals mapped by ``signals.api.errors.ServiceErrorsMixin``
   (400; 403; 409 ``transition_not_allowed`` or ``stale_version``), each leaving the
   database as it was;
6. the answer read again through the selector, rendered as the user may see it
   (``selectors.referral_shared_view``: the receiver gets only the shared fields).

Reads are logged (NEN 7513): one access entry per list, per retrieve (with the persons shown)
and per plan download. Changes are in the change log already.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.reverse import reverse

from accounts.audit import record_access
from accounts.audit_views import AccessLoggedViewSetMixin
from accounts.models import AuditLogEntry, Organisation
from cases.models import Consent
from cases.selectors import case as case_selectors
from signals.api.errors import ServiceErrorsMixin
from signals.api.pagination import KeysetPagination
from signals.api.permissions import RequiredPermissions
from signals.api.viewsets import UUID_PATTERN

from .. import selectors, services
from ..files import DOCX, ODT, PDF
from ..models import Referral
from ..views import plan_response
from . import schema
from .serializers import (
    ReferralAcceptInputSerializer,
    ReferralCompleteInputSerializer,
    ReferralCreateInputSerializer,
    ReferralDeclineInputSerializer,
    ReferralFilterSerializer,
    ReferralListItemSerializer,
    ReferralPlanUploadSerializer,
    ReferralSerializer,
    ReferralUpdateInputSerializer,
    ReferralVersionInputSerializer,
)

VIEW = "referrals.view_referral"
SEND = "referrals.send_referral"
ANSWER = "referrals.answer_referral"

# What a plan is sent as: the type ``files.sniff_plan`` read from its content.
PLAN_MEDIA_TYPES = (PDF, DOCX, ODT)
ON_REFERRAL = {403: schema.FORBIDDEN, 404: schema.NOT_FOUND}
STEP_RESPONSES = {
    200: ReferralSerializer,
    400: schema.BAD_REQUEST,
    **ON_REFERRAL,
    409: schema.CONFLICT,
}


@extend_schema_view(
    list=extend_schema(
        summary="List the referrals you may see",
        description="Veilig Thuis sees the referrals of its region's cases; a lead "
        "organisation those of its cases; a receiving organisation those sent to it (never a "
        "draft). `tab` gives a work list. Newest first (`inbox` longest waiting first, "
        "`running` longest accepted first), 50 per page; follow `next` and `previous` (a "
        "keyset cursor: every page costs the same). No total count.",
        parameters=[ReferralFilterSerializer],
        responses={
            200: ReferralListItemSerializer(many=True),
            400: schema.LIST_BAD_REQUEST,
            403: schema.LIST_FORBIDDEN,
        },
    ),
    retrieve=extend_schema(
        summary="One referral, with what is shared of the case",
        description="The receiving organisation sees the referral and only the chosen shared "
        "fields, read live from the case's signals; after a decline the referral alone.",
        responses={200: ReferralSerializer, 404: schema.NOT_FOUND},
        examples=[schema.RECEIVER_VIEW, schema.DECLINED_VIEW],
    ),
    create=extend_schema(
        summary="Prepare a draft referral of a case (Veilig Thuis)",
        request=ReferralCreateInputSerializer,
        responses={201: ReferralSerializer, 400: schema.BAD_REQUEST, 403: schema.FORBIDDEN},
        examples=[schema.CREATE_EXAMPLE],
    ),
    update=extend_schema(
        summary="Complete a draft: legal basis, shared fields, consent (Veilig Thuis)",
        description="Send the whole content with the version you read; fields left out are "
        "emptied. A sent referral answers 409.",
        request=ReferralUpdateInputSerializer,
        responses=STEP_RESPONSES,
        examples=[schema.UPDATE_EXAMPLE],
    ),
    partial_update=extend_schema(
        summary="Change part of a draft (Veilig Thuis)",
        description="Send the version you read and only the fields that change.",
        request=ReferralUpdateInputSerializer,
        responses=STEP_RESPONSES,
        examples=[schema.UPDATE_EXAMPLE],
    ),
)
@extend_schema(tags=["referrals"])
class ReferralViewSet(ServiceErrorsMixin, AccessLoggedViewSetMixin, viewsets.GenericViewSet):
    """Referrals to the route partners: prepare, send, answer, complete, the plan."""

    lookup_field = "public_id"
    lookup_value_regex = UUID_PATTERN
    permission_classes = [IsAuthenticated, RequiredPermissions]
    filter_backends: list = []
    pagination_class = KeysetPagination
    parser_classes = [JSONParser]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    metadata_class = None
    access_log_non_search_params = frozenset({"tab"})
    required_permissions = {
        "list": VIEW,
        "retrieve": VIEW,
        "create": SEND,
        "update": SEND,
        "partial_update": SEND,
        "send": SEND,
        "accept": ANSWER,
        "decline": ANSWER,
        "complete": ANSWER,
        "plan": VIEW,
        "plan_upload": ANSWER,
        "metadata": VIEW,
    }

    # --- lookups through the selectors ----------------------------------------------------

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Referral.objects.none()
        user = self.request.user
        parsed = ReferralFilterSerializer(data=self.request.query_params.dict())
        parsed.is_valid(raise_exception=True)
        filters = parsed.validated_data
        if filters.get("tab"):
            if filters["tab"] not in selectors.tabs_for(user):
                raise exceptions.ValidationError({"tab": ["Deze werklijst is niet voor uw rol."]})
            qs = selectors.referral_worklist(user=user, tab=filters["tab"])
        else:
            qs = selectors.referral_list(user=user)
        if filters.get("status"):
            qs = qs.filter(status=filters["status"])
        if filters.get("route"):
            qs = qs.filter(route=filters["route"])
        if filters.get("case"):
            qs = qs.filter(case__public_id=filters["case"])
        return qs

    def get_object(self) -> Referral:
        referral = selectors.referral_get(
            user=self.request.user, public_id=self.kwargs[self.lookup_field]
        )
        self.check_object_permissions(self.request, referral)
        return referral

    def get_serializer_class(self):
        return ReferralListItemSerializer if self.action == "list" else ReferralSerializer

    # --- helpers --------------------------------------------------------------------------

    def _parse(self, serializer_class, **kwargs):
        serializer = serializer_class(
            data=self.request.data, context=self.get_serializer_context(), **kwargs
        )
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _allow(self, check, referral: Referral) -> None:
        if not check(self.request.user, referral):
            raise exceptions.PermissionDenied

    def _data(self, referral: Referral) -> tuple[dict, selectors.ReferralView]:
        view = selectors.referral_shared_view(referral, self.request.user)
        context = {**self.get_serializer_context(), "view_of_referral": view}
        return ReferralSerializer(referral, context=context).data, view

    def _render(self, referral: Referral, *, status_code=status.HTTP_200_OK, headers=None):
        # Read again through the selector: the answer shows what the user may see now.
        shown = selectors.referral_get(user=self.request.user, public_id=referral.public_id)
        data, _view = self._data(shown)
        return Response(data, status=status_code, headers=headers)

    # --- reads ----------------------------------------------------------------------------

    def retrieve(self, request, *args, **kwargs):
        referral = self.get_object()
        data, view = self._data(referral)
        extra = {"shared_fields": view.shared.fields if view.shared else []}
        if view.shared and view.shared.person_ids:
            extra["persons"] = view.shared.person_ids
        record_access(
            kind=AuditLogEntry.AccessKind.READ, instance=referral, actor=request.user, extra=extra
        )
        return Response(data)

    # --- preparing ------------------------------------------------------------------------

    def create(self, request, *args, **kwargs):
        body = self._parse(ReferralCreateInputSerializer)
        case = case_selectors.cases_visible_to(request.user).filter(public_id=body["case"]).first()
        if case is None:
            raise exceptions.ValidationError(
                {"case": ["Er is geen casus met dit id die u kunt zien."]}
            )
        receiver = Organisation.objects.filter(public_id=body["receiving_organisation"]).first()
        referral = services.referral_draft(
            case=case,
            route=body["route"],
            receiving_organisation=receiver,
            reason=body["reason"],
            actor=request.user,
        )
        location = reverse(
            "api:referral-detail", kwargs={"public_id": referral.public_id}, request=request
        )
        return self._render(
            referral, status_code=status.HTTP_201_CREATED, headers={"Location": location}
        )

    def _update(self, request, *, partial: bool):
        referral = self.get_object()
        self._allow(services.may_prepare, referral)
        body = self._parse(ReferralUpdateInputSerializer)
        consent = None
        consent_id = body.get(
            "consent", referral.consent.public_id if partial and referral.consent else None
        )
        if consent_id is not None:
            consent = Consent.objects.filter(
                public_id=consent_id, person__case_links__case=referral.case
            ).first()
            if consent is None:
                raise exceptions.ValidationError(
                    {
                        "consent": [
                            "Kies een toestemming van een mogelijk slachtoffer van deze casus."
                        ]
                    }
                )

        def value(name: str, empty):
            if name in body:
                return body[name]
            return getattr(referral, name) if partial else empty

        data = services.ReferralInput(
            reason=value("reason", ""),
            legal_basis=value("legal_basis", ""),
            legal_basis_note=value("legal_basis_note", ""),
            shared_fields=list(value("shared_fields", [])),
            consent=consent,
            consent_override_reason=value("consent_override_reason", ""),
            via_riec=value("via_riec", False),
            instruments=list(value("instruments", [])),
        )
        services.referral_update(
            referral=referral, actor=request.user, version=body["version"], data=data
        )
        return self._render(referral)

    def update(self, request, *args, **kwargs):
        return self._update(request, partial=False)

    def partial_update(self, request, *args, **kwargs):
        return self._update(request, partial=True)

    @extend_schema(
        summary="Send a completed draft to the receiving organisation (Veilig Thuis)",
        description="Refused (400, nothing changed) without a legal basis, without a choice of "
        "shared fields, with fields beyond places and businesses on the administrative route, "
        "or — on consent — without a valid consent of every possible victim (unless a VT "
        "officer sends it with a written override reason).",
        request=ReferralVersionInputSerializer,
        responses=STEP_RESPONSES,
        examples=[schema.VERSION_EXAMPLE],
    )
    @action(detail=True, methods=["post"])
    def send(self, request, public_id=None):
        referral = self.get_object()
        self._allow(services.may_prepare, referral)
        body = self._parse(ReferralVersionInputSerializer)
        services.referral_send(referral=referral, actor=request.user, version=body["version"])
        return self._render(referral)

    # --- answering ------------------------------------------------------------------------

    @extend_schema(
        summary="Accept a sent referral (the receiving organisation)",
        description="For a receiver without users in the system Veilig Thuis accepts on its "
        "behalf. Accepting a weighing-team referral gives the ZVH's process direction access "
        "to the case's care trajectories.",
        request=ReferralAcceptInputSerializer,
        responses=STEP_RESPONSES,
        examples=[schema.ACCEPT_EXAMPLE],
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, public_id=None):
        referral = self.get_object()
        self._allow(services.may_answer, referral)
        body = self._parse(ReferralAcceptInputSerializer)
        services.referral_accept(
            referral=referral,
            actor=request.user,
            version=body["version"],
            response=body["response"],
        )
        return self._render(referral)

    @extend_schema(
        summary="Decline a sent referral with a reason (the receiving organisation)",
        description="From then on the receiver sees the referral alone, nothing of the case.",
        request=ReferralDeclineInputSerializer,
        responses=STEP_RESPONSES,
        examples=[schema.DECLINE_EXAMPLE],
    )
    @action(detail=True, methods=["post"])
    def decline(self, request, public_id=None):
        referral = self.get_object()
        self._allow(services.may_answer, referral)
        body = self._parse(ReferralDeclineInputSerializer)
        services.referral_decline(
            referral=referral, actor=request.user, version=body["version"], reason=body["reason"]
        )
        return self._render(referral)

    @extend_schema(
        summary="Complete an accepted referral with feedback (the receiving organisation)",
        description="Completing a referral that was never accepted answers 409. The feedback "
        "goes to the case; the municipality that sent the first signal sees only that feedback "
        "was received.",
        request=ReferralCompleteInputSerializer,
        responses=STEP_RESPONSES,
        examples=[schema.COMPLETE_EXAMPLE],
    )
    @action(detail=True, methods=["post"])
    def complete(self, request, public_id=None):
        referral = self.get_object()
        self._allow(services.may_answer, referral)
        body = self._parse(ReferralCompleteInputSerializer)
        services.referral_complete(
            referral=referral,
            actor=request.user,
            version=body["version"],
            feedback=body["feedback"],
        )
        return self._render(referral)

    # --- the integral plan of approach ----------------------------------------------------

    @extend_schema(
        summary="Download the integral plan of approach",
        responses={
            **{
                (200, media_type): OpenApiResponse(
                    OpenApiTypes.BINARY,
                    description="The plan (PDF, DOCX or ODT) as an attachment, with the type "
                    "read from its content.",
                )
                for media_type in PLAN_MEDIA_TYPES
            },
            **ON_REFERRAL,
        },
    )
    # The plan may come as a multipart upload; everything else is JSON.
    @action(detail=True, methods=["get"], parser_classes=[JSONParser, MultiPartParser])
    def plan(self, request, public_id=None):
        return plan_response(self.get_object())

    @extend_schema(
        summary="Attach the integral plan of approach (the receiving ZVH's process director)",
        description="After acceptance. PDF, DOCX or ODT, recognised by content, at most 20 MB; "
        "multipart (`file`) or JSON with the content in base64.",
        request={
            "multipart/form-data": ReferralPlanUploadSerializer,
            "application/json": ReferralPlanUploadSerializer,
        },
        responses=STEP_RESPONSES,
        examples=[schema.PLAN_EXAMPLE],
    )
    @plan.mapping.post
    def plan_upload(self, request, public_id=None):
        referral = self.get_object()
        self._allow(services.may_attach_plan, referral)
        body = self._parse(ReferralPlanUploadSerializer)
        services.referral_attach_plan(referral=referral, actor=request.user, upload=body["file"])
        return self._render(referral)
