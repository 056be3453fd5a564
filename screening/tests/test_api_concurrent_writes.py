"""Parallel writers on one agenda item through the API: nothing lost, conflicts answered 409."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import Organisation
from accounts.roles import Role
from screening.models import AgendaItem
from screening.tests.factories import meeting_in_session
from screening.tests.test_api_support import item_url
from signals.tests.api_support import JsonClient


def run_in_parallel(calls) -> list[int]:
    """Start every call at the same moment, each on its own connection; their status codes."""
    barrier = threading.Barrier(len(calls))
    answers: list[int] = [0] * len(calls)

    def run(index: int) -> None:
        barrier.wait()
        try:
            answers[index] = calls[index]().status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


@pytest.mark.django_db(transaction=True)
def test_input_of_two_partners_at_once_keeps_both(world, login):
    _meeting, (item,) = meeting_in_session(world)
    url = item_url(item, "input")
    writers = {
        Role.AVIM: JsonClient(login(world.user(Role.AVIM))),
        Role.CARE_COORDINATOR: JsonClient(login(world.user(Role.CARE_COORDINATOR))),
        Role.VT_STAFF: JsonClient(login(world.user(Role.VT_STAFF))),
    }
    calls = [
        lambda client=client, role=role: client.post(url, {"text": f"Inbreng van {role}."})
        for role, client in writers.items()
    ]

    answers = run_in_parallel(calls)

    assert answers == [201, 201, 201]
    texts = sorted(AgendaItem.objects.get(pk=item.pk).inputs.values_list("text", flat=True))
    assert texts == sorted(f"Inbreng van {role}." for role in writers)


@pytest.mark.django_db(transaction=True)
def test_two_decisions_on_the_same_version_give_one_200_and_one_409(world, login):
    _meeting, (item,) = meeting_in_session(world)
    url = item_url(item, "decide")
    owner = str(world.orgs[Organisation.Kind.ZVH].public_id)
    due = (timezone.localdate() + timedelta(days=7)).isoformat()
    clients = [
        JsonClient(login(world.user(Role.VT_STAFF))),
        JsonClient(login(world.user(Role.VT_OFFICER))),
    ]
    routes = ["police_om", "care_coordinator"]
    calls = [
        lambda client=client, route=route: client.post(
            url,
            {
                "version": item.version,
                "routes": [route],
                "follow_up_owner": owner,
                "follow_up_due": due,
            },
        )
        for client, route in zip(clients, routes, strict=True)
    ]

    answers = run_in_parallel(calls)

    assert sorted(answers) == [200, 409]
    winner = routes[answers.index(200)]
    fresh = AgendaItem.objects.get(pk=item.pk)
    assert fresh.version == item.version + 1
    assert list(fresh.decisions.values_list("route", flat=True)) == [winner]
