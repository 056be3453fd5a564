from django.utils.functional import SimpleLazyObject

from .models import Notification
from .navigation import items_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    return {"nav_items": items_for(user), **notifications(request)}


def notifications(request):
    """The unread count for the bell in the header: one COUNT, and only if a page shows it.

    Returned by ``navigation`` as well, so the header works without a second entry in
    TEMPLATES; lazy, so partials and file downloads never pay for it.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_notification_count": SimpleLazyObject(
            lambda: Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        )
    }
