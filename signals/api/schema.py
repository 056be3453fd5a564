"""OpenAPI documentation of the signals API: error shapes, shared responses and examples."""

from __future__ import annotations

from drf_spectacular.extensions import (
    OpenApiSerializerFieldExtension,
)
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework import serializers

from ..models import Classification
from ..workflow import Status
from .errors import CODE_STALE_VERSION, CODE_TRANSITION_NOT_ALLOWED

# --- enums --------------------------------------------------------------------------------


class ClassificationFieldScheme(OpenApiSerializerFieldExtension):
    """One ``ClassificationEnum`` for every classification field.

    drf-spectacular names an enum after its field; the same choice set under the names
    ``preliminary``, ``final`` and ``preliminary_classification`` would be three names for one
    set (a warning). A named component gives it one.
    """

    target_class = "signals.api.serializers.ClassificationField"
    match_subclasses = True

    def get_name(self):
        return "ClassificationEnum"

    def map_serializer_field(self, auto_schema, direction):
        return {
            "type": "string",
            "enum": list(Classification.values),
            "description": "\n".join(f"* `{c.value}` - {c.label}" for c in Classification),
        }


# --- errors -------------------------------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="Why, in Dutch, fit to show to the user.")
    code = serializers.ChoiceField(choices=[CODE_TRANSITION_NOT_ALLOWED, CODE_STALE_VERSION])
    status = serializers.ChoiceField(
        choices=Status.choices,
        required=False,
        allow_null=True,
        help_text="With transition_not_allowed: the status the signal has.",
    )
    current_version = serializers.IntegerField(
        required=False, help_text="With stale_version: the version the signal has now."
    )


EXAMPLE_SIGNAL_ID = "3f0b8c1e-6a53-4c1e-9d0e-5b8f2a7c4d21"
EXAMPLE_MUNICIPALITY_ID = "8d1e4b7a-2c3f-4a5b-9c6d-7e8f9a0b1c2d"
EXAMPLE_VT_ID = "0c9b8a7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d"
EXAMPLE_AVIM_ID = "5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d"
EXAMPLE_PERSON_ID = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"
EXAMPLE_PLACE_ID = "b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e"
EXAMPLE_NOTE_ID = "c3d4e5f6-a7b8-4c9d-8e1f-2a3b4c5d6e7f"
API = "https://meldroute.example.nl/api/v1"

