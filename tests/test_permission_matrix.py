"""Every URL × every role × own / other-organisation / other-region object × method.

The table is ``tests/permission_matrix.py``; this module walks the URL conf against it and
runs one request per case. At the end of the run pytest prints
``permission matrix: N cases, 0 unexpected 2xx``.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from rest_framework.throttling import UserRateThrottle

from accounts.models import AuditLogEntry
from accounts.roles import Role
from accounts.tests.factories import OrganisationFactory
from conftest import World
from tests.permission_matrix import (
    EXEMPT,
    NOT_ALLOWED,
    OTHER_ORG,
    OTHER_REGION,
    OWN,
    ROWS,
    ROWS_BY_NAME,
    SIGNAL_OWNERS,
    Case,
    Ctx,
    Expected,
    changed_tables,
    database_writes,
    expected,
    url_patterns,
)
from tests.permission_matrix import cases as all_cases

CASES = all_cases()
LOGIN_PATH = reverse("accounts:login")


# --- the summary line ------------------------------------------------------------------------


class MatrixSummary:
    """Counts the cases as they run and prints one line per variant at the end of the session."""

    name = "permission-matrix-summary"

    def __init__(self) -> None:
        self.checked: dict[str, int] = {}
        self.by_outcome: dict[str, dict[str, int]] = {}
        self.unexpected_2xx: list[str] = []
        self.failed: dict[str, int] = {}

    def record(
        self, case: Case, want: Expected, status: int, ok: bool, *, variant: str = "table"
    ) -> None:
        self.checked[variant] = self.checked.get(variant, 0) + 1
        outcomes = self.by_outcome.setdefault(variant, {})
        outcomes[want.outcome] = outcomes.get(want.outcome, 0) + 1
        if want.outcome != "allowed" and 200 <= status < 300:
            self.unexpected_2xx.append(f"{case.id} [{variant}] → {status}")
        if not ok:
            self.failed[variant] = self.failed.get(variant, 0) + 1

    def pytest_terminal_summary(self, terminalreporter) -> None:
        for variant, checked in self.checked.items():
            parts = ", ".join(f"{n} {k}" for k, n in sorted(self.by_outcome[variant].items()))
            unexpected = sum(f"[{variant}]" in line for line in self.unexpected_2xx)
            terminalreporter.write_line(
                f"permission matrix ({variant}): {checked} cases ({parts}), "
                f"{unexpected} unexpected 2xx, {self.failed.get(variant, 0)} not as the table says"
            )
        for line in self.unexpected_2xx:
            terminalreporter.write_line(f"  unexpected 2xx: {line}")


@pytest.fixture(scope="session")
def summary(request) -> MatrixSummary:
    manager = request.config.pluginmanager
    plugin = manager.get_plugin(MatrixSummary.name)
    if plugin is None:
        plugin = MatrixSummary()
        manager.register(plugin, MatrixSummary.name)
    return plugin


# --- one world per run of this module ------------------------------------------------------
#
# Making a world, its users and a case's object (a signal taken through submission,
# registration and screening, a case, a trajectory...) costs far more than the request the
# case is about. So the two worlds and every object are made once, in a transaction around
# the module's tests, and each test runs in a savepoint of it: whatever a request changes
# is rolled back before the next one, and the module's transaction is rolled back at its
# end. Each test gets its own copy of the object as it was made (``copy.deepcopy``), so an
# object changed in memory by one case's set-up cannot reach the next case.


@dataclass
class Shared:
    media_root: Path
    world: World
    other_world: World
    objects: dict[tuple, Any] = field(default_factory=dict)

    def object_for(self, case: Case) -> Any:
        """The case's object, made on first use outside any test's savepoint."""
        self.world.end_test()
        self.other_world.end_test()
        user = self.world.user(case.role) if case.role is not None else None
        owner_world, owner = _owner(case, self.world, self.other_world, user)
        key = (case.kind.name, owner_world.region.pk, owner.pk if owner else None)
        if key not in self.objects:
            self.objects[key] = make_object(case, self.world, self.other_world)
        return copy.deepcopy(self.objects[key])


@pytest.fixture(scope="module")
def shared(django_db_setup, django_db_blocker, tmp_path_factory):
    # A thousand cases once made some ten thousand municipalities (CBS code GM + 4 digits);
    # the sequence MunicipalityFactory counts with starts again for every module run.
    OrganisationFactory.reset_sequence()
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield Shared(
                media_root=tmp_path_factory.mktemp("matrix-media"),
                world=World("zl").share(),
                other_world=World("xx").share(),
            )
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def prepared(request, shared, settings) -> Any:
    """The object of the test's case, made before the test's savepoint is opened.

    Listed before ``world`` in a test's arguments, so that it runs before ``db``.
    """
    settings.MEDIA_ROOT = shared.media_root
    case = request.node.callspec.params.get("case") if hasattr(request.node, "callspec") else None
    if case is None or case.kind is None:
        return None
    return shared.object_for(case)


@pytest.fixture
def world(shared, db) -> World:
    shared.world.begin_test()
    shared.other_world.begin_test()
    # The same users make thousands of API requests here, faster than any person: the API's
    # rate limit (a count per user in the shared cache) starts again for every case.
    cache.delete_many(
        [
            UserRateThrottle.cache_format % {"scope": UserRateThrottle.scope, "ident": user.pk}
            for w in (shared.world, shared.other_world)
            for user in w.users
        ]
    )
    yield shared.world
    shared.world.end_test()
    shared.other_world.end_test()


@pytest.fixture
def other_world(shared, world) -> World:
    return shared.other_world


@pytest.fixture(autouse=True)
def media(settings, shared):
    # The shared objects' files (attachments, minutes, reports) stay where they were made.
    settings.MEDIA_ROOT = shared.media_root


# --- the table covers the URL conf -----------------------------------------------------------


def test_every_url_has_a_row():
    missing, unnamed = [], []
    for pattern in url_patterns():
        if pattern.in_admin:
            continue  # one rule for the whole admin: test_the_admin_is_for_the_administrator
        if pattern.name is None:
            if pattern.route not in EXEMPT:
                unnamed.append(pattern.route)
        elif pattern.name not in ROWS_BY_NAME:
            missing.append(pattern.name)
    messages = [f"URL pattern {n} has no row in tests/permission_matrix.py" for n in missing]
    messages += [
        f"URL pattern {r!r} has no name: reverse it by name, or list it in EXEMPT with a reason"
        for r in unnamed
    ]
    assert not messages, "\n".join(messages)


def test_every_row_names_a_url():
    names = {p.name for p in url_patterns()}
    routes = {p.route for p in url_patterns()}
    stale = [row.name for row in ROWS if row.name not in names]
    stale += [route for route in EXEMPT if route not in routes]
    assert not stale, f"rows or exemptions for URLs that no longer exist: {stale}"


def test_each_url_has_one_row():
    names = [row.name for row in ROWS]
    assert len(names) == len(set(names))


# --- running one case ------------------------------------------------------------------------


def _owner(case: Case, world, other_world, user):
    """The organisation (or None, for a region's object) and world the case's object is in."""
    kind = case.kind
    if not kind.per_organisation:
        return (other_world if case.relation == OTHER_REGION else world), None
    if user is None:
        return world, world.municipality
    org = user.organisation
    if case.relation == OWN:
        return world, org
    if case.relation == OTHER_ORG:
        return world, (
            world.other_municipality if org == world.municipality else world.municipality
        )
    counterpart = other_world.orgs[org.kind] if org.kind in SIGNAL_OWNERS else None
    return other_world, counterpart or other_world.municipality


def make_object(case: Case, world, other_world) -> Any:
    """The object the case is about, made in ``world`` or ``other_world`` for its owner."""
    if case.kind is None:
        return None
    user = world.user(case.role) if case.role is not None else None
    owner_world, owner = _owner(case, world, other_world, user)
    return case.kind.make(owner_world, owner)


def _request(client: Client, row, method: str, url: str, data: dict, headers) -> object:
    headers = dict(headers or {})
    if method == "GET":
        return client.get(url, data, **headers)
    if row.api:
        return client.generic(
            method, url, json.dumps(data), content_type="application/json", **headers
        )
    return client.post(url, data, **headers)


AUDIT_TABLE = AuditLogEntry._meta.db_table


def _audit_writes() -> int:
    """Audit entries that record a change (not a read)."""
    return AuditLogEntry.objects.exclude(action=AuditLogEntry.Action.ACCESS).count()


def _redirect_target(response) -> str:
    return urlsplit(response["Location"]).path


def _view_name(path: str) -> str | None:
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def _problems(
    want: Expected, response, before, after, method, row_method, *, public, reads_only
) -> list[str]:
    """What is wrong with the answer; an empty list when it is what the table says.

    A refusal changes nothing, with one exception: a 409 shows the signal again to a user who
    may see it (with the reason the step is refused), and that read is logged (NEN 7513).
    """
    status = response.status_code
    problems = []
    if status not in want.statuses:
        problems.append(f"expected {want.outcome} {want.statuses}, got {status}")
    if want.outcome == "login" and status == 302 and _redirect_target(response) != LOGIN_PATH:
        problems.append(f"redirected to {response['Location']}, not to the login page")
    if want.outcome == "allowed" and status in (301, 302, 303) and status in want.statuses:
        target = _redirect_target(response)
        if want.to is not None and _view_name(target) != want.to:
            problems.append(f"redirected to {response['Location']}, expected {want.to}")
        if want.to is None and target == LOGIN_PATH:
            problems.append("an allowed call was sent to the login page")
    changed = changed_tables(before, after)
    if want.outcome != "allowed" and changed and not (status == 409 and reads_only):
        problems.append(f"a refused {method} changed {changed}")
    writes = method in ("POST", "PUT", "DELETE")
    must_change = row_method.changes if row_method.changes is not None else writes
    must_change = must_change and not public
    if want.outcome == "allowed" and must_change and not changed and status in want.statuses:
        problems.append(f"an allowed {method} changed nothing (did the action run?)")
    return problems


def _run(case: Case, obj, world, login, *, body: dict | None = None) -> tuple[object, list]:
    """Send the case's request about its object, and list what differs from the table."""
    row, row_method = case.row, case.row.methods[case.method]
    user = world.user(case.role) if case.role is not None else None
    url = reverse(row.name, kwargs=row.kwargs(obj) if row.kwargs else None)
    client = login(user) if user is not None else Client()
    ctx = Ctx(world=world, user=user, obj=obj)
    if row_method.setup and user is not None:
        row_method.setup(ctx)
    if body is None:
        body = row_method.data(ctx) if row_method.data else {}
    want = expected(case)

    before, audit_writes = database_writes(), _audit_writes()
    response = _request(client, row, case.method, url, body, row_method.headers)
    after = database_writes()
    reads_only = changed_tables(before, after) == [AUDIT_TABLE] and _audit_writes() == audit_writes

    if row.public:
        # The login flow keeps its own state (sessions, lockout counters): the answer counts.
        before = after = {}
    problems = _problems(
        want,
        response,
        before,
        after,
        case.method,
        row_method,
        public=row.public,
        reads_only=reads_only,
    )
    if response.status_code >= 500:
        problems.append("server error")
    return response, [f"{case.id} ({url}): {p}" for p in problems]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_matrix(case: Case, prepared, world, login, summary):
    response, problems = _run(case, prepared, world, login)
    summary.record(case, expected(case), response.status_code, not problems)
    assert not problems, "\n".join(problems)


# --- a refusal does not depend on the body ---------------------------------------------------

# Every write a role may see but not do (the 403 cases behind the object lookup).
BODY_CASES = [
    c
    for c in CASES
    if c.method in ("POST", "PUT")
    and c.role is not None
    and expected(c).statuses == (403,)
    and expected(c).reason == NOT_ALLOWED
]


@pytest.mark.parametrize("case", BODY_CASES, ids=[c.id for c in BODY_CASES])
def test_a_refusal_does_not_depend_on_the_body(case: Case, prepared, world, login, summary):
    """An empty body gets the same 403: the right is checked before the input is (ASVS 8.1)."""
    response, problems = _run(case, prepared, world, login, body={})
    summary.record(case, expected(case), response.status_code, not problems, variant="empty body")
    assert not problems, "\n".join(problems)


# --- POST-only routes refuse GET -------------------------------------------------------------

POST_ONLY = [row for row in ROWS if row.post is not None and row.get is None]


@pytest.mark.parametrize("row", POST_ONLY, ids=[r.name for r in POST_ONLY])
def test_a_post_only_route_refuses_get(row, world, request, login):
    """No state change on GET (SECURITY.md): an action answers a GET with 405, changing nothing."""
    role = next(iter(sorted(row.post.allowed or row.allowed)))
    user = world.user(role)
    obj = None
    if row.objects_for("POST"):
        kind = row.objects_for("POST")[0]
        case = Case(row, "POST", role, kind, OWN)
        owner_world, owner = _owner(case, world, request.getfixturevalue("other_world"), user)
        obj = kind.make(owner_world, owner)
    url = reverse(row.name, kwargs=row.kwargs(obj) if row.kwargs else None)
    client = login(user)
    before = database_writes()
    response = client.get(url)
    assert response.status_code == 405, f"GET {url} as {role}: {response.status_code}"
    assert changed_tables(before, database_writes()) == []


# --- the admin: one rule for all its URLs ----------------------------------------------------

ADMIN_URLS = ["admin:index", "admin:accounts_user_changelist"]


@pytest.mark.parametrize("name", ADMIN_URLS)
@pytest.mark.parametrize("role", [None, *Role], ids=lambda r: r.value if r else "anonymous")
def test_the_admin_is_for_the_administrator(name, role, world, login):
    client = login(world.user(role)) if role is not None else Client()
    response = client.get(reverse(name))
    if role == Role.ADMINISTRATOR:
        assert response.status_code == 200
        return
    assert response.status_code in (302, 403), response.status_code
    if response.status_code == 302:
        assert _redirect_target(response) in (LOGIN_PATH, reverse("admin:login"))
