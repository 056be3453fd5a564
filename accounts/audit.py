"""The audit trail: who changed or read which record, from which organisation and page.

Changes are recorded by django-auditlog (models register themselves with ``audit_register``,
personal fields masked). Reads are recorded with ``record_access`` / ``record_list`` from
views and viewsets: one entry per request, whether it shows one record or a list (the
mixins in ``accounts.audit_views`` do this for class-based views and DRF viewsets). The
request context (user, role, organisation, client address, path) comes from
``AuditContextMiddleware``; Celery tasks and commands set it themselves with ``acting_as``.

``QuerySet.update()``, ``bulk_update()`` and ``bulk_create()`` write without ``save()`` and so
without a log entry: on an audited model they are refused (``BulkWriteRefused``) unless the
caller opens ``allow_bulk_writes`` (the retention job, test set-up) and, where the rows hold real
data, logs the writes itself (``record_bulk_change``, ``record_bulk_create``;
``bulk_create_logged`` does both for new rows); the data generators
(``DATA_GENERATOR_MODULES``) are let through. ``QuerySet.delete()`` is not refused: Django
deletes row by row and sends ``post_delete`` for models with receivers, so auditlog logs every
deleted row. Migrations use historical model classes, which are not registered, so they are
never refused.
"""

from __future__ import annotations

import contextlib
import functools
import ipaddress
import sys
from collections.abc import Iterable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.query import QuerySet
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from .models import AuditLogEntry, User

MASK = "***"

# Query parameters that page or order a list without narrowing it: a list requested with only
# these is a "list", with anything else a "search".
PAGING_PARAMS = frozenset({"page", "page_size", "limit", "offset", "cursor", "ordering", "format"})

# auditlog's action labels are English and it ships no Dutch translation.
ACTION_LABELS = {
    0: _("aangemaakt"),
    1: _("gewijzigd"),
    2: _("verwijderd"),
    3: _("ingezien"),
}

# Models whose ``str()`` may contain personal data: the log names them by type and id only.
_personal_repr_models: set[type[models.Model]] = set()


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
    model: type[models.Model],
    *,
    personal_fields: Iterable[str] = (),
    personal_repr: bool | None = None,
    **kwargs: Any,
):
    """Register a model for change logging, masking the fields that hold personal data.

    ``object_repr`` (auditlog stores ``str(instance)`` with every entry) would be a second,
    unmasked copy of those fields when ``__str__`` uses them (a place's name or address, a
    user's full name). So a model with personal fields is named in the log by type and id
    only, unless ``personal_repr=False`` says its ``__str__`` holds no personal data (e.g. a
    reference number). A model attribute ``audit_personal_repr = True`` does the same.
    """
    personal_fields = list(personal_fields)
    # auditlog also "diffs" reverse relations: a reverse one-to-one would store the related
    # object's str() unmasked, the others only noise ("accounts.User.None"). Left out.
    reverse_relations = [
        f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete
    ]
    kwargs["exclude_fields"] = [*kwargs.get("exclude_fields", ()), *reverse_relations]
    auditlog.register(model, mask_fields=personal_fields, serialize_data=False, **kwargs)
    if personal_repr is None:
        personal_repr = bool(personal_fields)
    if personal_repr:
        _personal_repr_models.add(model)
    else:
        _personal_repr_models.discard(model)
    return model


def audited_models() -> list[type[models.Model]]:
    """The models whose changes are logged (for the privacy officer's object type filter)."""
    return auditlog.get_models()


@contextlib.contextmanager
def request_context(ctx: RequestContext) -> Iterator[None]:
    token = _context.set(ctx)
    try:
        yield
    finally:
        _context.reset(token)


def bind_user(user: User) -> None:
    """Attach a user authenticated after the middleware ran (API tokens) to this request.

    Only inside a request context: setting the variable outside one would never be reset and
    would attribute every later entry of this thread to this user.
    """
    ctx = _context.get()
    if ctx is not None:
        _context.set(replace(ctx, user=user))


@contextlib.contextmanager
def acting_as(user: User | None, *, path: str = "") -> Iterator[None]:
    """For work outside a request (Celery tasks, commands): attribute entries to a user."""
    with request_context(RequestContext(user=user, path=path)):
        yield


def current_context() -> RequestContext | None:
    return _context.get()


def _valid_ip(value: str | None) -> str | None:
    # The column is an inet: a malformed address must not make the logged change itself fail.
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def is_personal_repr(model: type[models.Model] | None) -> bool:
    return model is not None and (
        model in _personal_repr_models or bool(getattr(model, "audit_personal_repr", False))
    )


