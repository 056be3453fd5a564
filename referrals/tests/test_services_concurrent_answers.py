"""Two people answer the same referral at once, from the same version: one wins, one is refused."""

import threading

import pytest
from django.db import connection

from accounts.models import User
from accounts.roles import Role
from accounts.tests.factories import UserFactory
from cases.models import CaseEvent
from referrals import services
from referrals.models import Referral
from referrals.tests.factories import sent
from referrals.workflow import ReferralStatus, TransitionNotAllowed
from signals.services import StaleVersion

pytestmark = pytest.mark.django_db(transaction=True)


def race(referral: Referral, calls) -> tuple[list[str], list[BaseException]]:
    barrier = threading.Barrier(len(calls))
    won: list[str] = []
    lost: list[BaseException] = []

    def run(name, user_pk, call):
        try:
            actor = User.objects.select_related("organisation").get(pk=user_pk)
            mine = Referral.objects.get(pk=referral.pk)
            barrier.wait(timeout=30)
            call(mine, actor)
            won.append(name)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertions
            lost.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return won, lost


def test_an_accept_and_a_decline_at_once_leave_one_answer(world):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    colleague = UserFactory(
        username="collega", role=Role.MUNICIPAL_OFFICER, organisation=world.municipality
    )
    referral = sent(world)
    version = referral.version
    events_before = CaseEvent.objects.count()

    won, lost = race(
        referral,
        [
            (
                "accept",
                officer.pk,
                lambda r, a: services.referral_accept(referral=r, actor=a, version=version),
            ),
            (
                "decline",
                colleague.pk,
                lambda r, a: services.referral_decline(
                    referral=r, actor=a, version=version, reason="Niet voor ons."
                ),
            ),
        ],
    )

    assert len(won) == 1 and len(lost) == 1
    assert isinstance(lost[0], StaleVersion | TransitionNotAllowed)
    referral.refresh_from_db()
    expected = ReferralStatus.ACCEPTED if won == ["accept"] else ReferralStatus.DECLINED
    assert referral.status == expected
    assert referral.version == version + 1
    assert CaseEvent.objects.count() == events_before + 1
