"""A test-only URLconf: tiny views and a viewset that use the read-logging mixins.

Organisation stands in for a model with personal data; the real apps apply the same mixins.
"""

from django.http import HttpResponse
from django.urls import include, path
from django.views.generic import DetailView, ListView
from rest_framework import serializers, viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.routers import SimpleRouter

from accounts.audit_views import (
    AccessLoggedDetailMixin,
    AccessLoggedListMixin,
    AccessLoggedViewSetMixin,
)
from accounts.models import Organisation
from config.urls import urlpatterns as project_urlpatterns


class OrganisationSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)

    class Meta:
        model = Organisation
        fields = ["id", "name", "kind"]


class ThreePerPage(PageNumberPagination):
    page_size = 3


class OrganisationViewSet(AccessLoggedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = OrganisationSerializer
    pagination_class = ThreePerPage
    lookup_field = "public_id"
    filterset_fields = ["kind"]

    def get_queryset(self):
        region_id = self.request.user.organisation.region_id
        return Organisation.objects.filter(region_id=region_id).order_by("name")


class OrganisationDetailView(AccessLoggedDetailMixin, DetailView):
    slug_field = slug_url_kwarg = "public_id"

    def get_queryset(self):
        return Organisation.objects.filter(region_id=self.request.user.organisation.region_id)

    def render_to_response(self, context, **response_kwargs):
        return HttpResponse(self.object.name)


class OrganisationListView(AccessLoggedListMixin, ListView):
    paginate_by = 2
    template_name = "accounts/home.html"  # any template: the test reads the logged rows

    def get_queryset(self):
        return Organisation.objects.order_by("name")


router = SimpleRouter()
router.register("organisations", OrganisationViewSet, basename="test-organisation")

# The project's URLs stay reachable: templates and the menu link to them.
urlpatterns = [
    *project_urlpatterns,
    path("test-api/", include(router.urls)),
    path("organisaties/", OrganisationListView.as_view(), name="test-organisation-list"),
    path(
        "organisaties/<uuid:public_id>/",
        OrganisationDetailView.as_view(),
        name="test-organisation-detail",
    ),
]
