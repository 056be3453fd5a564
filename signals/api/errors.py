"""The services' exceptions as HTTP answers, in one place for every signals viewset.

| raised by a service                     | status | body                                              |
|-----------------------------------------|--------|---------------------------------------------------|
| ``django...ValidationError``            | 400    | field → messages; persons/places by index          |
| ``django...PermissionDenied``           | 403    | ``{"detail"}``                                    |
| ``workflow.TransitionNotAllowed``       | 409    | ``{"detail", "code": "transition_not_allowed", "status"}`` |
| ``services.StaleVersion``               | 409    | ``{"detail", "code": "stale_version", "current_version"}`` |

The services refuse before they write and run in their own transaction, so each of these
answers leaves the database as it was.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import set_rollback

from ..services import StaleVersion
from ..workflow import TransitionNotAllowed

CODE_TRANSITION_NOT_ALLOWED = "transition_not_allowed"
CODE_STALE_VERSION = "stale_version"


def nest_errors(exc: DjangoValidationError) -> dict[str, Any]:
    """A service's errors in the shape DRF gives a serializer's own errors.

    The services key a person's errors ``persons.<i>.<field>``; DRF reports the items of a
    nested list by index, ``{"persons": {"1": {"birth_date": [...]}}}`` (the list form of
    older DRF versions when ``LIST_SERIALIZER_ERRORS_AS_DICT`` is off). Either way a client
    finds every message on the field it sent, at the index it sent it.
    """
    if not hasattr(exc, "error_dict"):
        return {api_settings.NON_FIELD_ERRORS_KEY: list(exc.messages)}
    nested: dict[str, Any] = {}
    items: dict[str, dict[int, dict[str, list[str]]]] = {}
    for key, messages in exc.message_dict.items():
        parts = key.split(".")
        if len(parts) == 3 and parts[1].isdigit():
            name, index, field = parts[0], int(parts[1]), parts[2]
            items.setdefault(name, {}).setdefault(index, {}).setdefault(field, []).extend(messages)
        else:
            name = api_settings.NON_FIELD_ERRORS_KEY if key == NON_FIELD_ERRORS else key
            nested.setdefault(name, []).extend(messages)
    for name, by_index in items.items():
        if api_settings.LIST_SERIALIZER_ERRORS_AS_DICT:
            nested[name] = {str(i): by_index[i] for i in sorted(by_index)}
        else:
            nested[name] = [by_index.get(i, {}) for i in range(max(by_index) + 1)]
    return nested


class ServiceErrorsMixin:
    """Put first in a viewset's bases: maps the services' exceptions before DRF's handler."""

    def handle_exception(self, exc):
        if isinstance(exc, TransitionNotAllowed):
            set_rollback()
            return Response(
                {
                    "detail": str(exc.message),
                    "code": CODE_TRANSITION_NOT_ALLOWED,
                    "status": exc.current or None,
                },
                status=status.HTTP_409_CONFLICT,
            )
        if isinstance(exc, StaleVersion):
            set_rollback()
            return Response(
                {
                    "detail": str(exc.message),
                    "code": CODE_STALE_VERSION,
                    "current_version": exc.current,
                },
                status=status.HTTP_409_CONFLICT,
            )
        if isinstance(exc, DjangoValidationError):
            exc = exceptions.ValidationError(detail=nest_errors(exc))
        elif isinstance(exc, DjangoPermissionDenied):
            # DRF would turn it into its generic message; a service's own reason is kept.
            exc = exceptions.PermissionDenied(detail=str(exc.args[0]) if exc.args else None)
        return super().handle_exception(exc)
