"""Who sees which referral, and what the receiver sees of the case."""

import pytest

from accounts.models import Organisation
from accounts.roles import Role
from referrals import selectors
from referrals.models import SharedField
from referrals.tests.factories import (
    accepted,
    complete_draft,
    declined,
    draft,
    force_shared_fields,
    ready,
    sent,
)
from signals import services as signal_services
from signals.models import EventKind
from signals.tests.factories import person_input, place_input


def visible(user):
    return set(selectors.referrals_visible_to(user))


def test_veilig_thuis_sees_every_referral_of_its_region_but_not_another(world, other_world):
    mine, theirs = draft(world), draft(other_world)
    assert mine in visible(world.user(Role.VT_STAFF))
    assert theirs not in visible(world.user(Role.VT_OFFICER))


def test_the_receiver_sees_what_was_sent_to_it_but_no_draft(world):
    waiting = sent(world)
    concept = ready(world)
    officer = world.user(Role.MUNICIPAL_OFFICER)
    assert waiting in visible(officer)
    assert concept not in visible(officer)


def test_the_lead_organisation_sees_the_referrals_of_its_cases(world):
    referral = draft(world, world.orgs[Organisation.Kind.ZVH])  # led by the other municipality
    lead = world.user(Role.MUNICIPAL_OFFICER, organisation=world.other_municipality)
    assert referral in visible(lead)


@pytest.mark.parametrize(
    "role", [Role.AVIM, Role.CARE_COORDINATOR, Role.CHAIN_DIRECTOR, Role.ADMINISTRATOR]
)
def test_anyone_else_sees_none(world, role):
    sent(world)  # to the municipality, led by the other municipality
    assert visible(world.user(role)) == set()


def view_of(referral, user):
    referral = selectors.referral_get(user=user, public_id=referral.public_id)
    return selectors.referral_shared_view(referral, user)


def rich_case():
    return {
        "persons": [
            person_input(name="Anna Müller"),
            person_input(role="possible_offender", name="Viktor", age_band="30-39", gender="male"),
        ],
        "places": [place_input(facts="Open tot middernacht.")],
    }


def test_the_receiver_sees_only_the_chosen_fields(world):
    referral = sent(
        world,
        world.orgs[Organisation.Kind.ZVH],
        shared_fields=[SharedField.SUMMARY, SharedField.VICTIMS],
        **rich_case(),
    )
    view = view_of(referral, world.user(Role.PROCESS_DIRECTOR))

    assert not view.sees_case
    assert view.shared.fields == ["summary", "victims"]
    assert [i.person.name for i in view.shared.victims] == ["Anna Müller"]
    assert view.shared.offenders is None
    assert view.shared.places is None
    assert view.shared.descriptions is None
    assert view.shared.summary["case_reference"] == referral.case.reference


def test_after_a_decline_the_receiver_sees_the_referral_alone(world):
    referral = declined(world, world.orgs[Organisation.Kind.ZVH], **rich_case())
    view = view_of(referral, world.user(Role.PROCESS_DIRECTOR))
    assert view.shared is None
    assert view.referral == referral


def test_the_administrative_route_shows_places_and_the_summary_only(world):
    referral = sent(world, world.municipality, **rich_case())
    # Even a field stored past the service does not show.
    force_shared_fields(referral, ["summary", "places", "victims"])
    view = view_of(referral, world.user(Role.MUNICIPAL_OFFICER))
    assert view.shared.fields == ["summary", "places"]
    assert view.shared.victims is None
    assert [p.facts for p in view.shared.places] == ["Open tot middernacht."]


def test_the_shared_fields_are_read_live(world):
    referral = accepted(world, world.orgs[Organisation.Kind.ZVH], shared_fields=["places"])
    signal = referral.case.signals.get()
    place = signal.places.get()
    place.facts = "Inmiddels gesloten."
    place.save()
    view = view_of(referral, world.user(Role.PROCESS_DIRECTOR))
    assert [p.facts for p in view.shared.places] == ["Inmiddels gesloten."]


def test_advice_is_the_tables_route_decisions_not_other_referrals(world):
    zvh = world.orgs[Organisation.Kind.ZVH]
    first = sent(world, world.orgs[Organisation.Kind.POLICE_AVIM])
    signal = first.case.signals.get()
    signal_services.event_append(
        signal=signal,
        kind=EventKind.ROUTE,
        summary="Route besloten: Regionale weegploeg ZVH → procesregie",
        actor=world.user(Role.VT_STAFF),
        visible_to_sender=True,
    )
    second = draft(world, zvh, case=first.case)
    complete_draft(second, world, shared_fields=[SharedField.ADVICE])
    second = sent_again(world, second)

    view = view_of(second, world.user(Role.PROCESS_DIRECTOR))

    assert [e.summary for e in view.shared.advice] == [
        "Route besloten: Regionale weegploeg ZVH → procesregie"
    ]


def sent_again(world, referral):
    from referrals import services

    referral.refresh_from_db()
    return services.referral_send(
        referral=referral, actor=world.user(Role.VT_STAFF), version=referral.version
    )


def test_veilig_thuis_sees_the_preview_of_what_is_shared(world):
    referral = ready(world, world.orgs[Organisation.Kind.ZVH], shared_fields=["places"])
    view = view_of(referral, world.user(Role.VT_STAFF))
    assert view.sees_case
    assert view.shared.fields == ["places"]
