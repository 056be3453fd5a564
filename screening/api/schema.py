"""OpenAPI documentation of the screening API: named enums, error shapes and examples.

The error bodies are the signals API's (``signals.api.errors`` maps the services'
exceptions for both); only the wording of the descriptions is about meetings here.
"""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from signals.api.errors import CODE_STALE_VERSION, CODE_TRANSITION_NOT_ALLOWED
from signals.api.schema import ErrorSerializer

# --- enums --------------------------------------------------------------------------------


class NamedChoiceFieldScheme(OpenApiSerializerFieldExtension):
    """Each ``NamedChoiceField`` as the enum component it names (see the field's docstring)."""

    target_class = "screening.api.serializers.NamedChoiceField"
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


# --- errors -------------------------------------------------------------------------------


class MeetingConflictSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="Why, in Dutch, fit to show to the user.")
    code = serializers.ChoiceField(choices=[CODE_TRANSITION_NOT_ALLOWED, CODE_STALE_VERSION])
    status = serializers.CharField(
        required=False,
        allow_null=True,
        help_text="With transition_not_allowed: the status of the meeting (or the state of "
        "the item) that does not allow the step.",
    )
    current_version = serializers.IntegerField(
        required=False, help_text="With stale_version: the version the item has now."
    )


EXAMPLE_MEETING_ID = "6e1f0a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b"
EXAMPLE_ITEM_ID = "7f2a1b3c-4d5e-4f6a-9b0c-1d2e3f4a5b6c"
EXAMPLE_SIGNAL_ID = "3f0b8c1e-6a53-4c1e-9d0e-5b8f2a7c4d21"
EXAMPLE_MUNICIPALITY_ID = "8d1e4b7a-2c3f-4a5b-9c6d-7e8f9a0b1c2d"
EXAMPLE_VT_ID = "0c9b8a7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d"
EXAMPLE_AVIM_ID = "5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d"
EXAMPLE_ZVH_ID = "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b"

ITEM_ID = OpenApiParameter(
    "item_id",
    OpenApiTypes.UUID,
    OpenApiParameter.PATH,
    description="Id of an agenda item of this meeting.",
)

BAD_REQUEST = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="Invalid input: messages per field. Nothing was saved.",
    examples=[
        OpenApiExample(
            "Field errors",
            value={"follow_up_owner": ["Kies wie het vervolg oppakt."]},
            status_codes=["400"],
        )
    ],
)
FORBIDDEN = OpenApiResponse(
    ErrorSerializer,
    description="You may see this meeting but your role may not do this (only Veilig Thuis "
    "manages the agenda and concludes; only a VT officer gives the final classification).",
)
NOT_FOUND = OpenApiResponse(
    ErrorSerializer,
    description="No meeting (or agenda item) with this id that you may see: a meeting of "
    "another region answers the same as one that does not exist.",
)
CONFLICT = OpenApiResponse(
    MeetingConflictSerializer,
    description="Refused, nothing changed: the step is not allowed in the meeting's status "
    "(or the item's state), or the item was changed since you read it (reload and send the "
    "current version).",
    examples=[
        OpenApiExample(
            "Step not allowed",
            value={
                "detail": "Dit overleg is afgerond en kan niet meer worden gewijzigd. Voeg "
                "zo nodig een addendum toe.",
                "code": CODE_TRANSITION_NOT_ALLOWED,
                "status": "concluded",
            },
            status_codes=["409"],
        ),
        OpenApiExample(
            "Stale version",
            value={
                "detail": "Dit signaal is intussen door iemand anders gewijzigd. Laad de pagina "
                "opnieuw en controleer de gegevens.",
                "code": CODE_STALE_VERSION,
                "current_version": 4,
            },
            status_codes=["409"],
        ),
    ],
)

# --- examples -----------------------------------------------------------------------------

_INPUT = {
    "organisation": {"id": EXAMPLE_AVIM_ID, "name": "AVIM Limburg"},
    "text": "Bij ons bekend: de studio is vorig jaar gecontroleerd.",
    "created_at": "2026-12-08T10:12:00+01:00",
}


def _item_out(**overrides) -> dict:
    value = {
        "id": EXAMPLE_ITEM_ID,
        "position": 1,
        "state": "accepted",
        "signal": {
            "id": EXAMPLE_SIGNAL_ID,
            "reference": "ZL-2026-00042",
            "municipality": {"id": EXAMPLE_MUNICIPALITY_ID, "name": "Heerlen"},
            "forms": ["labour"],
            "summary": "Vier vrouwen wonen boven een nagelstudio en werken er dag en nacht.",
            "classifications": {"preliminary": "potential", "final": None},
        },
        "presenter": {"id": EXAMPLE_VT_ID, "name": "Veilig Thuis Zuid-Limburg"},
        "guest_organisation": None,
        "outcome": "pending",
        "weighing": "",
        "advice": "",
        "advice_checklist": [],
        "follow_up_owner": None,
        "follow_up_due": None,
        "times_carried_over": 0,
        "version": 1,
        "inputs": [],
        "decisions": [],
    }
    value.update(overrides)
    return value


