"""NEN 7513 through the screening API: exactly one access entry per retrieve and per list."""

import pytest

from accounts.models import AuditLogEntry
from accounts.roles import Role
from screening.models import Meeting
from screening.tests.factories import MeetingFactory, agenda_item
from screening.tests.test_api_support import LIST_URL, item_url, meeting_url
from signals.tests.api_support import access_entries, api


@pytest.fixture
def meeting(world):
    return MeetingFactory(region=world.region)


def only_new_entry(before: int) -> AuditLogEntry:
    assert access_entries().count() == before + 1
    return access_entries().latest("pk")


def test_a_retrieve_writes_one_read_entry_naming_the_signals_on_the_agenda(world, meeting, login):
    items = [agenda_item(world, meeting) for _ in range(2)]
    user = world.user(Role.AVIM)
    client = api(login, user)
    before = access_entries().count()

    response = client.get(meeting_url(meeting))

    assert response.status_code == 200
    entry = only_new_entry(before)
    assert entry.access_kind == AuditLogEntry.AccessKind.READ
    assert entry.actor == user
    assert entry.actor_role == Role.AVIM
    assert entry.actor_organisation == user.organisation
    assert entry.content_type.model_class() is Meeting
    assert entry.object_pk == str(meeting.pk)
    assert entry.additional_data["object_ids"] == [str(meeting.public_id)]
    assert entry.additional_data["signal_ids"] == [str(i.signal.public_id) for i in items]
    assert entry.request_path == meeting_url(meeting)


def test_a_list_writes_one_list_entry_with_the_meetings_shown(world, meeting, login):
    later = MeetingFactory(region=world.region)
    client = api(login, world.user(Role.VT_STAFF))
    before = access_entries().count()

    response = client.get(LIST_URL)

    assert response.status_code == 200
    entry = only_new_entry(before)
    assert entry.access_kind == AuditLogEntry.AccessKind.LIST
    assert entry.content_type.model_class() is Meeting
    assert entry.additional_data["object_ids"] == [str(later.public_id), str(meeting.public_id)]


def test_a_refused_read_writes_no_access_entry(world, other_world, meeting, login):
    before = access_entries().count()

    assert api(login, other_world.user(Role.VT_STAFF)).get(meeting_url(meeting)).status_code == 404
    assert api(login, world.user(Role.MUNICIPAL_OFFICER)).get(LIST_URL).status_code == 403

    assert access_entries().count() == before


def test_a_change_writes_no_access_entry(world, meeting, login):
    item = agenda_item(world, meeting)
    client = api(login, world.user(Role.VT_STAFF))
    before = access_entries().count()

    assert client.post(item_url(item, "move"), {"direction": "down"}).status_code == 200
    assert client.post(meeting_url(meeting, "close-agenda")).status_code == 200

    assert access_entries().count() == before
