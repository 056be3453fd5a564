"""Routes of the trajectories API, included in ``config.urls`` under ``/api/v1/`` (namespace "api").

URL names: ``api:trajectory-list``, ``api:trajectory-detail``, ``api:trajectory-phase``,
``api:trajectory-placements`` (GET, POST), ``api:trajectory-placement-end``,
``api:trajectory-reflection-period``, ``api:trajectory-care-meetings`` (GET, POST),
``api:trajectory-comensha-reported`` (kwargs ``public_id`` and, to end a placement,
``placement_id``).
"""

from rest_framework.routers import SimpleRouter

from .api.trajectory import TrajectoryViewSet

router = SimpleRouter()
router.register("trajectories", TrajectoryViewSet, basename="trajectory")

urlpatterns = router.urls
