from datetime import UTC

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ..audit import record_access
from ..exports import csv_response
from ..filters import AuditEntryFilter
from ..models import AuditLogEntry
from ..selectors import audit_entry_list

PAGE_SIZE = 50
EXPORT_LIMIT = 100_000


def _filtered(request: HttpRequest) -> AuditEntryFilter:
    return AuditEntryFilter(
        request.GET or None, queryset=audit_entry_list(user=request.user), user=request.user
    )


@login_required
@permission_required("accounts.view_auditlogentry", raise_exception=True)
def audit_log(request: HttpRequest) -> HttpResponse:
    entries = _filtered(request)
    page = Paginator(entries.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    # Reading the log is itself a read of personal data (who looked at whom): log it.
    record_access(
        kind=AuditLogEntry.AccessKind.SEARCH if request.GET else AuditLogEntry.AccessKind.LIST,
        model=AuditLogEntry,
        extra={"filters": _filters_for_log(request)},
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/audit_log.html",
        {"filter": entries, "page": page, "query": query.urlencode()},
    )


@login_required
@permission_required("accounts.view_auditlogentry", raise_exception=True)
def audit_log_export(request: HttpRequest) -> HttpResponse:
    entries = _filtered(request)
    qs = entries.qs[:EXPORT_LIMIT]
    record_access(
        kind=AuditLogEntry.AccessKind.EXPORT,
        model=AuditLogEntry,
        extra={"filters": _filters_for_log(request)},
    )
    header = [
        "tijdstip (UTC)",
        "handeling",
        "soort inzage",
        "gebruiker",
        "rol",
        "organisatie",
        "soort gegeven",
        "id",
        "omschrijving",
        "pagina",
        "methode",
        "IP-adres",
        "wijzigingen",
    ]
    rows = (
        [
            e.timestamp.astimezone(UTC).isoformat(),
            e.get_action_display(),
            e.get_access_kind_display(),
            e.actor.username if e.actor else "",
            e.actor_role,
            e.actor_organisation.name if e.actor_organisation else "",
            e.content_type.model,
            e.object_pk,
            e.object_repr,
            e.request_path,
            e.request_method,
            e.remote_addr or "",
            e.changes or "",
        ]
        for e in qs.iterator(chunk_size=2000)
    )
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    return csv_response(f"auditlog-{stamp}.csv", header, rows)


def _filters_for_log(request: HttpRequest) -> dict[str, str]:
    return {k: v for k, v in request.GET.items() if k != "page"}
