"""The work lists: waiting for my answer, running, and what Veilig Thuis sent."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts import pagination
from accounts.audit import allow_bulk_writes
from accounts.models import AuditLogEntry, Organisation
from accounts.roles import Role
from accounts.tests.pagination_support import counts_over, is_bounded
from referrals import views
from referrals.models import Referral
from referrals.tests.factories import accepted, external_receiver, ready, referral_case, sent
from referrals.tests.support import list_reads, url


def test_the_receiver_finds_what_waits_for_its_answer(world, login):
    waiting = sent(world)
    running = accepted(world)
    client = login(world.user(Role.MUNICIPAL_OFFICER))

    inbox = client.get(url("list"))
    busy = client.get(url("list"), {"tab": "running"})

    assert inbox.status_code == 200
    assert str(waiting.public_id) in inbox.content.decode()
    assert str(running.public_id) not in inbox.content.decode()
    assert str(running.public_id) in busy.content.decode()


def test_the_receiver_has_no_tab_of_what_was_sent(world, login):
    response = login(world.user(Role.MUNICIPAL_OFFICER)).get(url("list"), {"tab": "sent"})
    assert response.status_code == 404


def test_veilig_thuis_sees_drafts_and_sent_and_the_overdue_are_marked(world, login):
    concept = ready(world)
    late = sent(world)
    with allow_bulk_writes("test: a referral sent two weeks ago"):
        Referral.objects.filter(pk=late.pk).update(sent_at=timezone.now() - timedelta(days=14))

    html = login(world.user(Role.VT_STAFF)).get(url("list"), {"tab": "sent"}).content.decode()

    assert str(concept.public_id) in html and str(late.public_id) in html
    assert "row--overdue" in html
    assert "Langer dan 5 werkdagen zonder antwoord" in html


def test_veilig_thuis_answers_for_receivers_without_users(world, login):
    referral = sent(world, external_receiver(world))
    html = login(world.user(Role.VT_STAFF)).get(url("list")).content.decode()
    assert str(referral.public_id) in html


def test_another_organisation_does_not_see_it(world, login):
    referral = sent(world)
    html = login(world.user(Role.AVIM)).get(url("list")).content.decode()
    assert str(referral.public_id) not in html


@pytest.mark.parametrize("role", [Role.CHAIN_DIRECTOR, Role.ADMINISTRATOR, Role.PRIVACY_OFFICER])
def test_roles_without_referrals_get_403(world, login, role):
    assert login(world.user(role)).get(url("list")).status_code == 403


def test_each_page_view_is_logged_with_the_ids_shown(world, login):
    referral = sent(world)
    login(world.user(Role.MUNICIPAL_OFFICER)).get(url("list"))
    entry = list_reads().get()
    assert entry.access_kind == AuditLogEntry.AccessKind.LIST
    assert entry.additional_data["object_ids"] == [str(referral.public_id)]


def queries(client, tab) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url("list"), {"tab": tab})
    assert response.status_code == 200
    return len(captured)


def many(world, count: int, make, receiver):
    case = referral_case(world)
    for _ in range(count):
        make(world, receiver, case=case)


@pytest.mark.parametrize(
    ("role", "tab", "make", "kind"),
    [
        (Role.MUNICIPAL_OFFICER, "inbox", sent, Organisation.Kind.MUNICIPALITY),
        (Role.PROCESS_DIRECTOR, "running", accepted, Organisation.Kind.ZVH),
        (Role.VT_STAFF, "sent", ready, Organisation.Kind.POLICE_AVIM),
    ],
)
def test_a_page_of_50_costs_as_many_queries_as_5(world, login, role, tab, make, kind):
    client = login(world.user(role))
    receiver = world.orgs[kind]
    many(world, 5, make, receiver)
    client.get(url("list"), {"tab": tab})  # warm the per-process caches
    with_five = queries(client, tab)
    many(world, 45, make, receiver)

    with_fifty = queries(client, tab)

    assert with_fifty == with_five


def rows(html: str) -> int:
    return html.count('<th scope="row">')


def test_the_sent_list_says_more_than_the_limit_and_pages_on(world, login, monkeypatch):
    case = referral_case(world)
    for _ in range(5):
        ready(world, world.orgs[Organisation.Kind.POLICE_AVIM], case=case)
    monkeypatch.setattr(pagination, "COUNT_LIMIT", 3)
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    client = login(world.user(Role.VT_STAFF))

    first = client.get(url("list"), {"tab": "sent"}).content.decode()
    third = client.get(url("list"), {"tab": "sent", "page": 3}).content.decode()

    assert "Meer dan 3 verwijzingen" in first
    assert "Pagina 1<" in first and 'rel="next"' in first
    assert "tab=sent&amp;page=2" in first
    assert rows(first) == 2
    assert rows(third) == 1 and 'rel="next"' not in third and 'rel="prev"' in third


def test_up_to_the_limit_the_count_is_exact(world, login, monkeypatch):
    for _ in range(3):
        sent(world)
    monkeypatch.setattr(pagination, "COUNT_LIMIT", 3)
    html = login(world.user(Role.MUNICIPAL_OFFICER)).get(url("list")).content.decode()
    assert "3 verwijzingen" in html
    assert "Meer dan" not in html


@pytest.mark.parametrize(
    ("role", "tab"), [(Role.VT_STAFF, "sent"), (Role.MUNICIPAL_OFFICER, "inbox")]
)
def test_the_count_reads_at_most_the_limit_plus_one_row(world, login, role, tab):
    sent(world)
    client = login(world.user(role))
    counts = counts_over("referrals_referral", lambda: client.get(url("list"), {"tab": tab}))
    assert len(counts) == 1
    assert is_bounded(counts[0])
