"""Helpers for the API tests (signals/tests/test_api_*.py): JSON clients, URLs and bodies."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from accounts.models import AuditLogEntry, User
from signals.models import Signal

LIST_URL = "/api/v1/signals/"

# Every detail route of the viewset, with a body that would pass its input serializer.
ACTIONS = ["submit", "register", "mark-acute", "close-internally", "acute-consultation"]


def detail_url(signal: Signal | str) -> str:
    public_id = getattr(signal, "public_id", signal)
    return reverse("api:signal-detail", kwargs={"public_id": public_id})


def action_url(signal: Signal | str, name: str) -> str:
    public_id = getattr(signal, "public_id", signal)
    return reverse(f"api:signal-{name}", kwargs={"public_id": public_id})


class JsonClient:
    """A logged-in test client that speaks JSON, as an integration would."""

    def __init__(self, client: Client):
        self.client = client

    def get(self, url: str, params: dict[str, Any] | None = None):
        return self.client.get(url, params or {})

    def post(self, url: str, body: Any = None):
        return self.client.post(url, body or {}, content_type="application/json")

    def put(self, url: str, body: Any):
        return self.client.put(url, body, content_type="application/json")

    def patch(self, url: str, body: Any):
        return self.client.patch(url, body, content_type="application/json")

    def delete(self, url: str):
        return self.client.delete(url)


def api(login, user: User) -> JsonClient:
    """``login`` is the root conftest's fixture (both login factors given)."""
    return JsonClient(login(user))


def person_body(**overrides) -> dict[str, Any]:
    body = {
        "role": "possible_victim",
        "name": "Anna Müller",
        "age_band": "23-29",
        "gender": "female",
        "nationality": "RO",
        "residence_status": "eu",
        "language": "Roemeens",
    }
    body.update(overrides)
    return body


def signal_body(municipality, **overrides) -> dict[str, Any]:
    body = {
        "source": "municipality_internal",
        "municipality": str(municipality.public_id),
        "received_at": "2026-11-02",
        "description": "Vier vrouwen wonen boven een nagelstudio en werken er dag en nacht.",
        "forms": ["labour"],
        "labour_sector": "beauty_massage",
        "is_acute": False,
        "persons": [
            person_body(),
            person_body(
                role="possible_offender",
                name="Viktor",
                is_alias=True,
                gender="male",
                age_band="",
                nationality="",
                residence_status="unknown",
                language="",
            ),
        ],
        "places": [
            {
                "kind": "company",
                "name": "Nagelstudio Glans",
                "address": "Markt 1",
                "city": "Heerlen",
            }
        ],
    }
    body.update(overrides)
    return body


def access_entries():
    return AuditLogEntry.objects.filter(action=AuditLogEntry.Action.ACCESS)


def walk_pages(client, url: str, params, *, direction: str = "next"):
    """The row ids of every page of a keyset-paged list, following ``direction`` links from
    the first page, and the last page's answer."""
    ids, pages = [], 0
    response = client.get(url, params)
    while True:
        assert response.status_code == 200, response.json()
        body = response.json()
        rows = [row["id"] for row in body["results"]]
        ids = ids + rows if direction == "next" else rows + ids
        pages += 1
        assert pages < 20
        if not body[direction]:
            return ids, body
        response = client.get(body[direction])
