"""The audit trail: who changed or read which record, from which organisation and page.

Changes are recorded by django-auditlog (models register themselves with ``audit_register``,
personal fields masked). Reads are recorded with ``record_access`` from views and viewsets:
one entry per request, whether it shows one record or a list. The request context (user,
role, organisation, client address, path) comes from ``AuditContextMiddleware``; Celery
tasks set it themselves with ``acting_as``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.db import models

if TYPE_CHECKING:
    from .models import AuditLogEntry, User

MASK = "***"


@dataclass(frozen=True)
class RequestContext:
    user: User | None
    remote_addr: str | None = None
    path: str = ""
    method: str = ""


_context: ContextVar[RequestContext | None] = ContextVar("audit_request_context", default=None)


def mask_value(value: Any) -> str:
    """Constant mask for personal fields in stored before/after values.

    A constant (not auditlog's default partial mask) leaks neither length nor a part of the
    value, so anonymising a person later is not undone by the log.
    """
    return MASK


def audit_register(
    model: type[models.Model], *, personal_fields: Iterable[str] = (), **kwargs: Any
):
    """Register a model for change logging, masking the fields that hold personal data."""
    auditlog.register(model, mask_fields=list(personal_fields), serialize_data=False, **kwargs)
    return model


@contextlib.contextmanager
def request_context(ctx: RequestContext) -> Iterator[None]:
    token = _context.set(ctx)
    try:
        yield
    finally:
        _context.reset(token)


def bind_user(user: User) -> None:
    """Attach a user authenticated after the middleware ran (API tokens) to this request."""
    ctx = _context.get() or RequestContext(user=None)
    _context.set(replace(ctx, user=user))


@contextlib.contextmanager
def acting_as(user: User | None, *, path: str = "") -> Iterator[None]:
    """For work outside a request (Celery tasks, commands): attribute entries to a user."""
    with request_context(RequestContext(user=user, path=path)):
        yield


def current_context() -> RequestContext | None:
    return _context.get()


def fill_request_context(entry: AuditLogEntry) -> None:
    ctx = _context.get()
    if ctx is not None:
        if entry.actor_id is None and ctx.user is not None and ctx.user.is_authenticated:
            entry.actor = ctx.user
        entry.request_path = entry.request_path or ctx.path[:500]
        entry.request_method = entry.request_method or ctx.method
        if entry.remote_addr is None:
            entry.remote_addr = ctx.remote_addr
    if entry.action == entry.Action.ACCESS and not entry.access_kind:
        # A read sent through auditlog's ``accessed`` signal (LogAccessMixin) is a detail view.
        entry.access_kind = entry.AccessKind.READ
    actor = entry.actor if entry.actor_id else None
    if actor is not None:
        entry.actor_role = actor.role
        entry.actor_organisation_id = actor.organisation_id
        entry.actor_email = None  # the user id identifies the actor; no extra copy of contact data
    # Records of people are named by type and id only: the log holds no content.
    model = entry.content_type.model_class() if entry.content_type_id else None
    if model is not None and getattr(model, "audit_personal_repr", False):
        entry.object_repr = f"{model._meta.verbose_name} {entry.object_pk}"


def record_access(
    *,
    kind: str,
    instance: models.Model | None = None,
    model: type[models.Model] | None = None,
    object_ids: Iterable[Any] = (),
    extra: dict[str, Any] | None = None,
) -> AuditLogEntry:
    """Log one read of personal data: a record (``instance``) or a list/search/export of ``model``.

    Lists log the public ids they showed, so the privacy officer can answer "who saw this
    person's record" for lists and exports too.
    """
    from .models import AuditLogEntry

    if instance is None and model is None:
        raise ValueError("record_access needs an instance or a model")
    target = instance.__class__ if instance is not None else model
    data: dict[str, Any] = dict(extra or {})
    ids = [str(i) for i in object_ids]
    if ids:
        data["object_ids"] = ids
        data["count"] = len(ids)
    pk = str(instance.pk) if instance is not None else ""
    return AuditLogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(target),
        object_pk=pk,
        object_id=instance.pk if instance is not None and isinstance(instance.pk, int) else None,
        object_repr=str(instance)
        if instance is not None
        else str(target._meta.verbose_name_plural),
        action=AuditLogEntry.Action.ACCESS,
        access_kind=kind,
        additional_data=data or None,
    )
