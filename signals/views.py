"""The register in the browser: intake, the Veilig Thuis register and the steps on a signal.

Views are thin: a form parses the input, one service or selector does the work, a template
renders it. Object access follows one rule: a signal the user may not see answers 404
(``selectors.signal_get``), the same as one that does not exist; a signal the user sees
but may not act on answers 403 (the services raise PermissionDenied). An illegal step or a
stale version answers 409 with the Dutch reason. Every page that shows a signal's content
writes one access-log entry (NEN 7513).

Attachments are added on the detail page of a saved signal, not in the intake form: each
upload is its own service call, so a refused file never costs the user the signal they typed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.audit import record_access, record_list
from accounts.models import AuditLogEntry, User
from accounts.pagination import BoundedPaginator
from accounts.roles import Role

from . import forms, selectors, services
from .models import Attachment, Signal
from .services import StaleVersion
from .workflow import (
    ALLOWED_TRANSITIONS,
    CAN_BECOME_ACUTE,
    IN_REGISTER,
    Status,
    TransitionNotAllowed,
)

PAGE_SIZE = 25
VIEW = "signals.view_signal"
READ = AuditLogEntry.AccessKind.READ


# --- helpers ------------------------------------------------------------------------------


def _signal(request: HttpRequest, public_id) -> Signal:
    return selectors.signal_get(user=request.user, public_id=public_id)


def _require(user: User, perm: str | None) -> None:
    if perm and not user.has_perm(perm):
        raise PermissionDenied


@dataclass(frozen=True)
class Actions:
    """Which buttons the detail page offers. The services decide again on every POST."""

    edit: bool
    submit: bool
    close_internally: bool
    register: bool
    mark_acute: bool
    acute_consultation: bool
    add_note: bool
    add_attachment: bool

    @property
    def any(self) -> bool:
        return any(vars(self).values())


def _may_edit_at_all(user: User, signal: Signal) -> bool:
    """The sender and Veilig Thuis edit a signal (in some statuses); nobody else ever does."""
    return signal.reporting_organisation_id == user.organisation_id or user.has_perm(
        "signals.register_signal"
    )


def actions_for(user: User, signal: Signal) -> Actions:
    status = Status(signal.status)
    sender = signal.reporting_organisation_id == user.organisation_id
    registers = user.has_perm("signals.register_signal")
    consults = user.has_perm("signals.record_acute_consultation")
    editable = services.may_edit_content(signal, user)
    return Actions(
        edit=editable,
        submit=sender and status == Status.DRAFT,
        close_internally=sender and user.role == Role.MUNICIPAL_OFFICER and status == Status.DRAFT,
        register=registers and status == Status.SUBMITTED,
        mark_acute=(sender or consults) and not signal.is_acute and status in CAN_BECOME_ACUTE,
        acute_consultation=consults
        and signal.is_acute
        and (status == Status.ACUTE or Status.ACUTE in ALLOWED_TRANSITIONS[status]),
        add_note=user.has_perm("signals.add_note") and status in IN_REGISTER,
        add_attachment=editable,
    )


def _detail_forms(signal: Signal) -> dict[str, Any]:
    version = {"version": signal.version}
    return {
        "submit_form": forms.VersionForm(initial=version, prefix="submit"),
        "acute_form": forms.VersionForm(initial=version, prefix="acute"),
        "register_form": forms.RegisterForm(initial=version, prefix="register"),
        "close_form": forms.CloseInternallyForm(initial=version, prefix="close"),
        "note_form": forms.NoteForm(prefix="note"),
        "attachment_form": forms.AttachmentForm(prefix="attachment"),
    }


def _render_detail(
    request: HttpRequest,
    signal: Signal,
    *,
    status: int = 200,
    error: str = "",
    bound: dict[str, Any] | None = None,
) -> HttpResponse:
    user = request.user
    partner = selectors.can_see_partner_input(user, signal)
    matches = selectors.person_matches(user=user, signal=signal)
    involvements = list(signal.involvements.all())
    context = {
        "signal": signal,
        "actions": actions_for(user, signal),
        "error": error,
        "involvements": involvements,
        "matches": [(i, matches[i.person_id]) for i in involvements if i.person_id in matches],
        "timeline": selectors.signal_timeline(user=user, signal=signal),
        "notes": selectors.signal_notes(user=user, signal=signal),
        "can_see_partner_input": partner,
        # Consultations are partner input: only loaded for those at the table.
        "consultations": signal.acute_consultations.prefetch_related("consulted_organisations")
        if partner
        else [],
        **_detail_forms(signal),
        **(bound or {}),
        # The form that failed, for the error summary at the top of the page.
        "bound_form": next(iter(bound.values())) if bound else None,
    }
    # NEN 7513 asks whose record was read: the persons shown, by pseudonymous id, as the API
    # logs them; and the persons of other signals shown as possible earlier records.
    shown_elsewhere = [
        other.person for _involvement, others in context["matches"] for other in others
    ]
    record_access(
        kind=READ,
        instance=signal,
        extra=_persons_shown(involvements, shown_elsewhere),
    )
    return render(request, "signals/detail.html", context, status=status)


def _persons_shown(involvements, matched=()) -> dict[str, list[str]]:
    shown = {"persons": [str(i.person.public_id) for i in involvements]}
    others = list(dict.fromkeys(str(p.public_id) for p in matched))
    if others:
        shown["matched_persons"] = others
    return shown


def _run_action(
    request: HttpRequest,
    public_id,
    *,
    form_name: str,
    form_factory: Callable[[Signal], Any],
    call: Callable[[Signal, dict], Any],
    success: Callable[[Signal], str],
    permission: str | None = None,
    allowed: Callable[[User, Signal], bool] | None = None,
) -> HttpResponse:
    """The shape of every POST action: 404, 403, form, one service, then redirect or re-render."""
    signal = _signal(request, public_id)
    _require(request.user, permission)
    if allowed is not None and not allowed(request.user, signal):
        raise PermissionDenied
    form = form_factory(signal)
    if not form.is_valid():
        return _render_detail(request, signal, status=400, bound={form_name: form})
    try:
        call(signal, form.cleaned_data)
    except ValidationError as exc:
        forms.apply_errors(form, exc)
        return _render_detail(request, signal, status=400, bound={form_name: form})
    except (TransitionNotAllowed, StaleVersion) as exc:
        return _render_detail(
            request, signal, status=409, error=exc.message, bound={form_name: form}
        )
    messages.success(request, success(signal))
    return redirect("signals:detail", public_id=signal.public_id)


# --- list, detail -------------------------------------------------------------------------


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def signal_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    register = selectors.is_register_user(user)
    filter_form = forms.SignalFilterForm(request.GET or None, user=user, register=register)
    filters = filter_form.filters()
    # The count stops at 1,000: the first page costs the same in a small or a national register.
    page = BoundedPaginator(selectors.signal_list(user=user, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    # One entry per page view, with the public ids shown; "search" when criteria narrow it.
    record_list(model=Signal, rows=page, query=request.GET)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "signals/list.html",
        {
            "title": _("Register") if register else _("Mijn signalen"),
            "register": register,
            "filter_form": filter_form,
            "searched": filter_form.has_criteria(),
            "page": page,
            "query": query.urlencode(),
            "can_create": user.has_perm("signals.add_signal"),
        },
    )


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def signal_detail(request: HttpRequest, public_id) -> HttpResponse:
    return _render_detail(request, _signal(request, public_id))


# --- intake: create and edit --------------------------------------------------------------


def _render_form(
    request: HttpRequest, editor: forms.SignalEditor, *, status: int = 200
) -> HttpResponse:
    if editor.signal is not None:
        # The edit form shows the signal's content (persons, description): a read.
        record_access(
            kind=READ,
            instance=editor.signal,
            extra=_persons_shown(editor.signal.involvements.all()),
        )
    return render(
        request,
        "signals/form.html",
        {"editor": editor, "signal": editor.signal, "adding_row": "add_row" in request.POST},
        status=status,
    )


def _extra_row(request: HttpRequest) -> dict | None:
    """Without JavaScript, "Persoon/Plaats toevoegen" posts the form: re-render with a row more."""
    prefix = request.POST.get("add_row")
    if prefix not in forms.ROW_FORMSETS:
        return None
    data = request.POST.copy()
    key = f"{prefix}-TOTAL_FORMS"
    try:
        data[key] = str(min(int(data.get(key, 0)) + 1, forms.ROW_LIMITS[prefix]))
    except ValueError:
        return None
    return data


@login_required
@permission_required("signals.add_signal", raise_exception=True)
@require_http_methods(["GET", "POST"])
def signal_create(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _render_form(request, forms.SignalEditor(user=request.user))
    extra = _extra_row(request)
    if extra is not None:
        return _render_form(request, forms.SignalEditor(user=request.user, data=extra))
    editor = forms.SignalEditor(user=request.user, data=request.POST)
    if not editor.is_valid():
        return _render_form(request, editor, status=400)
    data, persons, places = editor.inputs()
    try:
        signal = services.signal_create(
            actor=request.user, data=data, persons=persons, places=places
        )
    except ValidationError as exc:
        editor.add_service_errors(exc)
        return _render_form(request, editor, status=400)
    messages.success(
        request,
        _(
            "Signaal %(ref)s is vastgelegd als concept. Voeg eventueel bijlagen toe en dien het daarna in."
        )
        % {"ref": signal.reference},
    )
    return redirect("signals:detail", public_id=signal.public_id)


@login_required
@permission_required(VIEW, raise_exception=True)
@require_http_methods(["GET", "POST"])
def signal_edit(request: HttpRequest, public_id) -> HttpResponse:
    signal = _signal(request, public_id)
    if not _may_edit_at_all(request.user, signal):
        raise PermissionDenied
    if request.method == "GET":
        if not actions_for(request.user, signal).edit:
            return _render_detail(
                request,
                signal,
                status=409,
                error=_(
                    "Dit signaal kan niet meer worden gewijzigd: het heeft status '%(status)s'."
                )
                % {"status": signal.get_status_display()},
            )
        return _render_form(request, forms.SignalEditor(user=request.user, signal=signal))
    extra = _extra_row(request)
    if extra is not None:
        return _render_form(
            request, forms.SignalEditor(user=request.user, signal=signal, data=extra)
        )
    editor = forms.SignalEditor(user=request.user, signal=signal, data=request.POST)
    if not editor.is_valid():
        return _render_form(request, editor, status=400)
    data, persons, places = editor.inputs()
    try:
        services.signal_update(
            signal=signal,
            actor=request.user,
            version=editor.version,
            data=data,
            persons=persons,
            places=places,
        )
    except ValidationError as exc:
        editor.add_service_errors(exc)
        return _render_form(request, editor, status=400)
    except (TransitionNotAllowed, StaleVersion) as exc:
        editor.add_error(exc.message)
        return _render_form(request, editor, status=409)
    messages.success(request, _("De wijzigingen zijn opgeslagen."))
    return redirect("signals:detail", public_id=signal.public_id)


@login_required
@permission_required("signals.change_signal", raise_exception=True)
@require_GET
def form_row(request: HttpRequest, prefix: str) -> HttpResponse:
    """One empty person or place row for the intake form, appended by htmx.

    The index comes from ``?index=N`` or from the formset's own TOTAL_FORMS input (which the
    button sends with ``hx-include``); the response also replaces that input out of band, so
    the formset counts the new row.
    """
    raw = request.GET.get("index", request.GET.get(f"{prefix}-TOTAL_FORMS", ""))
    try:
        index = int(raw)
    except ValueError:
        return HttpResponseBadRequest()
    if prefix not in forms.ROW_FORMSETS or not 0 <= index < forms.ROW_LIMITS[prefix]:
        return HttpResponseBadRequest()
    form = forms.row_form(prefix, index)
    # Focus moves into the new row, so keyboard and screen-reader users land where they typed.
    form.fields["role" if prefix == "persons" else "kind"].widget.attrs["autofocus"] = True
    return render(
        request,
        f"signals/_{'person' if prefix == 'persons' else 'place'}_row.html",
        {
            "form": form,
            "number": index + 1,
            "prefix": prefix,
            "oob_total": index + 1,
        },
    )


# --- steps on a signal --------------------------------------------------------------------


@login_required
@permission_required(VIEW, raise_exception=True)
@require_POST
def signal_submit(request: HttpRequest, public_id) -> HttpResponse:
    return _run_action(
        request,
        public_id,
        form_name="submit_form",
        form_factory=lambda s: forms.VersionForm(request.POST, prefix="submit"),
        call=lambda s, d: services.signal_submit(
            signal=s, actor=request.user, version=d["version"]
        ),
        success=lambda s: (
            _("Signaal %(ref)s is ingediend bij het Veilig Thuis-register.") % {"ref": s.reference}
        ),
    )


@login_required
@permission_required(VIEW, raise_exception=True)
@require_POST
def signal_close_internally(request: HttpRequest, public_id) -> HttpResponse:
    return _run_action(
        request,
        public_id,
        form_name="close_form",
        allowed=lambda user, s: services.may_close_internally(s, user),
        form_factory=lambda s: forms.CloseInternallyForm(request.POST, prefix="close"),
        call=lambda s, d: services.signal_close_internally(
            signal=s, actor=request.user, version=d["version"], reason=d["reason"]
        ),
        success=lambda s: _("Signaal %(ref)s is intern afgehandeld.") % {"ref": s.reference},
    )


@login_required
@permission_required(VIEW, raise_exception=True)
@require_POST
def signal_register(request: HttpRequest, public_id) -> HttpResponse:
    return _run_action(
        request,
        public_id,
        permission="signals.register_signal",
        form_name="register_form",
        form_factory=lambda s: forms.RegisterForm(request.POST, prefix="register"),
        call=lambda s, d: services.signal_register(
            signal=s,
            actor=request.user,
            version=d["version"],
            preliminary_classification=d["preliminary_classification"],
        ),
        success=lambda s: _("Signaal %(ref)s is geregistreerd.") % {"ref": s.reference},
    )


@login_required
@permission_required(VIEW, raise_exception=True)
@require_POST
def signal_mark_acute(request: HttpRequest, public_id) -> HttpResponse:
    return _run_action(
        request,
        public_id,
        form_name="acute_form",
        allowed=lambda user, s: services.may_mark_acute(s, user),
        form_factory=lambda s: forms.VersionForm(request.POST, prefix="acute"),
        call=lambda s, d: services.signal_mark_acute(
            signal=s, actor=request.user, version=d["version"]
        ),
        success=lambda s: (
            _(
                "Signaal %(ref)s is als acuut gemeld. Staat het in het register, dan worden Veilig Thuis en AVIM direct gewaarschuwd."
            )
            % {"ref": s.reference}
        ),
    )


@login_required
@permission_required(VIEW, raise_exception=True)
@require_POST
def note_add(request: HttpRequest, public_id) -> HttpResponse:
    return _run_action(
        request,
        public_id,
        permission="signals.add_note",
        form_name="note_form",
        form_factory=lambda s: forms.NoteForm(request.POST, prefix="note"),
        call=lambda s, d: services.note_add(signal=s, actor=request.user, text=d["text"]),
        success=lambda s: _("Uw verrijking is toegevoegd."),
    )


@login_required
@permission_required(VIEW, raise_exception=True)
@require_POST
def attachment_add(request: HttpRequest, public_id) -> HttpResponse:
    return _run_action(
        request,
        public_id,
        allowed=_may_edit_at_all,
        form_name="attachment_form",
        form_factory=lambda s: forms.AttachmentForm(
            request.POST, request.FILES, prefix="attachment"
        ),
        call=lambda s, d: services.attachment_add(signal=s, actor=request.user, upload=d["file"]),
        success=lambda s: _("De bijlage is toegevoegd."),
    )


@login_required
@permission_required(VIEW, raise_exception=True)
@require_http_methods(["GET", "POST"])
def acute_consultation(request: HttpRequest, public_id) -> HttpResponse:
    signal = _signal(request, public_id)
    _require(request.user, "signals.record_acute_consultation")
    form = forms.AcuteConsultationForm(
        request.POST or None,
        region_id=signal.region_id,
        initial={"version": signal.version},
    )
    status, error = 200, ""
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.acute_consultation_record(
                    signal=signal,
                    actor=request.user,
                    version=data["version"],
                    consulted_at=data["consulted_at"],
                    organisations=list(data["organisations"]),
                    decision=data["decision"],
                    shelter_needed=data["shelter_needed"],
                    follow_up=data["follow_up"],
                )
            except ValidationError as exc:
                forms.apply_errors(form, exc)
            except (TransitionNotAllowed, StaleVersion) as exc:
                status, error = 409, exc.message
            else:
                messages.success(request, _("Het acute overleg is vastgelegd."))
                return redirect("signals:detail", public_id=signal.public_id)
    return render(
        request,
        "signals/acute_consultation.html",
        {"signal": signal, "form": form, "error": error},
        status=status,
    )


@login_required
@permission_required(VIEW, raise_exception=True)
@require_POST
def person_link(request: HttpRequest, public_id, person_id, other_person_id) -> HttpResponse:
    signal = _signal(request, public_id)
    involvement = next(
        (i for i in signal.involvements.all() if i.person.public_id == person_id), None
    )
    if involvement is None:
        raise Http404
    _require(request.user, "signals.view_person_matches")
    other = selectors.person_get(user=request.user, public_id=other_person_id)
    try:
        services.person_link(person=involvement.person, same_as=other, actor=request.user)
    except ValidationError as exc:
        return _render_detail(request, signal, status=400, error=" ".join(exc.messages))
    messages.success(request, _("De personen zijn gekoppeld als dezelfde persoon."))
    return redirect("signals:detail", public_id=signal.public_id)


# --- files --------------------------------------------------------------------------------


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def attachment_download(request: HttpRequest, public_id, attachment_id) -> FileResponse:
    signal = _signal(request, public_id)
    attachment: Attachment | None = next(
        (a for a in signal.attachments.all() if a.public_id == attachment_id), None
    )
    if attachment is None:
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    record_access(kind=READ, instance=attachment, extra={"signal": str(signal.public_id)})
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
