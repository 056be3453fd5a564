"""The screening table in the browser: overview, agenda preparation and meeting mode.

Meeting mode is one page; every action on an item posts with htmx and gets back only that
item, so nobody at the table loses their place. Without JavaScript the same POSTs
redirect back to the page.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.audit import record_access
from accounts.models import AuditLogEntry, Organisation
from cases.selectors import case as case_selectors
from signals.models import Signal
from signals.services import StaleVersion
from signals.workflow import TransitionNotAllowed

from . import forms, handoff, selectors, services
from .documents import agenda_pdf
from .models import AgendaItem, Meeting
from .workflow import AGENDA_EDITABLE, MeetingStatus

VIEW = "screening.view_meeting"
MANAGE = "screening.manage_agenda"
CONTRIBUTE = "screening.contribute_to_meeting"


def _require_manage(request: HttpRequest) -> None:
    """Checked before any input is read: a role that may not act gets 403, not a form error."""
    if not request.user.has_perm(MANAGE):
        raise PermissionDenied


def _meeting(request: HttpRequest, public_id) -> Meeting:
    return selectors.meeting_get(user=request.user, public_id=public_id)


def _item(request: HttpRequest, meeting: Meeting, item_id) -> AgendaItem:
    return selectors.item_get(user=request.user, meeting=meeting, public_id=item_id)


def _apply_errors(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        target = field if field in form.fields else None
        for error in errors:
            form.add_error(target, error)


def _region_organisations(meeting: Meeting) -> list[Organisation]:
    """Read once per request: every form on the page renders its choices from this list."""
    return list(
        Organisation.objects.filter(region_id=meeting.region_id, is_active=True).order_by("name")
    )


def _attach_forms(
    item: AgendaItem,
    meeting: Meeting,
    organisations: list[Organisation],
    *,
    decide: bool,
    bound: forms.DecideForm | None = None,
) -> AgendaItem:
    """An item's settings form, and (when asked) its decision form; ids unique on the page."""
    item.configure_form = forms.ItemConfigureForm(
        region_id=meeting.region_id,
        organisations=organisations,
        auto_id=f"c{item.public_id.hex[:10]}_%s",
        initial={
            "version": item.version,
            "presenter": item.presenter_id,
            "guest_organisation": item.guest_organisation_id,
        },
    )
    if bound is not None:
        item.decide_form = bound
    elif decide:
        item.decide_form = forms.DecideForm(
            region_id=meeting.region_id,
            organisations=organisations,
            auto_id=f"d{item.public_id.hex[:10]}_%s",
            initial={
                "version": item.version,
                "weighing": item.weighing,
                "advice": item.advice,
                "advice_checklist": item.advice_checklist,
                "routes": [d.route for d in item.decisions.all()],
                "follow_up_owner": item.follow_up_owner_id,
                "follow_up_due": item.follow_up_due,
            },
        )
    return item


def _item_response(
    request: HttpRequest, meeting: Meeting, item_id, *, status: int = 200, forms_by_name=None
):
    if not request.htmx:
        if forms_by_name:
            for form in forms_by_name.values():
                for errors in form.errors.values():
                    messages.error(request, " ".join(errors))
        return redirect("screening:detail", public_id=meeting.public_id)
    meeting.refresh_from_db()
    forms_by_name = forms_by_name or {}
    item = _attach_forms(
        _item(request, meeting, item_id),
        meeting,
        _region_organisations(meeting),
        decide=bool(forms_by_name),
        bound=forms_by_name.get("decide"),
    )
    context = _meeting_context(request, meeting, with_items=False) | {
        "item": item,
        "item_forms": forms_by_name,
    }
    return render(request, "screening/_item.html", context, status=status)


def _agenda_response(request: HttpRequest, meeting: Meeting, *, status: int = 200):
    if not request.htmx:
        return redirect("screening:detail", public_id=meeting.public_id)
    meeting.refresh_from_db()
    return render(
        request, "screening/_agenda.html", _meeting_context(request, meeting), status=status
    )


def _meeting_context(request: HttpRequest, meeting: Meeting, *, with_items: bool = True) -> dict:
    user = request.user
    organisations = _region_organisations(meeting)
    items = []
    if with_items:
        # Decision forms are loaded per item when it is opened (item_forms): rendering 60 of
        # them made meeting mode take over a second.
        items = [
            _attach_forms(item, meeting, organisations, decide=False)
            for item in selectors.meeting_items(user=user, meeting=meeting)
        ]
        # After the conclusion each item links to the cases it went to, if the user may see them.
        cases = selectors.handed_off_cases(user=user, meeting=meeting)
        for item in items:
            item.handed_off_cases = cases.get(item.pk, [])
    return {
        "meeting": meeting,
        "items": items,
        "can_manage": user.has_perm(MANAGE),
        "can_propose": user.has_perm(MANAGE) or user.has_perm(CONTRIBUTE),
        "can_conclude": user.has_perm("screening.conclude_meeting"),
        "agenda_editable": meeting.status in AGENDA_EDITABLE,
        "in_session": meeting.status == MeetingStatus.IN_SESSION,
        "concluded": meeting.status == MeetingStatus.CONCLUDED,
        "is_vt_officer": user.role == "vt_officer",
        "region_id": meeting.region_id,
        "add_form": forms.ItemAddForm(),
        "attendance_form": forms.AttendanceForm(
            region_id=meeting.region_id, organisations=organisations
        ),
        "addendum_form": forms.AddendumForm(),
    }


