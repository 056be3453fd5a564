"""The life cycle as a table: every pair of statuses is allowed or refused as it says."""

import pytest

from referrals.workflow import (
    ALLOWED_TRANSITIONS,
    ReferralStatus,
    TransitionNotAllowed,
    check_transition,
)
from signals.workflow import TransitionNotAllowed as SignalTransitionNotAllowed

PAIRS = [(a, b) for a in ReferralStatus for b in ReferralStatus]


@pytest.mark.parametrize(("current", "target"), PAIRS, ids=[f"{a}->{b}" for a, b in PAIRS])
def test_each_pair_is_as_the_table_says(current, target):
    if target in ALLOWED_TRANSITIONS[current]:
        check_transition(current, target)
    else:
        with pytest.raises(TransitionNotAllowed) as exc:
            check_transition(current, target)
        assert exc.value.current == current
        assert exc.value.message


def test_the_refusal_is_answered_like_every_illegal_step():
    assert issubclass(TransitionNotAllowed, SignalTransitionNotAllowed)


def test_completing_without_acceptance_says_why():
    with pytest.raises(TransitionNotAllowed) as exc:
        check_transition(ReferralStatus.SENT, ReferralStatus.COMPLETED)
    assert "nooit is geaccepteerd" in exc.value.message


def test_declined_and_completed_are_final():
    assert ALLOWED_TRANSITIONS[ReferralStatus.DECLINED] == frozenset()
    assert ALLOWED_TRANSITIONS[ReferralStatus.COMPLETED] == frozenset()
