"""Serializers and OpenAPI shapes of ``/api/v1/trajectories/`` (``cases.api.trajectory``).

Input serializers parse and refuse unknown fields (``signals.api.serializers.InputSerializer``);
the rules (dates, overlaps, phase steps) are the services'. Output serializers render what
the viewset found through the selectors; their nested lists come prefetched. Component and
enum names start with "Trajectory" so they never collide with another app's in the schema.
"""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema_field,
)
from rest_framework import serializers

from signals.api.errors import CODE_STALE_VERSION, CODE_TRANSITION_NOT_ALLOWED
from signals.api.schema import ErrorSerializer
from signals.api.serializers import InputSerializer

from ..models import (
    TEXT_MAX_LENGTH,
    CareMeeting,
    Placement,
    ShelterType,
    Trajectory,
    TrajectoryOutcome,
)
from ..selectors import trajectory as selectors
from ..workflow import Phase

# --- enums, named so they do not collide with other apps' "phase" or "outcome" ------------------


class NamedChoiceField(serializers.ChoiceField):
    def __init__(self, *, enum_name: str, **kwargs):
        self.enum_name = enum_name
        super().__init__(**kwargs)


class TrajectoryChoiceFieldScheme(OpenApiSerializerFieldExtension):
    target_class = "cases.api.trajectory_serializers.NamedChoiceField"
    match_subclasses = True

    def get_name(self):
        return self.target.enum_name

    def map_serializer_field(self, auto_schema, direction):
        # A field that may be blank (an open trajectory's outcome) has "" in its enum: the
        # answers send it. Every field of one enum name allows blank alike, or none does.
        blank = [""] if self.target.allow_blank else []
        lines = ["* `` - none (yet)"] if blank else []
        lines += [f"* `{value}` - {label}" for value, label in self.target.choices.items()]
        return {
            "type": "string",
            "enum": blank + list(self.target.choices),
            "description": "\n".join(lines),
        }


def _phase(**kwargs):
    return NamedChoiceField(enum_name="TrajectoryPhaseEnum", choices=Phase.choices, **kwargs)


def _outcome(**kwargs):
    return NamedChoiceField(
        enum_name="TrajectoryOutcomeEnum", choices=TrajectoryOutcome.choices, **kwargs
    )


def _shelter_type(**kwargs):
    return NamedChoiceField(enum_name="ShelterTypeEnum", choices=ShelterType.choices, **kwargs)


# --- output -------------------------------------------------------------------------------------


class _PublicIdSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")


class TrajectoryCaseSerializer(_PublicIdSerializer):
    reference = serializers.CharField()


class TrajectoryPersonSerializer(_PublicIdSerializer):
    name = serializers.CharField()


class TrajectoryOrganisationSerializer(_PublicIdSerializer):
    name = serializers.CharField()


class TrajectoryPlacementSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    shelter_type = _shelter_type(read_only=True)
    limit_days = serializers.SerializerMethodField(
        help_text="The longest stay the shelter type is meant for, if any (emergency bed: 14)."
    )

    class Meta:
        model = Placement
        fields = ["id", "shelter_type", "provider", "start_date", "end_date", "limit_days"]

    def get_limit_days(self, obj) -> int | None:
        return obj.limit_days()


class TrajectoryCareMeetingSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)

    class Meta:
        model = CareMeeting
        fields = ["id", "held_on", "participants", "agreements", "created_at"]


class TrajectoryPhaseChangeSerializer(serializers.Serializer):
    phase = _phase()
    entered_on = serializers.DateField()


class TrajectoryPhaseDurationSerializer(serializers.Serializer):
    phase = _phase()
    days = serializers.IntegerField()
    current = serializers.BooleanField()


class TrajectoryListItemSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    case = TrajectoryCaseSerializer(read_only=True)
    person = TrajectoryPersonSerializer(read_only=True)
    phase = _phase(read_only=True)
    outcome = _outcome(read_only=True, allow_blank=True)
    reflection_end = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = Trajectory
        fields = [
            "id",
            "case",
            "person",
            "phase",
            "phase_since",
            "reflection_start",
            "reflection_end",
            "reported_to_comensha_on",
            "outcome",
            "version",
            "created_at",
            "updated_at",
        ]


class TrajectorySerializer(TrajectoryListItemSerializer):
    coordinator_organisation = TrajectoryOrganisationSerializer(read_only=True)
    reflection_reminder_on = serializers.SerializerMethodField()
    phase_history = TrajectoryPhaseChangeSerializer(source="phases", many=True, read_only=True)
    phase_durations = serializers.SerializerMethodField()
    placements = TrajectoryPlacementSerializer(many=True, read_only=True)
    care_meetings = TrajectoryCareMeetingSerializer(many=True, read_only=True)

    class Meta(TrajectoryListItemSerializer.Meta):
        fields = [
            *TrajectoryListItemSerializer.Meta.fields,
            "coordinator_organisation",
            "reflection_reminder_on",
            "outcome_note",
            "phase_history",
            "phase_durations",
            "placements",
            "care_meetings",
        ]

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_reflection_reminder_on(self, obj):
        return selectors.reflection_reminder_on(obj)

    @staticmethod
    def _durations(obj) -> list[dict]:
        return [
            {"phase": d.phase, "days": d.days, "current": d.current}
            for d in selectors.phase_durations(obj)
        ]

    @extend_schema_field(TrajectoryPhaseDurationSerializer(many=True))
    def get_phase_durations(self, obj):
        return TrajectoryPhaseDurationSerializer(self._durations(obj), many=True).data


