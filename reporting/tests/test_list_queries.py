"""The annual reports, the plan, the sessions, the CoMensha victims and the tombstones each cost
as many queries for 50 rows (a full page) as for 5."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation, Tombstone
from accounts.roles import Role
from cases.models import Consent
from reporting.models import AnnualReport, AwarenessSession, ImplementationAction
from reporting.privacy_views import PAGE_SIZE
from signals.models import Person, SignalPerson

from .dataset import TZ, Dataset, _signal

pytestmark = pytest.mark.django_db

YEAR = 2025
REPORT_LINK = re.compile(r'href="/rapportage/jaarverslag/[0-9a-f-]{36}/"')
PSEUDONYM_CELL = re.compile(r"<td><code>P-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}</code></td>")


def queries(client, path: str, params: dict | None = None):
    """The number of queries of one GET (its body read to the end), and the body."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, params or {})
        body = b"".join(response) if response.streaming else response.content
    assert response.status_code == 200, path
    return len(captured), body.decode("utf-8-sig")


def csv_rows(body: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body), delimiter=";"))


def add_reports(world, n: int) -> None:
    """``n`` finished and failed annual reports of YEAR, for the region and a municipality."""
    start = AnnualReport.objects.count()
    authors = [world.user(Role.POLICY_ANALYST), world.user(Role.VT_STAFF)]
    for i in range(start, start + n):
        municipality = world.municipality if i % 2 else None
        done = i % 3 != 0
        AnnualReport.objects.create(
            region=world.region,
            year=YEAR,
            municipality=municipality,
            scope_key=str(municipality.public_id) if municipality else "region",
            status="done" if done else "failed",
            progress=100 if done else 40,
            file=f"reports/test-{i}.pdf" if done else "",
            sha256=f"{i:064x}" if done else "",
            generated_by=authors[i % 2],
            data_date=timezone.now() if done else None,
        )


def add_actions(world, n: int) -> None:
    """``n`` actions of the plan, owned by alternating organisations, some done."""
    start = ImplementationAction.objects.count()
    owners = [world.orgs[Organisation.Kind.RIEC], world.orgs[Organisation.Kind.VEILIG_THUIS]]
    for i in range(start, start + n):
        done = i % 4 == 0
        ImplementationAction.objects.create(
            region=world.region,
            title=f"Actie {i}",
            owner_organisation=owners[i % 2],
            due_date=date(YEAR, 1, 1) + timedelta(days=i),
            status="done" if done else "in_progress",
            completed_on=date(YEAR, 12, 1) if done else None,
            progress_notes=f"Voortgang {i}",
            updated_by=world.user(Role.POLICY_ANALYST),
        )


def add_sessions(world, n: int) -> None:
    """``n`` sessions, in a municipality or region-wide, by alternating organisations."""
    start = AwarenessSession.objects.count()
    organisers = [world.orgs[Organisation.Kind.RIEC], world.orgs[Organisation.Kind.VEILIG_THUIS]]
    for i in range(start, start + n):
        AwarenessSession.objects.create(
            region=world.region,
            held_on=date(YEAR, 1, 1) + timedelta(days=i),
            municipality=world.municipality if i % 2 else None,
            topic=f"Bijeenkomst {i}",
            audience="front_desk",
            participants=10 + i,
            organised_by=organisers[i % 2],
            updated_by=world.user(Role.POLICY_ANALYST),
        )


def add_victims(ds: Dataset, n: int) -> None:
    """``n`` victims of YEAR, each in a signal of their own (classified suspected or actual)
    with an offender beside them, and with consent recorded: on the list and the tracker."""
    start = len(ds.signals)
    coordinator = ds.world.user(Role.CARE_COORDINATOR)
    for i in range(start, start + n):
        received = date(YEAR, 1, 1) + timedelta(days=i)
        moments = (
            datetime.combine(received, time(9), tzinfo=TZ),
            datetime.combine(received, time(15), tzinfo=TZ),
        )
        final = "actual" if i % 2 else "suspected"
        spec = (
            received,
            "A",
            "avim",
            ["labour"],
            "",
            "routed",
            "suspected",
            final,
            *moments,
            False,
        )
        key = f"v{i:02}"
        ds.signals[key] = signal = _signal(ds, key, spec)
        victim = Person.objects.create(
            region=ds.world.region,
            name=f"Slachtoffer {i}",
            birth_date=date(1990, 1, 1),
            gender="female",
            nationality="NL",
        )
        offender = Person.objects.create(region=ds.world.region, name=f"Dader {i}")
        SignalPerson.objects.create(signal=signal, person=victim, role="possible_victim")
        SignalPerson.objects.create(signal=signal, person=offender, role="possible_offender")
        Consent.objects.create(
            person=victim,
            given_by="person",
            given_on=received,
            scope="Registratie bij CoMensha",
            recorded_by=coordinator,
        )


