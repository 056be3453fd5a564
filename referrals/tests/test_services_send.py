"""Sending: the legal basis, the choice of fields, the administrative rule and consent."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import Organisation
from accounts.roles import Role
from cases.models import CaseEvent, ConsentGiver
from referrals import services
from referrals.models import LegalBasis, SharedField
from referrals.tests.factories import (
    complete_draft,
    consent,
    draft,
    force_shared_fields,
    ready,
    sent,
)
from referrals.workflow import ReferralStatus, TransitionNotAllowed
from signals.models import SignalEvent
from signals.services import StaleVersion
from signals.tests.factories import person_input


def send(referral, actor):
    referral.refresh_from_db()
    return services.referral_send(referral=referral, actor=actor, version=referral.version)


def snapshot(referral):
    referral.refresh_from_db()
    return (
        referral.status,
        referral.version,
        referral.sent_at,
        CaseEvent.objects.count(),
        SignalEvent.objects.count(),
    )


def test_it_sends_and_tells_the_case_and_the_first_signal(world):
    referral = ready(world, world.orgs[Organisation.Kind.ZVH])
    before = referral.version

    referral = send(referral, world.user(Role.VT_STAFF))

    assert referral.status == ReferralStatus.SENT
    assert referral.version == before + 1
    assert referral.sent_by == world.user(Role.VT_STAFF)
    case_event = CaseEvent.objects.filter(case=referral.case).order_by("-pk").first()
    assert "verstuurd" in case_event.summary and "publieke taak" in case_event.summary
    signal = services.first_signal(referral.case)
    status_line = signal.events.filter(visible_to_sender=True).order_by("-pk").first()
    assert status_line.summary == (
        f"Verwijzing naar {referral.receiving_organisation.name} "
        "(Regionale weegploeg ZVH → procesregie): verstuurd"
    )


def test_a_referral_without_legal_basis_is_refused_and_nothing_changes(world):
    referral = draft(world, world.orgs[Organisation.Kind.ZVH])
    referral = complete_draft(referral, world, legal_basis="")
    before = snapshot(referral)

    with pytest.raises(ValidationError) as exc:
        send(referral, world.user(Role.VT_STAFF))

    assert "zonder grondslag" in exc.value.message_dict["legal_basis"][0]
    assert snapshot(referral) == before


def test_it_refuses_to_send_without_a_choice_of_fields(world):
    referral = draft(world, world.orgs[Organisation.Kind.ZVH])
    referral = complete_draft(referral, world, shared_fields=[])
    before = snapshot(referral)

    with pytest.raises(ValidationError) as exc:
        send(referral, world.user(Role.VT_STAFF))

    assert "Kies welke gegevens" in exc.value.message_dict["shared_fields"][0]
    assert snapshot(referral) == before


@pytest.mark.parametrize(
    "field", [SharedField.VICTIMS, SharedField.DESCRIPTION, SharedField.ADVICE]
)
def test_the_administrative_route_never_takes_the_victims_file(world, field):
    referral = draft(world, world.municipality)

    with pytest.raises(ValidationError) as exc:
        complete_draft(referral, world, shared_fields=[SharedField.PLACES, field])

    assert "nooit het dossier van het slachtoffer" in exc.value.message_dict["shared_fields"][0]


def test_the_administrative_route_is_refused_at_sending_too(world):
    referral = ready(world, world.municipality)
    # Written past the service (as a faulty import would): the send still refuses it.
    force_shared_fields(referral, ["places", "victims"])
    with pytest.raises(ValidationError) as exc:
        send(referral, world.user(Role.VT_STAFF))
    assert "nooit het dossier" in exc.value.message_dict["shared_fields"][0]


def test_instruments_belong_to_the_administrative_route(world):
    referral = draft(world, world.orgs[Organisation.Kind.ZVH])
    with pytest.raises(ValidationError) as exc:
        complete_draft(referral, world, instruments=["bibob"])
    assert "instruments" in exc.value.message_dict


def test_it_keeps_the_instruments_of_an_administrative_referral(world):
    referral = draft(world, world.municipality)
    referral = complete_draft(referral, world, via_riec=True, instruments=["closure", "bibob"])
    assert referral.via_riec is True
    assert referral.instruments == ["bibob", "closure"]


def test_sending_twice_is_an_illegal_step(world):
    referral = sent(world)
    with pytest.raises(TransitionNotAllowed):
        send(referral, world.user(Role.VT_STAFF))


def test_a_stale_version_is_refused(world):
    referral = ready(world)
    with pytest.raises(StaleVersion):
        services.referral_send(
            referral=referral, actor=world.user(Role.VT_STAFF), version=referral.version - 1
        )


def test_a_draft_can_no_longer_be_edited_once_sent(world):
    referral = sent(world)
    with pytest.raises(TransitionNotAllowed):
        complete_draft(referral, world)


# --- consent ---------------------------------------------------------------------------


def on_consent(world, **case_overrides):
    referral = draft(world, world.orgs[Organisation.Kind.ZVH], **case_overrides)
    return complete_draft(
        referral, world, legal_basis=LegalBasis.CONSENT, shared_fields=[SharedField.VICTIMS]
    )


def victim(referral):
    return referral.case.persons.get()


def test_consent_is_required_of_every_victim(world):
    referral = on_consent(world)
    before = snapshot(referral)

    with pytest.raises(ValidationError) as exc:
        send(referral, world.user(Role.VT_STAFF))

    assert "geldige toestemming" in exc.value.message_dict["consent"][0]
    assert snapshot(referral) == before


def test_a_valid_consent_lets_it_go(world):
    referral = on_consent(world)
    consent(victim(referral), world)
    assert send(referral, world.user(Role.VT_STAFF)).status == ReferralStatus.SENT


def test_a_withdrawn_consent_does_not_count(world):
    referral = on_consent(world)
    consent(victim(referral), world, withdrawn_on=timezone.localdate() - timedelta(days=1))
    with pytest.raises(ValidationError):
        send(referral, world.user(Role.VT_STAFF))


def test_one_victim_without_consent_is_enough_to_refuse(world):
    referral = on_consent(
        world,
        persons=[person_input(name="Anna Müller"), person_input(name="Ilona Kovács")],
    )
    anna = referral.case.persons.get(name="Anna Müller")
    consent(anna, world)
    with pytest.raises(ValidationError) as exc:
        send(referral, world.user(Role.VT_STAFF))
    assert "(1 zonder)" in exc.value.message_dict["consent"][0]


def minor_case(world):
    birth = date(timezone.localdate().year - 14, 1, 1)
    return on_consent(world, persons=[person_input(name="Mila", age_band="", birth_date=birth)])


def test_a_minor_with_a_parents_consent_is_covered(world):
    referral = minor_case(world)
    consent(victim(referral), world, given_by=ConsentGiver.PARENT)
    assert send(referral, world.user(Role.VT_STAFF)).status == ReferralStatus.SENT


def test_a_minor_under_16_cannot_consent_alone(world):
    referral = minor_case(world)
    consent(victim(referral), world, given_by=ConsentGiver.PERSON)
    with pytest.raises(ValidationError):
        send(referral, world.user(Role.VT_STAFF))


def test_a_vt_officer_overrides_with_a_written_reason(world):
    officer = world.user(Role.VT_OFFICER)
    referral = on_consent(world)
    referral = complete_draft(
        referral,
        world,
        legal_basis=LegalBasis.CONSENT,
        shared_fields=[SharedField.VICTIMS],
        consent_override_reason="Acuut gevaar; toestemming niet te verkrijgen.",
        actor=officer,
    )

    referral = send(referral, officer)

    assert referral.status == ReferralStatus.SENT
    event = CaseEvent.objects.filter(case=referral.case).order_by("-pk").first()
    assert "zonder geldige toestemming" in event.summary


def test_vt_staff_cannot_write_an_override(world):
    referral = on_consent(world)
    with pytest.raises(ValidationError) as exc:
        complete_draft(
            referral,
            world,
            legal_basis=LegalBasis.CONSENT,
            shared_fields=[SharedField.VICTIMS],
            consent_override_reason="Ik vind het nodig.",
        )
    assert "aandachtsfunctionaris" in exc.value.message_dict["consent_override_reason"][0]


def test_vt_staff_cannot_send_on_the_officers_override(world):
    referral = on_consent(world)
    referral = complete_draft(
        referral,
        world,
        legal_basis=LegalBasis.CONSENT,
        shared_fields=[SharedField.VICTIMS],
        consent_override_reason="Acuut gevaar.",
        actor=world.user(Role.VT_OFFICER),
    )
    before = snapshot(referral)

    with pytest.raises(ValidationError) as exc:
        send(referral, world.user(Role.VT_STAFF))

    assert "Alleen een aandachtsfunctionaris" in exc.value.message_dict["consent"][0]
    assert snapshot(referral) == before


def test_an_officer_without_a_reason_is_refused_too(world):
    referral = on_consent(world)
    with pytest.raises(ValidationError):
        send(referral, world.user(Role.VT_OFFICER))


def test_a_chosen_consent_must_belong_to_a_victim_of_the_case(world):
    referral = on_consent(world)
    other = on_consent(world)
    foreign = consent(victim(other), world)
    with pytest.raises(ValidationError) as exc:
        complete_draft(
            referral,
            world,
            legal_basis=LegalBasis.CONSENT,
            shared_fields=[SharedField.VICTIMS],
            consent=foreign,
        )
    assert "consent" in exc.value.message_dict


def test_a_consent_only_goes_with_the_consent_basis(world):
    referral = on_consent(world)
    mine = consent(victim(referral), world)
    with pytest.raises(ValidationError) as exc:
        complete_draft(referral, world, legal_basis=LegalBasis.PUBLIC_TASK, consent=mine)
    assert "consent" in exc.value.message_dict
