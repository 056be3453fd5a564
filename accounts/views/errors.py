"""Dutch error pages. A refused request is written to the security log.

Below ``/api/`` the answer is JSON (``{"detail": ...}``), as the API's own errors are: a URL
that does not resolve there (e.g. an id that is not a UUID) must not answer an HTML page to
an integration that was promised JSON.
"""

import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

security_log = logging.getLogger("meldroute.security")
API_PREFIX = "/api/"


def _for_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    user = getattr(request, "user", None)
    security_log.warning(
        "permission denied user=%s role=%s path=%s method=%s",
        getattr(user, "pk", None),
        getattr(user, "role", None),
        request.path,
        request.method,
    )
    if _for_api(request):
        return JsonResponse(
            {"detail": _("U heeft geen toestemming voor deze handeling.")}, status=403
        )
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _for_api(request):
        return JsonResponse({"detail": _("Niet gevonden.")}, status=404)
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if _for_api(request):
        return JsonResponse({"detail": _("Er ging iets mis op de server.")}, status=500)
    return render(request, "500.html", status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    security_log.warning("csrf failure path=%s reason=%s", request.path, reason)
    return render(request, "403_csrf.html", status=403)