# --- input --------------------------------------------------------------------------------------


class TrajectoryCreateInputSerializer(InputSerializer):
    case = serializers.UUIDField(help_text="Id of a case you see (led by your organisation).")
    person = serializers.UUIDField(help_text="Id of a possible victim of that case.")


class TrajectoryPhaseInputSerializer(InputSerializer):
    to = _phase()
    on_date = serializers.DateField()
    outcome = _outcome(required=False, allow_blank=True, default="")
    outcome_note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=2000
    )
    version = serializers.IntegerField(min_value=1)


class TrajectoryPlacementInputSerializer(InputSerializer):
    shelter_type = _shelter_type()
    provider = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False, allow_null=True, default=None)
    version = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text="Optional: adding a placement overwrites nothing; when sent it must match.",
    )


class TrajectoryPlacementEndInputSerializer(InputSerializer):
    end_date = serializers.DateField()
    version = serializers.IntegerField(min_value=1)


class TrajectoryReflectionInputSerializer(InputSerializer):
    reflection_start = serializers.DateField(
        help_text="First day of the three-month reflection period."
    )
    version = serializers.IntegerField(min_value=1)


class TrajectoryCareMeetingInputSerializer(InputSerializer):
    held_on = serializers.DateField()
    participants = serializers.CharField(max_length=1000)
    agreements = serializers.CharField(max_length=TEXT_MAX_LENGTH)
    version = serializers.IntegerField(min_value=1, required=False)


class TrajectoryComenshaInputSerializer(InputSerializer):
    reported_to_comensha_on = serializers.DateField()
    version = serializers.IntegerField(min_value=1)


# --- schema: error shapes -----------------------------------------------------------------------


class TrajectoryConflictSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="Why, in Dutch, fit to show to the user.")
    code = serializers.ChoiceField(choices=[CODE_TRANSITION_NOT_ALLOWED, CODE_STALE_VERSION])
    status = serializers.CharField(
        required=False,
        allow_null=True,
        help_text="With transition_not_allowed: the phase the trajectory is in.",
    )
    current_version = serializers.IntegerField(
        required=False, help_text="With stale_version: the version the trajectory has now."
    )


BAD_REQUEST = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="Invalid input: messages per field. Nothing was saved.",
    examples=[
        OpenApiExample(
            "Overlapping placement",
            value={
                "start_date": [
                    "Deze persoon heeft al een lopende plaatsing (OMM (opvang meervoudige "
                    "problematiek) sinds 2 maart 2026). Beëindig die eerst of kies andere data."
                ]
            },
            status_codes=["400"],
        )
    ],
)
PHASE_BAD_REQUEST = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="`phase` is not one of the phases: the message under `phase`.",
    examples=[
        OpenApiExample(
            "Unknown phase",
            value={"phase": ["Kies een fase uit de lijst."]},
            status_codes=["400"],
        )
    ],
)
FORBIDDEN = OpenApiResponse(
    ErrorSerializer,
    description="You may read this trajectory (a process director of a case referred to "
    "your ZVH) but not change it.",
)
NOT_FOUND = OpenApiResponse(
    ErrorSerializer,
    description="No trajectory with this id that you may see. Trajectories are shielded: "
    "for every role but the care coordinator (and a process director, for a case referred to "
    "its ZVH) every route answers 404, as if none existed.",
)
CONFLICT = OpenApiResponse(
    TrajectoryConflictSerializer,
    description="Refused, nothing changed: the phase does not allow this step, the trajectory "
    "is closed, or it was changed since you read it (reload and send the current version).",
    examples=[
        OpenApiExample(
            "StepNotAllowed",
            value={
                "detail": "Een zorgtraject in fase 'Aanmelding' kan niet naar 'Nazorg'.",
                "code": CODE_TRANSITION_NOT_ALLOWED,
                "status": "registration",
            },
            status_codes=["409"],
        ),
        OpenApiExample(
            "StaleVersion",
            value={
                "detail": "Dit zorgtraject is intussen door iemand anders gewijzigd. Laad de "
                "pagina opnieuw en controleer de gegevens.",
                "code": CODE_STALE_VERSION,
                "current_version": 4,
            },
            status_codes=["409"],
        ),
    ],
)
ON_TRAJECTORY = {403: FORBIDDEN, 404: NOT_FOUND}
STEP = {200: TrajectorySerializer, 400: BAD_REQUEST, **ON_TRAJECTORY, 409: CONFLICT}
PHASE_PARAMETER = OpenApiParameter(
    "phase",
    OpenApiTypes.STR,
    enum=Phase.values,
    description="Only trajectories in this phase (the work list by phase).",
)
PLACEMENT_ID = OpenApiParameter(
    "placement_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="Id of a placement."
)
