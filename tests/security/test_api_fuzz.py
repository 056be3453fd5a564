"""schemathesis against ``/api/schema/`` with tokens of several roles: no 5xx, answers as documented.

``make test`` runs ``FUZZ_EXAMPLES`` (default 3) generated requests per operation for five
roles (``FUZZ_ROLES``), with a fixed seed so that a run is repeatable; ``make fuzz`` runs every
role with many more examples and a random seed (``FUZZ_EXAMPLES=200 FUZZ_ROLES=all
FUZZ_RANDOM=1``). At the end pytest prints
``API fuzzing: M requests over E operations, R roles, 0 5xx``.

The objects to aim at are one of every kind the permission matrix builds
(``tests/permission_matrix.py`` and the rows the apps add to it), in the user's region and in
another: a new app's objects are fuzzed as soon as its rows are in the matrix.
"""

from __future__ import annotations

import os
from collections import Counter

import pytest
from django.db import transaction
from django.test import Client
from knox.models import AuthToken

from accounts.roles import Role
from tests import permission_matrix
from tests.permission_matrix import SIGNAL_OWNERS, ObjectKind
from tests.security.fuzzing import (
    FuzzResult,
    fuzz_operation,
    in_process_wsgi_app,
    live_path_parameters,
    load_schema,
    operations,
    token_headers,
)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))
RANDOM = os.environ.get("FUZZ_RANDOM", "") not in ("", "0")
# The register (VT), a sender (municipality), the table's partners and a role that sees no
# case content; "all" for every role.
DEFAULT_ROLES = "vt_staff,municipal_officer,avim,care_coordinator,administrator"
_roles = os.environ.get("FUZZ_ROLES", DEFAULT_ROLES)
ROLES = list(Role) if _roles == "all" else [Role(r.strip()) for r in _roles.split(",")]


class FuzzSummary:
    name = "api-fuzz-summary"

    def __init__(self) -> None:
        self.requests = 0
        self.statuses: Counter = Counter()
        self.operations: set = set()
        self.roles: set = set()
        self.failures = 0
        self.objects = 0
        self.skipped: list[str] = []

    def add(self, role: Role, result: FuzzResult) -> None:
        self.requests += result.requests
        self.statuses.update(result.statuses)
        self.operations |= result.operations
        self.roles.add(role)
        self.failures += len(result.failures)

    def pytest_terminal_summary(self, terminalreporter) -> None:
        server_errors = sum(n for status, n in self.statuses.items() if status >= 500)
        by_status = ", ".join(f"{s}: {n}" for s, n in sorted(self.statuses.items()))
        terminalreporter.write_line(
            f"API fuzzing: {self.requests} requests over {len(self.operations)} operations, "
            f"{len(self.roles)} roles, {server_errors} 5xx, {self.failures} failing operations "
            f"({EXAMPLES} examples per operation and role; {by_status}); "
            f"{self.objects} objects to aim at"
        )
        if self.skipped:
            terminalreporter.write_line(f"  object builders skipped: {', '.join(self.skipped)}")


@pytest.fixture(scope="session")
def summary(request) -> FuzzSummary:
    manager = request.config.pluginmanager
    plugin = manager.get_plugin(FuzzSummary.name)
    if plugin is None:
        plugin = FuzzSummary()
        manager.register(plugin, FuzzSummary.name)
    return plugin


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def object_kinds() -> list[ObjectKind]:
    """Every kind of object the permission matrix's rows are tried on, each once."""
    kinds: dict[str, ObjectKind] = {}
    for row in permission_matrix.ROWS:
        for method in row.methods:
            for kind in row.objects_for(method):
                kinds.setdefault(kind.name, kind)
    return list(kinds.values())


def populate(world) -> tuple[int, list[str]]:
    """One object of every kind, for every organisation that can own one.

    A builder that cannot run twice in one region is skipped (and named in the summary): the
    kind is still reached through the objects of the other builders.
    """
    made, skipped = 0, []
    for kind in object_kinds():
        owners = (
            [None]
            if not kind.per_organisation
            else [world.orgs[k] for k in sorted(SIGNAL_OWNERS) if kind.can_be_owned_by(k)]
        )
        for owner in owners:
            try:
                with transaction.atomic():
                    kind.make(world, owner)
                made += 1
            except Exception as exc:  # noqa: BLE001 - named in the summary, the rest goes on
                skipped.append(f"{kind.name}: {type(exc).__name__}")
    return made, skipped


@pytest.fixture
def fuzz_world(world, other_world, summary):
    made, skipped = populate(world)
    assert made > 0
    populate(other_world)
    summary.objects, summary.skipped = made, skipped
    return world


def test_the_api_answers_generated_requests_as_documented(fuzz_world, other_world, summary):
    """Every operation × every role: own objects, others' objects and made-up ids.

    One test for all roles, so that the objects are made once; the failures name the role.
    """

    def client_of(user) -> tuple[Client, dict[str, str]]:
        headers = token_headers(AuthToken.objects.create(user)[1])
        return Client(headers=headers), headers

    failures: list[str] = []
    with in_process_wsgi_app() as app:
        # The schema is the same for every user (it is public to whoever is logged in).
        vt_client, vt_headers = client_of(fuzz_world.user(Role.VT_STAFF))
        ops = operations(load_schema(app, vt_headers["Authorization"].split()[1]))
        assert ops, "the schema lists no operations"
        paths = sorted({op.path for op in ops})
        # What others see: Veilig Thuis of the region (the whole register) and of another.
        seen_by_others: dict[str, list[dict]] = {}
        for other in (vt_client, client_of(other_world.user(Role.VT_STAFF))[0]):
            for path, sets in live_path_parameters(paths, other).items():
                seen_by_others.setdefault(path, []).extend(sets)
        for role in ROLES:
            client, headers = client_of(fuzz_world.user(role))
            own = live_path_parameters(paths, client)
            result = FuzzResult()
            for operation in ops:
                mine = own.get(operation.path, [])
                fuzz_operation(
                    operation,
                    headers=headers,
                    own=mine,
                    foreign=[s for s in seen_by_others.get(operation.path, []) if s not in mine],
                    max_examples=EXAMPLES,
                    derandomize=not RANDOM,
                    result=result,
                )
            summary.add(role, result)
            failures += [f"[{role.value}] {failure}" for failure in result.failures]

    assert not failures, "\n\n".join(failures)
