"""API routes, included in ``config.urls`` under ``/api/v1/`` (namespace "api").

URL names: ``api:referral-list``, ``api:referral-detail``, ``api:referral-send``,
``api:referral-accept``, ``api:referral-decline``, ``api:referral-complete``,
``api:referral-plan`` (GET the plan, POST a new one).
"""

from rest_framework.routers import SimpleRouter

from .api.viewsets import ReferralViewSet

router = SimpleRouter()
router.register("referrals", ReferralViewSet, basename="referral")

urlpatterns = router.urls
