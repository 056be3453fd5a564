"""Every list, work list, case page and API list costs as many queries for 50 rows as for 5."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Organisation
from accounts.roles import Role
from cases.services import case as services
from cases.tests.case_support import add_action, record_consent, vt
from cases.tests.factories import make_case, screened_signal

pytestmark = pytest.mark.django_db


def queries(client, path: str, params: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, params or {})
    assert response.status_code == 200, path
    return len(captured)


def grow_cases(world, n: int) -> None:
    """``n`` cases led by the ZVH, each with an action owned by the ZVH."""
    zvh = world.orgs[Organisation.Kind.ZVH]
    for _ in range(n):
        case = make_case(world, lead=zvh)
        add_action(world, case, owner=zvh)


@pytest.mark.parametrize(
    ("path", "role"),
    [
        (reverse("cases:list"), Role.VT_STAFF),
        (reverse("cases:mine"), Role.CARE_COORDINATOR),
        (reverse("cases:my_actions"), Role.CARE_COORDINATOR),
        ("/api/v1/cases/", Role.VT_STAFF),
        (reverse("api:case-my-actions"), Role.CARE_COORDINATOR),
    ],
    ids=["list", "my-cases", "my-actions", "api-list", "api-my-actions"],
)
def test_a_list_costs_the_same_for_5_and_50_rows(world, login, path, role):
    client = login(world.user(role))
    grow_cases(world, 5)
    client.get(path)  # warm the per-process caches (content types, permissions)
    with_five = queries(client, path)
    grow_cases(world, 45)

    with_fifty = queries(client, path)

    assert with_fifty == with_five
    assert with_five <= 20


def grow_case(world, case, n: int) -> None:
    """``n`` more of everything the case page shows: signals, persons with a consent, actions
    and notes (and so timeline events)."""
    for i in range(n):
        add_action(world, case)
        services.case_note_add(case=case, actor=vt(world), text=f"Notitie {i}")
        signal = screened_signal(world)
        services.case_add_signal(case=case, signal=signal, actor=vt(world))
        record_consent(world, case, person=signal.involvements.get().person)


def test_the_case_page_and_its_api_cost_the_same_for_5_and_50_items(world, login):
    case = make_case(world)
    client = login(vt(world))
    pages = [
        reverse("cases:detail", kwargs={"public_id": case.public_id}),
        reverse("api:case-detail", kwargs={"public_id": case.public_id}),
    ]
    grow_case(world, case, 5)
    for page in pages:
        client.get(page)
    small = [queries(client, page) for page in pages]
    grow_case(world, case, 45)

    large = [queries(client, page) for page in pages]

    assert large == small
    assert max(small) <= 25
