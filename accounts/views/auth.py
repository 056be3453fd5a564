"""Login in two steps: password (with lockout), then a TOTP or backup code.

Nobody is logged in until both steps succeed: after the password step the session only
holds the id of the user who still owes a second factor, for a few minutes. A user without
a confirmed authenticator enrols on that first login (QR code rendered on the server).
Wrong codes count toward the same username+IP lockout as wrong passwords.
"""

from __future__ import annotations

import base64
import io
import logging
import time

import qrcode
import qrcode.image.svg
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, user_logged_in
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import match_token

from .. import services
from ..forms import CodeStepForm, EnrolForm, PasswordStepForm
from ..middleware import SESSION_LOGIN_AT, client_ip
from ..models import User

security_log = logging.getLogger("meldroute.security")

PENDING_KEY = "meldroute_pending_user"
PENDING_AT_KEY = "meldroute_pending_at"
NEXT_KEY = "meldroute_next"


def lockout_response(
    request: HttpRequest, original_response=None, credentials=None
) -> HttpResponse:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    # The address axes locked (behind the proxy: the client, not the proxy itself).
    security_log.warning("login locked out ip=%s", client_ip(request))
    return render(
        request,
        "accounts/locked_out.html",
        {"minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _pending_user(request: HttpRequest) -> User | None:
    user_id = request.session.get(PENDING_KEY)
    started = request.session.get(PENDING_AT_KEY, 0)
    if not user_id or time.time() - started > settings.LOGIN_SECOND_FACTOR_TIMEOUT:
        return None
    return User.objects.filter(pk=user_id, is_active=True).select_related("organisation").first()


def _credentials(user: User) -> dict[str, str]:
    return {"username": user.username}


def _finish_login(request: HttpRequest, user: User, device) -> HttpResponse:
    next_url = request.session.get(NEXT_KEY)
    for key in (PENDING_KEY, PENDING_AT_KEY, NEXT_KEY):
        request.session.pop(key, None)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    otp_login(request, device)
    request.session[SESSION_LOGIN_AT] = timezone.now().isoformat()
    return redirect(_safe_next(request, next_url))


def _code_failed(request: HttpRequest, user: User) -> HttpResponse | None:
    """Count a wrong code toward the lockout; returns the lockout page once it applies."""
    user_login_failed.send(sender=__name__, credentials=_credentials(user), request=request)
    if AxesProxyHandler.is_locked(request, credentials=_credentials(user)):
        request.session.flush()
        return lockout_response(request)
    return None


@require_http_methods(["GET", "POST"])
def login_password(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:home")
    form = PasswordStepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
        )
        if getattr(request, "axes_locked_out", False):
            return lockout_response(request)
        if user is None:
            form.add_error(None, _("Gebruikersnaam of wachtwoord is onjuist."))
        else:
            request.session.cycle_key()
            request.session[PENDING_KEY] = user.pk
            request.session[PENDING_AT_KEY] = time.time()
            request.session[NEXT_KEY] = request.GET.get("next", "")
            if services.totp_device_for(user) is None:
                return redirect("accounts:enrol")
            return redirect("accounts:verify")
    return render(request, "accounts/login.html", {"form": form})


@require_http_methods(["GET", "POST"])
def login_verify(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:home")
    user = _pending_user(request)
    if user is None:
        messages.info(request, _("Uw inlogpoging is verlopen. Begin opnieuw."))
        return redirect("accounts:login")
    if AxesProxyHandler.is_locked(request, credentials=_credentials(user)):
        return lockout_response(request)
    form = CodeStepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # match_token tries the authenticator and the backup codes; TOTP refuses a code that
        # was already used (replay), a backup code is deleted when used.
        device = match_token(user, form.cleaned_data["code"])
        if device is not None:
            return _finish_login(request, user, device)
        locked = _code_failed(request, user)
        if locked is not None:
            return locked
        form.add_error("code", _("Deze code is onjuist of al gebruikt."))
    return render(request, "accounts/verify.html", {"form": form})


@require_http_methods(["GET", "POST"])
def login_enrol(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:home")
    user = _pending_user(request)
    if user is None:
        messages.info(request, _("Uw inlogpoging is verlopen. Begin opnieuw."))
        return redirect("accounts:login")
    if services.totp_device_for(user) is not None:
        # Enrolment is once; replacing an authenticator goes through the administrator.
        return redirect("accounts:verify")
    if AxesProxyHandler.is_locked(request, credentials=_credentials(user)):
        return lockout_response(request)
    device = services.totp_enrolment_start(user=user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = services.totp_enrolment_confirm(user=user, token=form.cleaned_data["code"])
        if result is not None:
            device, codes = result
            _finish_login(request, user, device)
            return render(
                request, "accounts/backup_codes.html", {"codes": codes, "first_time": True}
            )
        locked = _code_failed(request, user)
        if locked is not None:
            return locked
        form.add_error(
            "code", _("Deze code klopt niet. Controleer de tijd op uw telefoon en probeer opnieuw.")
        )
    return render(
        request,
        "accounts/enrol.html",
        {"form": form, "qr_data_uri": _qr_data_uri(device.config_url), "secret": _b32(device)},
    )


def _b32(device) -> str:
    secret = base64.b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _qr_data_uri(content: str) -> str:
    """An SVG QR code made on the server; a data: URI keeps it out of any cache or log."""
    image = qrcode.make(content, image_factory=qrcode.image.svg.SvgPathImage, box_size=12)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, _("U bent uitgelogd."))
    return redirect("accounts:login")


@login_required
@require_POST
def logout_everywhere(request: HttpRequest) -> HttpResponse:
    services.user_logout_everywhere(user=request.user)
    logout(request)
    messages.success(request, _("U bent op alle apparaten uitgelogd."))
    return redirect("accounts:login")


@login_required
@require_POST
def backup_codes_regenerate(request: HttpRequest) -> HttpResponse:
    codes = services.backup_codes_regenerate(user=request.user)
    return render(request, "accounts/backup_codes.html", {"codes": codes, "first_time": False})


def _on_login(sender, request, user, **kwargs):
    security_log.info("login user=%s", user.pk)


user_logged_in.connect(_on_login, dispatch_uid="meldroute_login_log")
