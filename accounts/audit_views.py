"""Read logging for views and viewsets: one audit entry per request that shows personal data.

Apply a mixin to every view that shows records of people or decisions, so no page or
endpoint can forget it (NEN 7513: who, organisation, when, which record, which page).

Class-based views (put the mixin first)::

    class SignalDetailView(AccessLoggedDetailMixin, DetailView):
        queryset = ...                # scoped with visible_to(user), as always

    class SignalListView(AccessLoggedListMixin, ListView):
        paginate_by = 50

DRF viewsets::

    class SignalViewSet(AccessLoggedViewSetMixin, viewsets.ReadOnlyModelViewSet):
        ...

    # a custom action that shows records logs them itself:
    @action(detail=True)
    def history(self, request, public_id=None):
        signal = self.get_object()
        self.log_read(signal)
        ...

Function views call ``accounts.audit.record_access(kind=..., instance=obj)`` for one record
and ``accounts.audit.record_list(model=..., rows=page.object_list, query=request.GET)`` for a
list. Log after the data is ready and before the response goes out: a request that fails
(404, 403, an error) has shown nothing and logs nothing.

Why not auditlog's ``LogAccessMixin``: it calls ``get_object()`` a second time (one more query
per page, and a second lookup that could disagree with the first), it logs from
``render_to_response`` (so also when a POSTed form is shown again), and it knows nothing of
lists. Entries sent through its ``accessed`` signal are still completed like ours
(``accounts.audit.fill_request_context``).
"""

from __future__ import annotations

from typing import Any

from rest_framework.response import Response
from rest_framework.settings import api_settings

from .audit import PAGING_PARAMS, record_access, record_list
from .models import AuditLogEntry


class AccessLoggedDetailMixin:
    """For ``DetailView`` (any ``BaseDetailView``): one read entry per successful GET.

    ``access_kind`` may be set to ``PRINT`` for a printable page of one record.
    """

    access_kind: str = AuditLogEntry.AccessKind.READ

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)  # sets self.object
        record_access(kind=self.access_kind, instance=self.object, actor=request.user)
        return response


class AccessLoggedListMixin:
    """For ``ListView``: one list (or search) entry per GET, with the ids of the rows shown."""

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        # With pagination, object_list in the context is the page; iterating it here fills its
        # result cache, so the template shows the very rows that were logged, without a query.
        rows = list(response.context_data["object_list"])
        model = getattr(self.object_list, "model", None) or self.model
        record_list(model=model, rows=rows, query=request.GET, actor=request.user)
        return response


class AccessLoggedViewSetMixin:
    """For DRF viewsets: exactly one entry per ``list`` and ``retrieve``.

    ``retrieve`` logs kind "read" with the object. ``list`` logs kind "list", or "search" when
    a filter or search parameter is given (paging and ordering are not a search), with the
    public ids of the rows on the returned page. The parameter names are logged, not their
    values (a searched name is personal data).

    ``list`` and ``retrieve`` are DRF's own, with the entry written once the data is
    serialised. A viewset that overrides them, or adds actions that show records, calls
    ``log_read`` / ``log_list`` itself.
    """

    # Extra parameters that do not narrow a list (besides paging, ordering and format).
    access_log_non_search_params: frozenset[str] = frozenset()

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = list(page) if page is not None else list(queryset)
        data = self.get_serializer(rows, many=True).data
        self.log_list(rows, model=queryset.model)
        if page is not None:
            return self.get_paginated_response(data)
        return Response(data)

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        data = self.get_serializer(instance).data
        self.log_read(instance)
        return Response(data)

    def log_read(self, instance: Any, *, kind: str = AuditLogEntry.AccessKind.READ) -> None:
        record_access(kind=kind, instance=instance, actor=self.request.user)

    def log_list(self, rows: list[Any], *, model=None) -> None:
        record_list(
            model=model or self.get_queryset().model,
            rows=rows,
            query=self.request.query_params,
            ignore=self._access_log_ignored_params(),
            actor=self.request.user,
        )

    def _access_log_ignored_params(self) -> set[str]:
        ignored = set(PAGING_PARAMS) | set(self.access_log_non_search_params)
        ignored |= {api_settings.ORDERING_PARAM, api_settings.URL_FORMAT_OVERRIDE or "format"}
        paginator = getattr(self, "paginator", None)
        for attr in (
            "page_query_param",
            "page_size_query_param",
            "limit_query_param",
            "offset_query_param",
            "cursor_query_param",
        ):
            name = getattr(paginator, attr, None)
            if name:
                ignored.add(name)
        return ignored
