"""API base: ``/api/v1/me/``."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


class OrganisationSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    name = serializers.CharField()
    kind = serializers.CharField()
    region = serializers.CharField(source="region.name")


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    role = serializers.CharField()
    role_display = serializers.CharField(source="get_role_display")
    organisation = OrganisationSerializer()


class MeView(APIView):
    @extend_schema(responses=MeSerializer, summary="The logged-in user, its role and organisation")
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(request.user).data)