@login_required
@require_GET
def item_forms(request: HttpRequest, public_id, item_id) -> HttpResponse:
    """The input, classification and decision forms of one item, loaded when it is opened."""
    meeting = _meeting(request, public_id)
    item = _item(request, meeting, item_id)
    if not (request.user.has_perm(MANAGE) or services.may_contribute(request.user, item)):
        raise PermissionDenied
    item = _attach_forms(item, meeting, _region_organisations(meeting), decide=True)
    context = _meeting_context(request, meeting, with_items=False) | {
        "item": item,
        "item_forms": {},
    }
    return render(request, "screening/_item_forms.html", context)


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    meetings = selectors.meeting_list(user=request.user)[:26]
    return render(
        request,
        "screening/overview.html",
        {
            "upcoming": selectors.meeting_upcoming(user=request.user),
            "meetings": meetings,
            "to_route": selectors.decisions_to_route(user=request.user)[:100],
            "carry_over_alert": selectors.CARRY_OVER_ALERT,
        },
    )


@login_required
@require_GET
def detail(request: HttpRequest, public_id) -> HttpResponse:
    """The table's roles see the whole meeting; a guest organisation only its own item."""
    meeting = _meeting(request, public_id)
    context = _meeting_context(request, meeting)
    # The agenda shows signals (descriptions, and partner input about persons): log the read.
    extra = {"signal_ids": [str(i.signal.public_id) for i in context["items"]]}
    case_ids = sorted({str(c.public_id) for i in context["items"] for c in i.handed_off_cases})
    if case_ids:
        extra["case_ids"] = case_ids
    record_access(kind=AuditLogEntry.AccessKind.READ, instance=meeting, extra=extra)
    return render(request, "screening/meeting.html", context)


# --- preparing the agenda ----------------------------------------------------------------


