"""API fuzzing with schemathesis against the live OpenAPI schema, in process (WSGI).

The schema is read from ``/api/schema/`` as a client with a token sees it, so a new endpoint
is fuzzed as soon as it is in the schema. For every operation and role, hypothesis draws
requests from the schema (valid data and deliberately invalid data); the path parameters
are either drawn at random (ids that do not exist) or taken from the objects that the list
and detail endpoints of the API show (``live_path_parameters``), so the fuzzer also reaches
real signals, meetings and items, of the user's own region and of another.

Every answer is checked by schemathesis: no 5xx, a documented status code and content type,
and a body that matches the documented schema; invalid input must be refused with a 4xx.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

SCHEMA_PATH = "/api/schema/"
PARAMETER = re.compile(r"\{([^}]+)\}")

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@contextmanager
def in_process_wsgi_app() -> Iterator[Any]:
    """Django's WSGI application, sharing the test's database connection and transaction.

    Django closes the connection at the start and the end of every request (``request_started``
    / ``request_finished``); its own test client switches that off for its requests, and so
    does this application for its own.
    """
    django_app = get_wsgi_application()

    def app(environ, start_response):
        # Django's test client connects the receivers again after each of its requests.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        return django_app(environ, start_response)

    try:
        yield app
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def token_headers(key: str) -> dict[str, str]:
    return {"Authorization": f"Token {key}"}


def load_schema(app, key: str):
    return schemathesis.openapi.from_wsgi(SCHEMA_PATH, app, headers=token_headers(key))


def operations(schema) -> list:
    found = []
    for result in schema.get_all_operations():
        found.append(result.ok())  # an operation the loader cannot read is an error here
    return found


# --- real ids for the path parameters -------------------------------------------------------


def _ids(payload: Any) -> list[str]:
    """The ``id`` of every object in a list answer (paginated or not)."""
    if isinstance(payload, dict):
        payload = payload.get("results", [])
    if not isinstance(payload, list):
        return []
    return [str(row["id"]) for row in payload if isinstance(row, dict) and "id" in row]


def _get_json(client: Client, path: str) -> Any:
    response = client.get(path)
    if response.status_code != 200 or "json" not in response.get("Content-Type", ""):
        return None
    return json.loads(response.content)


def live_path_parameters(paths: list[str], client: Client) -> dict[str, list[dict]]:
    """For every path template, path parameters naming objects that the API shows ``client``.

    ``/api/v1/x/{a}/`` takes its ids from the list ``/api/v1/x/``; ``/api/v1/x/{a}/y/{b}/``
    from the ``y`` list in the detail ``/api/v1/x/{a}/`` (or from ``/api/v1/x/{a}/y/`` when
    that is a list). Nothing here names a model: a new endpoint that follows the URL scheme
    of the others gets real ids too.
    """
    found: dict[str, list[dict]] = {}
    lists: dict[str, list[str]] = {}
    details: dict[str, Any] = {}
    for template in paths:
        names = PARAMETER.findall(template)
        if not names:
            continue
        head, _, _ = template.partition("{")
        if head not in lists:
            lists[head] = _ids(_get_json(client, head))
        combos: list[dict] = []
        for first in lists[head]:
            values = {names[0]: first}
            if len(names) == 1:
                combos.append(values)
                continue
            # One level of nesting: /x/{a}/y/{b}/...
            parent = f"{head}{first}/"
            nested_key = template[len(head) :].split("/")[1]
            if parent not in details:
                details[parent] = _get_json(client, parent)
            detail = details[parent]
            nested = detail.get(nested_key) if isinstance(detail, dict) else None
            ids = _ids(nested) or _ids(_get_json(client, f"{parent}{nested_key}/"))
            combos.extend({**values, names[1]: second} for second in ids[:5])
        found[template] = combos
    return found


# --- the run --------------------------------------------------------------------------------


@dataclass
class FuzzResult:
    requests: int = 0
    statuses: Counter = field(default_factory=Counter)
    operations: set = field(default_factory=set)
    failures: list[str] = field(default_factory=list)


def fuzz_operation(
    operation,
    *,
    headers: dict[str, str],
    own: list[dict],
    foreign: list[dict],
    max_examples: int,
    derandomize: bool,
    result: FuzzResult,
) -> None:
    """Run ``max_examples`` generated requests against one operation; record what fails.

    Half of the requests name objects the user sees (``own``), a quarter objects of others
    (``foreign``: another organisation's, another region's), a quarter ids drawn at random;
    each half valid data, half invalid.
    """
    modes = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    groups = []
    for parameter_sets in (own, own, foreign):
        if parameter_sets:
            groups.append(
                st.one_of(
                    [
                        operation.as_strategy(generation_mode=mode, path_parameters=values)
                        for mode in modes
                        for values in parameter_sets
                    ]
                )
            )
    groups.append(st.one_of([operation.as_strategy(generation_mode=mode) for mode in modes]))

    @settings(
        max_examples=max_examples,
        deadline=None,
        database=None,  # no .hypothesis directory in the working tree
        derandomize=derandomize,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        print_blob=True,
    )
    @given(case=st.one_of(groups))
    def run(case) -> None:
        # Each request runs in a savepoint that is rolled back afterwards: every request finds
        # the same objects (so hypothesis can replay and shrink a failing one), and a request
        # that breaks the transaction (a database error, answered 500) does not break the next.
        savepoint = transaction.savepoint()
        try:
            response = case.call(headers=headers)
        finally:
            transaction.savepoint_rollback(savepoint)
            # ROLLBACK TO keeps the savepoint open: release it, or they nest without end.
            transaction.savepoint_commit(savepoint)
        result.requests += 1
        result.statuses[response.status_code] += 1
        case.validate_response(response, checks=CHECKS, headers=headers)

    result.operations.add(operation.label)
    try:
        run()
    # schemathesis reports its findings as an exception group (a BaseException).
    except (Exception, BaseExceptionGroup) as exc:  # every failure is reported, the run goes on
        result.failures.append(f"{operation.label}: {exc}")