BAD_REQUEST = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="Invalid input: messages per field (for persons and places keyed by the index "
    "sent, from 0). Nothing was saved.",
    examples=[
        OpenApiExample(
            "Field errors",
            value={
                "received_at": ["De ontvangstdatum ligt in de toekomst."],
                "persons": {
                    "1": {
                        "age_band": [
                            "De geschatte leeftijd past niet bij de geboortedatum (34 jaar)."
                        ]
                    },
                },
            },
            status_codes=["400"],
        )
    ],
)
FORBIDDEN = OpenApiResponse(
    ErrorSerializer,
    description="You may see this signal but your role may not do this.",
)
LIST_FORBIDDEN = OpenApiResponse(
    ErrorSerializer,
    description="Your role does not see signals (e.g. the administrator or the privacy officer).",
)
NOT_FOUND = OpenApiResponse(
    ErrorSerializer,
    description="No signal with this id that you may see: a signal of another organisation "
    "answers the same as one that does not exist.",
)
CONFLICT = OpenApiResponse(
    ConflictSerializer,
    description="Refused, nothing changed: the step is not allowed in the signal's status, or "
    "the signal was changed since you read it (send the current version after reloading).",
    examples=[
        OpenApiExample(
            "Step not allowed",
            value={
                "detail": "Een signaal met status 'Concept' kan niet naar 'Geregistreerd'.",
                "code": CODE_TRANSITION_NOT_ALLOWED,
                "status": "draft",
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

_PERSONS_IN = [
    {
        "role": "possible_victim",
        "name": "Anna Müller",
        "age_band": "23-29",
        "gender": "female",
        "nationality": "RO",
        "residence_status": "eu",
        "language": "Roemeens",
        "age_at_exploitation_start": 19,
    },
    {
        "role": "possible_offender",
        "name": "Viktor",
        "is_alias": True,
        "gender": "male",
    },
]
_PLACES_IN = [
    {"kind": "company", "name": "Nagelstudio Glans", "address": "Markt 1", "city": "Heerlen"}
]
_CONTENT_IN = {
    "source": "municipality_internal",
    "municipality": EXAMPLE_MUNICIPALITY_ID,
    "received_at": "2026-11-02",
    "description": "Vier vrouwen wonen boven een nagelstudio en werken er dag en nacht.",
    "forms": ["labour"],
    "labour_sector": "beauty_massage",
    "indicators": [12, 14],
    "is_acute": False,
    "persons": _PERSONS_IN,
    "places": _PLACES_IN,
}


def _signal_out(**overrides) -> dict:
    links = f"{API}/signals/{EXAMPLE_SIGNAL_ID}"
    value = {
        "id": EXAMPLE_SIGNAL_ID,
        "reference": "ZL-2026-00042",
        "status": "draft",
        "source": "municipality_internal",
        "reporting_organisation": {"id": EXAMPLE_MUNICIPALITY_ID, "name": "Heerlen"},
        "municipality": {"id": EXAMPLE_MUNICIPALITY_ID, "name": "Heerlen"},
        "received_at": "2026-11-02",
        "forms": ["labour"],
        "labour_sector": "beauty_massage",
        "criminal_kind": None,
        "is_acute": False,
        "classifications": {"preliminary": None, "final": None},
        "submitted_at": None,
        "registered_at": None,
        "closed_at": None,
        "version": 1,
        "links": {"self": f"{links}/", "persons": f"{links}/persons/", "notes": None},
        "description": _CONTENT_IN["description"],
        "indicators": [12, 14],
        "persons": [
            {
                "id": EXAMPLE_PERSON_ID,
                "role": "possible_victim",
                "name": "Anna Müller",
                "is_alias": False,
                "birth_date": None,
                "age_band": "23-29",
                "age_at_exploitation_start": 19,
                "gender": "female",
                "nationality": "RO",
                "is_stateless": False,
                "residence_status": "eu",
                "language": "Roemeens",
            }
        ],
        "places": [
            {
                "id": EXAMPLE_PLACE_ID,
                "kind": "company",
                "name": "Nagelstudio Glans",
                "address": "Markt 1",
                "postcode": "",
                "city": "Heerlen",
                "url": "",
                "kvk_number": "",
                "facts": "",
            }
        ],
    }
    value.update(overrides)
    return value


def response_example(name: str, status: str = "200", **overrides) -> OpenApiExample:
    return OpenApiExample(
        name, value=_signal_out(**overrides), response_only=True, status_codes=[status]
    )


def request_example(name: str, value: dict) -> OpenApiExample:
    return OpenApiExample(name, value=value, request_only=True)


CREATE_EXAMPLES = [
    request_example("A signal with two persons and a place", _CONTENT_IN),
    response_example("The new draft", status="201"),
]
UPDATE_EXAMPLES = [
    request_example(
        "Edit the draft you read at version 1",
        {
            **_CONTENT_IN,
            "version": 1,
            "persons": [{**_PERSONS_IN[0], "id": EXAMPLE_PERSON_ID}],
        },
    ),
    response_example("The edited draft", version=2),
]
SUBMIT_EXAMPLES = [
    request_example("Submit version 2", {"version": 2}),
    response_example(
        "Submitted", status="submitted", submitted_at="2026-11-30T10:00:00+01:00", version=3
    ),
]
REGISTER_EXAMPLES = [
    request_example(
        "Register with a preliminary classification",
        {"version": 3, "preliminary_classification": "potential"},
    ),
    response_example(
        "Registered",
        status="registered",
        classifications={"preliminary": "potential", "final": None},
        submitted_at="2026-11-30T10:00:00+01:00",
        registered_at="2026-12-01T09:12:00+01:00",
        version=5,
    ),
]
MARK_ACUTE_EXAMPLES = [
    request_example("Mark version 3 acute", {"version": 3}),
    response_example("Marked acute", status="submitted", is_acute=True, version=4),
]
CLOSE_EXAMPLES = [
    request_example(
        "Handled by the municipality itself",
        {"version": 1, "reason": "Besproken in het zorg- en veiligheidsoverleg; geen uitbuiting."},
    ),
    response_example(
        "Handled internally",
        status="handled_internally",
        closed_at="2026-11-30T11:00:00+01:00",
        version=2,
    ),
]
ACUTE_CONSULTATION_EXAMPLES = [
    request_example(
        "Consulted Veilig Thuis and AVIM",
        {
            "version": 4,
            "consulted_at": "2026-11-30T14:30:00+01:00",
            "organisations": [EXAMPLE_VT_ID, EXAMPLE_AVIM_ID],
            "decision": "Opvang regelen en politie gaat vandaag langs.",
            "shelter_needed": True,
            "follow_up": "Terugkoppeling morgen in het acuut overleg.",
        },
    ),
    response_example("Now in acute consultation", status="acute", is_acute=True, version=5),
]
PERSONS_EXAMPLES = [
    OpenApiExample(
        "The persons of a signal",
        value=_signal_out()["persons"][0],  # drf-spectacular shows it as an item of the list
        response_only=True,
    )
]
_NOTE_OUT = {
    "id": EXAMPLE_NOTE_ID,
    "text": "Bij ons bekend: de studio is vorig jaar gecontroleerd.",
    "organisation": {"id": EXAMPLE_AVIM_ID, "name": "AVIM Limburg"},
    "author": "J. Janssen",
    "created_at": "2026-12-01T09:30:00+01:00",
}
NOTES_EXAMPLES = [OpenApiExample("Notes of partners", value=_NOTE_OUT, response_only=True)]
NOTE_ADD_EXAMPLES = [
    request_example("Add what AVIM knows", {"text": _NOTE_OUT["text"]}),
    OpenApiExample("The note added", value=_NOTE_OUT, response_only=True, status_codes=["201"]),
]
