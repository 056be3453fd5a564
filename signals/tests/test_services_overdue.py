"""The register highlights a signal waiting more than 5 working days for registration."""

from datetime import date, datetime

import pytest

from accounts.roles import Role
from signals import selectors, services
from signals.tests.factories import AMSTERDAM, submitted_signal


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=AMSTERDAM)


def overdue(user) -> dict[str, bool]:
    return {s.reference: s.is_overdue for s in selectors.signal_list(user=user)}


@pytest.mark.parametrize(
    ("submitted", "now", "expected"),
    [
        # Submitted Monday 23 November; five working days later is Monday 30 November.
        (at(23, 9, 59), at(30, 10), True),
        (at(23, 10, 1), at(30, 10), False),
        # The weekend does not count: from Thursday it is the next Thursday, not Tuesday.
        (at(19, 12), at(24, 13), False),
        (at(19, 12), at(26, 13), True),
        # Just after midnight the day is local: a signal sent Monday at noon has waited
        # 4.5 working days at 00:30 on the next Monday (Sunday 23:30 in UTC).
        (at(23, 12), at(30, 0, 30), False),
        (at(23, 0, 15), at(30, 0, 30), True),
    ],
)
def test_it_marks_a_submitted_signal_overdue_after_five_working_days(
    world, time_machine, submitted, now, expected
):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    time_machine.move_to(submitted, tick=False)
    signal = submitted_signal(officer, received_at=date(2026, 11, 2))

    time_machine.move_to(now, tick=False)

    assert overdue(world.user(Role.VT_STAFF)) == {signal.reference: expected}


def test_it_never_marks_a_registered_signal_overdue(world, time_machine):
    officer, vt = world.user(Role.MUNICIPAL_OFFICER), world.user(Role.VT_STAFF)
    time_machine.move_to(at(2, 9), tick=False)
    signal = submitted_signal(officer, received_at=date(2026, 11, 2))
    time_machine.move_to(at(20, 9), tick=False)
    services.signal_register(
        signal=signal, actor=vt, version=signal.version, preliminary_classification="potential"
    )

    time_machine.move_to(at(30, 10), tick=False)

    assert overdue(vt) == {signal.reference: False}
