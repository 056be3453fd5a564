"""A signal waiting more than 5 working days for registration is highlighted in the register."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine
from django.urls import reverse

from accounts.roles import Role
from signals.tests.factories import submitted_signal
from signals.tests.test_views_support import row_of

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# Wednesday 25 November 2026, 10:00. Working days back: Tue 24, Mon 23, Fri 20, Thu 19 (4),
# Wed 18 (5), Tue 17 (6).
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=AMSTERDAM)
SIX_WORKING_DAYS_AGO = datetime(2026, 11, 17, 10, 0, tzinfo=AMSTERDAM)
FOUR_WORKING_DAYS_AGO = datetime(2026, 11, 19, 10, 0, tzinfo=AMSTERDAM)


def submitted_at(officer, moment):
    with time_machine.travel(moment, tick=False):
        return submitted_signal(officer, received_at=date(2026, 11, 16))


def test_it_highlights_a_signal_waiting_six_working_days_and_not_four(world, login):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    late = submitted_at(officer, SIX_WORKING_DAYS_AGO)
    in_time = submitted_at(officer, FOUR_WORKING_DAYS_AGO)

    with time_machine.travel(NOW, tick=False):
        html = login(world.user(Role.VT_STAFF)).get(reverse("signals:list")).content.decode()

    late_row, in_time_row = row_of(html, late.reference), row_of(html, in_time.reference)
    assert "row--overdue" in late_row
    assert "Langer dan 5 werkdagen niet geregistreerd" in late_row
    assert "row--overdue" not in in_time_row
    assert "Langer dan 5 werkdagen" not in in_time_row