def fill_request_context(entry: AuditLogEntry) -> None:
    """Complete a new entry with the actor, role, organisation, address and page (on save)."""
    ctx = _context.get()
    if ctx is not None:
        if entry.actor_id is None and ctx.user is not None and ctx.user.is_authenticated:
            entry.actor = ctx.user
        entry.request_path = entry.request_path or ctx.path[:500]
        entry.request_method = entry.request_method or ctx.method
        if entry.remote_addr is None:
            entry.remote_addr = ctx.remote_addr
    entry.remote_addr = _valid_ip(entry.remote_addr)
    if entry.action == entry.Action.ACCESS and not entry.access_kind:
        # A read sent through auditlog's ``accessed`` signal (LogAccessMixin) is a detail view.
        entry.access_kind = entry.AccessKind.READ
    actor = entry.actor if entry.actor_id else None
    if actor is not None:
        entry.actor_role = actor.role
        entry.actor_organisation_id = actor.organisation_id
    # The user id identifies the actor; no extra copy of contact data (auditlog copies it).
    entry.actor_email = None
    # Records of people are named by type and id only: the log holds no content. A list
    # entry has no id and keeps its plural type name.
    model = entry.content_type.model_class() if entry.content_type_id else None
    if entry.object_pk and is_personal_repr(model):
        entry.object_repr = f"{model._meta.verbose_name} {entry.object_pk}"


def public_id_of(obj: Any) -> str:
    """The id a record is known by outside the database (URLs, API): ``public_id`` or pk."""
    return str(getattr(obj, "public_id", None) or obj.pk)


SEARCH_PARAM_MAX_LENGTH = 100


def search_params(
    query: Mapping[str, Any] | None, ignore: Iterable[str] = PAGING_PARAMS
) -> list[str]:
    """Names of the query parameters that narrow a list (non-empty, not paging or ordering).

    Only names: a search value can itself be personal data (a name typed into a search box).
    The names come from the client: a NUL character (which PostgreSQL cannot store in text or
    JSON, so the read would go unlogged and the request fail) is replaced, and a name is cut
    at ``SEARCH_PARAM_MAX_LENGTH`` characters.
    """
    if not query:
        return []
    skip = set(ignore)
    names = getattr(query, "lists", None)
    items = names() if names else ((k, [v]) for k, v in query.items())
    return sorted(
        str(k).replace("\x00", "\ufffd")[:SEARCH_PARAM_MAX_LENGTH]
        for k, values in items
        if k not in skip and any(str(v).strip() for v in values)
    )


def record_access(
    *,
    kind: str,
    instance: models.Model | None = None,
    model: type[models.Model] | None = None,
    object_ids: Iterable[Any] | None = None,
    actor: User | None = None,
    extra: dict[str, Any] | None = None,
) -> AuditLogEntry:
    """Log one read of personal data: a record (``instance``) or a list/search/export of ``model``.

    Lists log the public ids they showed, so the privacy officer can answer "who saw this
    person's record" for lists and exports too; a single record logs its public id as well.
    ``actor`` defaults to the user of the request context.
    """
    from .models import AuditLogEntry

    if instance is None and model is None:
        raise ValueError("record_access needs an instance or a model")
    target = instance.__class__ if instance is not None else model
    data: dict[str, Any] = dict(extra or {})
    if object_ids is None and instance is not None:
        object_ids = [public_id_of(instance)]
    if object_ids is not None:
        ids = [str(i) for i in object_ids]
        data["object_ids"] = ids
        data["count"] = len(ids)
    entry = AuditLogEntry(
        content_type=ContentType.objects.get_for_model(target),
        object_pk=str(instance.pk) if instance is not None else "",
        object_id=instance.pk if instance is not None and isinstance(instance.pk, int) else None,
        object_repr=str(instance)
        if instance is not None
        else str(target._meta.verbose_name_plural),
        action=AuditLogEntry.Action.ACCESS,
        access_kind=kind,
        additional_data=data or None,
    )
    if actor is not None and actor.is_authenticated:
        entry.actor = actor
    entry.save(force_insert=True)
    return entry


def record_list(
    *,
    model: type[models.Model],
    rows: Iterable[Any],
    query: Mapping[str, Any] | None = None,
    ignore: Iterable[str] = PAGING_PARAMS,
    actor: User | None = None,
    extra: dict[str, Any] | None = None,
) -> AuditLogEntry:
    """Log one list of records as shown: kind "search" when ``query`` narrows it, else "list".

    ``rows`` are the records on the page that was returned (their public ids are logged).
    """
    from .models import AuditLogEntry

    searched = search_params(query, ignore)
    data = dict(extra or {})
    if searched:
        data["query_params"] = searched
    return record_access(
        kind=AuditLogEntry.AccessKind.SEARCH if searched else AuditLogEntry.AccessKind.LIST,
        model=model,
        object_ids=[public_id_of(row) for row in rows],
        actor=actor,
        extra=data,
    )


# --- bulk writes -----------------------------------------------------------------------------


class BulkWriteRefused(RuntimeError):
    """``update()``/``bulk_update()``/``bulk_create()`` on an audited model outside
    ``allow_bulk_writes``."""


