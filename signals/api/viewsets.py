"""``/api/v1/signals/``: the register through the API, with the HTML's selectors and services.

Every request follows the same order, so no endpoint can skip a step:

1. authentication (session with both login factors, or an integration token) — else 401;
2. the signal through ``selectors.signal_get`` — not visible to the user: 404, whatever the
   role (another organisation's signal answers as one that does not exist);
3. the action's model permission from ``required_permissions`` — else 403;
4. the body through an input serializer — else 400 with field errors;
5. one service call — its refusals mapped by ``errors.ServiceErrorsMixin`` (400, 403, 409);
6. the answer rendered from the signal read again through the selector.

Reads are logged (NEN 7513): one access entry per retrieve, per list or search (the ids on
the page), and per nested list of persons or notes. Writes are in the change log already.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.reverse import reverse

from accounts.audit import record_access
from accounts.audit_views import AccessLoggedViewSetMixin
from accounts.models import AuditLogEntry

from .. import selectors, services
from ..models import Note, Person, Signal
from . import schema
from .errors import ServiceErrorsMixin
from .filters import SignalFilterSerializer
from .pagination import KeysetPagination
from .permissions import RequiredPermissions
from .serializers import (
    AcuteConsultationInputSerializer,
    CloseInternallyInputSerializer,
    NoteInputSerializer,
    NoteSerializer,
    PersonSerializer,
    RegisterInputSerializer,
    SignalInputSerializer,
    SignalListItemSerializer,
    SignalSerializer,
    SignalUpdateSerializer,
    VersionInputSerializer,
)

VIEW = "signals.view_signal"
CHANGE = "signals.change_signal"
UUID_PATTERN = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"

ON_SIGNAL = {403: schema.FORBIDDEN, 404: schema.NOT_FOUND}
STEP_RESPONSES = {
    200: SignalSerializer,
    400: schema.BAD_REQUEST,
    **ON_SIGNAL,
    409: schema.CONFLICT,
}


@extend_schema_view(
    list=extend_schema(
        summary="List and search the signals you may see",
        description="A municipal officer sees the signals of its own organisation; Veilig "
        "Thuis the register of its region; AVIM and the care coordinator their own, scheduled "
        "and acute ones. 50 per page, newest first by default; follow `next` and `previous` "
        "(a keyset cursor: every page costs the same, however large the register). There is "
        "no total count.",
        parameters=[SignalFilterSerializer],
        responses={
            200: SignalListItemSerializer(many=True),
            400: schema.BAD_REQUEST,
            403: schema.LIST_FORBIDDEN,
        },
    ),
    retrieve=extend_schema(
        summary="One signal with its persons and places",
        responses={200: SignalSerializer, 404: schema.NOT_FOUND},
        examples=[schema.response_example("A draft")],
    ),
    create=extend_schema(
        summary="Log a new signal (as a draft of your organisation)",
        request=SignalInputSerializer,
        responses={201: SignalSerializer, 400: schema.BAD_REQUEST, 403: schema.FORBIDDEN},
        examples=schema.CREATE_EXAMPLES,
    ),
    update=extend_schema(
        summary="Edit the content of a signal (the sender its draft, Veilig Thuis at intake)",
        description="Send the whole content with the version you read. Persons with an `id` "
        "are updated, persons without one are added, persons left out are removed; places are "
        "replaced. Editing a submitted signal as its sender is refused with 409.",
        request=SignalUpdateSerializer,
        responses=STEP_RESPONSES,
        examples=schema.UPDATE_EXAMPLES,
    ),
)
@extend_schema(tags=["signals"])
class SignalViewSet(ServiceErrorsMixin, AccessLoggedViewSetMixin, viewsets.GenericViewSet):
    """Signals of the reporting route: the register, intake, and the steps of the life cycle."""

    lookup_field = "public_id"
    lookup_value_regex = UUID_PATTERN
    permission_classes = [IsAuthenticated, RequiredPermissions]
    filter_backends: list = []  # the list's filters are the selector's (see filters.py)
    pagination_class = KeysetPagination
    parser_classes = [JSONParser]
    http_method_names = ["get", "post", "put", "head", "options"]  # no PATCH, no DELETE
    # OPTIONS answers 405: the OpenAPI schema describes the endpoints (DRF's metadata would
    # show the output serializer's fields as if they could be written).
    metadata_class = None
    required_permissions = {
        "list": VIEW,
        "retrieve": VIEW,
        "create": "signals.add_signal",
        "update": CHANGE,
        "submit": CHANGE,
        "register": "signals.register_signal",
        "mark_acute": CHANGE,
        "close_internally": CHANGE,
        "acute_consultation": "signals.record_acute_consultation",
        "persons": VIEW,
        "notes": VIEW,
        "note_add": "signals.add_note",
        "metadata": VIEW,
    }
    serializer_classes = {
        "list": SignalListItemSerializer,
        "create": SignalInputSerializer,
        "update": SignalUpdateSerializer,
    }

    # --- lookups through the selectors ----------------------------------------------------

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Signal.objects.none()
        filters = None
        if self.action == "list":
            parsed = SignalFilterSerializer(
                data=self.request.query_params.dict(), context=self.get_serializer_context()
            )
            parsed.is_valid(raise_exception=True)
            filters = parsed.to_filters()
        return selectors.signal_list(user=self.request.user, filters=filters)

    def get_object(self) -> Signal:
        signal = selectors.signal_get(
            user=self.request.user, public_id=self.kwargs[self.lookup_field]
        )
        self.check_object_permissions(self.request, signal)
        return signal

    def get_serializer_class(self):
        return self.serializer_classes.get(self.action, SignalSerializer)

    # --- helpers --------------------------------------------------------------------------

    def _parse(self, serializer_class, **context):
        serializer = serializer_class(
            data=self.request.data, context={**self.get_serializer_context(), **context}
        )
        serializer.is_valid(raise_exception=True)
        return serializer

    def _render(self, signal: Signal, *, status_code: int = status.HTTP_200_OK, headers=None):
        # Read again through the selector: the answer shows what the user may see, with the
        # prefetches of the detail. Every step leaves the signal visible to its actor.
        shown = selectors.signal_get(user=self.request.user, public_id=signal.public_id)
        data = SignalSerializer(shown, context=self.get_serializer_context()).data
        return Response(data, status=status_code, headers=headers)

    def log_read(self, instance: Signal, *, kind: str = AuditLogEntry.AccessKind.READ) -> None:
        # NEN 7513 asks whose record was read: the persons shown with it, by pseudonymous id.
        record_access(
            kind=kind,
            instance=instance,
            actor=self.request.user,
            extra={"persons": [str(i.person.public_id) for i in instance.involvements.all()]},
        )

    def _log_nested(self, signal: Signal, model, ids) -> None:
        record_access(
            kind=AuditLogEntry.AccessKind.LIST,
            model=model,
            object_ids=ids,
            actor=self.request.user,
            extra={"signal": str(signal.public_id)},
        )

    # --- create and edit ------------------------------------------------------------------

    def create(self, request, *args, **kwargs):
        data, persons, places = self._parse(SignalInputSerializer).to_inputs()
        signal = services.signal_create(
            actor=request.user, data=data, persons=persons, places=places
        )
        location = reverse(
            "api:signal-detail", kwargs={"public_id": signal.public_id}, request=request
        )
        return self._render(
            signal, status_code=status.HTTP_201_CREATED, headers={"Location": location}
        )

    def update(self, request, *args, **kwargs):
        signal = self.get_object()
        parsed = self._parse(SignalUpdateSerializer, signal=signal)
        data, persons, places = parsed.to_inputs()
        services.signal_update(
            signal=signal,
            actor=request.user,
            version=parsed.validated_data["version"],
            data=data,
            persons=persons,
            places=places,
        )
        return self._render(signal)

    # --- steps of the life cycle (STYLE.md rule 2: a transition is a POST action) ------------

    @extend_schema(
        summary="Submit a draft to the Veilig Thuis register (the sender)",
        request=VersionInputSerializer,
        responses=STEP_RESPONSES,
        examples=schema.SUBMIT_EXAMPLES,
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, public_id=None):
        signal = self.get_object()
        version = self._parse(VersionInputSerializer).validated_data["version"]
        services.signal_submit(signal=signal, actor=request.user, version=version)
        return self._render(signal)

    @extend_schema(
        summary="Register a submitted signal with a preliminary classification (Veilig Thuis)",
        request=RegisterInputSerializer,
        responses=STEP_RESPONSES,
        examples=schema.REGISTER_EXAMPLES,
    )
    @action(detail=True, methods=["post"])
    def register(self, request, public_id=None):
        signal = self.get_object()
        body = self._parse(RegisterInputSerializer).validated_data
        services.signal_register(
            signal=signal,
            actor=request.user,
            version=body["version"],
            preliminary_classification=body["preliminary_classification"],
        )
        return self._render(signal)

    @extend_schema(
        summary="Mark a signal acute (the sender, Veilig Thuis or AVIM)",
        description="Once the signal is in the register, Veilig Thuis and AVIM are alerted "
        "at once (exactly once per signal).",
        request=VersionInputSerializer,
        responses=STEP_RESPONSES,
        examples=schema.MARK_ACUTE_EXAMPLES,
    )
    @action(detail=True, methods=["post"], url_path="mark-acute")
    def mark_acute(self, request, public_id=None):
        signal = self.get_object()
        if not services.may_mark_acute(signal, request.user):
            raise exceptions.PermissionDenied
        version = self._parse(VersionInputSerializer).validated_data["version"]
        services.signal_mark_acute(signal=signal, actor=request.user, version=version)
        return self._render(signal)

    @extend_schema(
        summary="Close a draft as handled by the municipality itself (its municipal officer)",
        description="The signal stays visible to that municipality only and counts in the "
        "aggregates.",
        request=CloseInternallyInputSerializer,
        responses=STEP_RESPONSES,
        examples=schema.CLOSE_EXAMPLES,
    )
    @action(detail=True, methods=["post"], url_path="close-internally")
    def close_internally(self, request, public_id=None):
        signal = self.get_object()
        if not services.may_close_internally(signal, request.user):
            raise exceptions.PermissionDenied
        body = self._parse(CloseInternallyInputSerializer).validated_data
        services.signal_close_internally(
            signal=signal, actor=request.user, version=body["version"], reason=body["reason"]
        )
        return self._render(signal)

    @extend_schema(
        summary="Record the acute consultation of an acute signal (Veilig Thuis, AVIM)",
        description="Moves the signal to status `acute` (a second consultation keeps it "
        "there). The consultation is partner input: not shown to the sender.",
        request=AcuteConsultationInputSerializer,
        responses=STEP_RESPONSES,
        examples=schema.ACUTE_CONSULTATION_EXAMPLES,
    )
    @action(detail=True, methods=["post"], url_path="acute-consultation")
    def acute_consultation(self, request, public_id=None):
        signal = self.get_object()
        body = self._parse(AcuteConsultationInputSerializer).validated_data
        services.acute_consultation_record(
            signal=signal,
            actor=request.user,
            version=body["version"],
            consulted_at=body["consulted_at"],
            organisations=list(body["organisations"]),
            decision=body["decision"],
            shelter_needed=body["shelter_needed"],
            follow_up=body["follow_up"],
        )
        return self._render(signal)

    # --- nested: persons and notes --------------------------------------------------------

    @extend_schema(
        summary="The persons involved in a signal",
        responses={200: PersonSerializer(many=True), **ON_SIGNAL},
        examples=schema.PERSONS_EXAMPLES,
    )
    @action(detail=True, methods=["get"], pagination_class=None)  # at most 50, all at once
    def persons(self, request, public_id=None):
        signal = self.get_object()
        involvements = list(signal.involvements.all())
        data = PersonSerializer(involvements, many=True).data
        self._log_nested(signal, Person, [i.person.public_id for i in involvements])
        return Response(data)

    @extend_schema(
        summary="Notes of the partners on a signal (Veilig Thuis, AVIM, care coordinator)",
        description="Partner input is not shown to the organisation that sent the signal: "
        "it gets 403 here (it may see the signal, not this part of it).",
        responses={200: NoteSerializer(many=True), **ON_SIGNAL},
        examples=schema.NOTES_EXAMPLES,
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def notes(self, request, public_id=None):
        signal = self.get_object()
        if not selectors.can_see_partner_input(request.user, signal):
            raise exceptions.PermissionDenied(
                "Verrijking van partners is niet zichtbaar voor de melder."
            )
        notes = list(selectors.signal_notes(user=request.user, signal=signal))
        data = NoteSerializer(notes, many=True).data
        self._log_nested(signal, Note, [note.public_id for note in notes])
        return Response(data)

    @extend_schema(
        summary="Add a note to a signal in the register",
        request=NoteInputSerializer,
        responses={201: NoteSerializer, 400: schema.BAD_REQUEST, **ON_SIGNAL, 409: schema.CONFLICT},
        examples=schema.NOTE_ADD_EXAMPLES,
    )
    @notes.mapping.post
    def note_add(self, request, public_id=None):
        signal = self.get_object()
        text = self._parse(NoteInputSerializer).validated_data["text"]
        note = services.note_add(signal=signal, actor=request.user, text=text)
        data = NoteSerializer(note, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)
