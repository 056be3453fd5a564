"""Cases in the browser: the register and work lists, one case's page, and the steps on it.

Views are thin: a form parses the input, one service or selector does the work, a template
renders it. A case the user may not see answers 404 (``selectors.case_get``), the same as one
that does not exist; a case the user sees but may not act on answers 403 (the ``may_*``
checks, which the services repeat). A step the case's status does not allow, or a stale
version, answers 409 with the Dutch reason; bad input 400 with the form's messages and
nothing saved. Every page that shows a case (list, work list, detail) writes one
access-log entry (NEN 7513).

The case page offers two panels of later parts of the route without importing them: the
referrals' ``referrals/_case_panel.html`` and the trajectories' ``trajectories/_case_panel.html``
are included when those templates exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import select_template
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.audit import record_access, record_list
from accounts.models import AuditLogEntry, User
from accounts.pagination import BoundedPaginator
from signals import selectors as signal_selectors
from signals.services import StaleVersion
from signals.workflow import Status as SignalStatus
from signals.workflow import TransitionNotAllowed

from .. import forms
from ..models import Action, Case
from ..selectors import case as selectors
from ..services import case as services
from ..workflow import CaseStatus

PAGE_SIZE = 25
READ = AuditLogEntry.AccessKind.READ
VIEW = "cases.view_case"
LEAD = "cases.lead_case"

REFERRAL_PANEL = "referrals/_case_panel.html"
TRAJECTORY_PANEL = "trajectories/_case_panel.html"


# --- helpers -----------------------------------------------------------------------------------


def _optional_template(name: str) -> str | None:
    """The template's name if it exists (a later app may not have written it yet)."""
    try:
        select_template([name])
    except TemplateDoesNotExist:
        return None
    return name


def _url_or_none(name: str, **kwargs: Any) -> str | None:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def _short(public_id) -> str:
    """A short, stable form prefix per person or consent (one page holds one form each)."""
    return str(public_id)[:8]


def consent_prefix(person_public_id) -> str:
    return f"consent-{_short(person_public_id)}"


def withdraw_prefix(consent_public_id) -> str:
    return f"withdraw-{_short(consent_public_id)}"


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@dataclass(frozen=True)
class CaseButtons:
    """Which forms the case page offers. The services decide again on every POST."""

    lead: bool  # actions, notes, close and reopen
    change_lead: bool
    consent: bool
    see_consent: bool
    evaluation_url: str | None

    @property
    def any(self) -> bool:
        return self.lead or self.change_lead or bool(self.evaluation_url)


def buttons_for(user: User, case: Case) -> CaseButtons:
    is_open = case.status == CaseStatus.OPEN
    evaluation = None
    if is_open and user.has_perm("screening.manage_agenda"):
        evaluation = _url_or_none("screening:case_evaluation", public_id=case.public_id)
    return CaseButtons(
        lead=services.may_lead(user, case),
        change_lead=is_open and services.may_change_lead(user, case),
        consent=user.has_perm("cases.add_consent"),
        see_consent=user.has_perm("cases.view_consent"),
        evaluation_url=evaluation,
    )


