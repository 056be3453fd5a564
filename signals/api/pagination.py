"""Keyset ("cursor") paging of the signals list.

Page-number paging costs an exact ``COUNT(*)`` over everything the caller may see on every
request, and an ``OFFSET`` that grows with every page an integration walks through: both
grow with the register. A keyset page asks for the rows *after the last row shown* in the
list's own order, so the database starts reading where the previous page stopped and
every page costs the same (docs/performance.md).

The cursor holds the ordering values of a boundary row (the last row of the page for
``next``, the first for ``previous``); it is opaque to clients and carries no personal data
(dates, a status, a reference number, an internal row id). Every ordering of the list ends
in the primary key (``selectors.ORDERINGS``), so a position is always unique.

DRF's own ``CursorPagination`` is not used as is: it keeps the position of the *first*
ordering column only and counts ties with an offset, which breaks on columns that may be
empty (``submitted_at`` of a draft) and degrades to an offset on "sort by status".
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model, Q, QuerySet
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class Key:
    """One column of the ordering: its model field and direction."""

    field: Any
    descending: bool

    @property
    def name(self) -> str:
        return self.field.attname


def _keys(queryset: QuerySet) -> list[Key]:
    model = queryset.model
    keys = []
    for item in queryset.query.order_by:
        if not isinstance(item, str):
            raise ImproperlyConfigured("Keyset paging needs an ordering by field names.")
        descending = item.startswith("-")
        name = item.lstrip("-")
        field = model._meta.pk if name == "pk" else model._meta.get_field(name)
        keys.append(Key(field=field, descending=descending))
    if not keys or not keys[-1].field.primary_key:
        raise ImproperlyConfigured("Keyset paging needs an ordering that ends in the primary key.")
    return keys


# PostgreSQL sorts an empty (NULL) value after every value: last going up, first going down.
def _beyond(key: Key, value: Any, *, descending: bool) -> Q:
    """Rows strictly after ``value`` in this one column."""
    if value is None:
        return Q(**{f"{key.name}__isnull": False}) if descending else NOTHING
    if descending:
        return Q(**{f"{key.name}__lt": value})
    return Q(**{f"{key.name}__gt": value}) | Q(**{f"{key.name}__isnull": True})


def _equal(key: Key, value: Any) -> Q:
    return Q(**{f"{key.name}__isnull": True}) if value is None else Q(**{key.name: value})


def after(keys: list[Key], values: list[Any], *, reverse: bool = False) -> Q:
    """Rows after the row with ``values`` in the ordering ``keys`` (before it when ``reverse``).

    (a, b, c) after (x, y, z) is: a beyond x, or a = x and b beyond y, or a = b = x, y and c
    beyond z. The first column is also bounded on its own (``a <= x`` going down), which an
    index on the ordering can use to start reading at the cursor.
    """
    result = NOTHING
    equal = Q()
    for key, value in zip(keys, values, strict=True):
        descending = key.descending != reverse
        result |= equal & _beyond(key, value, descending=descending)
        equal &= _equal(key, value)
    first, value = keys[0], values[0]
    if value is not None:
        descending = first.descending != reverse
        bound = Q(**{f"{first.name}__{'lte' if descending else 'gte'}": value})
        if not descending:
            bound |= Q(**{f"{first.name}__isnull": True})
        result &= bound
    return result


# A real cursor is a few dozen characters; anything much longer is not one of ours.
CURSOR_MAX_LENGTH = 1000


class KeysetPagination(CursorPagination):
    """``next`` and ``previous`` links with an opaque cursor; no count, no offset."""

    page_size = 50
    cursor_query_description = "Opaque position from a `next` or `previous` link."
    invalid_cursor_message = (
        "Ongeldige cursor: gebruik de next- of previous-link van een eerdere pagina."
    )

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.base_url = request.build_absolute_uri()
        self.keys = _keys(queryset)
        size = self.get_page_size(request)
        reverse, values = self._decode(request)
        if reverse:
            queryset = queryset.reverse()
        if values is not None:
            queryset = queryset.filter(after(self.keys, values, reverse=reverse))
        rows = list(queryset[: size + 1])
        more = len(rows) > size
        rows = rows[:size]
        if reverse:
            rows.reverse()
            self.has_previous, self.has_next = more, True
        else:
            self.has_previous, self.has_next = values is not None, more
        self.page = rows
        return rows

    def get_paginated_response(self, data):
        return Response(
            {"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data}
        )

    def get_next_link(self) -> str | None:
        if not self.has_next or not self.page:
            return None
        return self._link(self.page[-1], reverse=False)

    def get_previous_link(self) -> str | None:
        if not self.has_previous:
            return None
        if not self.page:
            return remove_query_param(self.base_url, self.cursor_query_param)
        return self._link(self.page[0], reverse=True)

    # --- the cursor -----------------------------------------------------------------------

    def _link(self, row: Model, *, reverse: bool) -> str:
        values = []
        for key in self.keys:
            value = key.field.value_from_object(row)
            values.append(None if value is None else key.field.value_to_string(row))
        token = json.dumps({"r": int(reverse), "v": values}, separators=(",", ":"))
        encoded = base64.urlsafe_b64encode(token.encode()).decode("ascii")
        return replace_query_param(self.base_url, self.cursor_query_param, encoded)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.cursor_query_param:
                parameter["schema"]["maxLength"] = CURSOR_MAX_LENGTH
        return parameters

    def _decode(self, request) -> tuple[bool, list[Any] | None]:
        encoded = request.query_params.get(self.cursor_query_param)
        if not encoded:
            return False, None
        try:
            if len(encoded) > CURSOR_MAX_LENGTH:
                raise ValueError("cursor too long")
            token = json.loads(base64.urlsafe_b64decode(encoded.encode("ascii")))
            raw = token["v"]
            if not isinstance(raw, list) or len(raw) != len(self.keys):
                raise ValueError
            values = [
                None if value is None else self._value(key, value)
                for key, value in zip(self.keys, raw, strict=True)
            ]
            return bool(token.get("r")), values
        except (
            ValueError,
            TypeError,
            KeyError,
            UnicodeError,
            binascii.Error,
            DjangoValidationError,
        ) as exc:
            raise ValidationError({self.cursor_query_param: [self.invalid_cursor_message]}) from exc

    @staticmethod
    def _value(key: Key, raw: Any) -> Any:
        """A cursor value as the column's type; out of range or malformed raises ValueError or
        ValidationError (a forged cursor must answer 400, never reach the database as a 500)."""
        text = str(raw)
        if "\x00" in text:
            raise ValueError("NUL in cursor")
        # clean(): the type, the choices and the column's range (e.g. smallint for the year).
        return key.field.clean(text, None)
