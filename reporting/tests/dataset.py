"""A small hand-made data set with known answers, for the figures of 2025.

Records are written through the models (not the services) because the figures depend on
exact moments in the past: when a signal was submitted and registered, when a meeting
concluded, when a referral was answered. Moments that the models stamp themselves
(``created_at``) are set by travelling in time while the row is created.

The expected numbers are written out by hand in ``test_figures_*.py``; the comments below
say where each comes from.

Signals received in 2025 (14; s15 is a draft, s16 is of 2024, s17 of another region):

====  ======  ====  ========  ==================  ==============  ==========  ==========
key   date    mun.  source    forms (sector)      status          prelim.     final
====  ======  ====  ========  ==================  ==============  ==========  ==========
s01   10 jan  A     mun.      labour (agri.)      routed          potential   suspected
s02   15 jan  A     mun.      labour (agri.)      routed          potential   actual
s03   20 jan  B     ext.      sexual              screened (*)    suspected   suspected
s04   2 mrt   A     mun.      labour+crim. (bouw) routed          suspected   actual
s05   5 mrt   A     ext.      sexual              closed          none        none
s06   8 mrt   A     mun.      labour (horeca)     closed          potential   none
s07   12 mrt  B     avim      criminal            acute (*)       potential   –
s08   15 mrt  A     ext.      labour (agri.)      registered      potential   –
s09   20 mrt  A     mun.      sexual              internal        –           –
s10   1 jun   A     ext.      labour (cleaning)   screened        potential   potential
s11   3 jun   B     avim      unknown             submitted (*)   –           –
s12   10 jun  A     mun.      labour (agri.)      routed          suspected   suspected
s13   12 jun  A     ext.      sexual              scheduled (*)   potential   –
s14   20 jun  B     mun. B    labour (temp)       internal        –           –
====  ======  ====  ========  ==================  ==============  ==========  ==========

Kinds of criminal exploitation: s04 money mule, s07 drug running.

(*) acute: s03 (marked two days after submission, consulted 23 h later), s07 (consulted
within 11 h), s11 (no consultation), s13 (consulted after 49 h).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import time_machine

from accounts.models import Organisation
from accounts.roles import Role
from accounts.tests.factories import OrganisationFactory
from cases.models import (
    Case,
    CaseSignal,
    Consent,
    PhaseChange,
    Placement,
    Trajectory,
)
from referrals.models import Referral
from screening.models import AgendaItem, Attendance, Meeting
from signals.models import (
    AcuteConsultation,
    EventKind,
    Person,
    Signal,
    SignalEvent,
    SignalForm,
    SignalPerson,
)

TZ = ZoneInfo("Europe/Amsterdam")
YEAR = 2025


def at(month: int, day: int, hour: int = 9, minute: int = 0, year: int = YEAR) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TZ)


def on(month: int, day: int, year: int = YEAR) -> date:
    return date(year, month, day)


@dataclass
class Dataset:
    world: object
    signals: dict[str, Signal] = field(default_factory=dict)
    persons: dict[str, Person] = field(default_factory=dict)
    cases: dict[str, Case] = field(default_factory=dict)
    referrals: dict[str, Referral] = field(default_factory=dict)
    trajectories: dict[str, Trajectory] = field(default_factory=dict)
    meetings: dict[str, Meeting] = field(default_factory=dict)


# key: (received, municipality, source, forms, sector, status, prelim., final, submitted,
#       registered, acute)
SIGNALS = {
    "s01": (
        on(1, 10),
        "A",
        "municipality_internal",
        ["labour"],
        "agriculture",
        "routed",
        "potential",
        "suspected",
        at(1, 10),
        at(1, 11),
        False,
    ),
    "s02": (
        on(1, 15),
        "A",
        "municipality_internal",
        ["labour"],
        "agriculture",
        "routed",
        "potential",
        "actual",
        at(1, 15),
        at(1, 17),
        False,
    ),
    "s03": (
        on(1, 20),
        "B",
        "external_care_safety",
        ["sexual"],
        "",
        "screened",
        "suspected",
        "suspected",
        at(1, 20),
        at(1, 23),
        True,
    ),
    "s04": (
        on(3, 2),
        "A",
        "municipality_internal",
        ["labour", "criminal"],
        "construction",
        "routed",
        "suspected",
        "actual",
        at(3, 2),
        at(3, 6),
        False,
    ),
    "s05": (
        on(3, 5),
        "A",
        "external_care_safety",
        ["sexual"],
        "",
        "closed",
        "none",
        "none",
        at(3, 5),
        at(3, 10),
        False,
    ),
    "s06": (
        on(3, 8),
        "A",
        "municipality_internal",
        ["labour"],
        "hospitality",
        "closed",
        "potential",
        "none",
        at(3, 8),
        at(3, 18),
        False,
    ),
    "s07": (
        on(3, 12),
        "B",
        "avim",
        ["criminal"],
        "",
        "acute",
        "potential",
        "",
        at(3, 12),
        None,
        True,
    ),
    "s08": (
        on(3, 15),
        "A",
        "external_care_safety",
        ["labour"],
        "agriculture",
        "registered",
        "potential",
        "",
        at(3, 15),
        at(3, 16),
        False,
    ),
    "s09": (
        on(3, 20),
        "A",
        "municipality_internal",
        ["sexual"],
        "",
        "handled_internally",
        "",
        "",
        None,
        None,
        False,
    ),
    "s10": (
        on(6, 1),
        "A",
        "external_care_safety",
        ["labour"],
        "cleaning",
        "screened",
        "potential",
        "potential",
        at(6, 1),
        at(6, 3),
        False,
    ),
    "s11": (on(6, 3), "B", "avim", ["unknown"], "", "submitted", "", "", at(6, 3), None, True),
    "s12": (
        on(6, 10),
        "A",
        "municipality_internal",
        ["labour"],
        "agriculture",
        "routed",
        "suspected",
        "suspected",
        at(6, 10),
        at(6, 10, 21),
        False,
    ),
    "s13": (
        on(6, 12),
        "A",
        "external_care_safety",
        ["sexual"],
        "",
        "scheduled",
        "potential",
        "",
        at(6, 12),
        at(6, 14),
        True,
    ),
    "s14": (
        on(6, 20),
        "B",
        "municipality_internal",
        ["labour"],
        "temp_agency",
        "handled_internally",
        "",
        "",
        None,
        None,
        False,
    ),
    # Not in the figures of 2025: a draft, a signal of 2024 (another region: see build()).
    "s15": (
        on(6, 22),
        "A",
        "municipality_internal",
        ["labour"],
        "agriculture",
        "draft",
        "",
        "",
        None,
        None,
        False,
    ),
    "s16": (
        on(12, 31, 2024),
        "A",
        "municipality_internal",
        ["sexual"],
        "",
        "routed",
        "suspected",
        "actual",
        at(12, 31, year=2024),
        at(12, 31, 12, year=2024),
        False,
    ),
}

# key: (name, birth date, age band, gender, nationality, stateless)
PERSONS = {
    "pA": ("Anna", date(2000, 5, 1), "", "female", "NL", False),
    "pB": ("Bogdan", date(2008, 2, 1), "", "male", "PL", False),
    "pC": ("Chloé", None, "23-29", "female", "", False),
    "pD": ("Doris", date(2007, 3, 11), "", "female", "NG", False),  # 17 on 10 March 2025
    "pE": ("Emil", None, "30-39", "male", "", True),
    "pF": ("Fenna", date(1990, 1, 1), "", "unknown", "RO", False),
    "pG": ("Greet", date(2007, 3, 16), "", "female", "NL", False),  # 18 on 16 March 2025
    "pH": ("Hanna", None, "16-17", "female", "NL", False),
    "pI": ("Ivan", None, "40-49", "male", "UA", False),
    "pJ": ("Joyce", date(1995, 7, 7), "", "female", "NL", False),
    "pK": ("Karel", date(1970, 1, 1), "", "male", "NL", False),  # an offender only
    "pL": ("Lena", None, "18-22", "female", "BG", False),
    "pM": ("Mark", date(1980, 2, 2), "", "male", "NL", False),
    "pN": ("Nico", date(1985, 3, 3), "", "male", "NL", False),  # an offender only
    "pO": ("Olga", None, "23-29", "female", "UA", False),  # in the draft
    "pP": ("Petra", None, "30-39", "female", "NL", False),  # in 2024
    "pQ": ("Quinty", None, "30-39", "female", "NL", False),  # a trajectory of 2024
}

CRIMINAL_KINDS = {"s04": "money_mule", "s07": "drug_running"}

# signal: [(person, role, age at the start of the exploitation)]
INVOLVEMENTS = {
    "s01": [("pA", "possible_victim", 17), ("pN", "possible_offender", None)],
    "s02": [("pB", "possible_victim", 15)],
    "s03": [("pC", "possible_victim", None)],
    "s04": [("pA", "possible_victim", 17)],  # a repeat victim: counted once, with s01
    "s05": [("pD", "possible_victim", 16)],
    "s06": [("pE", "possible_victim", 25)],
    "s07": [("pF", "possible_victim", 30)],
    "s08": [("pG", "possible_victim", 18)],
    "s09": [("pH", "possible_victim", None)],
    "s10": [("pI", "possible_victim", 40)],
    "s11": [("pK", "possible_offender", None)],
    "s12": [("pJ", "possible_victim", 28)],
    "s13": [("pL", "possible_victim", 17)],
    "s14": [("pM", "possible_victim", None)],
    "s15": [("pO", "possible_victim", None)],
    "s16": [("pP", "possible_victim", 33)],
}


def _signal(
    ds: Dataset, key: str, spec, *, region=None, municipality=None, criminal_kind=None
) -> Signal:
    world = ds.world
    (received, mun, source, forms, sector, status, prelim, final, submitted, registered, acute) = (
        spec
    )
    municipality = municipality or (world.municipality if mun == "A" else world.other_municipality)
    if source == "municipality_internal":
        reporter = world.user(Role.MUNICIPAL_OFFICER, organisation=municipality)
    elif source == "avim":
        reporter = world.user(Role.AVIM)
    else:
        reporter = world.user(Role.VT_STAFF)
    created = submitted or datetime.combine(received, time(8), tzinfo=TZ)
    with time_machine.travel(created, tick=False):
        signal = Signal.objects.create(
            region=region or world.region,
            reference=f"T-{received.year}-{key}",
            year=received.year,
            source=source,
            reporting_organisation=reporter.organisation,
            reported_by=reporter,
            municipality=municipality,
            received_at=received,
            description=f"Signaal {key}",
            labour_sector=sector,
            criminal_kind=CRIMINAL_KINDS.get(key, "") if criminal_kind is None else criminal_kind,
            is_acute=acute,
            status=status,
            preliminary_classification=prelim,
            final_classification=final,
            submitted_at=submitted,
            registered_at=registered,
        )
        for form in forms:
            SignalForm.objects.create(signal=signal, form=form)
    return signal


def _person(ds: Dataset, key: str, region=None) -> Person:
    if key not in ds.persons:
        name, birth, band, gender, nationality, stateless = PERSONS[key]
        ds.persons[key] = Person.objects.create(
            region=region or ds.world.region,
            name=name,
            birth_date=birth,
            age_band=band,
            gender=gender,
            nationality=nationality,
            is_stateless=stateless,
        )
    return ds.persons[key]


def _meeting(ds, key, when: datetime, items: list[tuple[str, str, int]], present: dict) -> Meeting:
    world = ds.world
    vt = world.user(Role.VT_STAFF)
    concluded = items and all(outcome != "pending" for _s, outcome, _c in items)
    meeting = Meeting.objects.create(
        region=world.region,
        scheduled_for=when,
        agenda_closes_at=when.replace(hour=8),
        status="concluded" if concluded else "planned",
        started_at=when if concluded else None,
        concluded_at=when.replace(hour=12) if concluded else None,
        concluded_by=vt if concluded else None,
    )
    for position, (signal_key, outcome, carried) in enumerate(items, start=1):
        AgendaItem.objects.create(
            meeting=meeting,
            signal=ds.signals[signal_key],
            position=position,
            proposed_by=vt,
            presenter=world.orgs[Organisation.Kind.VEILIG_THUIS],
            outcome=outcome,
            times_carried_over=carried,
        )
    for kind, is_present in present.items():
        Attendance.objects.create(
            meeting=meeting, organisation=world.orgs[kind], present=is_present, recorded_by=vt
        )
    ds.meetings[key] = meeting
    return meeting


def _case(
    ds, key, created: datetime, signal_keys, *, closed: datetime | None = None, reason: str = ""
) -> Case:
    world = ds.world
    vt = world.user(Role.VT_STAFF)
    with time_machine.travel(created, tick=False):
        case = Case.objects.create(
            region=world.region,
            reference=f"T-CAS-{key}",
            lead_organisation=world.municipality,
            lead_kind="municipality",
            classification="suspected",
            opened_by=vt,
            status="closed" if closed else "open",
            close_reason=reason,
            closed_at=closed,
        )
        for signal_key in signal_keys:
            CaseSignal.objects.create(case=case, signal=ds.signals[signal_key], added_by=vt)
    ds.cases[key] = case
    return case


def _referral(
    ds,
    key,
    case_key,
    route,
    receiver,
    sent: datetime,
    status: str,
    answered: datetime | None = None,
    completed: datetime | None = None,
) -> Referral:
    vt = ds.world.user(Role.VT_STAFF)
    with time_machine.travel(sent, tick=False):
        referral = Referral.objects.create(
            case=ds.cases[case_key],
            route=route,
            receiving_organisation=receiver,
            status=status,
            legal_basis="public_task",
            shared_fields=["summary"],
            created_by=vt,
            sent_at=sent,
            sent_by=vt,
            answered_at=answered,
            completed_at=completed,
        )
    ds.referrals[key] = referral
    return referral


def _trajectory(
    ds, key, case_key, person_key, phases: list[tuple[str, date]], *, reported: date | None = None
) -> Trajectory:
    world = ds.world
    coordinator = world.user(Role.CARE_COORDINATOR)
    first = phases[0][1]
    current, since = phases[-1]
    with time_machine.travel(datetime.combine(first, time(10), tzinfo=TZ), tick=False):
        trajectory = Trajectory.objects.create(
            case=ds.cases[case_key],
            person=_person(ds, person_key),
            region=world.region,
            coordinator_organisation=coordinator.organisation,
            phase=current,
            phase_since=since,
            reported_to_comensha_on=reported,
            outcome="safe_and_stable" if current == "closed" else "",
            created_by=coordinator,
        )
    for phase, entered in phases:
        PhaseChange.objects.create(
            trajectory=trajectory, phase=phase, entered_on=entered, actor=coordinator
        )
    ds.trajectories[key] = trajectory
    return trajectory


def build(world) -> Dataset:
    ds = Dataset(world)
    kinds = Organisation.Kind
    for key, spec in SIGNALS.items():
        ds.signals[key] = _signal(ds, key, spec)
        for person_key, role, age in INVOLVEMENTS.get(key, []):
            SignalPerson.objects.create(
                signal=ds.signals[key],
                person=_person(ds, person_key),
                role=role,
                age_at_exploitation_start=age,
            )
    # Another region's signal, in 2025, must never count.
    from conftest import World  # the personas of another region

    elsewhere = World("el")
    other = _signal(
        Dataset(elsewhere),
        "s17",
        SIGNALS["s01"],
        region=elsewhere.region,
        municipality=elsewhere.municipality,
    )
    SignalPerson.objects.create(
        signal=other,
        person=_person(Dataset(elsewhere), "pA", region=elsewhere.region),
        role="possible_victim",
    )

    # --- acute: when marked, when consulted ------------------------------------------------
    avim = world.user(Role.AVIM)
    with time_machine.travel(at(1, 22), tick=False):  # s03 marked acute 2 days after submission
        SignalEvent.objects.create(
            signal=ds.signals["s03"],
            kind=EventKind.ACUTE_MARKED,
            summary="Als acuut gemeld",
            actor=avim,
        )
    for key, consulted in [("s03", at(1, 23, 8)), ("s07", at(3, 12, 20)), ("s13", at(6, 14, 10))]:
        AcuteConsultation.objects.create(
            signal=ds.signals[key],
            consulted_at=consulted,
            decision="Besloten.",
            shelter_needed=False,
            recorded_by=avim,
        )

    # --- the screening table ----------------------------------------------------------------
    vt, avim_org, zvh_org = kinds.VEILIG_THUIS, kinds.POLICE_AVIM, kinds.ZVH
    _meeting(ds, "M0", at(12, 17, 10, year=2024), [("s16", "decided", 0)], {vt: True})
    _meeting(
        ds,
        "M1",
        at(1, 21, 10),
        [("s01", "decided", 0), ("s02", "decided", 0), ("s03", "carried_over", 0)],
        {vt: True, avim_org: True, zvh_org: True},
    )
    _meeting(ds, "M2", at(1, 28, 10), [("s03", "decided", 1)], {vt: True, avim_org: False})
    _meeting(
        ds,
        "M3",
        at(3, 18, 10),
        [
            ("s04", "decided", 0),
            ("s05", "decided", 0),
            ("s06", "decided", 0),
            ("s08", "carried_over", 0),
        ],
        {vt: True, avim_org: True, zvh_org: True},
    )
    _meeting(
        ds,
        "M4",
        at(6, 17, 10),
        [("s10", "decided", 0), ("s12", "decided", 0), ("s13", "carried_over", 0)],
        {vt: True, avim_org: True},
    )
    _meeting(ds, "M5", at(6, 24, 10), [("s13", "pending", 1)], {})

    # --- cases and referrals ------------------------------------------------------------------
    _case(ds, "C0", at(12, 20, year=2024), ["s16"], closed=at(2, 1), reason="no_consent")
    _case(ds, "C1", at(1, 22, 10), ["s01"], closed=at(11, 1), reason="goal_reached")
    _case(ds, "C2", at(1, 22, 11), ["s02", "s04"])
    _case(ds, "C3", at(6, 18, 9), ["s12"])
    _case(ds, "C4", at(6, 18, 9, 30), ["s10"], closed=at(6, 30), reason="goal_reached")
    zvh = world.orgs[zvh_org]
    police = world.orgs[avim_org]
    inspectorate = OrganisationFactory(region=world.region, kind=kinds.LABOUR_INSPECTORATE)
    care = OrganisationFactory(region=world.region, kind=kinds.CARE_PROVIDER)
    _referral(
        ds,
        "R0",
        "C0",
        "care_structure",
        care,
        at(12, 21, year=2024),
        "accepted",
        answered=at(12, 23, year=2024),
    )
    _referral(
        ds,
        "R1",
        "C1",
        "care_structure",
        care,
        at(1, 22, 10),
        "completed",
        answered=at(1, 24, 10),
        completed=at(2, 10),
    )
    _referral(
        ds, "R2", "C2", "zvh_weighing", zvh, at(1, 22, 11), "declined", answered=at(1, 23, 11)
    )
    _referral(ds, "R3", "C2", "police_om", police, at(1, 25, 9), "accepted", answered=at(1, 26, 12))
    _referral(
        ds,
        "R4",
        "C2",
        "labour_inspectorate",
        inspectorate,
        at(3, 19, 9),
        "accepted",
        answered=at(3, 20, 12),
    )
    _referral(ds, "R5", "C3", "care_structure", care, at(6, 18, 9), "sent")
    _referral(
        ds,
        "R6",
        "C3",
        "administrative",
        world.municipality,
        at(6, 18, 12),
        "accepted",
        answered=at(6, 25, 12),
    )

    # --- trajectories, shelter, consent -----------------------------------------------------
    _trajectory(
        ds,
        "T1",
        "C1",
        "pA",
        [
            ("registration", on(1, 25)),
            ("intake", on(2, 1)),
            ("support", on(3, 1)),
            ("aftercare", on(9, 1)),
            ("closed", on(11, 1)),
        ],
        reported=on(2, 1),
    )
    _trajectory(
        ds,
        "T2",
        "C2",
        "pB",
        [("registration", on(2, 1)), ("intake", on(2, 11)), ("support", on(4, 1))],
    )
    _trajectory(ds, "T3", "C3", "pJ", [("registration", on(6, 20))])
    _trajectory(
        ds,
        "T4",
        "C0",
        "pP",
        [("registration", on(12, 22, 2024)), ("intake", on(1, 5)), ("closed", on(3, 1))],
    )
    _trajectory(
        ds, "T5", "C0", "pQ", [("registration", on(10, 1, 2024)), ("closed", on(12, 1, 2024))]
    )
    for trajectory, shelter, start, end in [
        ("T1", "cosm", on(1, 26), on(3, 15)),
        ("T2", "emergency_bed", on(2, 2), on(2, 12)),
        ("T2", "omm", on(2, 12), None),
        ("T4", "womens_shelter", on(12, 23, 2024), on(1, 10)),
        ("T5", "cosm", on(10, 2, 2024), on(11, 1, 2024)),
    ]:
        Placement.objects.create(
            trajectory=ds.trajectories[trajectory],
            shelter_type=shelter,
            start_date=start,
            end_date=end,
        )
    coordinator = world.user(Role.CARE_COORDINATOR)
    for person_key, withdrawn in [("pA", None), ("pB", None), ("pJ", on(7, 1))]:
        Consent.objects.create(
            person=ds.persons[person_key],
            given_by="person",
            given_on=on(1, 22),
            scope="Registratie bij CoMensha",
            withdrawn_on=withdrawn,
            recorded_by=coordinator,
        )
    return ds
