"""Referrals in the browser: the work lists, preparing and sending, answering, the plan.

Views are thin: a form parses the input, one service or selector does the work, a template
renders it. A referral the user may not see answers 404 (``selectors.referral_get``), the
same as one that does not exist; a referral the user sees but may not act on answers 403
before its input is read. An illegal step or a stale version answers 409 with the Dutch
reason. Every page that shows a referral writes one access-log entry (NEN 7513).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.audit import record_access, record_list
from accounts.models import AuditLogEntry, User
from accounts.pagination import BoundedPaginator
from cases.selectors import case as case_selectors
from cases.workflow import CaseStatus
from signals.services import StaleVersion

from . import forms, selectors, services
from .models import Instrument, Referral
from .selectors import Tab
from .workflow import ReferralStatus, TransitionNotAllowed

PAGE_SIZE = 25
VIEW = "referrals.view_referral"
SEND = "referrals.send_referral"
READ = AuditLogEntry.AccessKind.READ
INSTRUMENTS = dict(Instrument.choices)


# --- helpers ------------------------------------------------------------------------------


def _referral(request: HttpRequest, public_id) -> Referral:
    return selectors.referral_get(user=request.user, public_id=public_id)


class Actions:
    """Which forms the detail page offers. The services decide again on every POST."""

    def __init__(self, user: User, referral: Referral):
        status = referral.status
        prepares = services.may_prepare(user, referral)
        answers = services.may_answer(user, referral)
        self.edit = prepares and status == ReferralStatus.DRAFT
        self.send = self.edit
        self.accept = answers and status == ReferralStatus.SENT
        self.decline = self.accept
        self.complete = answers and status == ReferralStatus.ACCEPTED
        self.plan = services.may_attach_plan(user, referral) and status in services.PLAN_STATUSES
        self.on_behalf = answers and services.is_external(referral)

    @property
    def any(self) -> bool:
        return any((self.edit, self.accept, self.complete, self.plan))


def _forms(referral: Referral) -> dict[str, Any]:
    version = {"version": referral.version}
    return {
        "send_form": forms.VersionForm(initial=version, prefix="send"),
        "accept_form": forms.AcceptForm(initial=version, prefix="accept"),
        "decline_form": forms.DeclineForm(initial=version, prefix="decline"),
        "complete_form": forms.CompleteForm(initial=version, prefix="complete"),
        "plan_form": forms.PlanForm(prefix="plan"),
    }


def _render_detail(
    request: HttpRequest,
    referral: Referral,
    *,
    status: int = 200,
    error: str = "",
    bound: dict[str, Any] | None = None,
) -> HttpResponse:
    user = request.user
    view = selectors.referral_shared_view(referral, user)
    context = {
        "referral": referral,
        "view": view,
        "shared": view.shared,
        "actions": Actions(user, referral),
        "instrument_labels": [INSTRUMENTS.get(i, i) for i in referral.instruments],
        "error": error,
        **_forms(referral),
        **(bound or {}),
        "bound_form": next(iter(bound.values())) if bound else None,
    }
    extra: dict[str, Any] = {"shared_fields": view.shared.fields if view.shared else []}
    if view.shared and view.shared.person_ids:
        extra["persons"] = view.shared.person_ids
    record_access(kind=READ, instance=referral, extra=extra)
    return render(request, "referrals/detail.html", context, status=status)


def _run_action(
    request: HttpRequest,
    public_id,
    *,
    allowed: Callable[[User, Referral], bool],
    form_name: str,
    form_factory: Callable[[], Any],
    call: Callable[[Referral, dict], Any],
    success: str,
) -> HttpResponse:
    """The shape of every POST step: 404, 403, form, one service, then redirect or re-render."""
    referral = _referral(request, public_id)
    if not allowed(request.user, referral):
        raise PermissionDenied
    form = form_factory()
    if not form.is_valid():
        return _render_detail(request, referral, status=400, bound={form_name: form})
    try:
        call(referral, form.cleaned_data)
    except ValidationError as exc:
        forms.apply_errors(form, exc)
        return _render_detail(request, referral, status=400, bound={form_name: form})
    except (TransitionNotAllowed, StaleVersion) as exc:
        referral = _referral(request, public_id)
        return _render_detail(request, referral, status=409, error=exc.message)
    messages.success(request, success)
    return redirect("referrals:detail", public_id=referral.public_id)


# --- work lists ---------------------------------------------------------------------------


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def referral_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    tabs = selectors.tabs_for(user)
    tab = request.GET.get("tab") or tabs[0]
    if tab not in tabs:
        raise Http404
    # Counted up to a bound: past it the page says "meer dan" and pages on with "Volgende".
    page = BoundedPaginator(selectors.referral_worklist(user=user, tab=tab), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    record_list(model=Referral, rows=page, query=request.GET, ignore={"page", "tab"})
    return render(
        request,
        "referrals/list.html",
        {
            "tab": tab,
            "tabs": [(t, Tab.LABELS[t]) for t in tabs],
            "page": page,
            "query": f"tab={tab}",
            "answer_days": settings.REFERRAL_ANSWER_WORKING_DAYS,
            "is_vt": user.role in selectors.VT_ROLES,
        },
    )


# --- preparing: draft, edit, send ---------------------------------------------------------


@login_required
@permission_required(SEND, raise_exception=True)
@require_http_methods(["GET", "POST"])
def referral_create(request: HttpRequest, case_id) -> HttpResponse:
    case = case_selectors.case_get(user=request.user, public_id=case_id)
    form = forms.DraftForm(request.POST or None, case=case)
    status = 200
    if case.status != CaseStatus.OPEN:
        form.add_error(None, _("Deze casus is gesloten: heropen hem eerst om te verwijzen."))
        status = 409 if request.method == "POST" else 200
    elif request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                referral = services.referral_draft(
                    case=case,
                    route=data["route"],
                    receiving_organisation=data["receiving_organisation"],
                    reason=data["reason"],
                    actor=request.user,
                )
            except ValidationError as exc:
                forms.apply_errors(form, exc)
            else:
                messages.success(
                    request,
                    _(
                        "De verwijzing is als concept vastgelegd. Kies de grondslag en de gegevens die worden gedeeld, en verstuur haar."
                    ),
                )
                return redirect("referrals:edit", public_id=referral.public_id)
    record_access(kind=READ, instance=case, extra={"page": "referral_create"})
    return render(request, "referrals/create.html", {"case": case, "form": form}, status=status)


@login_required
@permission_required(SEND, raise_exception=True)
@require_GET
def receivers(request: HttpRequest) -> HttpResponse:
    """The receiver options for a route (htmx swaps them into the draft form)."""
    route = request.GET.get("route", "")
    options = forms.receivers_for(request.user.organisation.region_id, route or None)
    return render(request, "referrals/_receiver_options.html", {"options": options, "route": route})


def _edit_form(request: HttpRequest, referral: Referral, data=None) -> forms.EditForm:
    pairs = selectors.victims_with_consents(referral.case, timezone.localdate())
    consents = [c for _person, valid in pairs for c in valid]
    form = forms.EditForm(data, referral=referral, user=request.user, consents=consents)
    form.victims = pairs
    return form


def _render_edit(
    request: HttpRequest, referral: Referral, form: forms.EditForm, *, status: int = 200, error=""
) -> HttpResponse:
    record_access(kind=READ, instance=referral, extra={"page": "referral_edit"})
    return render(
        request,
        "referrals/edit.html",
        {"referral": referral, "form": form, "error": error, "victims": form.victims},
        status=status,
    )


@login_required
@permission_required(SEND, raise_exception=True)
@require_http_methods(["GET", "POST"])
def referral_edit(request: HttpRequest, public_id) -> HttpResponse:
    referral = _referral(request, public_id)
    if not services.may_prepare(request.user, referral):
        raise PermissionDenied
    if referral.status != ReferralStatus.DRAFT:
        return _render_detail(
            request,
            referral,
            status=409,
            error=_("Een verstuurde verwijzing kan niet meer worden gewijzigd (status: %(s)s).")
            % {"s": referral.get_status_display()},
        )
    if request.method == "GET":
        return _render_edit(request, referral, _edit_form(request, referral))
    form = _edit_form(request, referral, request.POST)
    if not form.is_valid():
        return _render_edit(request, referral, form, status=400)
    try:
        services.referral_update(
            referral=referral,
            actor=request.user,
            version=form.cleaned_data["version"],
            data=form.to_input(),
        )
    except ValidationError as exc:
        forms.apply_errors(form, exc)
        return _render_edit(request, referral, form, status=400)
    except (TransitionNotAllowed, StaleVersion) as exc:
        return _render_edit(request, referral, form, status=409, error=exc.message)
    messages.success(request, _("De verwijzing is opgeslagen. Controleer haar en verstuur haar."))
    return redirect("referrals:detail", public_id=referral.public_id)


@login_required
@permission_required(SEND, raise_exception=True)
@require_POST
def referral_send(request: HttpRequest, public_id) -> HttpResponse:
    return _run_action(
        request,
        public_id,
        allowed=services.may_prepare,
        form_name="send_form",
        form_factory=lambda: forms.VersionForm(request.POST, prefix="send"),
        call=lambda r, d: services.referral_send(
            referral=r, actor=request.user, version=d["version"]
        ),
        success=_("De verwijzing is verstuurd."),
    )


# --- answering ----------------------------------------------------------------------------


@login_required
@permission_required(VIEW, raise_exception=True)
@require_POST
def referral_accept(request: HttpRequest, public_id) -> HttpResponse:
    return _run_action(
        request,
        public_id,
        allowed=services.may_answer,
        form_name="accept_form",
        form_factory=lambda: forms.AcceptForm(request.POST, prefix="accept"),
        call=lambda r, d: services.referral_accept(
            referral=r, actor=request.user, version=d["version"], response=d["response"]
        ),
        success=_("De verwijzing is geaccepteerd."),
    )


@login_required
@permission_required(VIEW, raise_exception=True)
@require_POST
def referral_decline(request: HttpRequest, public_id) -> HttpResponse:
    return _run_action(
        request,
        public_id,
        allowed=services.may_answer,
        form_name="decline_form",
        form_factory=lambda: forms.DeclineForm(request.POST, prefix="decline"),
        call=lambda r, d: services.referral_decline(
            referral=r, actor=request.user, version=d["version"], reason=d["reason"]
        ),
        success=_("De verwijzing is afgewezen."),
    )


@login_required
@permission_required(VIEW, raise_exception=True)
@require_POST
def referral_complete(request: HttpRequest, public_id) -> HttpResponse:
    return _run_action(
        request,
        public_id,
        allowed=services.may_answer,
        form_name="complete_form",
        form_factory=lambda: forms.CompleteForm(request.POST, prefix="complete"),
        call=lambda r, d: services.referral_complete(
            referral=r, actor=request.user, version=d["version"], feedback=d["feedback"]
        ),
        success=_("De verwijzing is afgerond; de terugkoppeling staat bij de casus."),
    )


# --- detail and the plan ------------------------------------------------------------------


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def referral_detail(request: HttpRequest, public_id) -> HttpResponse:
    return _render_detail(request, _referral(request, public_id))


@login_required
@permission_required(VIEW, raise_exception=True)
@require_POST
def plan_upload(request: HttpRequest, public_id) -> HttpResponse:
    return _run_action(
        request,
        public_id,
        allowed=services.may_attach_plan,
        form_name="plan_form",
        form_factory=lambda: forms.PlanForm(request.POST, request.FILES, prefix="plan"),
        call=lambda r, d: services.referral_attach_plan(
            referral=r, actor=request.user, upload=d["file"]
        ),
        success=_("Het plan van aanpak is toegevoegd."),
    )


def plan_response(referral: Referral) -> FileResponse:
    """The plan as a download: 404 when there is none (or its file is gone)."""
    if not referral.plan:
        raise Http404
    try:
        handle = referral.plan.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    record_access(kind=READ, instance=referral, extra={"file": "plan"})
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=referral.plan_name or "plan-van-aanpak",
        content_type=referral.plan_content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def plan_download(request: HttpRequest, public_id) -> FileResponse:
    """Only for who may see the referral; the receiver not after a decline (a plan needs an
    acceptance, so a declined referral has none)."""
    return plan_response(_referral(request, public_id))
