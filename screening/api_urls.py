"""Routes of the screening API, included in ``config.urls`` under ``/api/v1/`` (namespace "api").

URL names: ``api:meeting-list``, ``api:meeting-detail``, ``api:meeting-close-agenda``,
``api:meeting-start``, ``api:meeting-conclude``, ``api:meeting-items`` (add an item),
``api:meeting-item-detail`` (remove it), ``api:meeting-item-accept``, ``api:meeting-item-move``,
``api:meeting-item-input``, ``api:meeting-item-classify``, ``api:meeting-item-decide``,
``api:meeting-item-carry-over`` (kwargs ``public_id`` and, for an item, ``item_id``).
"""

from rest_framework.routers import SimpleRouter

from .api.viewsets import MeetingViewSet

router = SimpleRouter()
router.register("screening/meetings", MeetingViewSet, basename="meeting")

urlpatterns = router.urls
