"""``/api/v1/cases/``: cases with their actions and notes, through the pages' selectors and services.

The same order as the signals API (``signals.api.viewsets``), so no endpoint can skip a step:

1. authentication (session with both login factors, or an integration token) — else 401;
2. the case through ``selectors.case_get`` (an action through ``selectors.action_get``) —
   not visible to the user: 404, whatever the role;
3. the action's model permission from ``required_permissions`` — else 403;
4. the body through an input serializer — else 400 with field errors;
5. one service call — its refusals mapped by ``signals.api.errors.ServiceErrorsMixin``
   (400; 403; 409 with ``transition_not_allowed`` or ``stale_version``), each leaving the
   database as it was;
6. the answer read again through the selectors.

The owner of an action who does not lead the case sees its actions in ``my-actions`` and may
complete them, but gets 404 on the case itself. Reads are logged (NEN 7513): one access
entry per list, retrieve, nested list of actions or notes, and per page of ``my-actions``.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.reverse import reverse

from accounts.audit import record_access, record_list
from accounts.audit_views import AccessLoggedViewSetMixin
from accounts.models import AuditLogEntry
from signals.api.errors import CODE_STALE_VERSION, CODE_TRANSITION_NOT_ALLOWED, ServiceErrorsMixin
from signals.api.pagination import KeysetPagination
from signals.api.permissions import RequiredPermissions
from signals.api.schema import ErrorSerializer
from signals.api.viewsets import UUID_PATTERN

from ..models import Action, Case, CaseNote
from ..selectors import case as selectors
from ..services import case as services
from .case_serializers import (
    AddSignalInputSerializer,
    CaseActionInputSerializer,
    CaseActionSerializer,
    CaseCreateInputSerializer,
    CaseFilterSerializer,
    CaseListItemSerializer,
    CaseNoteInputSerializer,
    CaseNoteSerializer,
    CaseSerializer,
    CloseInputSerializer,
    ReopenInputSerializer,
)

VIEW = "cases.view_case"
LEAD = "cases.lead_case"
OPEN = "cases.open_case"
VIEW_ACTION = "cases.view_action"
CHANGE_ACTION = "cases.change_action"

ACTION = rf"actions/(?P<action_id>{UUID_PATTERN})"

# --- documentation of the answers ---------------------------------------------------------------


class CaseConflictSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="Why, in Dutch, fit to show to the user.")
    code = serializers.ChoiceField(choices=[CODE_TRANSITION_NOT_ALLOWED, CODE_STALE_VERSION])
    status = serializers.CharField(
        required=False,
        allow_null=True,
        help_text="With transition_not_allowed: the case's status (open or closed).",
    )
    current_version = serializers.IntegerField(
        required=False, help_text="With stale_version: the version the case has now."
    )


BAD_REQUEST = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="Invalid input: messages per field. Nothing was saved.",
    examples=[
        OpenApiExample(
            "Open actions not confirmed",
            value={
                "confirm_open_actions": [
                    "Er staan nog 2 open acties. Bevestig dat u de casus toch wilt sluiten."
                ]
            },
            status_codes=["400"],
        )
    ],
)
FORBIDDEN = OpenApiResponse(
    ErrorSerializer, description="You may see this case but your role may not do this."
)
NOT_FOUND = OpenApiResponse(
    ErrorSerializer,
    description="No case with this id that you may see: a case of another organisation or "
    "region answers the same as one that does not exist.",
)
CONFLICT = OpenApiResponse(
    CaseConflictSerializer,
    description="Refused, nothing changed: the case's status does not allow this (closed, "
    "or the action is done already), or the case changed since you read it.",
    examples=[
        OpenApiExample(
            "Step not allowed",
            value={
                "detail": "Deze casus is gesloten; heropen hem eerst.",
                "code": CODE_TRANSITION_NOT_ALLOWED,
                "status": "closed",
            },
            status_codes=["409"],
        ),
        OpenApiExample(
            "Stale version",
            value={
                "detail": "Deze casus is intussen door iemand anders gewijzigd. Laad de pagina "
                "opnieuw en controleer de gegevens.",
                "code": CODE_STALE_VERSION,
                "current_version": 5,
            },
            status_codes=["409"],
        ),
    ],
)
ACTION_ID = OpenApiParameter(
    "action_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="Id of an action."
)
ON_CASE = {403: FORBIDDEN, 404: NOT_FOUND}
CASE_STEP = {200: CaseSerializer, 400: BAD_REQUEST, **ON_CASE, 409: CONFLICT}
ACTION_STEP = {200: CaseActionSerializer, **ON_CASE, 409: CONFLICT}


@extend_schema_view(
    list=extend_schema(
        summary="List the cases you may see",
        description="Veilig Thuis sees the cases of its region; a lead organisation the "
        "cases it leads. Newest first, 50 per page; follow `next` and `previous` (a keyset "
        "cursor: every page costs the same). No total count.",
        parameters=[CaseFilterSerializer],
        responses={200: CaseListItemSerializer(many=True), 400: BAD_REQUEST, 403: FORBIDDEN},
    ),
    retrieve=extend_schema(
        summary="One case with its signals, persons, actions and notes",
        responses={200: CaseSerializer, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary="Open a case on a screened or acutely consulted signal (Veilig Thuis)",
        request=CaseCreateInputSerializer,
        responses={201: CaseSerializer, 400: BAD_REQUEST, 403: FORBIDDEN},
    ),
)
@extend_schema(tags=["cases"])
class CaseViewSet(ServiceErrorsMixin, AccessLoggedViewSetMixin, viewsets.GenericViewSet):
    """Follow-up cases: the lead organisation's actions and notes, closing and reopening."""

    lookup_field = "public_id"
    lookup_value_regex = UUID_PATTERN
    permission_classes = [IsAuthenticated, RequiredPermissions]
    filter_backends: list = []
    pagination_class = KeysetPagination
    parser_classes = [JSONParser]
    http_method_names = ["get", "post", "head", "options"]  # no PUT, PATCH or DELETE
    metadata_class = None  # OPTIONS answers 405: the schema describes the endpoints
    required_permissions = {
        "list": VIEW,
        "retrieve": VIEW,
        "create": OPEN,
        "my_actions": VIEW_ACTION,
        "action_list": VIEW_ACTION,
        "action_add": LEAD,
        "action_complete": CHANGE_ACTION,
        "action_reopen": CHANGE_ACTION,
        "note_list": VIEW,
        "note_add": LEAD,
        "close": LEAD,
        "reopen": LEAD,
        "add_signal": OPEN,
        "metadata": VIEW,
    }

    # --- lookups through the selectors --------------------------------------------------------

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Case.objects.none()
        filters = None
        if self.action == "list":
            parsed = CaseFilterSerializer(
                data=self.request.query_params.dict(), context=self.get_serializer_context()
            )
            parsed.is_valid(raise_exception=True)
            filters = parsed.to_filters()
        return selectors.case_list(user=self.request.user, filters=filters)

    def get_object(self) -> Case:
        case = selectors.case_get(user=self.request.user, public_id=self.kwargs[self.lookup_field])
        self.check_object_permissions(self.request, case)
        return case

    def get_action(self) -> Action:
        action = selectors.action_get(
            user=self.request.user,
            case_public_id=self.kwargs[self.lookup_field],
            public_id=self.kwargs["action_id"],
        )
        self.check_object_permissions(self.request, action)
        return action

    def get_serializer_class(self):
        return CaseListItemSerializer if self.action == "list" else CaseSerializer

    # --- helpers ------------------------------------------------------------------------------

    def _parse(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _render(self, case: Case, *, status_code: int = status.HTTP_200_OK, headers=None):
        shown = selectors.case_detail(user=self.request.user, public_id=case.public_id)
        data = CaseSerializer(shown, context=self.get_serializer_context()).data
        return Response(data, status=status_code, headers=headers)

    def log_read(self, instance: Case, *, kind: str = AuditLogEntry.AccessKind.READ) -> None:
        # NEN 7513 asks whose record was read: the persons shown with it, by pseudonymous id.
        record_access(
            kind=kind,
            instance=instance,
            actor=self.request.user,
            extra={"persons": [str(link.person.public_id) for link in instance.case_persons.all()]},
        )

    def _log_nested(self, case: Case, model, ids) -> None:
        record_access(
            kind=AuditLogEntry.AccessKind.LIST,
            model=model,
            object_ids=ids,
            actor=self.request.user,
            extra={"case": str(case.public_id)},
        )

    # --- the case -----------------------------------------------------------------------------

    def retrieve(self, request, *args, **kwargs):
        # The detail selector answers 404 like ``get_object``, with what the answer shows.
        case = selectors.case_detail(user=request.user, public_id=kwargs[self.lookup_field])
        self.check_object_permissions(request, case)
        data = CaseSerializer(case, context=self.get_serializer_context()).data
        self.log_read(case)
        return Response(data)

    def create(self, request, *args, **kwargs):
        body = self._parse(CaseCreateInputSerializer)
        case = services.case_open(
            signal=body["signal"],
            actor=request.user,
            lead_organisation=body["lead_organisation"],
            lead_kind=body["lead_kind"],
        )
        location = reverse("api:case-detail", kwargs={"public_id": case.public_id}, request=request)
        return self._render(
            case, status_code=status.HTTP_201_CREATED, headers={"Location": location}
        )

    @extend_schema(
        summary="Add a decided signal to this open case (Veilig Thuis)",
        description="For a repeat victim: the case gets the signal, its persons and forms.",
        request=AddSignalInputSerializer,
        responses=CASE_STEP,
    )
    @action(detail=True, methods=["post"], url_path="add-signal")
    def add_signal(self, request, public_id=None):
        case = self.get_object()
        body = self._parse(AddSignalInputSerializer)
        services.case_add_signal(case=case, signal=body["signal"], actor=request.user)
        return self._render(case)

    @extend_schema(
        summary="Close the case with a reason (the lead organisation or Veilig Thuis)",
        description="With open actions, `confirm_open_actions` must be true (else 400). The "
        "municipality that sent the first signal sees on its signal that the case is closed.",
        request=CloseInputSerializer,
        responses=CASE_STEP,
    )
    @action(detail=True, methods=["post"])
    def close(self, request, public_id=None):
        case = self.get_object()
        body = self._parse(CloseInputSerializer)
        services.case_close(
            case=case,
            actor=request.user,
            version=body["version"],
            reason=body["reason"],
            note=body["note"],
            confirm_open_actions=body["confirm_open_actions"],
        )
        return self._render(case)

    @extend_schema(
        summary="Reopen a closed case with a reason (the lead organisation or Veilig Thuis)",
        request=ReopenInputSerializer,
        responses=CASE_STEP,
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request, public_id=None):
        case = self.get_object()
        body = self._parse(ReopenInputSerializer)
        services.case_reopen(
            case=case, actor=request.user, version=body["version"], reason=body["reason"]
        )
        return self._render(case)

    # --- actions ------------------------------------------------------------------------------

    @extend_schema(
        summary="The open actions your organisation owns, soonest due first",
        description="Of open cases of your region, also of cases your organisation does not "
        "lead (you see the case's reference, not the case). 50 per page, keyset cursor.",
        responses={200: CaseActionSerializer(many=True), 403: FORBIDDEN},
    )
    @action(detail=False, methods=["get"], url_path="my-actions", url_name="my-actions")
    def my_actions(self, request):
        queryset = selectors.my_open_actions(user=request.user)
        rows = self.paginate_queryset(queryset)
        data = CaseActionSerializer(rows, many=True).data
        record_list(
            model=Action,
            rows=rows,
            query=request.query_params,
            ignore=self._access_log_ignored_params(),
            actor=request.user,
            extra={"cases": sorted({str(a.case.public_id) for a in rows})},
        )
        return self.get_paginated_response(data)

    @extend_schema(
        summary="The actions of a case: open ones first",
        responses={200: CaseActionSerializer(many=True), **ON_CASE},
    )
    @action(
        detail=True, methods=["get"], url_path="actions", url_name="actions", pagination_class=None
    )
    def action_list(self, request, public_id=None):
        case = self.get_object()
        actions = list(selectors.case_actions(case=case))
        data = CaseActionSerializer(actions, many=True).data
        self._log_nested(case, Action, [a.public_id for a in actions])
        return Response(data)

    @extend_schema(
        summary="Add an action (the lead organisation or Veilig Thuis)",
        request=CaseActionInputSerializer,
        responses={201: CaseActionSerializer, 400: BAD_REQUEST, **ON_CASE, 409: CONFLICT},
    )
    @action_list.mapping.post
    def action_add(self, request, public_id=None):
        case = self.get_object()
        body = self._parse(CaseActionInputSerializer)
        created = services.action_add(
            case=case,
            actor=request.user,
            description=body["description"],
            owner_organisation=body["owner_organisation"],
            due_date=body["due_date"],
        )
        return Response(CaseActionSerializer(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Complete an action (its owner, the lead organisation or Veilig Thuis)",
        parameters=[ACTION_ID],
        request=None,
        responses=ACTION_STEP,
    )
    @action(
        detail=True, methods=["post"], url_path=f"{ACTION}/complete", url_name="action-complete"
    )
    def action_complete(self, request, public_id=None, action_id=None):
        done = services.action_complete(action=self.get_action(), actor=request.user)
        return Response(CaseActionSerializer(self._reload(done)).data)

    @extend_schema(
        summary="Reopen a completed action (its owner, the lead organisation or Veilig Thuis)",
        parameters=[ACTION_ID],
        request=None,
        responses=ACTION_STEP,
    )
    @action(detail=True, methods=["post"], url_path=f"{ACTION}/reopen", url_name="action-reopen")
    def action_reopen(self, request, public_id=None, action_id=None):
        reopened = services.action_reopen(action=self.get_action(), actor=request.user)
        return Response(CaseActionSerializer(self._reload(reopened)).data)

    def _reload(self, changed: Action) -> Action:
        return selectors.action_get(
            user=self.request.user,
            case_public_id=self.kwargs[self.lookup_field],
            public_id=changed.public_id,
        )

    # --- notes --------------------------------------------------------------------------------

    @extend_schema(
        summary="The notes of a case, newest first",
        responses={200: CaseNoteSerializer(many=True), **ON_CASE},
    )
    @action(detail=True, methods=["get"], url_path="notes", url_name="notes", pagination_class=None)
    def note_list(self, request, public_id=None):
        case = self.get_object()
        notes = list(selectors.case_notes(case=case))
        data = CaseNoteSerializer(notes, many=True).data
        self._log_nested(case, CaseNote, [n.public_id for n in notes])
        return Response(data)

    @extend_schema(
        summary="Add a note (the lead organisation or Veilig Thuis)",
        request=CaseNoteInputSerializer,
        responses={201: CaseNoteSerializer, 400: BAD_REQUEST, **ON_CASE, 409: CONFLICT},
    )
    @note_list.mapping.post
    def note_add(self, request, public_id=None):
        case = self.get_object()
        text = self._parse(CaseNoteInputSerializer)["text"]
        note = services.case_note_add(case=case, actor=request.user, text=text)
        return Response(CaseNoteSerializer(note).data, status=status.HTTP_201_CREATED)
