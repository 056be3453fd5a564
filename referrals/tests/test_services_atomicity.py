"""A step that fails half-way saves nothing: the referral, the case and the signal stay as they were."""

import pytest

from accounts.models import Organisation
from accounts.roles import Role
from cases.models import CaseEvent, TrajectoryAccess
from referrals import services
from referrals.models import Referral
from referrals.tests.factories import ready, sent
from referrals.workflow import ReferralStatus
from signals.models import SignalEvent


class Boom(Exception):
    pass


def boom(**kwargs):
    raise Boom


def test_a_failing_signal_event_undoes_the_send(world, monkeypatch):
    referral = ready(world)
    before = (CaseEvent.objects.count(), SignalEvent.objects.count())
    monkeypatch.setattr("referrals.services.signal_services.event_append", boom)

    with pytest.raises(Boom):
        services.referral_send(
            referral=referral, actor=world.user(Role.VT_STAFF), version=referral.version
        )

    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DRAFT and referral.sent_at is None
    assert (CaseEvent.objects.count(), SignalEvent.objects.count()) == before


def test_a_failing_trajectory_grant_undoes_the_acceptance(world, monkeypatch):
    referral = sent(world, world.orgs[Organisation.Kind.ZVH])
    monkeypatch.setattr("referrals.services.trajectory_access_grant", boom)

    with pytest.raises(Boom):
        services.referral_accept(
            referral=referral, actor=world.user(Role.PROCESS_DIRECTOR), version=referral.version
        )

    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.SENT
    assert not TrajectoryAccess.objects.exists()