def _persons(case: Case, buttons: CaseButtons, bound: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for link in case.case_persons.all():
        person = link.person
        consents = list(person.consents.all()) if buttons.see_consent else []
        prefix = consent_prefix(person.public_id)
        rows.append(
            {
                "person": person,
                "consents": [
                    (
                        consent,
                        bound.get(withdraw_prefix(consent.public_id))
                        or forms.ConsentWithdrawForm(prefix=withdraw_prefix(consent.public_id)),
                    )
                    for consent in consents
                ],
                "consent_form": bound.get(prefix) or forms.ConsentForm(prefix=prefix),
            }
        )
    return rows


def _render_detail(
    request: HttpRequest,
    case: Case,
    *,
    status: int = 200,
    error: str = "",
    bound: dict[str, Any] | None = None,
) -> HttpResponse:
    user = request.user
    bound = bound or {}
    buttons = buttons_for(user, case)
    actions = list(case.actions.all())
    open_actions = sum(1 for a in actions if a.done_at is None)
    version = {"version": case.version}
    region = case.region_id
    context = {
        "case": case,
        "buttons": buttons,
        "error": error,
        "signals": [link.signal for link in case.case_signals.all()],
        "persons": _persons(case, buttons, bound),
        "actions": actions,
        "open_actions": open_actions,
        "notes": list(case.notes.all()),
        "timeline": selectors.case_timeline(user=user, case=case),
        "action_form": bound.get("action") or forms.ActionForm(prefix="action", region_id=region),
        "note_form": bound.get("note") or forms.NoteForm(prefix="note"),
        "close_form": bound.get("close")
        or forms.CloseForm(prefix="close", initial=version, open_actions=open_actions),
        "reopen_form": bound.get("reopen") or forms.ReopenForm(prefix="reopen", initial=version),
        "lead_form": bound.get("lead")
        or forms.LeadChangeForm(
            prefix="lead",
            region_id=region,
            initial={**version, "lead_kind": case.lead_kind},
        ),
        "bound_form": next(iter(bound.values())) if bound else None,
        "referral_panel_template": _optional_template(REFERRAL_PANEL),
        "trajectory_panel_template": _optional_template(TRAJECTORY_PANEL)
        if user.has_perm("cases.view_trajectory")
        else None,
    }
    record_access(
        kind=READ,
        instance=case,
        extra={"persons": [str(link.person.public_id) for link in case.case_persons.all()]},
    )
    return render(request, "cases/detail.html", context, status=status)


def _case(request: HttpRequest, public_id) -> Case:
    return selectors.case_detail(user=request.user, public_id=public_id)


def _run(
    request: HttpRequest,
    public_id,
    *,
    form_name: str,
    form_factory: Callable[[Case], Any],
    call: Callable[[Case, dict], Any],
    success: Callable[[Case], str],
    allowed: Callable[[User, Case], bool],
    case: Case | None = None,
) -> HttpResponse:
    """The shape of every step on a case: 404, 403, form, one service, redirect or re-render."""
    case = case or _case(request, public_id)
    if not allowed(request.user, case):
        raise PermissionDenied
    form = form_factory(case)
    if not form.is_valid():
        return _render_detail(request, case, status=400, bound={form_name: form})
    try:
        call(case, form.cleaned_data)
    except ValidationError as exc:
        forms.apply_errors(form, exc)
        return _render_detail(request, case, status=400, bound={form_name: form})
    except (TransitionNotAllowed, StaleVersion) as exc:
        return _render_detail(request, case, status=409, error=exc.message, bound={form_name: form})
    messages.success(request, success(case))
    return redirect("cases:detail", public_id=case.public_id)


# --- lists -------------------------------------------------------------------------------------


def _tabs(user: User) -> list[tuple[str, str, str]]:
    tabs = [
        (
            "list",
            reverse("cases:list"),
            _("Register") if selectors.is_register(user) else _("Casussen"),
        ),
        ("mine", reverse("cases:mine"), _("Mijn casussen")),
    ]
    if user.has_perm("cases.view_action"):
        tabs.append(("actions", reverse("cases:my_actions"), _("Mijn acties")))
    return tabs


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    register = selectors.is_register(user)
    filter_form = forms.CaseFilterForm(request.GET or None, user=user, register=register)
    page = BoundedPaginator(
        selectors.case_list(user=user, filters=filter_form.filters()), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    record_list(model=Case, rows=page, query=request.GET)
    return render(
        request,
        "cases/list.html",
        {
            "title": _("Casussen in het register") if register else _("Casussen"),
            "register": register,
            "filter_form": filter_form,
            "searched": filter_form.has_criteria(),
            "page": page,
            "query": _query_without_page(request),
            "tabs": _tabs(user),
            "current_tab": "list",
        },
    )


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def my_cases(request: HttpRequest) -> HttpResponse:
    user = request.user
    page = BoundedPaginator(selectors.my_cases(user=user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    record_list(model=Case, rows=page, query=request.GET)
    return render(
        request,
        "cases/mine.html",
        {
            "page": page,
            "query": _query_without_page(request),
            "tabs": _tabs(user),
            "current_tab": "mine",
        },
    )


def _render_my_actions(request: HttpRequest, *, status: int = 200, error: str = "") -> HttpResponse:
    user = request.user
    page = BoundedPaginator(selectors.my_open_actions(user=user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    record_list(
        model=Action,
        rows=page,
        query=request.GET,
        extra={"cases": sorted({str(a.case.public_id) for a in page})},
    )
    return render(
        request,
        "cases/my_actions.html",
        {
            "page": page,
            "query": _query_without_page(request),
            "tabs": _tabs(user),
            "current_tab": "actions",
            "error": error,
            "today": timezone.localdate(),
        },
        status=status,
    )


@login_required
@permission_required("cases.view_action", raise_exception=True)
@require_GET
def my_actions(request: HttpRequest) -> HttpResponse:
    return _render_my_actions(request)


# --- one case ----------------------------------------------------------------------------------


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def case_detail(request: HttpRequest, public_id) -> HttpResponse:
    return _render_detail(request, _case(request, public_id))


@login_required
@permission_required("cases.open_case", raise_exception=True)
@require_http_methods(["GET", "POST"])
def case_open(request: HttpRequest, signal_id) -> HttpResponse:
    """Veilig Thuis opens a case on a decided signal, or adds it to an open case of the person."""
    user = request.user
    signal = signal_selectors.signal_get(user=user, public_id=signal_id)
    candidates = selectors.cases_to_join(user=user, signal=signal)
    current = selectors.cases_of_signal(user=user, signal=signal)
    choice = request.POST.get("choice") if request.method == "POST" else None
    open_form = forms.CaseOpenForm(
        request.POST if choice == "open" else None, prefix="open", region_id=signal.region_id
    )
    join_form = forms.CaseJoinForm(
        request.POST if choice == "join" else None, prefix="join", cases=candidates
    )
    can_open = signal.status in (SignalStatus.SCREENED, SignalStatus.ACUTE)
    can_join = signal.status in services.OPENABLE_SIGNAL_STATUSES and bool(candidates)
    status, error = 200, ""
    if not (can_open or can_join):
        status = 409
        error = _(
            "Een casus hoort bij een gescreend of acuut besproken signaal. Dit signaal heeft status '%(status)s'."
        ) % {"status": signal.get_status_display()}
    elif request.method == "POST":
        status = 400
        case = None
        try:
            if choice == "open" and open_form.is_valid():
                case = services.case_open(
                    signal=signal,
                    actor=user,
                    lead_organisation=open_form.cleaned_data["lead_organisation"],
                    lead_kind=open_form.cleaned_data["lead_kind"],
                )
                done = _("Casus %(ref)s is geopend.")
            elif choice == "join" and join_form.is_valid():
                case = services.case_add_signal(
                    case=join_form.chosen_case, signal=signal, actor=user
                )
                done = _("Het signaal is toegevoegd aan casus %(ref)s.")
            elif choice not in ("open", "join"):
                error = _("Kies: een nieuwe casus openen of toevoegen aan een bestaande casus.")
        except ValidationError as exc:
            forms.apply_errors(open_form if choice == "open" else join_form, exc)
        if case is not None:
            messages.success(request, done % {"ref": case.reference})
            return redirect("cases:detail", public_id=case.public_id)
    # The page shows the signal's reference and persons' cases: a read of the signal.
    record_access(
        kind=READ,
        instance=signal,
        extra={"cases": [str(c.public_id) for c in [*current, *candidates]]},
    )
    return render(
        request,
        "cases/open.html",
        {
            "signal": signal,
            "victims": [i for i in signal.involvements.all() if i.role == "possible_victim"],
            "current": current,
            "candidates": candidates,
            "open_form": open_form,
            "join_form": join_form,
            "can_open": can_open,
            "can_join": can_join,
            "error": error,
        },
        status=status,
    )


# --- steps on a case ---------------------------------------------------------------------------


@login_required
@permission_required(LEAD, raise_exception=True)
@require_POST
def action_add(request: HttpRequest, public_id) -> HttpResponse:
    return _run(
        request,
        public_id,
        form_name="action",
        allowed=services.may_lead,
        form_factory=lambda c: forms.ActionForm(
            request.POST, prefix="action", region_id=c.region_id
        ),
        call=lambda c, d: services.action_add(
            case=c,
            actor=request.user,
            description=d["description"],
            owner_organisation=d["owner_organisation"],
            due_date=d["due_date"],
        ),
        success=lambda c: _("De actie is toegevoegd."),
    )


def _action_step(request: HttpRequest, public_id, action_id, *, step, success: str) -> HttpResponse:
    """Complete or reopen an action: from the case page, or from "Mijn acties" by its owner."""
    user = request.user
    action = selectors.action_get(user=user, case_public_id=public_id, public_id=action_id)
    if not services.may_change_action(user, action):
        raise PermissionDenied
    sees_case = selectors.cases_visible_to(user).filter(pk=action.case_id).exists()
    try:
        step(action=action, actor=user)
    except (TransitionNotAllowed, StaleVersion) as exc:
        if sees_case:
            return _render_detail(request, _case(request, public_id), status=409, error=exc.message)
        return _render_my_actions(request, status=409, error=exc.message)
    messages.success(request, success)
    if sees_case:
        return redirect("cases:detail", public_id=public_id)
    return redirect("cases:my_actions")


@login_required
@permission_required("cases.change_action", raise_exception=True)
@require_POST
def action_complete(request: HttpRequest, public_id, action_id) -> HttpResponse:
    return _action_step(
        request,
        public_id,
        action_id,
        step=services.action_complete,
        success=_("De actie is afgerond."),
    )


@login_required
@permission_required("cases.change_action", raise_exception=True)
@require_POST
def action_reopen(request: HttpRequest, public_id, action_id) -> HttpResponse:
    return _action_step(
        request,
        public_id,
        action_id,
        step=services.action_reopen,
        success=_("De actie staat weer open."),
    )


@login_required
@permission_required(LEAD, raise_exception=True)
@require_POST
def note_add(request: HttpRequest, public_id) -> HttpResponse:
    return _run(
        request,
        public_id,
        form_name="note",
        allowed=services.may_lead,
        form_factory=lambda c: forms.NoteForm(request.POST, prefix="note"),
        call=lambda c, d: services.case_note_add(case=c, actor=request.user, text=d["text"]),
        success=lambda c: _("De notitie is toegevoegd."),
    )


@login_required
@permission_required(LEAD, raise_exception=True)
@require_POST
def case_close(request: HttpRequest, public_id) -> HttpResponse:
    return _run(
        request,
        public_id,
        form_name="close",
        allowed=services.may_lead,
        form_factory=lambda c: forms.CloseForm(
            request.POST,
            prefix="close",
            open_actions=sum(1 for a in c.actions.all() if a.done_at is None),
        ),
        call=lambda c, d: services.case_close(
            case=c,
            actor=request.user,
            version=d["version"],
            reason=d["reason"],
            note=d["note"],
            confirm_open_actions=d["confirm_open_actions"],
        ),
        success=lambda c: _("Casus %(ref)s is gesloten.") % {"ref": c.reference},
    )


@login_required
@permission_required(LEAD, raise_exception=True)
@require_POST
def case_reopen(request: HttpRequest, public_id) -> HttpResponse:
    return _run(
        request,
        public_id,
        form_name="reopen",
        allowed=services.may_lead,
        form_factory=lambda c: forms.ReopenForm(request.POST, prefix="reopen"),
        call=lambda c, d: services.case_reopen(
            case=c, actor=request.user, version=d["version"], reason=d["reason"]
        ),
        success=lambda c: _("Casus %(ref)s is heropend.") % {"ref": c.reference},
    )


@login_required
@permission_required("cases.change_case", raise_exception=True)
@require_POST
def lead_change(request: HttpRequest, public_id) -> HttpResponse:
    return _run(
        request,
        public_id,
        form_name="lead",
        allowed=services.may_change_lead,
        form_factory=lambda c: forms.LeadChangeForm(
            request.POST, prefix="lead", region_id=c.region_id
        ),
        call=lambda c, d: services.case_lead_change(
            case=c,
            actor=request.user,
            version=d["version"],
            lead_organisation=d["lead_organisation"],
            lead_kind=d["lead_kind"],
        ),
        success=lambda c: _("De regie is overgedragen."),
    )


@login_required
@permission_required("cases.add_consent", raise_exception=True)
@require_POST
def consent_record(request: HttpRequest, public_id, person_id) -> HttpResponse:
    case = _case(request, public_id)
    link = selectors.person_in_case(case=case, public_id=person_id)
    prefix = consent_prefix(person_id)
    return _run(
        request,
        public_id,
        case=case,
        form_name=prefix,
        allowed=lambda user, c: services.may_record_consent(user, link.person),
        form_factory=lambda c: forms.ConsentForm(request.POST, prefix=prefix),
        call=lambda c, d: services.consent_record(
            person=link.person,
            actor=request.user,
            given_by=d["given_by"],
            given_on=d["given_on"],
            scope=d["scope"],
        ),
        success=lambda c: _("De toestemming is vastgelegd."),
    )


@login_required
@permission_required("cases.add_consent", raise_exception=True)
@require_POST
def consent_withdraw(request: HttpRequest, public_id, consent_id) -> HttpResponse:
    case = _case(request, public_id)
    consent = selectors.consent_get(user=request.user, case=case, public_id=consent_id)
    prefix = withdraw_prefix(consent_id)
    return _run(
        request,
        public_id,
        case=case,
        form_name=prefix,
        allowed=lambda user, c: services.may_record_consent(user, consent.person),
        form_factory=lambda c: forms.ConsentWithdrawForm(request.POST, prefix=prefix),
        call=lambda c, d: services.consent_withdraw(
            consent=consent, actor=request.user, withdrawn_on=d["withdrawn_on"]
        ),
        success=lambda c: _("De toestemming is ingetrokken."),
    )