def add_tombstones(world, n: int) -> None:
    """``n`` tombstones, by the daily task or by the privacy officer."""
    start = Tombstone.objects.count()
    officer = world.user(Role.PRIVACY_OFFICER)
    for i in range(start, start + n):
        Tombstone.objects.create(
            model_label="signals.signal",
            object_pk=str(i),
            object_public_id=f"00000000-0000-0000-0000-{i:012}",
            rule="signal_closed" if i % 2 else "signal_none",
            anonymised_at=timezone.now() - timedelta(minutes=i),
            actor=officer if i % 2 else None,
            details={"rows": 3, "files": i % 2},
        )


def five_then_fifty(client, path: str, params: dict, add, rows) -> tuple[int, int]:
    """The queries of the page with 5 rows, then with 50 (``add(n)`` adds n rows, ``rows(body)``
    counts those shown); each page shows the rows it is counted for."""
    add(5)
    client.get(path, params)  # warm the per-process caches (content types, permissions)
    with_five, page = queries(client, path, params)
    add(45)
    with_fifty, full = queries(client, path, params)
    assert (rows(page), rows(full)) == (5, 50)
    return with_five, with_fifty


def _victims(world):
    ds = Dataset(world)
    return lambda n: add_victims(ds, n)


def _tags(tag: str):
    return lambda body: body.count(tag)


# (who reads it, the page, its query, how to add n rows, how to count the rows shown)
LISTS = {
    "annual reports": (
        Role.POLICY_ANALYST,
        "reporting:annual",
        {"year": str(YEAR)},
        lambda world: lambda n: add_reports(world, n),
        lambda body: len(REPORT_LINK.findall(body)),
    ),
    "implementation plan": (
        Role.POLICY_ANALYST,
        "reporting:plan",
        {},
        lambda world: lambda n: add_actions(world, n),
        _tags('<th scope="row">'),
    ),
    "awareness sessions": (
        Role.POLICY_ANALYST,
        "reporting:sessions",
        {},
        lambda world: lambda n: add_sessions(world, n),
        _tags('<th scope="row">'),
    ),
    "CoMensha victim list": (
        Role.VT_STAFF,
        "reporting:comensha_victims",
        {"year": str(YEAR), "format": "csv"},
        _victims,
        lambda body: len(csv_rows(body)) - 1,  # the header
    ),
    "CoMensha tracker": (
        Role.VT_STAFF,
        "reporting:comensha",
        {"year": str(YEAR)},
        _victims,
        lambda body: len(PSEUDONYM_CELL.findall(body)),
    ),
}


@pytest.mark.parametrize("name", LISTS)
def test_a_reporting_list_costs_as_many_queries_for_50_rows_as_for_5(name, world, login):
    role, url_name, params, adder, rows = LISTS[name]
    client = login(world.user(role))

    five, fifty = five_then_fifty(client, reverse(url_name), params, adder(world), rows)

    assert fifty == five


def test_the_tombstone_list_costs_as_many_queries_for_a_full_page_as_for_5_stones(world, login):
    client = login(world.user(Role.PRIVACY_OFFICER))
    path = reverse("privacy:tombstones")
    add_tombstones(world, 5)
    client.get(path)
    with_five, page = queries(client, path)
    add_tombstones(world, PAGE_SIZE)

    with_full_page, full = queries(client, path)

    assert page.count("<time datetime=") == 5
    assert full.count("<time datetime=") == PAGE_SIZE == 50
    assert 'rel="next"' in full
    assert with_full_page == with_five
