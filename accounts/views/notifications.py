"""In-app notifications (e.g. an acute signal): the list, and marking them read.

A notice holds a reference and a link, never personal data, so reading the list is not an
access to a record; the record it links to logs its own read.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import services
from ..models import Notification

PAGE_SIZE = 50


def _internal(url: str) -> str:
    # Notices link inside the application only: a path, never another host.
    return url if url.startswith("/") and not url.startswith("//") else ""


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    # Only the user's own notices; the (recipient, read_at) index serves the filter.
    notices = Notification.objects.filter(recipient=request.user).order_by("-created_at", "-pk")
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(n, _internal(n.url)) for n in page]
    return render(request, "accounts/notifications.html", {"page": page, "rows": rows})


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    count = services.notifications_mark_read(user=request.user)
    if count:
        messages.success(request, _("Alle meldingen zijn als gelezen gemarkeerd."))
    return redirect("accounts:notifications")
