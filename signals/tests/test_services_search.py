"""Searching the register: accents and case ignored, prefixes found, never across regions.

And the list costs the same number of queries for 5 signals as for 30.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from signals import selectors
from signals.selectors import SignalFilters
from signals.tests.factories import person_input, registered_signal, submitted_signal


@pytest.fixture
def register(world, other_world):
    officer, vt = world.user(Role.MUNICIPAL_OFFICER), world.user(Role.VT_STAFF)
    return {
        "muller": submitted_signal(
            officer,
            description="Jonge vrouw werkt in een massagesalon aan de Akerstraat.",
            persons=[person_input(name="Anna Müller")],
        ),
        "nowak": registered_signal(
            officer,
            vt,
            description="Uitzendkrachten slapen met twaalf in één woning.",
            persons=[person_input(name="Piotr Nowak", role="possible_offender")],
        ),
        "elsewhere": submitted_signal(
            other_world.user(Role.MUNICIPAL_OFFICER),
            description="Ook een massagesalon, maar in een andere regio.",
            persons=[person_input(name="Anna Müller")],
        ),
    }


def found(user, q: str) -> set[str]:
    return {s.reference for s in selectors.signal_list(user=user, filters=SignalFilters(q=q))}


@pytest.mark.parametrize(
    "query",
    ["muller", "MULLER", "Müller", "müller", "mül", "mul", "anna muller", "Anna  Müll"],
)
def test_it_finds_a_person_name_whatever_the_accents_and_case(world, register, query):
    assert found(world.user(Role.VT_STAFF), query) == {register["muller"].reference}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("massagesalon", "muller"),
        ("Akerstraat", "muller"),
        ("akerstr", "muller"),
        ("WONING", "nowak"),
    ],
)
def test_it_finds_words_of_the_description(world, register, query, expected):
    assert found(world.user(Role.VT_OFFICER), query) == {register[expected].reference}


def test_it_requires_every_word_to_match(world, register):
    vt = world.user(Role.VT_STAFF)

    assert found(vt, "anna nowak") == set()
    assert found(vt, "piotr uitzendkrachten") == {register["nowak"].reference}


def test_it_never_finds_a_signal_of_another_region(world, other_world, register):
    assert register["elsewhere"].reference not in found(world.user(Role.VT_STAFF), "massagesalon")
    assert found(other_world.user(Role.VT_STAFF), "muller") == {register["elsewhere"].reference}


def test_it_never_finds_what_the_searcher_may_not_see(world, register):
    # A municipality of the same region searching for a signal of the neighbours.
    neighbour = world.user(Role.MUNICIPAL_OFFICER, world.other_municipality)

    assert found(neighbour, "muller") == set()
    assert found(world.user(Role.CARE_COORDINATOR), "muller") == set()


@pytest.mark.parametrize("query", ["", "   ", "!!! ???", "' OR 1=1 --", "a & b | !c:*"])
def test_it_survives_odd_queries(world, register, query):
    # Punctuation is dropped before the words reach PostgreSQL's query parser.
    list(selectors.signal_list(user=world.user(Role.VT_STAFF), filters=SignalFilters(q=query)))


def evaluate(user, filters: SignalFilters) -> int:
    with CaptureQueriesContext(connection) as queries:
        rows = list(selectors.signal_list(user=user, filters=filters))
        # What a list page shows per row: municipality, sender and forms.
        for signal in rows:
            assert signal.municipality.name
            assert signal.reporting_organisation.name
            assert signal.forms
            assert signal.is_overdue in (True, False)
    return len(queries), len(rows)


@pytest.mark.parametrize(
    "filters",
    [
        SignalFilters(),
        SignalFilters(q="muller"),
        SignalFilters(form="labour", ordering="reference"),
    ],
    ids=["unfiltered", "search", "filtered"],
)
def test_it_uses_as_many_queries_for_30_signals_as_for_5(world, filters):
    vt = world.user(Role.VT_STAFF)

    def add(n):
        for i in range(n):
            municipality = world.municipality if i % 2 else world.other_municipality
            submitted_signal(
                world.user(Role.MUNICIPAL_OFFICER, municipality),
                municipality,
                persons=[person_input(name=f"Anna Müller {i}")],
            )

    add(5)
    small, rows = evaluate(vt, filters)
    assert rows == 5
    add(25)
    large, rows = evaluate(vt, filters)
    assert rows == 30
    assert large == small