_bulk_writes: ContextVar[str | None] = ContextVar("audit_bulk_writes_allowed", default=None)
GUARDED_QUERYSET_METHODS = ("update", "bulk_update", "bulk_create")
_HOW_TO_LOG = {
    "update": "save the objects one by one, or use accounts.audit.allow_bulk_writes() and "
    "record_bulk_change().",
    "bulk_update": "save the objects one by one, or use accounts.audit.allow_bulk_writes() and "
    "record_bulk_change().",
    "bulk_create": "create the objects one by one, or use accounts.audit.bulk_create_logged().",
}


@contextlib.contextmanager
def allow_bulk_writes(reason: str) -> Iterator[None]:
    """Permit ``update()``/``bulk_update()``/``bulk_create()`` on audited models in this block.

    For data generators, the retention job and test set-up only. ``reason`` names the caller
    in the refusal message of nested code and in ``bulk_writes_allowed()``.
    """
    token = _bulk_writes.set(reason or "unspecified")
    try:
        yield
    finally:
        _bulk_writes.reset(token)


def bulk_writes_allowed() -> str | None:
    return _bulk_writes.get()


# Data generators (synthetic and demo data, never real records) may write in bulk without
# saying so: their rows are made up, and they are run by a command, never by a request.
DATA_GENERATOR_MODULES = frozenset(
    {"reporting.synth", "reporting.synth_followup", "reporting.demo"}
)
_STACK_DEPTH = 12


def _called_from_data_generator() -> bool:
    frame = sys._getframe(2)
    for _depth in range(_STACK_DEPTH):
        if frame is None:
            return False
        if frame.f_globals.get("__name__") in DATA_GENERATOR_MODULES:
            return True
        frame = frame.f_back
    return False


def _guarded(name: str, original):
    @functools.wraps(original)
    def method(self, *args, **kwargs):
        if (
            _bulk_writes.get() is None
            and auditlog.contains(self.model)
            and not _called_from_data_generator()
        ):
            raise BulkWriteRefused(
                f"{self.model._meta.label}.objects.{name}() writes without an audit entry; "
                + _HOW_TO_LOG[name]
            )
        return original(self, *args, **kwargs)

    method._audit_guarded = True  # type: ignore[attr-defined]
    method._audit_original = original  # type: ignore[attr-defined]
    return method


def install_bulk_write_guard() -> None:
    """Refuse unaudited bulk writes on every audited model (idempotent).

    Installed on Django's ``QuerySet`` itself, so the models of every app are covered without
    a custom manager on each of them; the check asks auditlog's registry at call time.
    """
    for name in GUARDED_QUERYSET_METHODS:
        current = getattr(QuerySet, name)
        if not getattr(current, "_audit_guarded", False):
            setattr(QuerySet, name, _guarded(name, current))


def record_bulk_change(
    *, model: type[models.Model], pks: Iterable[Any], fields: Iterable[str]
) -> list[AuditLogEntry]:
    """Log a bulk change explicitly: one "changed" entry per row, every value masked.

    For rows written with ``update()`` inside ``allow_bulk_writes`` (e.g. append-only history
    rows the retention job anonymises): the log says which fields of which row changed, never
    what they held.
    """
    from .models import AuditLogEntry

    content_type = ContentType.objects.get_for_model(model)
    names = sorted(set(fields))
    entries = [
        AuditLogEntry(
            content_type=content_type,
            object_pk=str(pk),
            object_id=pk if isinstance(pk, int) else None,
            object_repr=f"{model._meta.verbose_name} {pk}",
            action=AuditLogEntry.Action.UPDATE,
            changes={name: [MASK, MASK] for name in names},
            changes_text="",
        )
        for pk in pks
    ]
    for entry in entries:
        entry.save(force_insert=True)
    return entries


def record_bulk_create(*, model: type[models.Model], objs: Iterable[models.Model]) -> int:
    """Log rows made with ``bulk_create()`` as ``save()`` would have: one "created" entry each.

    auditlog's own receiver writes them, so the values are masked as registered and the
    request context (actor, path) is filled in as for any other entry. The objects must have
    their primary keys (PostgreSQL returns them; ``ignore_conflicts`` does not).
    """
    from auditlog.receivers import log_create

    count = 0
    for obj in objs:
        if obj.pk is None:
            raise ValueError(f"{model._meta.label}: a row without a primary key cannot be logged")
        log_create(sender=model, instance=obj, created=True)
        count += 1
    return count


def bulk_create_logged(
    model: type[models.Model], objs: Iterable[models.Model], **kwargs: Any
) -> list[models.Model]:
    """``model.objects.bulk_create(objs)`` on an audited model, with one "created" entry a row.

    For service code that adds many rows at once; call it inside the service's transaction so
    that the rows and their entries are written together or not at all. Conflict handling is
    refused: a skipped row has no primary key to log, and an updated one is no creation.
    """
    if kwargs.get("ignore_conflicts") or kwargs.get("update_conflicts"):
        raise ValueError("bulk_create_logged logs new rows only: no conflict handling")
    with allow_bulk_writes(f"{model._meta.label} created in bulk, logged per row"):
        created = model.objects.bulk_create(list(objs), **kwargs)
    record_bulk_create(model=model, objs=created)
    return created


install_bulk_write_guard()
