"""Answering: accept, decline with a reason, complete an accepted referral with feedback."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from accounts.models import Organisation
from accounts.roles import Role
from cases.models import CaseEvent, TrajectoryAccess
from referrals import services
from referrals.tests.factories import (
    accepted,
    answerer,
    declined,
    external_receiver,
    sent,
)
from referrals.workflow import ReferralStatus, TransitionNotAllowed
from signals.models import SignalEvent


def snapshot(referral):
    referral.refresh_from_db()
    return (
        referral.status,
        referral.version,
        referral.response,
        referral.feedback,
        referral.answered_at,
        referral.completed_at,
        CaseEvent.objects.count(),
        SignalEvent.objects.count(),
    )


def status_lines(referral):
    signal = services.first_signal(referral.case)
    return list(
        signal.events.filter(visible_to_sender=True)
        .order_by("pk")
        .values_list("summary", flat=True)
    )


def test_the_receiver_accepts(world):
    referral = sent(world, world.orgs[Organisation.Kind.POLICE_AVIM])
    avim = world.user(Role.AVIM)

    referral = services.referral_accept(
        referral=referral, actor=avim, version=referral.version, response="Onderzoek gestart."
    )

    assert referral.status == ReferralStatus.ACCEPTED
    assert referral.answered_by == avim and not referral.answered_on_behalf
    assert status_lines(referral)[-1].endswith(": geaccepteerd")
    # The municipality learns the status, not the answer.
    assert "Onderzoek" not in status_lines(referral)[-1]


def test_accepting_a_zvh_weighing_referral_opens_the_trajectories_to_that_zvh(world):
    zvh = world.orgs[Organisation.Kind.ZVH]
    referral = sent(world, zvh)

    services.referral_accept(
        referral=referral, actor=world.user(Role.PROCESS_DIRECTOR), version=referral.version
    )

    assert TrajectoryAccess.objects.filter(case=referral.case, organisation=zvh).exists()


def test_at_the_zvh_only_the_process_director_answers_the_weighing_team(world):
    referral = sent(world, world.orgs[Organisation.Kind.ZVH])
    with pytest.raises(PermissionDenied):
        services.referral_accept(
            referral=referral, actor=world.user(Role.CARE_COORDINATOR), version=referral.version
        )
    assert not TrajectoryAccess.objects.exists()


def test_veilig_thuis_does_not_answer_for_a_receiver_with_users(world):
    referral = sent(world)
    with pytest.raises(PermissionDenied):
        services.referral_accept(
            referral=referral, actor=world.user(Role.VT_STAFF), version=referral.version
        )


def test_another_organisation_does_not_even_find_it(world):
    referral = sent(world)  # to the world's municipality
    with pytest.raises(Http404):
        services.referral_accept(
            referral=referral, actor=world.user(Role.AVIM), version=referral.version
        )


def test_veilig_thuis_answers_for_a_receiver_without_users_and_says_so(world):
    inspectorate = external_receiver(world)
    referral = sent(world, inspectorate)

    referral = services.referral_accept(
        referral=referral, actor=world.user(Role.VT_STAFF), version=referral.version
    )

    assert referral.answered_on_behalf is True
    event = CaseEvent.objects.filter(case=referral.case).order_by("-pk").first()
    assert f"door Veilig Thuis vastgelegd namens {inspectorate.name}" in event.summary


def test_a_decline_needs_a_reason(world):
    referral = sent(world)
    before = snapshot(referral)
    with pytest.raises(ValidationError) as exc:
        services.referral_decline(
            referral=referral, actor=answerer(world, referral), version=referral.version, reason=" "
        )
    assert "reason" in exc.value.message_dict
    assert snapshot(referral) == before


def test_a_decline_tells_the_case_why_and_the_municipality_only_that(world):
    referral = declined(world)
    event = CaseEvent.objects.filter(case=referral.case).order_by("-pk").first()
    assert "Geen capaciteit" in event.summary
    assert status_lines(referral)[-1].endswith(": afgewezen")
    assert "capaciteit" not in " ".join(status_lines(referral))


def test_completing_a_referral_that_was_never_accepted_is_refused_and_nothing_changes(world):
    referral = sent(world)
    before = snapshot(referral)

    with pytest.raises(TransitionNotAllowed) as exc:
        services.referral_complete(
            referral=referral,
            actor=answerer(world, referral),
            version=referral.version,
            feedback="Klaar.",
        )

    assert "nooit is geaccepteerd" in exc.value.message
    assert snapshot(referral) == before


def test_a_declined_referral_cannot_be_completed(world):
    referral = declined(world)
    with pytest.raises(TransitionNotAllowed) as exc:
        services.referral_complete(
            referral=referral,
            actor=answerer(world, referral),
            version=referral.version,
            feedback="x",
        )
    assert "afgewezen" in exc.value.message


def test_completing_needs_feedback(world):
    referral = accepted(world)
    before = snapshot(referral)
    with pytest.raises(ValidationError) as exc:
        services.referral_complete(
            referral=referral,
            actor=answerer(world, referral),
            version=referral.version,
            feedback="",
        )
    assert "feedback" in exc.value.message_dict
    assert snapshot(referral) == before


def test_feedback_goes_to_the_case_and_only_its_receipt_to_the_municipality(world):
    referral = accepted(world)
    referral = services.referral_complete(
        referral=referral,
        actor=answerer(world, referral),
        version=referral.version,
        feedback="Pand gesloten op grond van de APV.",
    )

    assert referral.status == ReferralStatus.COMPLETED
    event = CaseEvent.objects.filter(case=referral.case).order_by("-pk").first()
    assert "Pand gesloten op grond van de APV." in event.summary
    assert status_lines(referral)[-1].endswith("afgerond. Terugkoppeling ontvangen")
    assert "APV" not in " ".join(status_lines(referral))


def test_the_municipality_follows_the_route_on_its_signal(world):
    referral = accepted(world)
    lines = status_lines(referral)
    assert [line.rsplit(": ", 1)[-1] for line in lines[-2:]] == ["verstuurd", "geaccepteerd"]
