"""Repeat victims: hints of earlier signals about the same person, for Veilig Thuis only."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.roles import Role
from signals import selectors, services
from signals.models import EventKind, PersonLink
from signals.tests.factories import (
    NOW,
    make_signal,
    person_input,
    registered_signal,
    submitted_signal,
)


@pytest.fixture
def earlier(world, other_world, time_machine):
    time_machine.move_to(NOW, tick=False)
    officer, vt = world.user(Role.MUNICIPAL_OFFICER), world.user(Role.VT_STAFF)

    def registered(name, **person):
        return registered_signal(officer, vt, persons=[person_input(name=name, **person)])

    return {
        "same_name_overlapping_band": registered("Anna Müller", age_band="23-29"),
        "same_name_same_birth_date": registered(
            "ANNA MULLER", birth_date=date(2000, 3, 4), age_band=""
        ),
        "same_name_other_band": registered("Anna Muller", age_band="50-64"),
        "same_name_other_birth_date": registered(
            "Anna Müller", birth_date=date(1970, 1, 1), age_band=""
        ),
        "other_name": registered("Anna Meyer", age_band="23-29"),
        "draft": make_signal(
            world.user(Role.MUNICIPAL_OFFICER, world.other_municipality),
            world.other_municipality,
            persons=[person_input(name="Anna Müller", age_band="23-29")],
        ),
        "other_region": registered_signal(
            other_world.user(Role.MUNICIPAL_OFFICER),
            other_world.user(Role.VT_STAFF),
            persons=[person_input(name="Anna Müller", age_band="23-29")],
        ),
    }


@pytest.fixture
def new(world, earlier):
    """The signal VT is registering now: the same name, written differently, aged 26."""
    return submitted_signal(
        world.user(Role.MUNICIPAL_OFFICER),
        persons=[
            person_input(name="anna  muller", birth_date=date(2000, 3, 4), age_band=""),
            person_input(name="Karel de Vries", role="possible_offender", age_band="40-49"),
        ],
    )


def person_of(signal, name):
    return signal.involvements.get(person__name=name).person


@pytest.mark.parametrize("role", [Role.VT_STAFF, Role.VT_OFFICER])
def test_it_finds_earlier_signals_of_the_same_person_in_the_register(world, earlier, new, role):
    matches = selectors.person_matches(user=world.user(role), signal=new)

    anna = person_of(new, "anna  muller")
    assert set(matches) == {anna.pk}
    assert {m.signal_id for m in matches[anna.pk]} == {
        earlier["same_name_overlapping_band"].pk,
        earlier["same_name_same_birth_date"].pk,
    }
    assert not any(m.already_linked for m in matches[anna.pk])


@pytest.mark.parametrize(
    "role", [Role.MUNICIPAL_OFFICER, Role.AVIM, Role.CARE_COORDINATOR, Role.POLICY_ANALYST]
)
def test_it_gives_no_hints_outside_veilig_thuis(world, earlier, new, role):
    assert selectors.person_matches(user=world.user(role), signal=new) == {}


def test_it_links_a_person_once_and_notes_it_on_the_timeline(world, earlier, new):
    vt = world.user(Role.VT_OFFICER)
    anna = person_of(new, "anna  muller")
    before = earlier["same_name_overlapping_band"].involvements.get().person

    link = services.person_link(person=anna, same_as=before, actor=vt)
    again = services.person_link(person=anna, same_as=before, actor=vt)

    assert again.pk == link.pk
    assert PersonLink.objects.filter(person=anna, same_as=before).count() == 1
    assert link.linked_by == vt
    linked_events = new.events.filter(kind=EventKind.PERSON_LINKED)
    assert linked_events.count() == 1
    assert linked_events.get().actor == vt
    matches = selectors.person_matches(user=vt, signal=new)[anna.pk]
    assert {m.signal_id: m.already_linked for m in matches} == {
        earlier["same_name_overlapping_band"].pk: True,
        earlier["same_name_same_birth_date"].pk: False,
    }


def test_it_refuses_a_link_by_a_municipal_officer(world, earlier, new):
    anna = person_of(new, "anna  muller")
    before = earlier["same_name_overlapping_band"].involvements.get().person

    with pytest.raises(PermissionDenied):
        services.person_link(person=anna, same_as=before, actor=world.user(Role.MUNICIPAL_OFFICER))

    assert not PersonLink.objects.exists()
    assert not new.events.filter(kind=EventKind.PERSON_LINKED).exists()


def test_it_refuses_a_link_to_a_person_of_another_region(world, earlier, new):
    anna = person_of(new, "anna  muller")
    elsewhere = earlier["other_region"].involvements.get().person

    with pytest.raises(PermissionDenied):
        services.person_link(person=anna, same_as=elsewhere, actor=world.user(Role.VT_STAFF))

    assert not PersonLink.objects.exists()


def test_it_refuses_to_link_a_person_to_itself(world, new):
    anna = person_of(new, "anna  muller")

    with pytest.raises(ValidationError) as refused:
        services.person_link(person=anna, same_as=anna, actor=world.user(Role.VT_STAFF))

    assert "same_as" in refused.value.message_dict
    assert not PersonLink.objects.exists()


def test_it_treats_a_link_as_the_same_from_either_side(world, earlier, new):
    vt = world.user(Role.VT_STAFF)
    anna = person_of(new, "anna  muller")
    before = earlier["same_name_overlapping_band"].involvements.get().person
    # Linked while looking at the earlier signal.
    link = services.person_link(person=before, same_as=anna, actor=vt)

    again = services.person_link(person=anna, same_as=before, actor=vt)

    assert again.pk == link.pk
    assert PersonLink.objects.count() == 1
    matches = selectors.person_matches(user=vt, signal=new)[anna.pk]
    assert {m.signal_id: m.already_linked for m in matches} == {
        earlier["same_name_overlapping_band"].pk: True,
        earlier["same_name_same_birth_date"].pk: False,
    }