def _meeting_out(**overrides) -> dict:
    value = {
        "id": EXAMPLE_MEETING_ID,
        "scheduled_for": "2026-12-08T10:00:00+01:00",
        "agenda_closes_at": "2026-12-07T10:00:00+01:00",
        "status": "planned",
        "started_at": None,
        "concluded_at": None,
        "version": 1,
        "counts": {"items": 1, "decided": 0, "carried_over": 0, "carried_over_often": 0},
        "items": [_item_out()],
    }
    value.update(overrides)
    return value


_DECIDED = _item_out(
    outcome="decided",
    weighing="Signalen van arbeidsuitbuiting; slachtoffers willen praten.",
    advice="Zorgcoördinator legt contact; AVIM controleert het pand.",
    advice_checklist=["conversation", "shelter"],
    follow_up_owner={"id": EXAMPLE_ZVH_ID, "name": "Zorgcoördinator ZVH Zuid-Limburg"},
    follow_up_due="2026-12-22",
    version=3,
    inputs=[_INPUT],
    decisions=[{"route": "care_coordinator", "note": "Traject starten deze week."}],
    signal={
        **_item_out()["signal"],
        "classifications": {"preliminary": "potential", "final": "suspected"},
    },
)


def response_example(name: str, value: dict, status: str = "200") -> OpenApiExample:
    return OpenApiExample(name, value=value, response_only=True, status_codes=[status])


def request_example(name: str, value: dict) -> OpenApiExample:
    return OpenApiExample(name, value=value, request_only=True)


LIST_EXAMPLES = [
    response_example(
        "This week's meeting",
        {key: v for key, v in _meeting_out().items() if key != "items"},
    )
]
RETRIEVE_EXAMPLES = [response_example("A planned meeting with one item", _meeting_out())]
CLOSE_AGENDA_EXAMPLES = [
    response_example("Agenda closed", _meeting_out(status="agenda_closed", version=2))
]
START_EXAMPLES = [
    response_example(
        "In session",
        _meeting_out(status="in_session", started_at="2026-12-08T10:02:00+01:00", version=3),
    )
]
CONCLUDE_EXAMPLES = [
    response_example(
        "Concluded",
        _meeting_out(
            status="concluded",
            started_at="2026-12-08T10:02:00+01:00",
            concluded_at="2026-12-08T11:40:00+01:00",
            version=4,
            counts={"items": 1, "decided": 1, "carried_over": 0, "carried_over_often": 0},
            items=[_DECIDED],
        ),
    )
]
ITEM_ADD_EXAMPLES = [
    request_example("Put a registered signal on the agenda", {"signal": EXAMPLE_SIGNAL_ID}),
    response_example("The new item", _item_out(position=4), status="201"),
]
ITEM_ACCEPT_EXAMPLES = [response_example("Accepted", _item_out(version=2))]
ITEM_MOVE_EXAMPLES = [
    request_example("One place up", {"direction": "up"}),
    response_example("Moved up", _item_out(position=1)),
]
ITEM_INPUT_EXAMPLES = [
    request_example("What AVIM knows", {"text": _INPUT["text"]}),
    response_example("The contribution", _INPUT, status="201"),
]
ITEM_CLASSIFY_EXAMPLES = [
    request_example(
        "Final classification by the VT officer",
        {"kind": "final", "value": "suspected", "reason": "Meerdere indicatoren bevestigd."},
    ),
    response_example(
        "Classified",
        _item_out(
            version=2,
            signal={
                **_item_out()["signal"],
                "classifications": {"preliminary": "potential", "final": "suspected"},
            },
        ),
    ),
]
ITEM_DECIDE_EXAMPLES = [
    request_example(
        "Route to the care coordinator",
        {
            "version": 2,
            "routes": ["care_coordinator"],
            "weighing": _DECIDED["weighing"],
            "advice": _DECIDED["advice"],
            "advice_checklist": ["conversation", "shelter"],
            "follow_up_owner": EXAMPLE_ZVH_ID,
            "follow_up_due": "2026-12-22",
            "note": "Traject starten deze week.",
        },
    ),
    response_example("Decided", _DECIDED),
]
ITEM_CARRY_OVER_EXAMPLES = [
    request_example("Carry over version 2", {"version": 2}),
    response_example("Carried over", _item_out(outcome="carried_over", version=3)),
]
