"""OpenAPI names of the reporting API's enums (see ``serializers.EnumField``)."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiSerializerFieldExtension


class EnumFieldScheme(OpenApiSerializerFieldExtension):
    target_class = "reporting.api.serializers.EnumField"
    match_subclasses = True

    def get_name(self):
        return self.target.enum_name

    def map_serializer_field(self, auto_schema, direction):
        return {"type": "string", "enum": list(self.target.values)}