@login_required
@require_POST
def item_add(request: HttpRequest, public_id) -> HttpResponse:
    meeting = _meeting(request, public_id)
    if not (request.user.has_perm(MANAGE) or request.user.has_perm(CONTRIBUTE)):
        raise PermissionDenied
    form = forms.ItemAddForm(request.POST)
    if form.is_valid():
        signal = (
            Signal.objects.visible_to(request.user)
            .filter(reference=form.cleaned_data["reference"].strip().upper())
            .first()
        )
        if signal is None:
            messages.error(request, _("Geen signaal gevonden met dit kenmerk."))
            return _agenda_response(request, meeting, status=400)
        try:
            services.agenda_item_add(meeting=meeting, signal=signal, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return _agenda_response(request, meeting, status=400)
        except TransitionNotAllowed as exc:
            messages.error(request, exc.message)
            return _agenda_response(request, meeting, status=409)
        messages.success(
            request, _("Signaal %(ref)s staat op de agenda.") % {"ref": signal.reference}
        )
    else:
        messages.error(request, _("Vul het kenmerk van een signaal in."))
        return _agenda_response(request, meeting, status=400)
    return _agenda_response(request, meeting)


def _agenda_action(request: HttpRequest, public_id, item_id, action) -> HttpResponse:
    meeting = _meeting(request, public_id)
    item = _item(request, meeting, item_id)
    _require_manage(request)
    try:
        action(item)
    except (TransitionNotAllowed, StaleVersion) as exc:
        messages.error(request, exc.message)
        return _agenda_response(request, meeting, status=409)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _agenda_response(request, meeting, status=400)
    return _agenda_response(request, meeting)


@login_required
@require_POST
def item_remove(request: HttpRequest, public_id, item_id) -> HttpResponse:
    return _agenda_action(
        request,
        public_id,
        item_id,
        lambda item: services.agenda_item_remove(item=item, actor=request.user),
    )


@login_required
@require_POST
def item_accept(request: HttpRequest, public_id, item_id) -> HttpResponse:
    return _agenda_action(
        request,
        public_id,
        item_id,
        lambda item: services.agenda_item_accept(item=item, actor=request.user),
    )


@login_required
@require_POST
def item_move(request: HttpRequest, public_id, item_id) -> HttpResponse:
    _item(request, _meeting(request, public_id), item_id)
    _require_manage(request)
    form = forms.MoveForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    offset = -1 if form.cleaned_data["direction"] == "up" else 1
    return _agenda_action(
        request,
        public_id,
        item_id,
        lambda item: services.agenda_item_move(item=item, actor=request.user, offset=offset),
    )


@login_required
@require_POST
def item_configure(request: HttpRequest, public_id, item_id) -> HttpResponse:
    meeting = _meeting(request, public_id)
    _item(request, meeting, item_id)
    _require_manage(request)
    form = forms.ItemConfigureForm(request.POST, region_id=meeting.region_id)
    if not form.is_valid():
        messages.error(request, _("Kies een inbrenger uit de regio."))
        return _agenda_response(request, meeting, status=400)
    data = services.ItemSettings(
        presenter=form.cleaned_data["presenter"],
        guest_organisation=form.cleaned_data["guest_organisation"],
    )
    return _agenda_action(
        request,
        public_id,
        item_id,
        lambda item: services.agenda_item_configure(
            item=item, actor=request.user, version=form.cleaned_data["version"], data=data
        ),
    )


def _meeting_action(request: HttpRequest, public_id, action, success: str) -> HttpResponse:
    meeting = _meeting(request, public_id)
    try:
        action(meeting)
    except TransitionNotAllowed as exc:
        messages.error(request, exc.message)
        return redirect("screening:detail", public_id=meeting.public_id)
    messages.success(request, success)
    return redirect("screening:detail", public_id=meeting.public_id)


@login_required
@require_POST
def close_agenda(request: HttpRequest, public_id) -> HttpResponse:
    return _meeting_action(
        request,
        public_id,
        lambda m: services.agenda_close(meeting=m, actor=request.user),
        _("De agenda is gesloten."),
    )


@login_required
@require_POST
def start(request: HttpRequest, public_id) -> HttpResponse:
    return _meeting_action(
        request,
        public_id,
        lambda m: services.meeting_start(meeting=m, actor=request.user),
        _("Het overleg is gestart."),
    )


@login_required
@require_POST
def conclude(request: HttpRequest, public_id) -> HttpResponse:
    return _meeting_action(
        request,
        public_id,
        lambda m: services.meeting_conclude(meeting=m, actor=request.user),
        _("Het overleg is afgerond. Het verslag wordt gemaakt."),
    )


@login_required
@require_POST
def attendance(request: HttpRequest, public_id) -> HttpResponse:
    meeting = _meeting(request, public_id)
    _require_manage(request)
    form = forms.AttendanceForm(request.POST, region_id=meeting.region_id)
    if form.is_valid():
        try:
            services.attendance_record(
                meeting=meeting,
                actor=request.user,
                organisation=form.cleaned_data["organisation"],
                present=form.cleaned_data["present"],
            )
            messages.success(request, _("Aanwezigheid vastgelegd."))
        except TransitionNotAllowed as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Kies een organisatie uit de regio."))
    return redirect("screening:detail", public_id=meeting.public_id)


@login_required
@require_POST
def addendum(request: HttpRequest, public_id) -> HttpResponse:
    meeting = _meeting(request, public_id)
    _require_manage(request)
    form = forms.AddendumForm(request.POST)
    if form.is_valid():
        try:
            services.addendum_add(
                meeting=meeting, actor=request.user, text=form.cleaned_data["text"]
            )
            messages.success(request, _("Het addendum is toegevoegd."))
        except TransitionNotAllowed as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Schrijf de correctie."))
    return redirect("screening:detail", public_id=meeting.public_id)


# --- meeting mode: one item at a time ------------------------------------------------------


def _item_action(
    request: HttpRequest, public_id, item_id, form_class, name: str, call, *, manage: bool = True
) -> HttpResponse:
    """One item action in meeting mode: 404, then 403 before any input is read, then the form."""
    meeting = _meeting(request, public_id)
    item = _item(request, meeting, item_id)
    if manage:
        _require_manage(request)
    elif not services.may_contribute(request.user, item):
        raise PermissionDenied
    if issubclass(form_class, forms.DecideForm):
        form = form_class(
            request.POST, region_id=meeting.region_id, auto_id=f"d{item.public_id.hex[:10]}_%s"
        )
    else:
        form = form_class(request.POST)
    if not form.is_valid():
        return _item_response(
            request, meeting, item.public_id, status=400, forms_by_name={name: form}
        )
    try:
        call(item, form.cleaned_data)
    except ValidationError as exc:
        _apply_errors(form, exc)
        return _item_response(
            request, meeting, item.public_id, status=400, forms_by_name={name: form}
        )
    except (TransitionNotAllowed, StaleVersion) as exc:
        form.add_error(None, exc.message)
        return _item_response(
            request, meeting, item.public_id, status=409, forms_by_name={name: form}
        )
    return _item_response(request, meeting, item.public_id)


@login_required
@require_POST
def item_input(request: HttpRequest, public_id, item_id) -> HttpResponse:
    return _item_action(
        request,
        public_id,
        item_id,
        forms.InputForm,
        "input",
        lambda item, data: services.partner_input_add(
            item=item, actor=request.user, text=data["text"]
        ),
        manage=False,
    )


@login_required
@require_POST
def item_classify(request: HttpRequest, public_id, item_id) -> HttpResponse:
    return _item_action(
        request,
        public_id,
        item_id,
        forms.ClassifyForm,
        "classify",
        lambda item, data: services.item_classify(
            item=item,
            actor=request.user,
            kind=data["kind"],
            value=data["value"],
            reason=data["reason"],
        ),
    )


@login_required
@require_POST
def item_decide(request: HttpRequest, public_id, item_id) -> HttpResponse:
    def call(item, data):
        decision = services.Decision(
            routes=data["routes"],
            weighing=data["weighing"],
            advice=data["advice"],
            advice_checklist=data["advice_checklist"],
            follow_up_owner=data["follow_up_owner"],
            follow_up_due=data["follow_up_due"],
            note=data["note"],
        )
        services.item_decide(
            item=item, actor=request.user, version=data["version"], decision=decision
        )

    return _item_action(request, public_id, item_id, forms.DecideForm, "decide", call)


@login_required
@require_POST
def item_carry_over(request: HttpRequest, public_id, item_id) -> HttpResponse:
    return _item_action(
        request,
        public_id,
        item_id,
        forms.VersionForm,
        "carry_over",
        lambda item, data: services.item_carry_over(
            item=item, actor=request.user, version=data["version"]
        ),
    )


# --- documents -----------------------------------------------------------------------------


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def agenda_document(request: HttpRequest, public_id) -> HttpResponse:
    meeting = _meeting(request, public_id)
    record_access(
        kind=AuditLogEntry.AccessKind.PRINT, instance=meeting, extra={"document": "agenda"}
    )
    response = HttpResponse(agenda_pdf(meeting=meeting), content_type="application/pdf")
    stamp = timezone.localtime(meeting.scheduled_for).strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="agenda-screening-{stamp}.pdf"'
    return response


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def minutes_document(request: HttpRequest, public_id) -> HttpResponse:
    meeting = _meeting(request, public_id)
    if not meeting.minutes:
        raise Http404
    record_access(
        kind=AuditLogEntry.AccessKind.PRINT, instance=meeting, extra={"document": "minutes"}
    )
    stamp = timezone.localtime(meeting.scheduled_for).strftime("%Y%m%d")
    return FileResponse(
        meeting.minutes.open("rb"),
        as_attachment=True,
        filename=f"verslag-screening-{stamp}.pdf",
        content_type="application/pdf",
    )


# --- handing decisions to the follow-up ------------------------------------------------------


@login_required
def item_route(request: HttpRequest, public_id, item_id) -> HttpResponse:
    """VT chooses where a waiting decision goes: an open case of the same person, or a new one."""
    if not request.user.has_perm("cases.open_case"):
        raise PermissionDenied
    meeting = _meeting(request, public_id)
    item = _item(request, meeting, item_id)
    pending = selectors.decisions_to_route(user=request.user).filter(item=item)
    if not pending.exists():
        raise Http404
    cases = case_selectors.open_cases_sharing_victims(signal=item.signal).select_related(
        "lead_organisation"
    )
    form = forms.RouteForm(
        request.POST or None, region_id=meeting.region_id, cases=list(cases[:20])
    )
    if request.method == "POST" and form.is_valid():
        try:
            case = handoff.decision_route(
                item=item,
                actor=request.user,
                case=form.chosen_case,
                lead_organisation=form.cleaned_data.get("lead_organisation"),
                lead_kind=form.cleaned_data.get("lead_kind") or "",
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Doorgeleid naar casus %(ref)s.") % {"ref": case.reference})
            return redirect("screening:overview")
    record_access(
        kind=AuditLogEntry.AccessKind.READ,
        instance=item.signal,
        extra={"case_ids": [str(c.public_id) for c in form.cases.values()]},
    )
    return render(
        request,
        "screening/route.html",
        {"meeting": meeting, "item": item, "decisions": list(pending), "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def case_evaluation(request: HttpRequest, public_id) -> HttpResponse:
    """Put an open case back on the next screening agenda (linked from the case page)."""
    _require_manage(request)
    case = case_selectors.case_get(user=request.user, public_id=public_id)
    try:
        item = handoff.case_evaluation_schedule(case=case, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("cases:detail", public_id=case.public_id)
    messages.success(request, _("De casus staat op de agenda van het volgende overleg."))
    return redirect("screening:detail", public_id=item.meeting.public_id)
