"""The list: the Veilig Thuis register with search and filters, or "Mijn signalen"."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AuditLogEntry
from accounts.roles import Role
from signals.models import Signal
from signals.tests.factories import make_signal, person_input, registered_signal, submitted_signal
from signals.tests.test_views_support import access_entries

URL = reverse("signals:list")


def test_it_finds_muller_when_searching_without_the_accent(world, login):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    found = submitted_signal(officer, persons=[person_input(name="Anna Müller")])
    other = submitted_signal(officer, persons=[person_input(name="Jan de Vries")])

    response = login(world.user(Role.VT_STAFF)).get(URL, {"q": "muller"})

    html = response.content.decode()
    assert response.status_code == 200
    assert found.reference in html
    assert other.reference not in html
    assert "1 signaal gevonden" in html


def test_it_logs_a_search_with_the_ids_shown(world, login):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    found = submitted_signal(officer)
    login(world.user(Role.VT_STAFF)).get(URL, {"q": "muller"})
    entry = access_entries(Signal, AuditLogEntry.AccessKind.SEARCH).get()
    assert entry.additional_data["object_ids"] == [str(found.public_id)]
    # What was searched for may be a name: the log keeps that a search was made, not the text.
    assert "muller" not in str(entry.additional_data).lower()


def test_it_logs_one_list_entry_per_page_view(world, login):
    submitted_signal(world.user(Role.MUNICIPAL_OFFICER))
    client = login(world.user(Role.VT_STAFF))
    client.get(URL)
    client.get(URL)
    assert access_entries(Signal, AuditLogEntry.AccessKind.LIST).count() == 2


def test_it_filters_the_register(world, login):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    vt = world.user(Role.VT_STAFF)
    registered = registered_signal(officer, vt, classification="suspected")
    waiting = submitted_signal(officer, world.other_municipality)
    client = login(vt)

    by_status = client.get(URL, {"status": "registered"}).content.decode()
    by_place = client.get(URL, {"municipality": world.other_municipality.pk}).content.decode()
    by_class = client.get(URL, {"classification": "suspected"}).content.decode()

    assert registered.reference in by_status and waiting.reference not in by_status
    assert waiting.reference in by_place and registered.reference not in by_place
    assert registered.reference in by_class and waiting.reference not in by_class


def test_it_shows_an_invalid_filter_as_an_error(world, login):
    response = login(world.user(Role.VT_STAFF)).get(URL, {"received_from": "gisteren"})
    assert response.status_code == 200
    assert "Vul een geldige datum in" in response.content.decode()


def test_it_sorts_by_reference(world, login):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    first, second = submitted_signal(officer), submitted_signal(officer)
    html = login(world.user(Role.VT_STAFF)).get(URL, {"ordering": "reference"}).content.decode()
    assert html.index(first.reference) < html.index(second.reference)
    html = login(world.user(Role.VT_STAFF)).get(URL, {"ordering": "-reference"}).content.decode()
    assert html.index(second.reference) < html.index(first.reference)


def test_it_shows_a_municipality_its_own_signals_with_fewer_filters(world, login):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    mine = make_signal(officer)
    theirs = make_signal(world.user(Role.MUNICIPAL_OFFICER, world.other_municipality))

    html = login(officer).get(URL).content.decode()

    assert "Mijn signalen" in html
    assert mine.reference in html
    assert theirs.reference not in html
    assert 'name="classification"' not in html
    assert 'name="status"' in html


def test_it_paginates_by_25(world, login):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    for _ in range(26):
        make_signal(officer)
    client = login(officer)
    assert "Pagina 1 van 2" in client.get(URL).content.decode()
    second = client.get(URL, {"page": 2}).content.decode()
    assert second.count('<th scope="row">') == 1


def list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"form": "labour"})
    assert response.status_code == 200
    return len(queries)


def test_it_uses_as_many_queries_for_30_signals_as_for_5(world, login):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    client = login(world.user(Role.VT_STAFF))
    for _ in range(5):
        submitted_signal(officer)
    client.get(URL)  # warm the per-process caches (content types, permissions)
    with_five = list_queries(client)
    for _ in range(25):
        submitted_signal(officer)

    with_thirty = list_queries(client)

    assert with_thirty == with_five
    assert with_five <= 15
