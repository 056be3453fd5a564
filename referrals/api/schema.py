"""OpenAPI documentation of the referrals API: named enums, error shapes and examples.

The error bodies are the signals API's (``signals.api.errors`` maps the services'
exceptions for every app); only the wording of the descriptions is about referrals here.
"""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework import serializers

from signals.api.errors import CODE_STALE_VERSION, CODE_TRANSITION_NOT_ALLOWED
from signals.api.schema import ErrorSerializer


class NamedChoiceFieldScheme(OpenApiSerializerFieldExtension):
    """Each ``NamedChoiceField`` of this API as the enum component it names."""

    target_class = "referrals.api.serializers.NamedChoiceField"
    match_subclasses = True

    def get_name(self):
        return self.target.enum_name

    def map_serializer_field(self, auto_schema, direction):
        choices = dict(self.target.choices)
        choices.pop("", None)
        return {
            "type": "string",
            "enum": list(choices),
            "description": "\n".join(f"* `{value}` - {label}" for value, label in choices.items()),
        }


class ReferralConflictSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="Why, in Dutch, fit to show to the user.")
    code = serializers.ChoiceField(choices=[CODE_TRANSITION_NOT_ALLOWED, CODE_STALE_VERSION])
    status = serializers.CharField(
        required=False,
        allow_null=True,
        help_text="With transition_not_allowed: the referral's status that does not allow the step.",
    )
    current_version = serializers.IntegerField(
        required=False, help_text="With stale_version: the version the referral has now."
    )


EXAMPLE_REFERRAL_ID = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
EXAMPLE_CASE_ID = "1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e"
EXAMPLE_ZVH_ID = "2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f"
API = "https://meldroute.example.nl/api/v1"

BAD_REQUEST = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="Invalid input or a rule of the referral refused: messages per field. "
    "Nothing was saved.",
    examples=[
        OpenApiExample(
            "No legal basis",
            value={
                "legal_basis": [
                    "Een verwijzing zonder grondslag voor het delen kan niet worden verstuurd. "
                    "Kies de grondslag (toestemming, wettelijke plicht, publieke taak of vitaal "
                    "belang)."
                ]
            },
            status_codes=["400"],
        ),
        OpenApiExample(
            "Victim's file on the administrative route",
            value={
                "shared_fields": [
                    "Bij de bestuurlijke aanpak worden alleen het kenmerk en de plaatsen en "
                    "bedrijven (met de feiten erover) gedeeld, nooit het dossier van het "
                    "slachtoffer."
                ]
            },
            status_codes=["400"],
        ),
    ],
)
FORBIDDEN = OpenApiResponse(
    ErrorSerializer,
    description="You may see this referral but may not do this (e.g. answering a referral "
    "that was not sent to your organisation, or preparing one without the role).",
)
LIST_BAD_REQUEST = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="An invalid filter, a work list (`tab`) that is not for your role, or a cursor "
    "that is not from a `next` or `previous` link: messages per parameter.",
    examples=[
        OpenApiExample(
            "Work list not for the role",
            value={"tab": ["Deze werklijst is niet voor uw rol."]},
            status_codes=["400"],
        ),
        OpenApiExample(
            "Invalid cursor",
            value={
                "cursor": [
                    "Ongeldige cursor: gebruik de next- of previous-link van een eerdere pagina."
                ]
            },
            status_codes=["400"],
        ),
    ],
)
LIST_FORBIDDEN = OpenApiResponse(
    ErrorSerializer,
    description="Your role does not see referrals (e.g. the administrator, the privacy officer "
    "or the policy analyst).",
)
NOT_FOUND = OpenApiResponse(
    ErrorSerializer,
    description="No referral with this id that you may see: a referral of another "
    "organisation answers the same as one that does not exist.",
)
CONFLICT = OpenApiResponse(
    ReferralConflictSerializer,
    description="Refused, nothing changed: the step is not allowed in the referral's status, "
    "or the referral was changed since you read it (send the current version after reloading).",
    examples=[
        OpenApiExample(
            "Completing a referral that was never accepted",
            value={
                "detail": "Een verwijzing die nooit is geaccepteerd, kan niet worden afgerond. "
                "Accepteer de verwijzing eerst, of wijs haar af met een reden.",
                "code": CODE_TRANSITION_NOT_ALLOWED,
                "status": "sent",
            },
            status_codes=["409"],
        ),
        OpenApiExample(
            "Stale version",
            value={
                "detail": "Deze verwijzing is intussen door iemand anders gewijzigd. Laad de "
                "pagina opnieuw en controleer de gegevens.",
                "code": CODE_STALE_VERSION,
                "current_version": 3,
            },
            status_codes=["409"],
        ),
    ],
)


