"""The list's query parameters, parsed into the selector's ``SignalFilters``.

The same criteria as the register in the browser; a municipality is named by its public id.
An invalid value is a precise 400, not silently dropped (an integration would otherwise get
a larger list than it asked for).
"""

from __future__ import annotations

from rest_framework import serializers

from ..models import ExploitationForm, Source
from ..selectors import ORDERINGS, SignalFilters
from ..workflow import Status
from .serializers import ClassificationField, MunicipalityRefField


class SignalFilterSerializer(serializers.Serializer):
    q = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text="Full-text search in the description and the names of persons; "
        "case and accents do not matter ('muller' finds 'Müller').",
    )
    status = serializers.ChoiceField(choices=Status.choices, required=False, allow_blank=True)
    source = serializers.ChoiceField(choices=Source.choices, required=False, allow_blank=True)
    municipality = MunicipalityRefField(
        include_inactive=True, required=False, help_text="Id of a municipality of your region."
    )
    form = serializers.ChoiceField(
        choices=ExploitationForm.choices, required=False, allow_blank=True
    )
    classification = ClassificationField(
        required=False,
        allow_blank=True,
        help_text="The final classification, or else the preliminary one.",
    )
    is_acute = serializers.BooleanField(required=False, allow_null=True, default=None)
    received_from = serializers.DateField(required=False)
    received_to = serializers.DateField(required=False)
    ordering = serializers.ChoiceField(
        choices=list(ORDERINGS), required=False, default=SignalFilters.ordering
    )

    def to_filters(self) -> SignalFilters:
        data = self.validated_data
        municipality = data.get("municipality")
        return SignalFilters(
            status=data.get("status", ""),
            source=data.get("source", ""),
            municipality=municipality.pk if municipality else None,
            form=data.get("form", ""),
            classification=data.get("classification", ""),
            is_acute=data.get("is_acute"),
            received_from=data.get("received_from"),
            received_to=data.get("received_to"),
            q=data.get("q", "").strip(),
            ordering=data["ordering"],
        )
