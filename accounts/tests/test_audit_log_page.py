"""The privacy officer's audit log page: its region only, paged, and itself logged."""

import pytest
from django.urls import reverse

from accounts import pagination
from accounts.models import AuditLogEntry
from accounts.roles import Role
from accounts.tests.audit_entries import read_by
from accounts.tests.pagination_support import counts_over, is_bounded
from accounts.views import audit

URL = reverse("accounts:audit_log")


@pytest.fixture
def officer(world):
    return world.user(Role.PRIVACY_OFFICER)


def shown(response) -> list[int]:
    return [row.entry.pk for row in response.context["rows"]]


def test_it_shows_entries_of_its_own_region_only(world, other_world, officer, login):
    ours = read_by(world.user(Role.VT_STAFF), world.municipality)
    theirs = read_by(other_world.user(Role.VT_STAFF), other_world.municipality)

    response = login(officer).get(URL)

    assert response.status_code == 200
    assert ours.pk in shown(response)
    assert theirs.pk not in shown(response)
    assert other_world.user(Role.VT_STAFF).username not in response.content.decode()


def test_it_shows_the_entries_in_dutch(world, officer, login):
    read_by(world.user(Role.VT_STAFF), world.municipality)

    html = login(officer).get(URL).content.decode()

    assert "Medewerker Veilig Thuis" in html  # the role's label, not its code
    assert "ingezien" in html and "inzien" in html
    assert "Organisatie" in html
    assert "vt_staff<" not in html


@pytest.mark.parametrize("role", [r for r in Role if r != Role.PRIVACY_OFFICER])
def test_it_is_forbidden_to_other_roles(world, login, role):
    client = login(world.user(role))
    assert client.get(URL).status_code == 403
    assert client.get(reverse("accounts:audit_log_export")).status_code == 403


def test_it_sends_anonymous_visitors_to_the_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_it_pages_the_entries(world, officer, login):
    reader = world.user(Role.VT_STAFF)
    for _ in range(55):
        read_by(reader, world.municipality)
    client = login(officer)
    # Filtered on the reader: the officer's own reads of the page do not shift the pages.
    first = client.get(URL, {"actor": reader.pk})
    second = client.get(URL, {"actor": reader.pk, "page": 2})

    assert len(first.context["rows"]) == 50
    assert len(second.context["rows"]) == 5
    assert not set(shown(first)) & set(shown(second))
    assert f'?actor={reader.pk}&amp;page=2" rel="next"' in first.content.decode()


def test_reading_the_page_is_logged_as_a_list(world, officer, login):
    response = login(officer).get(URL, {"page": 1})

    entry = AuditLogEntry.objects.latest("pk")
    assert entry.action == AuditLogEntry.Action.ACCESS
    assert entry.access_kind == AuditLogEntry.AccessKind.LIST  # paging is not a search
    assert entry.content_type.model_class() is AuditLogEntry
    assert (entry.actor, entry.actor_role) == (officer, Role.PRIVACY_OFFICER.value)
    assert entry.request_path == URL
    assert entry.additional_data["object_ids"] == [str(pk) for pk in shown(response)]
    assert entry.pk not in shown(response)  # the page shows what was logged, not its own read


def test_reading_the_page_with_filters_is_logged_as_a_search(world, officer, login):
    reader = world.user(Role.VT_STAFF)
    login(officer).get(URL, {"actor": reader.pk, "object_pk": ""})

    entry = AuditLogEntry.objects.latest("pk")
    assert entry.access_kind == AuditLogEntry.AccessKind.SEARCH
    assert entry.additional_data["filters"] == {"actor": str(reader.pk)}


def test_it_counts_up_to_a_limit_and_pages_on_past_it(world, officer, login, monkeypatch):
    reader = world.user(Role.VT_STAFF)
    for _ in range(5):
        read_by(reader, world.municipality)
    monkeypatch.setattr(pagination, "COUNT_LIMIT", 3)
    monkeypatch.setattr(audit, "PAGE_SIZE", 2)
    client = login(officer)

    first = client.get(URL, {"actor": reader.pk})
    third = client.get(URL, {"actor": reader.pk, "page": 3})

    html = first.content.decode()
    assert "Meer dan 3 regels" in html
    assert "Pagina 1<" in html and f'?actor={reader.pk}&amp;page=2" rel="next"' in html
    assert len(first.context["rows"]) == 2
    assert len(third.context["rows"]) == 1
    assert 'rel="next"' not in third.content.decode()


def test_up_to_the_limit_it_shows_the_exact_count(world, officer, login, monkeypatch):
    reader = world.user(Role.VT_STAFF)
    for _ in range(3):
        read_by(reader, world.municipality)
    monkeypatch.setattr(pagination, "COUNT_LIMIT", 3)
    html = login(officer).get(URL, {"actor": reader.pk}).content.decode()
    assert "3 regels" in html
    assert "Meer dan" not in html


def test_the_count_reads_at_most_the_limit_plus_one_row(world, officer, login):
    read_by(world.user(Role.VT_STAFF), world.municipality)
    counts = counts_over("accounts_auditlogentry", lambda: login(officer).get(URL))
    assert len(counts) == 1
    assert is_bounded(counts[0])