def _referral_out(**overrides) -> dict:
    value = {
        "id": EXAMPLE_REFERRAL_ID,
        "url": f"{API}/referrals/{EXAMPLE_REFERRAL_ID}/",
        "route": "zvh_weighing",
        "status": "sent",
        "receiving_organisation": {"id": EXAMPLE_ZVH_ID, "name": "ZVH Parkstad"},
        "case": None,
        "sent_at": "2026-11-30T10:00:00+01:00",
        "answered_at": None,
        "completed_at": None,
        "is_overdue": False,
        "version": 3,
        "reason": "Graag procesregie en een integraal plan van aanpak.",
        "legal_basis": "public_task",
        "legal_basis_note": "Taak van het Zorg- en Veiligheidshuis.",
        "shared_fields": ["summary", "places"],
        "via_riec": False,
        "instruments": [],
        "consent": None,
        "consent_override_reason": None,
        "response": "",
        "answered_on_behalf": False,
        "feedback": "",
        "plan": None,
        "shared": {
            "fields": ["summary", "places"],
            "summary": {
                "case_reference": "ZL-CAS-2026-00012",
                "signal_references": ["ZL-2026-00042"],
                "municipalities": ["Heerlen"],
                "forms": ["Arbeidsuitbuiting"],
                "classification": "Vermoedelijk slachtoffer",
            },
            "descriptions": None,
            "victims": None,
            "offenders": None,
            "places": [
                {
                    "kind": "company",
                    "name": "Nagelstudio Glans",
                    "address": "Markt 1",
                    "postcode": "6411 AA",
                    "city": "Heerlen",
                    "url": "",
                    "kvk_number": "12345678",
                    "facts": "Open tot middernacht.",
                }
            ],
            "indicators": None,
            "advice": None,
        },
    }
    value.update(overrides)
    return value


RECEIVER_VIEW = OpenApiExample(
    "As the receiving organisation sees it", value=_referral_out(), response_only=True
)
DECLINED_VIEW = OpenApiExample(
    "Declined: the receiver sees the referral alone",
    value=_referral_out(
        status="declined",
        answered_at="2026-12-01T09:00:00+01:00",
        response="Geen capaciteit; verwijs naar ZVH Westelijke Mijnstreek.",
        shared=None,
    ),
    response_only=True,
)
CREATE_EXAMPLE = OpenApiExample(
    "A draft to the ZVH",
    value={
        "case": EXAMPLE_CASE_ID,
        "route": "zvh_weighing",
        "receiving_organisation": EXAMPLE_ZVH_ID,
        "reason": "Graag procesregie en een integraal plan van aanpak.",
    },
    request_only=True,
)
UPDATE_EXAMPLE = OpenApiExample(
    "Legal basis and shared fields",
    value={
        "version": 1,
        "legal_basis": "public_task",
        "legal_basis_note": "Taak van het Zorg- en Veiligheidshuis.",
        "shared_fields": ["summary", "places"],
    },
    request_only=True,
)
VERSION_EXAMPLE = OpenApiExample("The version read", value={"version": 2}, request_only=True)
ACCEPT_EXAMPLE = OpenApiExample(
    "Accept", value={"version": 3, "response": "Procesregisseur wijst zich toe."}, request_only=True
)
DECLINE_EXAMPLE = OpenApiExample(
    "Decline with a reason",
    value={"version": 3, "reason": "Geen capaciteit; verwijs naar ZVH Westelijke Mijnstreek."},
    request_only=True,
)
COMPLETE_EXAMPLE = OpenApiExample(
    "Complete with feedback",
    value={
        "version": 4,
        "feedback": "Plan van aanpak uitgevoerd; casus overgedragen aan het wijkteam.",
    },
    request_only=True,
)
PLAN_EXAMPLE = OpenApiExample(
    "A PDF in base64",
    value={"file_name": "plan-van-aanpak.pdf", "content": "JVBERi0xLjQKJcfs..."},
    request_only=True,
)
