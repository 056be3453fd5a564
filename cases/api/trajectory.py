"""``/api/v1/trajectories/``: the care coordinator's trajectories through the API.

Shielded as in the browser (``cases.selectors.trajectory``). Every request follows one order:

1. authentication (session with both login factors, or an integration token) — else 401;
2. the area: a role that sees no trajectories at all gets 404 on every route, list and
   create included — the API does not reveal that trajectories exist;
3. the trajectory through ``selectors.trajectory_get`` — not visible: 404;
4. the action's model permission (``required_permissions``) — a process director who reads a
   granted trajectory gets 403 on every change;
5. the body through an input serializer (unknown fields refused) — else 400;
6. one service call, its refusals mapped by ``signals.api.errors.ServiceErrorsMixin``: 400 (a
   placement that ends before it starts or overlaps another, closing without an outcome),
   409 (a phase step ``PHASE_TRANSITIONS`` does not allow, a closed trajectory, a stale
   version), each leaving the database as it was;
7. the answer read again through the selector.

Reads are logged (NEN 7513): one entry per list, retrieve, and nested list. The serializers
and the documented error shapes are in ``trajectory_serializers``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
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
from signals.api.errors import ServiceErrorsMixin
from signals.api.permissions import RequiredPermissions
from signals.api.viewsets import UUID_PATTERN
from signals.models import Person

from ..models import CareMeeting, Placement, Trajectory
from ..selectors import trajectory as selectors
from ..selectors.case import cases_visible_to
from ..services import trajectory as services
from ..workflow import Phase
from .trajectory_serializers import (
    BAD_REQUEST,
    CONFLICT,
    NOT_FOUND,
    ON_TRAJECTORY,
    PHASE_BAD_REQUEST,
    PHASE_PARAMETER,
    PLACEMENT_ID,
    STEP,
    TrajectoryCareMeetingInputSerializer,
    TrajectoryCareMeetingSerializer,
    TrajectoryComenshaInputSerializer,
    TrajectoryCreateInputSerializer,
    TrajectoryListItemSerializer,
    TrajectoryPhaseInputSerializer,
    TrajectoryPlacementEndInputSerializer,
    TrajectoryPlacementInputSerializer,
    TrajectoryPlacementSerializer,
    TrajectoryReflectionInputSerializer,
    TrajectorySerializer,
)

VIEW = "cases.view_trajectory"
MANAGE = "cases.manage_trajectory"
PLACEMENT = rf"placements/(?P<placement_id>{UUID_PATTERN})"


# --- permissions --------------------------------------------------------------------------------


class TrajectoryPermissions(RequiredPermissions):
    """RequiredPermissions, but the area answers 404 to whoever sees no trajectories."""

    def has_permission(self, request, view) -> bool:
        if view.action is None:
            return True
        if not selectors.can_see_trajectories(request.user):
            raise exceptions.NotFound
        if getattr(view, "detail", False):
            return True
        if not self._allowed(request, view):
            raise exceptions.NotFound  # creating: not a route for a reading process director
        return True

    def has_object_permission(self, request, view, obj) -> bool:
        required = view.required_permissions.get(view.action)
        if required == MANAGE and not selectors.may_manage(request.user, obj):
            return False
        return self._allowed(request, view)


# --- the viewset --------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="The trajectories you may see, newest first (care coordinator; process director)",
        description="A care coordinator sees the trajectories its organisation coordinates; a "
        "process director those of cases referred to its ZVH. Every other role gets 404. "
        "Paginated, 50 per page.",
        parameters=[PHASE_PARAMETER],
        responses={
            200: TrajectoryListItemSerializer(many=True),
            400: PHASE_BAD_REQUEST,
            404: NOT_FOUND,
        },
    ),
    retrieve=extend_schema(
        summary="One trajectory with its phases, durations, placements and care meetings",
        responses={200: TrajectorySerializer, 404: NOT_FOUND},
    ),
)
@extend_schema(tags=["trajectories"])
class TrajectoryViewSet(ServiceErrorsMixin, AccessLoggedViewSetMixin, viewsets.GenericViewSet):
    """The zorgcoördinator's shielded care trajectories."""

    lookup_field = "public_id"
    lookup_value_regex = UUID_PATTERN
    permission_classes = [IsAuthenticated, TrajectoryPermissions]
    filter_backends: list = []
    parser_classes = [JSONParser]
    http_method_names = ["get", "post", "head", "options"]
    metadata_class = None
    required_permissions = {
        "list": VIEW,
        "retrieve": VIEW,
        "create": MANAGE,
        "phase": MANAGE,
        "placements": VIEW,
        "placement_add": MANAGE,
        "placement_end": MANAGE,
        "reflection_period": MANAGE,
        "care_meetings": VIEW,
        "care_meeting_add": MANAGE,
        "comensha_reported": MANAGE,
        "metadata": VIEW,
    }

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Trajectory.objects.none()
        phase = self.request.query_params.get("phase") or None
        if phase is not None and phase not in Phase.values:
            raise exceptions.ValidationError({"phase": [_("Kies een fase uit de lijst.")]})
        return selectors.trajectory_list(user=self.request.user, phase=phase)

    def get_object(self) -> Trajectory:
        trajectory = selectors.trajectory_get(
            user=self.request.user, public_id=self.kwargs[self.lookup_field]
        )
        self.check_object_permissions(self.request, trajectory)
        return trajectory

    def get_serializer_class(self):
        return TrajectoryListItemSerializer if self.action == "list" else TrajectorySerializer

    def _parse(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _render(self, trajectory: Trajectory, *, status_code=status.HTTP_200_OK, headers=None):
        shown = selectors.trajectory_get(user=self.request.user, public_id=trajectory.public_id)
        data = TrajectorySerializer(shown, context=self.get_serializer_context()).data
        return Response(data, status=status_code, headers=headers)

    def log_read(self, instance: Trajectory, *, kind: str = AuditLogEntry.AccessKind.READ) -> None:
        record_access(
            kind=kind,
            instance=instance,
            actor=self.request.user,
            extra={"person": str(instance.person.public_id)},
        )

    def _log_nested(self, trajectory: Trajectory, model, ids) -> None:
        record_access(
            kind=AuditLogEntry.AccessKind.LIST,
            model=model,
            object_ids=ids,
            actor=self.request.user,
            extra={"trajectory": str(trajectory.public_id)},
        )

    # --- create -----------------------------------------------------------------------------

    @extend_schema(
        summary="Open a trajectory for a victim of a case (care coordinator)",
        description="The case must be one you see (led by your organisation) and open; the "
        "person one of its possible victims without a running trajectory in it. Starts in "
        "phase `registration`.",
        request=TrajectoryCreateInputSerializer,
        responses={201: TrajectorySerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def create(self, request, *args, **kwargs):
        body = self._parse(TrajectoryCreateInputSerializer)
        case = cases_visible_to(request.user).filter(public_id=body["case"]).first()
        if case is None:
            raise exceptions.ValidationError({"case": [_("Kies een casus die u kunt zien.")]})
        person = Person.objects.filter(public_id=body["person"], case_links__case=case).first()
        if person is None:
            raise exceptions.ValidationError(
                {"person": [_("Deze persoon hoort niet bij de casus.")]}
            )
        trajectory = services.trajectory_open(case=case, person=person, actor=request.user)
        location = reverse(
            "api:trajectory-detail", kwargs={"public_id": trajectory.public_id}, request=request
        )
        return self._render(
            trajectory, status_code=status.HTTP_201_CREATED, headers={"Location": location}
        )

    # --- steps ------------------------------------------------------------------------------

    @extend_schema(
        summary="Move the trajectory to another phase (closing needs an outcome)",
        description="Forward one phase, back one phase, or to `closed` from any open phase. "
        "`on_date` may not lie before the start of the current phase or in the future. "
        "Closing requires `outcome` and no running placement.",
        request=TrajectoryPhaseInputSerializer,
        responses=STEP,
    )
    @action(detail=True, methods=["post"])
    def phase(self, request, public_id=None):
        trajectory = self.get_object()
        body = self._parse(TrajectoryPhaseInputSerializer)
        services.trajectory_phase_change(
            trajectory=trajectory,
            to=body["to"],
            on_date=body["on_date"],
            outcome=body["outcome"],
            outcome_note=body["outcome_note"],
            actor=request.user,
            version=body["version"],
        )
        return self._render(trajectory)

    @extend_schema(
        summary="The shelter placements of a trajectory",
        responses={200: TrajectoryPlacementSerializer(many=True), **ON_TRAJECTORY},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def placements(self, request, public_id=None):
        trajectory = self.get_object()
        rows = list(trajectory.placements.all())
        data = TrajectoryPlacementSerializer(rows, many=True).data
        self._log_nested(trajectory, Placement, [p.public_id for p in rows])
        return Response(data)

    @extend_schema(
        summary="Add a shelter placement (care coordinator)",
        description="Refused with 400 when it ends before it starts, or overlaps another "
        "placement of the same person (in any of the person's trajectories).",
        request=TrajectoryPlacementInputSerializer,
        responses={
            201: TrajectoryPlacementSerializer,
            400: BAD_REQUEST,
            **ON_TRAJECTORY,
            409: CONFLICT,
        },
    )
    @placements.mapping.post
    def placement_add(self, request, public_id=None):
        trajectory = self.get_object()
        body = self._parse(TrajectoryPlacementInputSerializer)
        placement = services.placement_add(
            trajectory=trajectory,
            shelter_type=body["shelter_type"],
            provider=body["provider"],
            start=body["start_date"],
            end=body["end_date"],
            actor=request.user,
            version=body.get("version"),
        )
        return Response(
            TrajectoryPlacementSerializer(placement).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="End a running placement (care coordinator)",
        parameters=[PLACEMENT_ID],
        request=TrajectoryPlacementEndInputSerializer,
        responses={
            200: TrajectoryPlacementSerializer,
            400: BAD_REQUEST,
            **ON_TRAJECTORY,
            409: CONFLICT,
        },
    )
    @action(detail=True, methods=["post"], url_path=f"{PLACEMENT}/end", url_name="placement-end")
    def placement_end(self, request, public_id=None, placement_id=None):
        trajectory = self.get_object()
        placement = selectors.placement_get(trajectory=trajectory, public_id=placement_id)
        body = self._parse(TrajectoryPlacementEndInputSerializer)
        ended = services.placement_end(
            placement=placement, end=body["end_date"], actor=request.user, version=body["version"]
        )
        return Response(TrajectoryPlacementSerializer(ended).data)

    @extend_schema(
        summary="Set the start of the reflection period (care coordinator)",
        description="Three months from `reflection_start`; the answer shows the end and the reminder day.",
        request=TrajectoryReflectionInputSerializer,
        responses=STEP,
    )
    @action(detail=True, methods=["post"], url_path="reflection-period")
    def reflection_period(self, request, public_id=None):
        trajectory = self.get_object()
        body = self._parse(TrajectoryReflectionInputSerializer)
        services.reflection_period_set(
            trajectory=trajectory,
            start=body["reflection_start"],
            actor=request.user,
            version=body["version"],
        )
        return self._render(trajectory)

    @extend_schema(
        summary="The care meetings of a trajectory",
        responses={200: TrajectoryCareMeetingSerializer(many=True), **ON_TRAJECTORY},
    )
    @action(detail=True, methods=["get"], url_path="care-meetings", pagination_class=None)
    def care_meetings(self, request, public_id=None):
        trajectory = self.get_object()
        rows = list(trajectory.care_meetings.all())
        data = TrajectoryCareMeetingSerializer(rows, many=True).data
        self._log_nested(trajectory, CareMeeting, [m.public_id for m in rows])
        return Response(data)

    @extend_schema(
        summary="Record a care meeting (care coordinator)",
        request=TrajectoryCareMeetingInputSerializer,
        responses={
            201: TrajectoryCareMeetingSerializer,
            400: BAD_REQUEST,
            **ON_TRAJECTORY,
            409: CONFLICT,
        },
    )
    @care_meetings.mapping.post
    def care_meeting_add(self, request, public_id=None):
        trajectory = self.get_object()
        body = self._parse(TrajectoryCareMeetingInputSerializer)
        meeting = services.care_meeting_add(
            trajectory=trajectory,
            held_on=body["held_on"],
            participants=body["participants"],
            agreements=body["agreements"],
            actor=request.user,
            version=body.get("version"),
        )
        return Response(
            TrajectoryCareMeetingSerializer(meeting).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="Record the date the victim was reported to CoMensha (care coordinator)",
        request=TrajectoryComenshaInputSerializer,
        responses=STEP,
    )
    @action(detail=True, methods=["post"], url_path="comensha-reported")
    def comensha_reported(self, request, public_id=None):
        trajectory = self.get_object()
        body = self._parse(TrajectoryComenshaInputSerializer)
        services.comensha_reported(
            trajectory=trajectory,
            on_date=body["reported_to_comensha_on"],
            actor=request.user,
            version=body["version"],
        )
        return self._render(trajectory)
