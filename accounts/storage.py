"""Storing generated files (reports, minutes) so that nobody ever finds half of one.

A worker can be killed at any instruction (a deploy, the task time limit, the OOM killer). On a
local file system the file is written under a temporary name next to the target, flushed to
disk and renamed into place: a rename is atomic, so the target is either absent, the old file
or the whole new one. What a killed worker leaves is a ``*.part`` file, which no record points
to; the next writer of the same name removes it (see ``store_atomically``), and every writer
removes those older than a task may run. Object stores write an object whole or not at all.
"""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage

PARTIAL_SUFFIX = ".part"


def partial_file_age() -> float:
    """Seconds after which a temporary file can only be a killed worker's (the hard limit)."""
    return settings.CELERY_TASK_TIME_LIMIT + 60


def store_atomically(name: str, content: bytes, *, storage: Storage | None = None) -> str:
    """Store ``content`` under exactly ``name``, replacing what is there; returns the name.

    The caller must be the only live writer of ``name`` (it holds the row lock or the run lock
    of the record the file belongs to): earlier temporary files of the same name are then a
    killed writer's and are removed at once, and an earlier whole file under the name (written,
    but never recorded) is replaced.
    """
    storage = storage or default_storage
    try:
        target = Path(storage.path(name))
    except NotImplementedError:
        if storage.exists(name):
            storage.delete(name)
        return storage.save(name, ContentFile(content))
    target.parent.mkdir(parents=True, exist_ok=True)
    for leftover in target.parent.glob(f"{target.name}.*{PARTIAL_SUFFIX}"):
        leftover.unlink(missing_ok=True)
    remove_partial_files(target.parent)
    temporary = target.with_name(f"{target.name}.{uuid.uuid4().hex}{PARTIAL_SUFFIX}")
    try:
        with open(temporary, "xb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return name


def discard(name: str, *, storage: Storage | None = None) -> None:
    """Remove a file no record points to (a run given up), with its temporary files.

    The caller knows that nobody writes ``name`` any more.
    """
    storage = storage or default_storage
    try:
        target = Path(storage.path(name))
    except NotImplementedError:
        storage.delete(name)
        return
    for leftover in target.parent.glob(f"{target.name}.*{PARTIAL_SUFFIX}"):
        leftover.unlink(missing_ok=True)
    target.unlink(missing_ok=True)


def remove_partial_files(directory: Path) -> int:
    """Remove temporary files older than a run may take (a worker was killed mid-write)."""
    cutoff = time.time() - partial_file_age()
    removed = 0
    for path in directory.glob(f"*{PARTIAL_SUFFIX}"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue
    return removed
