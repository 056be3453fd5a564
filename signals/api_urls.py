"""Routes of the signals API, included in ``config.urls`` under ``/api/v1/`` (namespace "api").

URL names: ``api:signal-list``, ``api:signal-detail``, ``api:signal-submit``,
``api:signal-register``, ``api:signal-mark-acute``, ``api:signal-close-internally``,
``api:signal-acute-consultation``, ``api:signal-persons``, ``api:signal-notes``.
"""

from rest_framework.routers import SimpleRouter

from .api.viewsets import SignalViewSet

router = SimpleRouter()
router.register("signals", SignalViewSet, basename="signal")

urlpatterns = router.urls
