"""Serializers of the screening API: input serializers parse, output serializers render.

As in ``signals.api.serializers`` (whose base and reference fields are reused): input
serializers check types and lengths, refuse fields they do not know and resolve references
by public id — organisations of the user's region, signals the user may see. The rules of
the table (which signal may go on an agenda, which routes combine, who classifies finally)
are the services'; their refusals come back through ``signals.api.errors``.
"""

from __future__ import annotations

import uuid

from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from referrals.routes import Route
from signals import selectors as signal_selectors
from signals.api.serializers import (
    ClassificationField,
    ClassificationsSerializer,
    InputSerializer,
    OrganisationRefField,
    OrganisationRefSerializer,
)
from signals.models import ClassificationRecord, ExploitationForm, Signal

from ..forms import ADVICE_CHECKLIST
from ..workflow import ItemOutcome, ItemState, MeetingStatus

SUMMARY_LENGTH = 300
TEXT_MAX_LENGTH = 10_000  # weighing, advice and partner input (the models' validators)
NOTE_MAX_LENGTH = 5000
REASON_MAX_LENGTH = 500
DIRECTIONS = {"up": -1, "down": 1}


class NamedChoiceField(serializers.ChoiceField):
    """A choice field documented as its own named enum (``schema.NamedChoiceFieldScheme``).

    drf-spectacular names an enum after its field, so this API's ``status`` (of a meeting)
    and the signals API's ``status`` would collide (a warning). A name of its own also tells
    a client what the values are: ``MeetingStatusEnum``, ``AgendaItemStateEnum``.
    """

    def __init__(self, *, enum_name: str, **kwargs):
        self.enum_name = enum_name
        super().__init__(**kwargs)


# --- input --------------------------------------------------------------------------------


class SignalRefField(serializers.SlugRelatedField):
    """A signal the user may see, named by its public id (through ``signals.selectors``).

    A signal the user cannot see (another region's, another organisation's draft) answers
    the same as one that does not exist.
    """

    default_error_messages = {
        "does_not_exist": _("Er is geen signaal met dit id dat u kunt zien."),
        "invalid": _("Geef het id (UUID) van een signaal."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Signal.objects.none())  # replaced per request below
        super().__init__(slug_field="public_id", **kwargs)

    def get_queryset(self):
        return signal_selectors.signal_list(user=self.context["request"].user)

    def to_internal_value(self, data):
        try:
            uuid.UUID(str(data))
        except ValueError:
            self.fail("invalid")
        return super().to_internal_value(data)


class ItemAddInputSerializer(InputSerializer):
    signal = SignalRefField(
        help_text="Id of a registered (or earlier screened) signal of your region. Veilig "
        "Thuis puts it on the agenda; AVIM and the care coordinator propose it."
    )


def item_version_field() -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=1,
        help_text="The version of the agenda item you read. A stale version is refused with 409.",
        error_messages={"required": _("De versie van het agendapunt ontbreekt.")},
    )


class ItemVersionInputSerializer(InputSerializer):
    version = item_version_field()


class MoveInputSerializer(InputSerializer):
    direction = NamedChoiceField(
        enum_name="MoveDirectionEnum",
        choices=list(DIRECTIONS),
        help_text="Swap the item with the one above (up) or below (down) it.",
    )


class ContributionInputSerializer(InputSerializer):
    text = serializers.CharField(
        max_length=TEXT_MAX_LENGTH, help_text="What your organisation knows about this signal."
    )


class ClassifyInputSerializer(InputSerializer):
    kind = NamedChoiceField(
        enum_name="ClassificationKindEnum",
        choices=ClassificationRecord.Kind.choices,
        help_text="preliminary (Veilig Thuis) or final (only a VT officer confirms it).",
    )
    value = ClassificationField()
    reason = serializers.CharField(
        max_length=REASON_MAX_LENGTH,
        allow_blank=True,
        default="",
        help_text="Why; kept in the signal's classification history.",
    )


