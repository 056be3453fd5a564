"""``/api/v1/screening/meetings/``: the weekly screening table through the API.

The same order as the signals API (``signals.api.viewsets``), so no endpoint can skip a step:

1. authentication (session with both login factors, or an integration token) — else 401;
2. the meeting through ``selectors.meeting_get``, and for an item route the item through
   ``selectors.item_get`` — not visible to the user: 404, whatever the role (another
   region's meeting answers as one that does not exist; a municipal officer sees none);
3. the action's model permission from ``required_permissions`` — else 403;
4. the body through an input serializer — else 400 with field errors;
5. one service call — its refusals mapped by ``signals.api.errors.ServiceErrorsMixin``
   (400; 403, e.g. a final classification by anyone but a VT officer; 409 with
   ``transition_not_allowed`` or ``stale_version``), each leaving the database as it was;
6. the answer read again through the selectors: actions on the meeting answer the meeting
   with its agenda, actions on an item answer the item, partner input answers the
   contribution (201), removing an item answers 204.

Meetings are created by the weekly beat task (``screening.tasks``): no create, update or
delete. Reads are logged (NEN 7513): one access entry per list and per retrieve; the
retrieve names the signals on the agenda it showed.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts.audit import record_access
from accounts.audit_views import AccessLoggedViewSetMixin
from accounts.models import AuditLogEntry
from signals.api.errors import ServiceErrorsMixin
from signals.api.permissions import RequiredPermissions
from signals.api.viewsets import UUID_PATTERN

from .. import selectors, services
from ..models import AgendaItem, Meeting
from . import schema
from .serializers import (
    DIRECTIONS,
    AgendaItemSerializer,
    ClassifyInputSerializer,
    ContributionInputSerializer,
    DecideInputSerializer,
    ItemAddInputSerializer,
    ItemVersionInputSerializer,
    MeetingListItemSerializer,
    MeetingSerializer,
    MoveInputSerializer,
    PartnerInputSerializer,
)

VIEW = "screening.view_meeting"
MANAGE = "screening.manage_agenda"
CONTRIBUTE = "screening.contribute_to_meeting"
CONCLUDE = "screening.conclude_meeting"

ITEM = rf"items/(?P<item_id>{UUID_PATTERN})"

ON_MEETING = {403: schema.FORBIDDEN, 404: schema.NOT_FOUND}
REFUSALS = {400: schema.BAD_REQUEST, **ON_MEETING, 409: schema.CONFLICT}
MEETING_STEP_RESPONSES = {200: MeetingSerializer, **ON_MEETING, 409: schema.CONFLICT}
ITEM_STEP_RESPONSES = {200: AgendaItemSerializer, **REFUSALS}


def item_schema(**kwargs):
    """``extend_schema`` for a route below ``items/{item_id}/``."""
    return extend_schema(parameters=[schema.ITEM_ID], **kwargs)


@extend_schema_view(
    list=extend_schema(
        summary="List the screening meetings of your region",
        description="For Veilig Thuis, AVIM and the care coordinator; the newest first, "
        "without their agendas (those are in the detail). Paginated, 50 per page. Other "
        "roles get 403: a municipal officer sees the outcome on its own signals instead.",
        responses={200: MeetingListItemSerializer(many=True), 403: schema.FORBIDDEN},
        examples=schema.LIST_EXAMPLES,
    ),
    retrieve=extend_schema(
        summary="One meeting with its agenda (items, partner input, decisions)",
        responses={200: MeetingSerializer, **ON_MEETING},
        examples=schema.RETRIEVE_EXAMPLES,
    ),
)
@extend_schema(tags=["screening"])
class MeetingViewSet(ServiceErrorsMixin, AccessLoggedViewSetMixin, viewsets.GenericViewSet):
    """The weekly screening table: its agenda, the meeting, classification and decisions."""

    lookup_field = "public_id"
    lookup_value_regex = UUID_PATTERN
    permission_classes = [IsAuthenticated, RequiredPermissions]
    filter_backends: list = []
    parser_classes = [JSONParser]
    http_method_names = ["get", "post", "delete", "head", "options"]  # DELETE: items only
    metadata_class = None  # OPTIONS answers 405: the schema describes the endpoints
    # Veilig Thuis (staff and officer) manages the agenda and concludes; AVIM and the care
    # coordinator see the agenda, propose items and add what they know (accounts.roles).
    required_permissions = {
        "list": VIEW,
        "retrieve": VIEW,
        "close_agenda": MANAGE,
        "start": MANAGE,
        "conclude": CONCLUDE,
        "item_add": CONTRIBUTE,
        "item_remove": MANAGE,
        "item_accept": MANAGE,
        "item_move": MANAGE,
        "item_input": CONTRIBUTE,
        "item_classify": MANAGE,
        "item_decide": MANAGE,
        "item_carry_over": MANAGE,
        "metadata": VIEW,
    }

    # --- lookups through the selectors ----------------------------------------------------

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Meeting.objects.none()
        return selectors.meeting_list(user=self.request.user)

    def get_object(self) -> Meeting:
        meeting = selectors.meeting_get(
            user=self.request.user, public_id=self.kwargs[self.lookup_field]
        )
        self.check_object_permissions(self.request, meeting)
        return meeting

    def get_item(self) -> tuple[Meeting, AgendaItem]:
        """The meeting and the item of an item route: 404 for either before any 403."""
        meeting = selectors.meeting_get(
            user=self.request.user, public_id=self.kwargs[self.lookup_field]
        )
        item = selectors.item_get(
            user=self.request.user, meeting=meeting, public_id=self.kwargs["item_id"]
        )
        self.check_object_permissions(self.request, item)
        return meeting, item

    def get_serializer_class(self):
        return MeetingListItemSerializer if self.action == "list" else MeetingSerializer

    # --- helpers --------------------------------------------------------------------------

    def _parse(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _with_agenda(self, meeting: Meeting) -> Meeting:
        # The items with everything they show, in a constant number of queries whatever the
        # agenda's length (the selector owns the select_related/prefetch_related).
        meeting.agenda = list(selectors.meeting_items(user=self.request.user, meeting=meeting))
        return meeting

    def _render_meeting(self, meeting: Meeting) -> Response:
        # Read again through the selector: the new status and version, and the counts.
        shown = selectors.meeting_get(user=self.request.user, public_id=meeting.public_id)
        data = MeetingSerializer(self._with_agenda(shown), context=self.get_serializer_context())
        return Response(data.data)

    def _render_item(
        self, meeting: Meeting, item: AgendaItem, *, status_code: int = status.HTTP_200_OK
    ) -> Response:
        shown = selectors.item_get(
            user=self.request.user, meeting=meeting, public_id=item.public_id
        )
        data = AgendaItemSerializer(shown, context=self.get_serializer_context()).data
        return Response(data, status=status_code)

    def log_read(self, instance: Meeting, *, kind: str = AuditLogEntry.AccessKind.READ) -> None:
        # NEN 7513 asks whose record was read: the signals on the agenda shown (as the
        # meeting page logs them).
        record_access(
            kind=kind,
            instance=instance,
            actor=self.request.user,
            extra={"signal_ids": [str(item.signal.public_id) for item in instance.agenda]},
        )

    # --- the meeting ----------------------------------------------------------------------

    def retrieve(self, request, *args, **kwargs):
        meeting = self._with_agenda(self.get_object())
        data = MeetingSerializer(meeting, context=self.get_serializer_context()).data
        self.log_read(meeting)
        return Response(data)

    @extend_schema(
        summary="Close the agenda before its cut-off (Veilig Thuis)",
        description="The beat task closes it at the cut-off; items can still be reordered.",
        request=None,
        responses=MEETING_STEP_RESPONSES,
        examples=schema.CLOSE_AGENDA_EXAMPLES,
    )
    @action(detail=True, methods=["post"], url_path="close-agenda")
    def close_agenda(self, request, public_id=None):
        meeting = self.get_object()
        services.agenda_close(meeting=meeting, actor=request.user)
        return self._render_meeting(meeting)

    @extend_schema(
        summary="Start the meeting (Veilig Thuis)",
        description="From now on partners add input and the table classifies and decides; "
        "the agenda can no longer gain or lose items.",
        request=None,
        responses=MEETING_STEP_RESPONSES,
        examples=schema.START_EXAMPLES,
    )
    @action(detail=True, methods=["post"])
    def start(self, request, public_id=None):
        meeting = self.get_object()
        services.meeting_start(meeting=meeting, actor=request.user)
        return self._render_meeting(meeting)

    @extend_schema(
        summary="Conclude a started meeting (Veilig Thuis)",
        description="Decided signals become screened (or closed: final classification "
        "'none' with no further action) and their route decisions are handed on; undecided "
        "items carry over to the next meeting. The meeting becomes read-only and its "
        "minutes are generated.",
        request=None,
        responses=MEETING_STEP_RESPONSES,
        examples=schema.CONCLUDE_EXAMPLES,
    )
    @action(detail=True, methods=["post"])
    def conclude(self, request, public_id=None):
        meeting = self.get_object()
        services.meeting_conclude(meeting=meeting, actor=request.user)
        return self._render_meeting(meeting)

    # --- the agenda items -----------------------------------------------------------------

    @extend_schema(
        summary="Put a signal on the agenda (Veilig Thuis) or propose it (AVIM, care coordinator)",
        description="Only before the meeting starts. A signal you cannot see, of another "
        "region, or that is not registered (a draft, a submitted or closed signal) is "
        "refused with 400 on `signal` and its reason.",
        request=ItemAddInputSerializer,
        responses={201: AgendaItemSerializer, **REFUSALS},
        examples=schema.ITEM_ADD_EXAMPLES,
    )
    @action(detail=True, methods=["post"], url_path="items", url_name="items")
    def item_add(self, request, public_id=None):
        meeting = self.get_object()
        signal = self._parse(ItemAddInputSerializer)["signal"]
        try:
            item = services.agenda_item_add(meeting=meeting, signal=signal, actor=request.user)
        except services.MeetingStateError as exc:
            if exc.current != signal.status:
                raise  # the meeting's status: 409, as every other step
            # The signal sent may not be discussed (yet): a wrong value in the body, not a
            # conflict with the meeting the URL names.
            raise DjangoValidationError({"signal": [exc.message]}) from exc
        return self._render_item(meeting, item, status_code=status.HTTP_201_CREATED)

    @item_schema(
        summary="Take an item off the agenda (Veilig Thuis)",
        description="Only before the meeting starts; a scheduled signal returns to the register.",
        request=None,
        responses={204: None, **ON_MEETING, 409: schema.CONFLICT},
    )
    @action(detail=True, methods=["delete"], url_path=ITEM, url_name="item-detail")
    def item_remove(self, request, public_id=None, item_id=None):
        _meeting, item = self.get_item()
        services.agenda_item_remove(item=item, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @item_schema(
        summary="Accept a proposed item (Veilig Thuis)",
        request=None,
        responses={200: AgendaItemSerializer, **ON_MEETING, 409: schema.CONFLICT},
        examples=schema.ITEM_ACCEPT_EXAMPLES,
    )
    @action(detail=True, methods=["post"], url_path=f"{ITEM}/accept", url_name="item-accept")
    def item_accept(self, request, public_id=None, item_id=None):
        meeting, item = self.get_item()
        services.agenda_item_accept(item=item, actor=request.user)
        return self._render_item(meeting, item)

    @item_schema(
        summary="Move an item one place up or down (Veilig Thuis)",
        description="Swaps it with its neighbour; at the top or bottom nothing moves.",
        request=MoveInputSerializer,
        responses=ITEM_STEP_RESPONSES,
        examples=schema.ITEM_MOVE_EXAMPLES,
    )
    @action(detail=True, methods=["post"], url_path=f"{ITEM}/move", url_name="item-move")
    def item_move(self, request, public_id=None, item_id=None):
        meeting, item = self.get_item()
        direction = self._parse(MoveInputSerializer)["direction"]
        services.agenda_item_move(item=item, actor=request.user, offset=DIRECTIONS[direction])
        return self._render_item(meeting, item)

    @item_schema(
        summary="Add what your organisation knows about an item (during the meeting)",
        description="Each contribution is kept on its own: partners writing at the same "
        "time never overwrite each other.",
        request=ContributionInputSerializer,
        responses={201: PartnerInputSerializer, **REFUSALS},
        examples=schema.ITEM_INPUT_EXAMPLES,
    )
    @action(detail=True, methods=["post"], url_path=f"{ITEM}/input", url_name="item-input")
    def item_input(self, request, public_id=None, item_id=None):
        _meeting, item = self.get_item()
        text = self._parse(ContributionInputSerializer)["text"]
        contribution = services.partner_input_add(item=item, actor=request.user, text=text)
        data = PartnerInputSerializer(contribution, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)

    @item_schema(
        summary="Classify the item's signal (preliminary: Veilig Thuis; final: a VT officer)",
        description="Appended to the signal's classification history. A final "
        "classification by anyone but a VT officer is refused with 403.",
        request=ClassifyInputSerializer,
        responses=ITEM_STEP_RESPONSES,
        examples=schema.ITEM_CLASSIFY_EXAMPLES,
    )
    @action(detail=True, methods=["post"], url_path=f"{ITEM}/classify", url_name="item-classify")
    def item_classify(self, request, public_id=None, item_id=None):
        meeting, item = self.get_item()
        body = self._parse(ClassifyInputSerializer)
        services.item_classify(
            item=item,
            actor=request.user,
            kind=body["kind"],
            value=body["value"],
            reason=body["reason"],
        )
        return self._render_item(meeting, item)

    @item_schema(
        summary="Record the table's decision on an item (Veilig Thuis)",
        description="Weighing, advice, one or more routes, who follows up and by when. "
        "Deciding again replaces the decision until the meeting is concluded.",
        request=DecideInputSerializer,
        responses=ITEM_STEP_RESPONSES,
        examples=schema.ITEM_DECIDE_EXAMPLES,
    )
    @action(detail=True, methods=["post"], url_path=f"{ITEM}/decide", url_name="item-decide")
    def item_decide(self, request, public_id=None, item_id=None):
        meeting, item = self.get_item()
        body = self._parse(DecideInputSerializer)
        decision = services.Decision(
            routes=body["routes"],
            weighing=body["weighing"],
            advice=body["advice"],
            advice_checklist=body["advice_checklist"],
            follow_up_owner=body["follow_up_owner"],
            follow_up_due=body["follow_up_due"],
            note=body["note"],
        )
        services.item_decide(
            item=item, actor=request.user, version=body["version"], decision=decision
        )
        return self._render_item(meeting, item)

    @item_schema(
        summary="Carry an item over to the next meeting (Veilig Thuis)",
        description="Drops a decision recorded for it; the item comes back on the next "
        "agenda when the meeting is concluded.",
        request=ItemVersionInputSerializer,
        responses=ITEM_STEP_RESPONSES,
        examples=schema.ITEM_CARRY_OVER_EXAMPLES,
    )
    @action(
        detail=True, methods=["post"], url_path=f"{ITEM}/carry-over", url_name="item-carry-over"
    )
    def item_carry_over(self, request, public_id=None, item_id=None):
        meeting, item = self.get_item()
        version = self._parse(ItemVersionInputSerializer)["version"]
        services.item_carry_over(item=item, actor=request.user, version=version)
        return self._render_item(meeting, item)
