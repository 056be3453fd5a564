"""Who sees which signal (DESIGN.md "Who sees what"), through the selectors.

The table: one row per role, naming exactly the signals ``signal_list`` returns. Everything
not named is invisible, and ``signal_get`` answers 404 for it as for a signal that does not
exist.
"""

import uuid

import pytest
from django.http import Http404

from accounts.roles import Role
from signals import selectors, services
from signals.models import EventKind
from signals.tests.factories import (
    make_signal,
    registered_signal,
    scheduled_signal,
    submitted_signal,
)

SIGNALS = (
    "own_draft",
    "own_submitted",
    "other_municipality_submitted",
    "other_region_registered",
    "scheduled",
    "acute",
    "avim_draft",
    "handled_internally",
)

# "own" is the municipality of the municipal officer (world.municipality).
VISIBLE = {
    Role.MUNICIPAL_OFFICER: {"own_draft", "own_submitted", "handled_internally"},
    Role.VT_STAFF: {"own_submitted", "other_municipality_submitted", "scheduled", "acute"},
    Role.VT_OFFICER: {"own_submitted", "other_municipality_submitted", "scheduled", "acute"},
    # AVIM and the care coordinator: the screening agenda, acute signals, and what they brought.
    Role.AVIM: {"scheduled", "acute", "avim_draft"},
    Role.CARE_COORDINATOR: {"scheduled", "acute"},
    Role.PROCESS_DIRECTOR: set(),
    Role.CHAIN_DIRECTOR: set(),
    Role.POLICY_ANALYST: set(),
    Role.PRIVACY_OFFICER: set(),
    Role.ADMINISTRATOR: set(),
}


@pytest.fixture
def signals(world, other_world):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    neighbour = world.user(Role.MUNICIPAL_OFFICER, world.other_municipality)
    vt = world.user(Role.VT_STAFF)
    closed = make_signal(officer)
    services.signal_close_internally(
        signal=closed, actor=officer, version=closed.version, reason="Wijkteam"
    )
    acute = submitted_signal(neighbour, world.other_municipality)
    acute = services.signal_mark_acute(signal=acute, actor=neighbour, version=acute.version)
    return {
        "own_draft": make_signal(officer),
        "own_submitted": submitted_signal(officer),
        "other_municipality_submitted": submitted_signal(neighbour, world.other_municipality),
        "other_region_registered": registered_signal(
            other_world.user(Role.MUNICIPAL_OFFICER), other_world.user(Role.VT_STAFF)
        ),
        "scheduled": scheduled_signal(neighbour, vt, world.other_municipality),
        "acute": acute,
        "avim_draft": make_signal(world.user(Role.AVIM), world.municipality, source="avim"),
        "handled_internally": closed,
    }


def name_of(signals, signal) -> str:
    return next(name for name, s in signals.items() if s.pk == signal.pk)


def test_the_table_covers_every_role():
    assert set(VISIBLE) == set(Role)


@pytest.mark.parametrize("role", list(VISIBLE), ids=[r.value for r in VISIBLE])
def test_it_lists_exactly_what_the_role_may_see(world, signals, role):
    user = world.user(role)

    listed = {name_of(signals, s) for s in selectors.signal_list(user=user)}

    assert listed == VISIBLE[role]


@pytest.mark.parametrize("role", list(VISIBLE), ids=[r.value for r in VISIBLE])
def test_it_gets_a_visible_signal_and_answers_404_for_the_rest(world, signals, role):
    user = world.user(role)

    for name in SIGNALS:
        public_id = signals[name].public_id
        if name in VISIBLE[role]:
            assert selectors.signal_get(user=user, public_id=public_id).pk == signals[name].pk
        else:
            with pytest.raises(Http404):
                selectors.signal_get(user=user, public_id=public_id)
    with pytest.raises(Http404):
        selectors.signal_get(user=user, public_id=uuid.uuid4())


def test_it_shows_another_region_nothing_of_this_one(world, other_world, signals):
    for role in (Role.VT_STAFF, Role.VT_OFFICER, Role.AVIM, Role.CARE_COORDINATOR):
        listed = {name_of(signals, s) for s in selectors.signal_list(user=other_world.user(role))}
        assert listed <= {"other_region_registered"}, role


def test_it_shows_an_inactive_user_nothing(world, signals):
    vt = world.user(Role.VT_STAFF)
    vt.is_active = False
    vt.save(update_fields=["is_active"])

    assert list(selectors.signal_list(user=vt)) == []


def test_it_shows_a_person_only_through_a_visible_signal(world, signals):
    person = signals["own_draft"].involvements.get().person

    assert selectors.person_get(user=world.user(Role.MUNICIPAL_OFFICER), public_id=person.public_id)
    for role in (Role.VT_STAFF, Role.AVIM, Role.POLICY_ANALYST):
        with pytest.raises(Http404):
            selectors.person_get(user=world.user(role), public_id=person.public_id)


# --- feedback to the sender: status, not the partners' input -------------------------------


@pytest.fixture
def enriched(world):
    """A signal of the officer, registered by VT and enriched by AVIM."""
    officer, vt = world.user(Role.MUNICIPAL_OFFICER), world.user(Role.VT_STAFF)
    signal = registered_signal(officer, vt)
    services.note_add(
        signal=signal, actor=world.user(Role.AVIM), text="Adres bekend bij de politie."
    )
    return signal


def test_it_hides_partner_events_from_the_sending_municipality(world, enriched):
    officer = world.user(Role.MUNICIPAL_OFFICER)

    seen = list(selectors.signal_timeline(user=officer, signal=enriched))

    assert seen
    assert all(event.visible_to_sender for event in seen)
    assert EventKind.NOTE not in {event.kind for event in seen}
    assert [e.to_status for e in seen if e.to_status] == ["draft", "submitted", "registered"]


def test_it_shows_veilig_thuis_the_whole_timeline(world, enriched):
    everything = list(enriched.events.order_by("created_at", "pk"))

    seen = list(selectors.signal_timeline(user=world.user(Role.VT_STAFF), signal=enriched))

    assert seen == everything
    assert any(not event.visible_to_sender for event in seen)
    assert EventKind.NOTE in {event.kind for event in seen}


def test_it_shows_the_sender_no_notes(world, enriched):
    assert (
        list(selectors.signal_notes(user=world.user(Role.MUNICIPAL_OFFICER), signal=enriched)) == []
    )
    notes = selectors.signal_notes(user=world.user(Role.VT_OFFICER), signal=enriched)
    assert [n.text for n in notes] == ["Adres bekend bij de politie."]
