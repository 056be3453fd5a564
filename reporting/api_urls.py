"""API routes of reporting, included in ``config.urls`` under ``/api/v1/`` (namespace "api").

URL names: ``api:report-dashboard``, ``api:report-comensha``, ``api:report-annual-list``,
``api:report-annual-detail``, ``api:report-annual-file``.
"""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .api.views import AnnualReportViewSet, ComenshaView, DashboardView

router = SimpleRouter()
router.register("reports/annual", AnnualReportViewSet, basename="report-annual")

urlpatterns = [
    path("reports/dashboard/", DashboardView.as_view(), name="report-dashboard"),
    path("reports/comensha/", ComenshaView.as_view(), name="report-comensha"),
    *router.urls,
]