class DecideInputSerializer(InputSerializer):
    version = item_version_field()
    routes = serializers.ListField(
        child=NamedChoiceField(enum_name="RouteEnum", choices=Route.choices),
        max_length=len(Route.choices),
        help_text="One or more routes; 'none' (no further action) only on its own.",
    )
    weighing = serializers.CharField(max_length=TEXT_MAX_LENGTH, allow_blank=True, default="")
    advice = serializers.CharField(max_length=TEXT_MAX_LENGTH, allow_blank=True, default="")
    advice_checklist = serializers.ListField(
        child=NamedChoiceField(enum_name="AdviceChecklistEnum", choices=ADVICE_CHECKLIST),
        max_length=len(ADVICE_CHECKLIST),
        default=list,
    )
    follow_up_owner = OrganisationRefField(
        allow_null=True,
        default=None,
        help_text="Id of the organisation of your region that follows up; required unless "
        "the route is 'none'.",
    )
    follow_up_due = serializers.DateField(
        allow_null=True, default=None, help_text="Not in the past."
    )
    note = serializers.CharField(
        max_length=NOTE_MAX_LENGTH,
        allow_blank=True,
        default="",
        help_text="Explanation with the route(s).",
    )

    def validate_routes(self, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))  # the same route twice is one route

    def validate_advice_checklist(self, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))


# --- output -------------------------------------------------------------------------------


class SignalOnAgendaSerializer(serializers.Serializer):
    """What the table needs of a signal: no persons, places or full description."""

    id = serializers.UUIDField(source="public_id")
    reference = serializers.CharField()
    municipality = OrganisationRefSerializer()
    forms = serializers.ListField(child=serializers.ChoiceField(choices=ExploitationForm.choices))
    summary = serializers.SerializerMethodField(
        help_text=f"The description, shortened to {SUMMARY_LENGTH} characters."
    )
    classifications = ClassificationsSerializer(source="*")

    def get_summary(self, signal: Signal) -> str:
        return Truncator(signal.description).chars(SUMMARY_LENGTH)


class PartnerInputSerializer(serializers.Serializer):
    organisation = OrganisationRefSerializer()
    text = serializers.CharField()
    created_at = serializers.DateTimeField()


class RouteDecisionSerializer(serializers.Serializer):
    route = NamedChoiceField(enum_name="RouteEnum", choices=Route.choices)
    note = serializers.CharField()


class AgendaItemSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    position = serializers.IntegerField()
    state = NamedChoiceField(
        enum_name="AgendaItemStateEnum",
        choices=ItemState.choices,
        help_text="A proposal (by AVIM or the care coordinator) is discussed once Veilig "
        "Thuis accepts it.",
    )
    signal = SignalOnAgendaSerializer()
    presenter = OrganisationRefSerializer()
    guest_organisation = OrganisationRefSerializer(allow_null=True)
    outcome = NamedChoiceField(enum_name="AgendaItemOutcomeEnum", choices=ItemOutcome.choices)
    weighing = serializers.CharField()
    advice = serializers.CharField()
    advice_checklist = serializers.ListField(
        child=NamedChoiceField(enum_name="AdviceChecklistEnum", choices=ADVICE_CHECKLIST)
    )
    follow_up_owner = OrganisationRefSerializer(allow_null=True)
    follow_up_due = serializers.DateField(allow_null=True)
    times_carried_over = serializers.IntegerField()
    version = serializers.IntegerField()
    inputs = PartnerInputSerializer(many=True)
    decisions = RouteDecisionSerializer(many=True)


class MeetingCountsSerializer(serializers.Serializer):
    items = serializers.IntegerField(source="item_count", help_text="Accepted items.")
    decided = serializers.IntegerField(source="decided_count")
    carried_over = serializers.IntegerField(source="carried_count")
    carried_over_often = serializers.IntegerField(
        source="long_carried_count", help_text="Items carried over more than twice before."
    )


class MeetingListItemSerializer(serializers.Serializer):
    """A row of the list: the meeting without its agenda (that is in the detail)."""

    id = serializers.UUIDField(source="public_id")
    scheduled_for = serializers.DateTimeField()
    agenda_closes_at = serializers.DateTimeField()
    status = NamedChoiceField(enum_name="MeetingStatusEnum", choices=MeetingStatus.choices)
    started_at = serializers.DateTimeField(allow_null=True)
    concluded_at = serializers.DateTimeField(allow_null=True)
    version = serializers.IntegerField()
    counts = MeetingCountsSerializer(source="*")


class MeetingSerializer(MeetingListItemSerializer):
    """A meeting with its agenda: the items the user may see, in agenda order.

    The viewset puts the items read through ``selectors.meeting_items`` on ``agenda``.
    """

    items = AgendaItemSerializer(source="agenda", many=True)
