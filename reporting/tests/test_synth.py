from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import F, Max, Min
from django.utils import timezone

from cases.models import Case, PhaseChange, Trajectory
from referrals.models import Referral
from referrals.workflow import ReferralStatus
from screening.models import AgendaItem, Meeting
from signals.models import Person, Signal, SignalEvent, SignalPerson
from signals.workflow import IN_REGISTER, Status


def test_it_fills_regions_with_consistent_signals(db):
    call_command("synth", regions=2, signals=120, seed=7)
    assert Signal.objects.count() == 120
    assert Signal.objects.values("region").distinct().count() == 2
    assert Person.objects.count() >= 120
    # Every signal's timeline ends in its status; references are unique per region.
    for signal in Signal.objects.all()[:40]:
        assert signal.events.order_by("-pk").first().to_status == signal.status
    assert Signal.objects.values("region", "reference").distinct().count() == 120
    assert SignalPerson.objects.count() >= 120
    assert Meeting.objects.exists()
    assert not AgendaItem.objects.exclude(signal__status__in=IN_REGISTER).exists()
    assert SignalEvent.objects.filter(to_status=Status.DRAFT).count() == 120


def test_it_follows_routed_signals_up_with_cases_referrals_and_trajectories(db):
    call_command("synth", regions=1, signals=300, seed=5)
    routed = Signal.objects.filter(status=Status.ROUTED).count()
    assert Case.objects.count() == routed > 0
    # Every case holds its routed signal and that signal's first person.
    assert not Case.objects.filter(case_signals__isnull=True).exists()
    assert not Case.objects.filter(case_persons__isnull=True).exists()
    assert Referral.objects.count() >= routed
    assert set(Referral.objects.values_list("status", flat=True)) == set(ReferralStatus.values)
    assert not Referral.objects.exclude(status="draft").filter(legal_basis="").exists()
    assert Trajectory.objects.exists()
    assert PhaseChange.objects.count() >= Trajectory.objects.count()


def test_follow_up_rows_carry_the_dates_of_their_story_not_of_the_run(db):
    """Lists that page by date see each region's cases and referrals spread over the years."""
    call_command("synth", regions=2, signals=400, seed=5)
    now = timezone.now()
    opened = list(Case.objects.values_list("created_at", flat=True))
    assert len({c.date() for c in opened}) > len(opened) // 3
    assert max(opened) <= now
    for case in Case.objects.prefetch_related("case_signals__signal")[:50]:
        signal = case.case_signals.get().signal
        assert signal.registered_at <= case.created_at
    assert not Referral.objects.filter(sent_at__lt=F("created_at")).exists()
    assert not Referral.objects.filter(created_at__lt=F("case__created_at") - timedelta(days=1))
    # The regions' referrals interleave in time.
    first, second = (
        Referral.objects.filter(case__region=region).aggregate(Min("created_at"), Max("created_at"))
        for region in Case.objects.order_by().values_list("region", flat=True).distinct()
    )
    assert first["created_at__min"] < second["created_at__max"]
    assert second["created_at__min"] < first["created_at__max"]


class _Rollback(Exception):
    pass


def _snapshot() -> list:
    return list(
        Signal.objects.order_by("reference").values_list(
            "reference", "status", "search_text", "received_at"
        )
    )


def test_it_is_reproducible_with_the_same_seed(db):
    with pytest.raises(_Rollback), transaction.atomic():
        call_command("synth", regions=1, signals=30, seed=3)
        first = _snapshot()
        raise _Rollback
    call_command("synth", regions=1, signals=30, seed=3)
    assert _snapshot() == first
    assert len(first) == 30


def test_it_refuses_to_run_in_production(db, settings):
    settings.IS_PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("synth", regions=1, signals=1)


def test_it_gives_criminal_signals_a_kind_and_no_other_signal_one(db):
    call_command("synth", regions=1, signals=400, seed=11)
    criminal = Signal.objects.filter(exploitation_forms__form="criminal")
    kinds = list(criminal.values_list("criminal_kind", flat=True))

    assert not Signal.objects.exclude(criminal_kind="").exclude(pk__in=criminal).exists()
    assert 0.7 < sum(1 for k in kinds if k) / len(kinds) < 0.95  # some left blank
    assert {"drug_running", "begging"} <= set(kinds)


def test_it_puts_every_signal_in_the_year_asked_for(db):
    call_command("synth", regions=2, signals=200, seed=4, year=2025)

    years = set(Signal.objects.values_list("received_at__year", flat=True))
    assert years == {2025}
    assert set(Signal.objects.values_list("year", flat=True)) == {2025}


@pytest.mark.parametrize("year", [1999, 2999])
def test_it_refuses_a_year_out_of_range(db, year):
    with pytest.raises(CommandError, match="--year"):
        call_command("synth", regions=1, signals=1, year=year)
