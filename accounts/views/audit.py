"""The privacy officer's audit log: every read and change in the region, filterable, exportable."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import FieldDoesNotExist
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from ..audit import ACTION_LABELS, record_access, record_list
from ..exports import csv_response
from ..filters import AuditEntryFilter
from ..models import AuditLogEntry
from ..pagination import BoundedPaginator
from ..roles import Role
from ..selectors import audit_entry_list

VIEW_PERMISSION = "accounts.view_auditlogentry"
PAGE_SIZE = 50
# An export is complete or refused: a silently cut-off audit export would mislead.
EXPORT_LIMIT = 100_000

EXPORT_HEADER = [
    "tijdstip (UTC)",
    "handeling",
    "soort inzage",
    "gebruiker",
    "rol",
    "organisatie",
    "soort gegeven",
    "id",
    "omschrijving",
    "publieke ids",
    "pagina",
    "methode",
    "IP-adres",
    "wijzigingen",
]


@dataclass(frozen=True)
class AuditRow:
    """One entry as the page and the export show it: Dutch labels, no raw codes."""

    entry: AuditLogEntry
    action: str
    access_kind: str
    role: str
    object_type: str
    details: str
    # The description, when it says more than type and id (records of people say no more).
    description: str

    @classmethod
    def of(cls, entry: AuditLogEntry) -> AuditRow:
        model = entry.content_type.model_class()
        return cls(
            entry=entry,
            action=str(ACTION_LABELS.get(entry.action, entry.action)),
            access_kind=entry.get_access_kind_display() if entry.access_kind else "",
            role=_role_label(entry.actor_role),
            object_type=str(capfirst(model._meta.verbose_name))
            if model
            else entry.content_type.model,
            details=_details(entry, model),
            description=_description(entry, model),
        )


def _description(entry: AuditLogEntry, model) -> str:
    if not entry.object_pk:
        return ""
    if model is not None and entry.object_repr == f"{model._meta.verbose_name} {entry.object_pk}":
        return ""
    return entry.object_repr


def _role_label(value: str) -> str:
    return str(Role(value).label) if value in Role.values else value


def _details(entry: AuditLogEntry, model) -> str:
    """What was changed (field names, never values) or how many records a list or export held."""
    if entry.action == AuditLogEntry.Action.ACCESS:
        count = (entry.additional_data or {}).get("count")
        if count is None or entry.object_pk:
            return ""
        return ngettext("%(count)d gegeven", "%(count)d gegevens", count) % {"count": count}
    if entry.action != AuditLogEntry.Action.UPDATE:
        return ""  # a new or deleted record: every field, nothing to point out
    names = [_field_label(model, name) for name in (entry.changes or {})]
    return ", ".join(names)


def _field_label(model, name: str) -> str:
    if model is None:
        return name
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    # A reverse relation has no verbose name of its own.
    return str(getattr(field, "verbose_name", None) or name)


def _filtered(request: HttpRequest) -> AuditEntryFilter:
    return AuditEntryFilter(
        request.GET or None, queryset=audit_entry_list(user=request.user), user=request.user
    )


def _filters_for_log(request: HttpRequest) -> dict[str, str]:
    # Ids, actions and dates only: none of these filters takes free text about a person.
    return {k: v for k, v in request.GET.items() if k != "page" and v.strip()}


def _list_url(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    url = reverse("accounts:audit_log")
    return f"{url}?{query.urlencode()}" if query else url


@login_required
@permission_required(VIEW_PERMISSION, raise_exception=True)
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    entries = _filtered(request)
    # The access log grows fastest of all tables: count it only up to a bound ("meer dan").
    page = BoundedPaginator(entries.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    # Fetched before logging: the page shows exactly the rows the entry names, and not the
    # entry for this very read.
    rows = [AuditRow.of(entry) for entry in page.object_list]
    # Reading the log is itself a read of personal data (who looked at whom): log it.
    record_list(
        model=AuditLogEntry,
        rows=[row.entry for row in rows],
        query=request.GET,
        actor=request.user,
        extra={"filters": _filters_for_log(request)},
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/audit_log.html",
        {"filter": entries, "page": page, "rows": rows, "query": query.urlencode()},
    )


@login_required
@permission_required(VIEW_PERMISSION, raise_exception=True)
@require_GET
def audit_log_export(request: HttpRequest) -> HttpResponse:
    entries = _filtered(request)
    if entries.is_bound and not entries.is_valid():
        # The list page shows what is wrong with the filters; never export unfiltered instead.
        return redirect(_list_url(request))
    queryset = entries.qs
    total = queryset.count()
    if total > EXPORT_LIMIT:
        messages.error(
            request,
            _(
                "Te veel regels voor één export (%(total)s, maximaal %(limit)s). Kies een kortere periode."
            )
            % {"total": total, "limit": EXPORT_LIMIT},
        )
        return redirect(_list_url(request))
    export_entry = record_access(
        kind=AuditLogEntry.AccessKind.EXPORT,
        model=AuditLogEntry,
        actor=request.user,
        extra={"filters": _filters_for_log(request), "count": total},
    )
    # The export shows the log as it was asked for, without its own entry.
    queryset = queryset.exclude(pk=export_entry.pk)
    rows = (_export_row(AuditRow.of(entry)) for entry in queryset.iterator(chunk_size=2000))
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    return csv_response(f"auditlog-{stamp}.csv", EXPORT_HEADER, rows)


def _export_row(row: AuditRow) -> list[object]:
    e = row.entry
    data = e.additional_data or {}
    return [
        e.timestamp.astimezone(UTC).isoformat(),
        row.action,
        row.access_kind,
        e.actor.username if e.actor else "",
        row.role,
        e.actor_organisation.name if e.actor_organisation else "",
        row.object_type,
        e.object_pk,
        e.object_repr,
        " ".join(data.get("object_ids", [])),
        e.request_path,
        e.request_method,
        e.remote_addr or "",
        json.dumps(e.changes, ensure_ascii=False, sort_keys=True) if e.changes else "",
    ]
