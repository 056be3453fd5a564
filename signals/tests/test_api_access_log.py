"""NEN 7513 through the API: exactly one access entry per retrieve, list, search or nested list."""

import pytest
from django.test import Client

from accounts.models import AuditLogEntry
from accounts.roles import Role
from accounts.services import api_token_issue
from signals.models import Note, Person, Signal
from signals.services import note_add
from signals.tests.api_support import LIST_URL, access_entries, action_url, api, detail_url
from signals.tests.factories import make_signal, registered_signal, submitted_signal


@pytest.fixture
def officer(world):
    return world.user(Role.MUNICIPAL_OFFICER)


@pytest.fixture
def vt(world):
    return world.user(Role.VT_STAFF)


def only_new_entry(before: int) -> AuditLogEntry:
    assert access_entries().count() == before + 1
    return access_entries().latest("pk")


def test_a_retrieve_writes_one_read_entry_naming_the_signal_and_its_persons(officer, login):
    signal = make_signal(officer)
    person = signal.involvements.get().person
    client = api(login, officer)
    before = access_entries().count()

    response = client.get(detail_url(signal))

    assert response.status_code == 200
    entry = only_new_entry(before)
    assert entry.access_kind == AuditLogEntry.AccessKind.READ
    assert entry.actor == officer
    assert entry.actor_organisation == officer.organisation
    assert entry.actor_role == Role.MUNICIPAL_OFFICER
    assert entry.content_type.model_class() is Signal
    assert entry.object_pk == str(signal.pk)
    assert entry.additional_data["object_ids"] == [str(signal.public_id)]
    assert entry.additional_data["persons"] == [str(person.public_id)]
    assert entry.request_path == detail_url(signal)
    assert "Müller" not in str(entry.additional_data)


def test_a_list_writes_one_list_entry_with_the_ids_shown(officer, login):
    signals = [make_signal(officer) for _ in range(3)]
    client = api(login, officer)
    before = access_entries().count()

    response = client.get(LIST_URL)

    assert response.status_code == 200
    entry = only_new_entry(before)
    assert entry.access_kind == AuditLogEntry.AccessKind.LIST
    assert entry.content_type.model_class() is Signal
    assert sorted(entry.additional_data["object_ids"]) == sorted(str(s.public_id) for s in signals)


def test_a_search_writes_one_search_entry_without_the_searched_text(officer, vt, login):
    signal = submitted_signal(officer)
    client = api(login, vt)
    before = access_entries().count()

    response = client.get(LIST_URL, {"q": "muller", "status": "submitted"})

    assert response.status_code == 200
    entry = only_new_entry(before)
    assert entry.access_kind == AuditLogEntry.AccessKind.SEARCH
    assert entry.additional_data["object_ids"] == [str(signal.public_id)]
    assert entry.additional_data["query_params"] == ["q", "status"]
    assert "muller" not in str(entry.additional_data)


def test_the_nested_persons_write_one_entry_with_the_person_ids(officer, login):
    signal = make_signal(officer)
    person = signal.involvements.get().person
    client = api(login, officer)
    before = access_entries().count()

    response = client.get(action_url(signal, "persons"))

    assert response.status_code == 200
    entry = only_new_entry(before)
    assert entry.access_kind == AuditLogEntry.AccessKind.LIST
    assert entry.content_type.model_class() is Person
    assert entry.additional_data["object_ids"] == [str(person.public_id)]
    assert entry.additional_data["signal"] == str(signal.public_id)


def test_the_nested_notes_write_one_entry(officer, vt, login):
    signal = registered_signal(officer, vt)
    note = note_add(signal=signal, actor=vt, text="Bekend bij VT.")
    client = api(login, vt)
    before = access_entries().count()

    response = client.get(action_url(signal, "notes"))

    assert response.status_code == 200
    entry = only_new_entry(before)
    assert entry.content_type.model_class() is Note
    assert entry.additional_data["object_ids"] == [str(note.public_id)]


def test_a_refused_read_writes_no_access_entry(world, officer, login):
    signal = make_signal(officer)
    other = api(login, world.user(Role.MUNICIPAL_OFFICER, world.other_municipality))
    before = access_entries().count()

    assert other.get(detail_url(signal)).status_code == 404
    assert api(login, officer).get(action_url(signal, "notes")).status_code == 403

    assert access_entries().count() == before


def test_a_token_request_is_logged_as_its_user(officer):
    signal = make_signal(officer)
    _, key = api_token_issue(user=officer)
    before = access_entries().count()

    response = Client(HTTP_AUTHORIZATION=f"Token {key}").get(detail_url(signal))

    assert response.status_code == 200
    entry = only_new_entry(before)
    assert entry.actor == officer
    assert entry.actor_organisation == officer.organisation
