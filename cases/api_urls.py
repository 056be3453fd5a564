"""API routes, included in ``config.urls`` under ``/api/v1/`` (namespace "api").

URL names: ``api:case-list``, ``api:case-detail``, ``api:case-my-actions``,
``api:case-actions``, ``api:case-action-complete``, ``api:case-action-reopen``,
``api:case-notes``, ``api:case-close``, ``api:case-reopen``, ``api:case-add-signal``.
"""

from rest_framework.routers import SimpleRouter

from .api.case import CaseViewSet

router = SimpleRouter()
router.register("cases", CaseViewSet, basename="case")

urlpatterns = router.urls
