"""Reference numbers: ``<REGION>-<year>-<number>``, unique per region and year, never reused."""

import threading
from datetime import date, datetime

import pytest
from django.db import connection

from accounts.models import User
from accounts.roles import Role
from signals import services
from signals.models import ReferenceCounter, Signal, SignalEvent
from signals.tests.factories import (
    AMSTERDAM,
    NOW,
    make_signal,
)


def test_it_numbers_the_signals_of_a_region_and_year_in_order(world, time_machine):
    time_machine.move_to(NOW, tick=False)
    officer = world.user(Role.MUNICIPAL_OFFICER)

    first = make_signal(officer)
    second = make_signal(world.user(Role.VT_STAFF), world.municipality, source="citizen")

    assert first.reference == "ZL-2026-00001"
    assert (first.year, first.sequence) == (2026, 1)
    assert second.reference == "ZL-2026-00002"


def test_it_numbers_each_region_on_its_own(world, other_world, time_machine):
    time_machine.move_to(NOW, tick=False)
    make_signal(world.user(Role.MUNICIPAL_OFFICER))
    make_signal(world.user(Role.MUNICIPAL_OFFICER))

    elsewhere = make_signal(other_world.user(Role.MUNICIPAL_OFFICER))

    assert elsewhere.reference == "XX-2026-00001"
    assert make_signal(world.user(Role.MUNICIPAL_OFFICER)).reference == "ZL-2026-00003"


def test_it_starts_again_at_one_in_a_new_local_year(world, time_machine):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    time_machine.move_to(datetime(2026, 12, 31, 23, 50, tzinfo=AMSTERDAM), tick=False)
    assert make_signal(officer).reference == "ZL-2026-00001"

    # 00:30 in Maastricht is still 2026 in UTC: the year is the local one.
    time_machine.move_to(datetime(2027, 1, 1, 0, 30, tzinfo=AMSTERDAM), tick=False)
    new_year = make_signal(officer, received_at=date(2027, 1, 1))

    assert new_year.reference == "ZL-2027-00001"
    assert (new_year.year, new_year.sequence) == (2027, 1)


def test_it_never_hands_out_a_number_twice(world, time_machine):
    time_machine.move_to(NOW, tick=False)
    officer = world.user(Role.MUNICIPAL_OFFICER)
    make_signal(officer)
    closed = make_signal(officer)
    services.signal_close_internally(
        signal=closed, actor=officer, version=closed.version, reason="Intern opgepakt"
    )
    newest = make_signal(officer)
    assert newest.reference == "ZL-2026-00003"

    # Even when the newest signal disappears (a retention purge, say), its number stays
    # taken: the counter decides, not the highest number still in the table.
    SignalEvent.objects.filter(signal=newest).delete()
    Signal.objects.filter(pk=newest.pk).delete()

    assert make_signal(officer).reference == "ZL-2026-00004"
    assert ReferenceCounter.objects.get(region=world.region, year=2026).last_number == 4


def test_it_leaves_drafts_and_closed_signals_their_numbers(world, time_machine):
    time_machine.move_to(NOW, tick=False)
    officer = world.user(Role.MUNICIPAL_OFFICER)
    signal = make_signal(officer)
    signal = services.signal_submit(signal=signal, actor=officer, version=signal.version)
    signal = services.signal_register(
        signal=signal,
        actor=world.user(Role.VT_STAFF),
        version=signal.version,
        preliminary_classification="none",
    )

    assert Signal.objects.get(pk=signal.pk).reference == "ZL-2026-00001"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("earlier", [0, 1], ids=["first_of_the_year", "counter_exists"])
def test_it_hands_out_distinct_consecutive_numbers_under_concurrent_creation(world, earlier):
    threads_count = 8
    officer = world.user(Role.MUNICIPAL_OFFICER)
    for _ in range(earlier):
        make_signal(officer)
    barrier = threading.Barrier(threads_count)
    references: list[str] = []
    errors: list[BaseException] = []

    def create() -> None:
        try:
            actor = User.objects.select_related("organisation").get(pk=officer.pk)
            barrier.wait(timeout=30)
            references.append(make_signal(actor).reference)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=create) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    year = Signal.objects.get(reference__in=references[:1]).year
    expected = [f"ZL-{year}-{n:05d}" for n in range(earlier + 1, earlier + threads_count + 1)]
    assert sorted(references) == expected
    assert ReferenceCounter.objects.get(region=world.region, year=year).last_number == (
        earlier + threads_count
    )
