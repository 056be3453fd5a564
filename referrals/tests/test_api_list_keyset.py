"""The API's referral list pages by keyset: every row once, in the list's order, no count."""

import base64

import pytest
from django.utils import timezone

from accounts.audit import allow_bulk_writes
from accounts.models import Organisation
from accounts.roles import Role
from referrals import selectors
from referrals.models import Referral
from referrals.tests.factories import accepted, draft, ready, referral_case, sent
from signals.api.pagination import KeysetPagination
from signals.tests.api_support import api, walk_pages

LIST = "/api/v1/referrals/"


def back_from(client, last_page) -> list[str]:
    ids = [row["id"] for row in last_page["results"]]
    response = client.get(last_page["previous"])
    while True:
        body = response.json()
        ids = [row["id"] for row in body["results"]] + ids
        if not body["previous"]:
            return ids
        response = client.get(body["previous"])


@pytest.fixture
def mixed(world):
    """Drafts, sent and accepted referrals of two cases; three made at the very same moment,
    so the order falls back on the primary key."""
    case = referral_case(world)
    avim = world.orgs[Organisation.Kind.POLICE_AVIM]
    made = [draft(world, avim, case=case), ready(world, avim, case=case)]
    made += [sent(world, avim, case=case) for _ in range(3)]
    made += [accepted(world, avim, case=referral_case(world)) for _ in range(2)]
    with allow_bulk_writes("test: referrals made at the same moment"):
        Referral.objects.filter(pk__in=[r.pk for r in made[1:4]]).update(created_at=timezone.now())
    return made


@pytest.mark.parametrize(
    ("role", "tab"),
    [
        (Role.VT_STAFF, ""),
        (Role.VT_STAFF, "sent"),
        (Role.AVIM, ""),
        (Role.AVIM, "inbox"),
        (Role.AVIM, "running"),
    ],
)
def test_it_returns_every_row_once_in_order_forwards_and_back(
    world, mixed, login, monkeypatch, role, tab
):
    monkeypatch.setattr(KeysetPagination, "page_size", 2)
    user = world.user(role)
    client = api(login, user)
    params = {"tab": tab} if tab else {}
    queryset = (
        selectors.referral_worklist(user=user, tab=tab)
        if tab
        else selectors.referral_list(user=user)
    )
    expected = [str(r.public_id) for r in queryset]
    assert expected  # every list of this test has rows

    forwards, last_page = walk_pages(client, LIST, params)

    assert forwards == expected
    if len(expected) > 2:
        assert back_from(client, last_page) == expected


def test_the_answer_has_links_and_no_count(world, mixed, login, monkeypatch):
    monkeypatch.setattr(KeysetPagination, "page_size", 2)
    body = api(login, world.user(Role.VT_STAFF)).get(LIST).json()

    assert set(body) == {"next", "previous", "results"}
    assert body["previous"] is None
    assert "cursor=" in body["next"]


def test_the_filters_stay_in_the_next_link(world, mixed, login, monkeypatch):
    monkeypatch.setattr(KeysetPagination, "page_size", 1)
    ids, _ = walk_pages(api(login, world.user(Role.VT_STAFF)), LIST, {"status": "sent"})
    assert len(ids) == 3


@pytest.mark.parametrize(
    "cursor",
    [
        "not-base64!",
        base64.urlsafe_b64encode(b'{"r":0,"v":["gisteren", "7"]}').decode(),
        base64.urlsafe_b64encode(b'{"r":0,"v":["2026-01-01T00:00:00+00:00"]}').decode(),
    ],
)
def test_a_cursor_that_is_not_ours_is_a_400(world, login, cursor):
    response = api(login, world.user(Role.VT_STAFF)).get(LIST, {"cursor": cursor})
    assert response.status_code == 400
    assert "cursor" in response.json()


def test_the_page_is_read_in_the_order_of_the_index(world, login):
    """The newest-first list orders by exactly the columns of its index, so the database
    reads the first page from the index instead of sorting the region."""
    sent(world)
    user = world.user(Role.VT_STAFF)
    indexes = {index.name: index for index in Referral._meta.indexes}

    for queryset, name in [
        (selectors.referral_list(user=user), "referral_newest_idx"),
        (selectors.referral_worklist(user=user, tab="sent"), "referral_unanswered_idx"),
    ]:
        order = [f.replace("pk", "id") for f in queryset.query.order_by]
        assert order == list(indexes[name].fields), name
