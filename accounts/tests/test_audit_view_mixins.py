"""AccessLoggedDetailMixin and AccessLoggedListMixin: one entry per GET of a class-based view."""

import pytest

from accounts.models import AuditLogEntry, Organisation
from accounts.roles import Role

pytestmark = pytest.mark.urls("accounts.tests.audit_urls")


def access_entries():
    return list(AuditLogEntry.objects.filter(action=AuditLogEntry.Action.ACCESS).order_by("pk"))


def test_it_logs_one_read_per_detail_page(world, login):
    user = world.user(Role.VT_STAFF)
    org = world.municipality

    response = login(user).get(f"/organisaties/{org.public_id}/")

    assert response.status_code == 200
    [entry] = access_entries()
    assert entry.access_kind == AuditLogEntry.AccessKind.READ
    assert (entry.content_type.model_class(), entry.object_pk) == (Organisation, str(org.pk))
    assert entry.actor == user
    assert entry.request_path == f"/organisaties/{org.public_id}/"


def test_it_logs_nothing_for_a_detail_page_not_found(world, other_world, login):
    response = login(world.user(Role.VT_STAFF)).get(
        f"/organisaties/{other_world.municipality.public_id}/"
    )
    assert response.status_code == 404
    assert access_entries() == []


def test_it_logs_the_rows_of_the_list_page_shown(world, login):
    response = login(world.user(Role.VT_STAFF)).get("/organisaties/?page=2")

    assert response.status_code == 200
    [entry] = access_entries()
    assert entry.access_kind == AuditLogEntry.AccessKind.LIST
    shown = [str(o.public_id) for o in response.context["page_obj"].object_list]
    assert len(shown) == 2
    assert entry.additional_data["object_ids"] == shown


def test_it_logs_a_list_with_a_filter_as_a_search(world, login):
    login(world.user(Role.VT_STAFF)).get("/organisaties/?q=Gemeente")
    [entry] = access_entries()
    assert entry.access_kind == AuditLogEntry.AccessKind.SEARCH
    assert entry.additional_data["query_params"] == ["q"]
