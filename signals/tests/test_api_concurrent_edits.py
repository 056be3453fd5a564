"""Parallel writers through the API on one signal: one wins, the others get 409, none is lost."""

import threading

import pytest
from django.db import connection

from accounts.roles import Role
from signals.tests.api_support import JsonClient, detail_url, signal_body
from signals.tests.factories import make_signal, reload

WRITERS = 4


@pytest.mark.django_db(transaction=True)
def test_parallel_updates_with_the_same_version_give_one_200_and_409s(world, login):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    signal = make_signal(officer)
    clients = [JsonClient(login(officer)) for _ in range(WRITERS)]
    barrier = threading.Barrier(WRITERS)
    answers: dict[int, int] = {}

    def write(index: int) -> None:
        body = signal_body(world.municipality, version=1, description=f"Schrijver {index}.")
        barrier.wait()
        try:
            answers[index] = clients[index].put(detail_url(signal), body).status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(answers.values()) == [200] + [409] * (WRITERS - 1)
    winner = next(i for i, code in answers.items() if code == 200)
    fresh = reload(signal)
    assert fresh.version == 2
    assert fresh.description == f"Schrijver {winner}."
