"""AccessLoggedViewSetMixin: exactly one entry per DRF list and retrieve."""

import pytest

from accounts.models import AuditLogEntry, Organisation
from accounts.roles import Role
from accounts.tests.factories import OrganisationFactory

pytestmark = pytest.mark.urls("accounts.tests.audit_urls")


@pytest.fixture
def user(world):
    return world.user(Role.VT_STAFF)


@pytest.fixture
def client(login, user):
    return login(user)


def access_entries():
    return list(AuditLogEntry.objects.filter(action=AuditLogEntry.Action.ACCESS).order_by("pk"))


def test_it_logs_one_read_per_retrieve(world, client, user):
    org = world.municipality

    response = client.get(f"/test-api/organisations/{org.public_id}/")

    assert response.status_code == 200
    [entry] = access_entries()
    assert entry.access_kind == AuditLogEntry.AccessKind.READ
    assert entry.object_pk == str(org.pk)
    assert entry.additional_data["object_ids"] == [str(org.public_id)]
    assert (entry.actor, entry.actor_role, entry.actor_organisation) == (
        user,
        Role.VT_STAFF.value,
        user.organisation,
    )
    assert (entry.request_method, entry.request_path) == (
        "GET",
        f"/test-api/organisations/{org.public_id}/",
    )


def test_it_logs_one_list_with_the_ids_on_the_page(world, client):
    assert Organisation.objects.filter(region=world.region).count() > 3  # three per page

    response = client.get("/test-api/organisations/?page=2")

    assert response.status_code == 200
    [entry] = access_entries()
    assert entry.access_kind == AuditLogEntry.AccessKind.LIST  # paging is not a search
    shown = [row["id"] for row in response.json()["results"]]
    assert entry.additional_data["object_ids"] == shown
    assert entry.additional_data["count"] == len(shown)
    assert entry.object_pk == ""
    assert entry.content_type.model_class() is Organisation


def test_it_logs_a_filtered_list_as_a_search_without_the_values(world, client):
    response = client.get("/test-api/organisations/?kind=municipality")

    assert response.status_code == 200
    [entry] = access_entries()
    assert entry.access_kind == AuditLogEntry.AccessKind.SEARCH
    assert entry.additional_data["query_params"] == ["kind"]
    assert "municipality" not in str(entry.additional_data)
    assert sorted(entry.additional_data["object_ids"]) == sorted(
        str(o.public_id) for o in (world.municipality, world.other_municipality)
    )


def test_it_logs_an_empty_filter_as_a_list(client):
    client.get("/test-api/organisations/?kind=")
    [entry] = access_entries()
    assert entry.access_kind == AuditLogEntry.AccessKind.LIST


def test_it_logs_nothing_when_the_record_is_not_visible(other_world, client):
    response = client.get(f"/test-api/organisations/{other_world.municipality.public_id}/")
    assert response.status_code == 404
    assert access_entries() == []


def test_it_logs_nothing_for_an_anonymous_request(world):
    from django.test import Client

    response = Client().get("/test-api/organisations/")
    assert response.status_code in (401, 403)
    assert access_entries() == []


def test_it_logs_each_request_once(world, client):
    OrganisationFactory(region=world.region)
    client.get("/test-api/organisations/")
    client.get(f"/test-api/organisations/{world.municipality.public_id}/")
    client.get("/test-api/organisations/")
    assert [e.access_kind for e in access_entries()] == ["list", "read", "list"]
