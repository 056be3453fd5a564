from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.views import errors

admin.site.site_header = "Meldroute mensenhandel — beheer"
admin.site.site_title = "Meldroute beheer"

api_v1 = [
    path("", include("accounts.api_urls")),
    path("", include("signals.api_urls")),
    path("", include("screening.api_urls")),
    path("", include("cases.api_urls")),
    path("", include("cases.trajectory_api_urls")),
    path("", include("referrals.api_urls")),
    path("", include("reporting.api_urls")),
]

urlpatterns = [
    path("", include("accounts.urls")),
    path("", include("signals.urls")),
    path("", include("screening.urls")),
    path("casussen/", include("cases.urls")),
    path("trajecten/", include("cases.trajectory_urls")),
    path("verwijzingen/", include("referrals.urls")),
    path("rapportage/", include("reporting.urls")),
    path("privacy/", include("reporting.privacy_urls", namespace="privacy")),
    path("beheer/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error
