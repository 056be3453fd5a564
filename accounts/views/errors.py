"""Dutch error pages. A refused request is written to the security log."""

import logging

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

security_log = logging.getLogger("meldroute.security")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    user = getattr(request, "user", None)
    security_log.warning(
        "permission denied user=%s role=%s path=%s method=%s",
        getattr(user, "pk", None),
        getattr(user, "role", None),
        request.path,
        request.method,
    )
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    security_log.warning("csrf failure path=%s reason=%s", request.path, reason)
    return render(request, "403_csrf.html", status=403)
