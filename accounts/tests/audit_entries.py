"""Helpers for audit log tests: entries made as a given user, at a given moment."""

from __future__ import annotations

from datetime import datetime

import time_machine

from accounts.audit import acting_as, record_access
from accounts.models import AuditLogEntry


def read_by(user, instance, *, at: datetime | None = None) -> AuditLogEntry:
    """One read of ``instance`` by ``user`` (optionally at a moment in the past)."""
    with acting_as(user):
        if at is None:
            return record_access(kind=AuditLogEntry.AccessKind.READ, instance=instance)
        with time_machine.travel(at, tick=False):
            return record_access(kind=AuditLogEntry.AccessKind.READ, instance=instance)
