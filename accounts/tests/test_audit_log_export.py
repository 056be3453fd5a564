"""The CSV export of the audit log: complete, filtered, spreadsheet-safe, and itself logged."""

import csv
import io

import pytest
from django.urls import reverse

from accounts.audit import acting_as
from accounts.models import AuditLogEntry
from accounts.roles import Role
from accounts.selectors import audit_entry_list
from accounts.tests.audit_entries import read_by
from accounts.tests.factories import OrganisationFactory
from accounts.views.audit import EXPORT_HEADER

URL = reverse("accounts:audit_log_export")


@pytest.fixture
def officer(world):
    return world.user(Role.PRIVACY_OFFICER)


@pytest.fixture
def client(officer, login):
    return login(officer)


def rows_of(response) -> list[list[str]]:
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_it_exports_one_row_per_entry_with_a_header(world, officer, client):
    read_by(world.user(Role.VT_STAFF), world.municipality)
    read_by(world.user(Role.AVIM), world.municipality)
    expected = audit_entry_list(user=officer).count()

    response = client.get(URL)

    assert response["Content-Disposition"].startswith('attachment; filename="auditlog-')
    assert response["Content-Type"].startswith("text/csv")
    header, *rows = rows_of(response)
    assert header == EXPORT_HEADER
    assert len(rows) == expected


def test_it_respects_the_filters(world, client):
    reader = world.user(Role.AVIM)
    read_by(reader, world.municipality)
    read_by(world.user(Role.VT_STAFF), world.municipality)

    _, *rows = rows_of(client.get(URL, {"actor": reader.pk}))

    assert len(rows) == 1
    assert rows[0][EXPORT_HEADER.index("gebruiker")] == reader.username
    assert rows[0][EXPORT_HEADER.index("rol")] == "AVIM (politie)"
    assert rows[0][EXPORT_HEADER.index("soort inzage")] == "inzien"


def test_it_leaves_other_regions_out(world, other_world, client):
    read_by(other_world.user(Role.VT_STAFF), other_world.municipality)

    _, *rows = rows_of(client.get(URL))

    assert other_world.user(Role.VT_STAFF).username not in {r[3] for r in rows}


def test_it_neutralises_a_formula(world, client):
    evil = '=HYPERLINK("http://evil.example","klik")'
    with acting_as(world.user(Role.ADMINISTRATOR)):
        org = OrganisationFactory(region=world.region, name=evil)

    _, *rows = rows_of(client.get(URL, {"object_pk": org.pk}))

    [row] = rows
    assert row[EXPORT_HEADER.index("omschrijving")] == "'" + evil
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_exporting_is_logged(world, officer, client):
    reader = world.user(Role.VT_STAFF)
    read_by(reader, world.municipality)

    _, *rows = rows_of(client.get(URL, {"actor": reader.pk}))

    entry = AuditLogEntry.objects.latest("pk")
    assert entry.access_kind == AuditLogEntry.AccessKind.EXPORT
    assert entry.actor == officer
    assert entry.additional_data == {"filters": {"actor": str(reader.pk)}, "count": len(rows)}
    assert entry.request_path == URL


def test_it_does_not_export_its_own_entry(world, client):
    _, *rows = rows_of(client.get(URL))
    assert "export" not in {r[EXPORT_HEADER.index("soort inzage")] for r in rows}


def test_it_refuses_invalid_filters_instead_of_exporting_everything(world, client):
    response = client.get(URL, {"date_from": "2026-03-04", "date_to": "2026-03-02"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:audit_log") + "?")
    page = client.get(response["Location"])
    assert "De einddatum ligt vóór de begindatum." in page.content.decode()
    assert not AuditLogEntry.objects.filter(access_kind=AuditLogEntry.AccessKind.EXPORT).exists()


def test_it_refuses_an_export_beyond_the_limit(world, client, monkeypatch):
    monkeypatch.setattr("accounts.views.audit.EXPORT_LIMIT", 1)
    read_by(world.user(Role.VT_STAFF), world.municipality)
    read_by(world.user(Role.VT_STAFF), world.municipality)

    response = client.get(URL, follow=True)

    assert response.redirect_chain
    assert "Te veel regels voor één export" in response.content.decode()
