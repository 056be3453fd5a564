"""The privacy officer's pages: data-subject requests and the proof of anonymisation.

Thin views: the work is in ``reporting.subject_access`` and ``reporting.retention``. Names and
birth dates are only ever sent by POST, so they appear in no URL, server log or history.
"""

from __future__ import annotations

from datetime import UTC

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.audit import record_access, record_list
from accounts.exports import csv_response
from accounts.models import AuditLogEntry, Tombstone
from signals.models import Person

from . import subject_access
from .privacy_forms import (
    ErasureForm,
    ExportForm,
    PersonChoiceForm,
    SubjectSearchForm,
    TombstoneFilterForm,
)

REQUESTS = subject_access.PERMISSION
TOMBSTONES = "accounts.view_tombstone"
PAGE_SIZE = 50
CONTENT_TYPES = {"pdf": "application/pdf", "json": "application/json; charset=utf-8"}


def _chosen(request: HttpRequest, form) -> list[Person]:
    persons = subject_access.persons_by_public_id(
        actor=request.user, public_ids=form.cleaned_data["persons"]
    )
    if not persons:
        raise Http404
    return persons


@login_required
@permission_required(REQUESTS, raise_exception=True)
@require_http_methods(["GET", "POST"])
def subject_search(request: HttpRequest) -> HttpResponse:
    form = SubjectSearchForm(request.POST or None)
    file = None
    if request.method == "POST" and form.is_valid():
        persons = subject_access.find_persons(
            actor=request.user,
            name=form.cleaned_data["name"],
            birth_date=form.cleaned_data["birth_date"],
        )
        file = subject_access.subject_file(persons)
        record_list(
            model=Person,
            rows=persons,
            query={k: v for k, v in form.cleaned_data.items() if v},
            actor=request.user,
            extra={"records": file.record_count},
        )
    return render(request, "privacy/search.html", {"form": form, "file": file})


@login_required
@permission_required(REQUESTS, raise_exception=True)
@require_POST
def subject_export(request: HttpRequest) -> HttpResponse:
    form = ExportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies een of meer personen en een formaat."))
        return redirect("privacy:search")
    fmt = form.cleaned_data["format"]
    body, subject_request = subject_access.access_export(
        actor=request.user, persons=_chosen(request, form), fmt=fmt
    )
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="inzage-{subject_request.pk}.{fmt}"'
    return response


@login_required
@permission_required(REQUESTS, raise_exception=True)
@require_POST
def subject_erase(request: HttpRequest) -> HttpResponse:
    """First POST (persons only): what would be erased, and what stops it. Second: erase."""
    confirming = "reason" in request.POST or "confirm" in request.POST
    form = ErasureForm(request.POST) if confirming else PersonChoiceForm(request.POST)
    if not form.is_valid() and "persons" in form.errors:
        messages.error(request, _("Kies een of meer personen."))
        return redirect("privacy:search")
    persons = subject_access.persons_by_public_id(
        actor=request.user, public_ids=form.data.getlist("persons")
    )
    if not persons:
        raise Http404
    status = 200
    refusal: list[str] = []
    if confirming and form.is_valid():
        try:
            subject_request, result = subject_access.erasure_execute(
                actor=request.user, persons=persons, reason=form.cleaned_data["reason"]
            )
        except subject_access.ErasureRefused as refused:
            refusal, status = refused.reasons, 409
        else:
            messages.success(
                request,
                _("Het verzoek is uitgevoerd: %(n)s gegevens geanonimiseerd.")
                % {"n": result.total},
            )
            return redirect(reverse("privacy:tombstones") + f"?request={subject_request.pk}")
    file = subject_access.subject_file(persons)
    record_list(
        model=Person, rows=persons, actor=request.user, extra={"records": file.record_count}
    )
    if not confirming:
        form = ErasureForm(initial={"persons": [str(p.public_id) for p in persons]})
    return render(
        request,
        "privacy/erase.html",
        {
            "form": form,
            "file": file,
            "blockers": refusal or subject_access.erasure_blockers(file),
            "refused": bool(refusal),
        },
        status=status,
    )


def _tombstones(request: HttpRequest):
    form = TombstoneFilterForm(request.GET or None)
    stones = Tombstone.objects.select_related("actor", "subject_request")
    if form.is_valid() and form.cleaned_data["rule"]:
        stones = stones.filter(rule=form.cleaned_data["rule"])
    request_id = request.GET.get("request", "")
    if request_id.isdigit():
        stones = stones.filter(subject_request_id=int(request_id))
    return form, stones.order_by("-anonymised_at", "-pk")


@login_required
@permission_required(TOMBSTONES, raise_exception=True)
@require_GET
def tombstone_list(request: HttpRequest) -> HttpResponse:
    form, stones = _tombstones(request)
    page = Paginator(stones, PAGE_SIZE).get_page(request.GET.get("page"))
    record_list(model=Tombstone, rows=page.object_list, query=request.GET, actor=request.user)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "privacy/tombstones.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


EXPORT_HEADER = [
    "soort gegeven",
    "id",
    "regel",
    "geanonimiseerd op (UTC)",
    "door",
    "verzoek",
    "rijen",
    "bestanden",
]


@login_required
@permission_required(TOMBSTONES, raise_exception=True)
@require_GET
def tombstone_export(request: HttpRequest) -> HttpResponse:
    _form, stones = _tombstones(request)
    record_access(
        kind=AuditLogEntry.AccessKind.EXPORT,
        model=Tombstone,
        object_ids=stones.values_list("pk", flat=True),
        actor=request.user,
    )
    rows = (
        [
            s.model_label,
            s.object_public_id or s.object_pk,
            s.rule,
            s.anonymised_at.astimezone(UTC).isoformat(),
            s.actor.username if s.actor else "systeem",
            s.subject_request_id or "",
            (s.details or {}).get("rows", ""),
            (s.details or {}).get("files", ""),
        ]
        for s in stones.iterator(chunk_size=2000)
    )
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    return csv_response(f"anonimiseringen-{stamp}.csv", EXPORT_HEADER, rows)
