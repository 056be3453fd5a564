"""The hand-made data set, built once per test module inside a transaction that is rolled
back afterwards (each test still runs in its own savepoint)."""

from __future__ import annotations

import pytest
from django.db import transaction

from .dataset import build


@pytest.fixture(scope="module")
def dataset(django_db_setup, django_db_blocker):
    from accounts.roles import Role
    from conftest import World

    with django_db_blocker.unblock(), transaction.atomic():
        world = World("zl")
        # Every persona now: a user made inside one test would be rolled back after it,
        # while the world (shared by the module) would keep handing it out.
        for role in Role:
            world.user(role)
        world.user(Role.MUNICIPAL_OFFICER, organisation=world.other_municipality)
        yield build(world)
        transaction.set_rollback(True)


@pytest.fixture
def ds(dataset, db):
    return dataset
