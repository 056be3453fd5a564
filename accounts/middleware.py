"""Session policy, audit context and response headers for every request."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.messages.storage import default_storage
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import RequestContext, request_context

SESSION_LOGIN_AT = "meldroute_login_at"
API_PREFIX = "/api/"


def client_ip(request: HttpRequest) -> str | None:
    """The client address as the trusted proxy chain saw it.

    With ``TRUSTED_PROXY_COUNT = n`` the address is the n-th entry from the right of
    X-Forwarded-For (what our own proxies appended); entries further left are written by the
    client and are never trusted. Without proxies it is REMOTE_ADDR.
    """
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        forwarded = [
            p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()
        ]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")


def _exempt_from_second_factor(path: str) -> bool:
    return path.startswith(("/inloggen", "/uitloggen", "/static/", "/favicon"))


class SessionPolicyMiddleware:
    """Absolute session lifetime, "log out everywhere", and no session without a second factor.

    The idle timeout is Django's own (SESSION_COOKIE_AGE renewed on every request).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            reason = self._end_reason(request)
            if reason:
                logout(request)
                return self._to_login(request, reason)
        return self.get_response(request)

    def _to_login(self, request: HttpRequest, reason: str) -> HttpResponse:
        if request.path.startswith(API_PREFIX):
            # An API client gets what DRF answers without credentials, not an HTML login page.
            response = JsonResponse({"detail": reason}, status=401)
            response["WWW-Authenticate"] = "Token"
            return response
        # This middleware runs before MessageMiddleware, and the redirect returned here never
        # reaches it: keep the message in a storage of our own and write it to the response.
        storage = getattr(request, "_messages", None)
        own_storage = storage is None
        if own_storage:
            storage = request._messages = default_storage(request)
        messages.info(request, reason)
        response = redirect(
            f"{reverse('accounts:login')}?{urlencode({'next': request.get_full_path()}, safe='/')}"
        )
        if own_storage:
            storage.update(response)
        return response

    def _end_reason(self, request: HttpRequest) -> str | None:
        user = request.user
        raw = request.session.get(SESSION_LOGIN_AT)
        login_at = datetime.fromisoformat(raw) if raw else None
        if not request.user.is_verified() or login_at is None:
            # A session without a verified second factor is not a login (e.g. an admin
            # login form or a forged session): end it.
            return _("Log opnieuw in met uw wachtwoord en verificatiecode.")
        if (timezone.now() - login_at).total_seconds() > settings.SESSION_ABSOLUTE_LIFETIME:
            return _("Uw sessie is verlopen. Log opnieuw in.")
        if user.sessions_revoked_at and login_at <= user.sessions_revoked_at:
            return _("U bent overal uitgelogd. Log opnieuw in.")
        return None


class AuditContextMiddleware:
    """Makes the acting user, organisation, address and page available to every audit entry."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user if request.user.is_authenticated else None
        ctx = RequestContext(
            user=user,
            remote_addr=client_ip(request),
            path=request.path,
            method=request.method or "",
        )
        with request_context(ctx):
            return self.get_response(request)


class NoStoreMiddleware:
    """Nothing with personal data may stay in a browser or proxy cache."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(settings.STATIC_URL):
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response
