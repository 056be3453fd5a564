"""Helpers for the screening API tests (screening/tests/test_api_*.py): URLs and snapshots.

The JSON client (``api``) and the access-log query are the signals API tests' own.
"""

from __future__ import annotations

from django.urls import reverse

from screening.models import AgendaItem, Meeting

LIST_URL = "/api/v1/screening/meetings/"


def meeting_url(meeting: Meeting | str, name: str = "detail") -> str:
    public_id = getattr(meeting, "public_id", meeting)
    return reverse(f"api:meeting-{name}", kwargs={"public_id": public_id})


def item_url(
    item: AgendaItem | str, name: str = "detail", *, meeting: Meeting | None = None
) -> str:
    """An item route; for an id read from a response, pass its ``meeting``."""
    meeting = meeting or item.meeting
    item_id = getattr(item, "public_id", item)
    return reverse(
        f"api:meeting-item-{name}", kwargs={"public_id": meeting.public_id, "item_id": item_id}
    )


def snapshot(meeting: Meeting) -> tuple:
    """What a refused request must leave as it was: the meeting and every item on it."""
    fresh = Meeting.objects.get(pk=meeting.pk)
    items = tuple(
        AgendaItem.objects.filter(meeting=meeting)
        .order_by("pk")
        .values_list("pk", "position", "state", "outcome", "version")
    )
    inputs = sum(item.inputs.count() for item in AgendaItem.objects.filter(meeting=meeting))
    return fresh.status, fresh.version, items, inputs
