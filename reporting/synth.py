"""Synthetic, reproducible data at national size, inserted in bulk through the same models.

A data generator is the one place where bulk inserts on audited models are allowed: the
rows are fictitious, and going through the services for 100,000 signals would take hours.
Every row still satisfies the models' constraints and the life cycle (events and
classification history match the status).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, Region, User
from accounts.roles import Role
from referrals.routes import Route
from screening.models import AgendaItem, Meeting, PartnerInput, RouteDecision
from screening.workflow import ItemOutcome, MeetingStatus
from signals.models import (
    AgeBand,
    Classification,
    ClassificationRecord,
    CriminalKind,
    EventKind,
    ExploitationForm,
    Gender,
    LabourSector,
    Person,
    PersonRole,
    ReferenceCounter,
    ResidenceStatus,
    Signal,
    SignalEvent,
    SignalForm,
    SignalPerson,
    Source,
)
from signals.validation import normalise
from signals.workflow import Status

from .synth_followup import follow_up

BATCH = 5000
UNUSABLE = "!"  # an unusable password hash: synthetic users cannot log in with a password
YEARS = 10
FIRST_NAMES = [
    "Anna",
    "Maria",
    "Olena",
    "Ioana",
    "Fatima",
    "Joyce",
    "Mehmet",
    "Piotr",
    "Jan",
    "Sanne",
    "Ayesha",
    "Lucía",
    "Zoë",
    "Agnieszka",
    "Mohammed",
    "Chloé",
    "Tomasz",
    "Nguyen",
    "Blessing",
    "Daan",
    "Émile",
]
LAST_NAMES = [
    "Müller",
    "de Vries",
    "Jansen",
    "Kowalski",
    "Popescu",
    "Nowak",
    "Yılmaz",
    "Bakker",
    "Okafor",
    "Hernández",
    "Visser",
    "Łukasiewicz",
    "Smit",
    "Peeters",
    "Ivanova",
    "El Amrani",
    "Tran",
    "Meijer",
]
WORDS = [
    "werkt",
    "lange",
    "dagen",
    "woont",
    "boven",
    "bedrijf",
    "papieren",
    "ingenomen",
    "schuld",
    "bemiddelaar",
    "angstig",
    "begeleid",
    "nagelstudio",
    "kwekerij",
    "massagesalon",
    "uitzendbureau",
    "loon",
    "bedreigd",
    "vervoer",
    "huisvesting",
    "overbewoning",
    "minderjarig",
    "drugs",
    "bankpas",
    "advertentie",
    "online",
]
NATIONALITIES = [
    "NL",
    "NL",
    "NL",
    "PL",
    "RO",
    "BG",
    "UA",
    "NG",
    "MA",
    "TR",
    "VN",
    "ER",
    "HU",
    "SY",
    "CN",
    "BR",
]
STATUS_WEIGHTS = [
    (Status.DRAFT, 2),
    (Status.HANDLED_INTERNALLY, 6),
    (Status.SUBMITTED, 4),
    (Status.REGISTERED, 6),
    (Status.SCHEDULED, 3),
    (Status.ACUTE, 3),
    (Status.SCREENED, 20),
    (Status.ROUTED, 30),
    (Status.CLOSED, 26),
]
# The path each status went through, for the timeline events.
PATHS = {
    Status.DRAFT: [Status.DRAFT],
    Status.HANDLED_INTERNALLY: [Status.DRAFT, Status.HANDLED_INTERNALLY],
    Status.SUBMITTED: [Status.DRAFT, Status.SUBMITTED],
    Status.REGISTERED: [Status.DRAFT, Status.SUBMITTED, Status.REGISTERED],
    Status.SCHEDULED: [Status.DRAFT, Status.SUBMITTED, Status.REGISTERED, Status.SCHEDULED],
    Status.ACUTE: [Status.DRAFT, Status.SUBMITTED, Status.ACUTE],
    Status.SCREENED: [
        Status.DRAFT,
        Status.SUBMITTED,
        Status.REGISTERED,
        Status.SCHEDULED,
        Status.SCREENED,
    ],
    Status.ROUTED: [
        Status.DRAFT,
        Status.SUBMITTED,
        Status.REGISTERED,
        Status.SCHEDULED,
        Status.SCREENED,
        Status.ROUTED,
    ],
    Status.CLOSED: [
        Status.DRAFT,
        Status.SUBMITTED,
        Status.REGISTERED,
        Status.SCHEDULED,
        Status.SCREENED,
        Status.CLOSED,
    ],
}
# What criminal exploitation a signal is about, when the reporter could say (blank: not
# recorded). Drawn from a stream of its own, so the rest of a seed's data stays as it was.
CRIMINAL_KIND_WEIGHTS = [
    (CriminalKind.DRUG_RUNNING, 30),
    (CriminalKind.MONEY_MULE, 20),
    (CriminalKind.CANNABIS, 12),
    (CriminalKind.PICKPOCKETING, 10),
    (CriminalKind.BEGGING, 8),
    (CriminalKind.OTHER, 5),
    ("", 15),
]
ROLE_ORG_KIND = {
    Role.VT_STAFF: Organisation.Kind.VEILIG_THUIS,
    Role.VT_OFFICER: Organisation.Kind.VEILIG_THUIS,
    Role.AVIM: Organisation.Kind.POLICE_AVIM,
    Role.CARE_COORDINATOR: Organisation.Kind.ZVH,
    Role.PROCESS_DIRECTOR: Organisation.Kind.ZVH,
    Role.CHAIN_DIRECTOR: Organisation.Kind.RIEC,
    Role.POLICY_ANALYST: Organisation.Kind.VEILIG_THUIS,
    Role.PRIVACY_OFFICER: Organisation.Kind.VEILIG_THUIS,
    Role.ADMINISTRATOR: Organisation.Kind.VEILIG_THUIS,
}


@dataclass
class RegionWorld:
    region: Region
    municipalities: list[Organisation]
    orgs: dict[str, Organisation]
    users: dict[str, User]
    municipal_users: dict[int, User] = field(default_factory=dict)


@dataclass
class SynthResult:
    regions: int = 0
    signals: int = 0
    persons: int = 0
    meetings: int = 0
    items: int = 0
    cases: int = 0
    referrals: int = 0
    trajectories: int = 0


def _bulk(model, rows: list, result_ids: bool = False) -> list:
    return model.objects.bulk_create(rows, batch_size=BATCH)


def _region(rng: random.Random, index: int) -> RegionWorld:
    code = f"s{index:02d}"
    region = Region.objects.create(name=f"Synthetische regio {index:02d}", code=code)
    municipalities = _bulk(
        Organisation,
        [
            Organisation(
                region=region,
                name=f"Gemeente S{index:02d}-{m:02d}",
                kind=Organisation.Kind.MUNICIPALITY,
                cbs_code=f"GS{index:02d}{m:02d}",
            )
            for m in range(1, 13)
        ],
    )
    orgs = {
        kind: Organisation.objects.create(
            region=region, name=f"{kind.label} S{index:02d}", kind=kind
        )
        for kind in {
            Organisation.Kind.VEILIG_THUIS,
            Organisation.Kind.POLICE_AVIM,
            Organisation.Kind.ZVH,
            Organisation.Kind.RIEC,
            Organisation.Kind.LABOUR_INSPECTORATE,
            Organisation.Kind.CARE_PROVIDER,
            Organisation.Kind.COMENSHA,
        }
    }
    users = {}
    for role, kind in ROLE_ORG_KIND.items():
        users[role] = User.objects.create(
            username=f"synth-{code}-{role.value}",
            organisation=orgs[kind],
            role=role,
            password=UNUSABLE,
        )
    world = RegionWorld(region, municipalities, orgs, users)
    for municipality in municipalities:
        world.municipal_users[municipality.pk] = User.objects.create(
            username=f"synth-{code}-{municipality.cbs_code.lower()}",
            organisation=municipality,
            role=Role.MUNICIPAL_OFFICER,
            password=UNUSABLE,
        )
    return world


def _moment(day: date, rng: random.Random) -> datetime:
    return datetime.combine(
        day, time(rng.randint(8, 17), rng.randint(0, 59)), tzinfo=ZoneInfo(settings.TIME_ZONE)
    )


def received_days(rng: random.Random, count: int, year: int | None) -> list[date]:
    """``count`` days of reception, in order: spread over the ten years up to today, or over
    one calendar ``year`` (up to today for the current one)."""
    today = timezone.localdate()
    if year is None:
        return sorted(today - timedelta(days=rng.randint(0, YEARS * 365)) for _ in range(count))
    first = date(year, 1, 1)
    span = (min(date(year, 12, 31), today) - first).days
    return sorted(first + timedelta(days=rng.randint(0, span)) for _ in range(count))


@transaction.atomic
def generate(
    *, regions: int, signals: int, seed: int = 1, year: int | None = None, stdout=None
) -> SynthResult:
    """``regions`` regions sharing ``signals`` signals; ``year``: all received in that year."""
    received_in = year  # the loop below names each signal's year ``year``
    rng = random.Random(seed)  # noqa: S311 - reproducible fake data, not security
    kinds = random.Random(f"criminal-kind:{seed}")  # noqa: S311
    kind_values = [k for k, _w in CRIMINAL_KIND_WEIGHTS]
    kind_weights = [w for _k, w in CRIMINAL_KIND_WEIGHTS]
    result = SynthResult(regions=regions)
    worlds = [_region(rng, i + 1) for i in range(regions)]
    per_region = [signals // regions + (1 if i < signals % regions else 0) for i in range(regions)]
    statuses = [s for s, _ in STATUS_WEIGHTS]
    weights = [w for _, w in STATUS_WEIGHTS]
    forms = list(ExploitationForm.values)
    form_weights = [30, 35, 25, 1, 9]

    for world, count in zip(worlds, per_region, strict=True):
        vt = world.users[Role.VT_STAFF]
        vt_officer = world.users[Role.VT_OFFICER]
        days = received_days(rng, count, received_in)
        counters: dict[int, int] = {}
        signal_rows: list[Signal] = []
        meta = []  # (status, forms, persons) per signal, in the same order
        person_pool: list[Person] = []
        for day in days:
            status = rng.choices(statuses, weights)[0]
            municipality = rng.choice(world.municipalities)
            source = rng.choices(
                [
                    Source.MUNICIPALITY_INTERNAL,
                    Source.EXTERNAL_CARE_SAFETY,
                    Source.AVIM,
                    Source.CARE_COORDINATOR,
                    Source.CITIZEN,
                ],
                [45, 25, 15, 8, 7],
            )[0]
            if source in (Source.MUNICIPALITY_INTERNAL,):
                reporter = world.municipal_users[municipality.pk]
            elif source == Source.AVIM:
                reporter = world.users[Role.AVIM]
            elif source == Source.CARE_COORDINATOR:
                reporter = world.users[Role.CARE_COORDINATOR]
            else:
                reporter = vt
            if status == Status.HANDLED_INTERNALLY and reporter.role != Role.MUNICIPAL_OFFICER:
                status = Status.CLOSED
            year = day.year
            counters[year] = counters.get(year, 0) + 1
            chosen = sorted(set(rng.choices(forms, form_weights, k=rng.choice([1, 1, 1, 2]))))
            received = _moment(day, rng)
            path = PATHS[status]
            description = (
                " ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 40))).capitalize() + "."
            )
            prelim = (
                rng.choice(Classification.values)
                if Status.REGISTERED in path or status == Status.ACUTE
                else ""
            )
            final = (
                rng.choice(Classification.values)
                if status in (Status.SCREENED, Status.ROUTED, Status.CLOSED)
                else ""
            )
            persons = []
            for _ in range(rng.choice([1, 2, 2, 3, 3])):
                if person_pool and rng.random() < 0.08:
                    persons.append(rng.choice(person_pool))  # a repeat victim or recurring suspect
                    continue
                name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
                birth = (
                    day - timedelta(days=rng.randint(14 * 365, 55 * 365))
                    if rng.random() < 0.5
                    else None
                )
                person = Person(
                    region=world.region,
                    name=name,
                    normalised_name=normalise(name),
                    birth_date=birth,
                    age_band="" if birth else rng.choice(AgeBand.values[1:7]),
                    gender=rng.choice([Gender.FEMALE, Gender.FEMALE, Gender.MALE, Gender.UNKNOWN]),
                    nationality=rng.choice(NATIONALITIES),
                    residence_status=rng.choice(ResidenceStatus.values),
                )
                persons.append(person)
                person_pool.append(person)
            signal_rows.append(
                Signal(
                    region=world.region,
                    reference=f"{world.region.code.upper()}-{year}-{counters[year]:05d}",
                    year=year,
                    sequence=counters[year],
                    source=source,
                    reporting_organisation=reporter.organisation,
                    reported_by=reporter,
                    municipality=municipality,
                    received_at=day,
                    description=description,
                    labour_sector=rng.choice(LabourSector.values)
                    if ExploitationForm.LABOUR in chosen
                    else "",
                    criminal_kind=kinds.choices(kind_values, kind_weights)[0]
                    if ExploitationForm.CRIMINAL in chosen
                    else "",
                    is_acute=status == Status.ACUTE or rng.random() < 0.04,
                    status=status,
                    preliminary_classification=prelim,
                    final_classification=final,
                    submitted_at=received + timedelta(hours=2)
                    if Status.SUBMITTED in path
                    else None,
                    registered_at=received + timedelta(days=rng.randint(1, 9))
                    if Status.REGISTERED in path
                    else None,
                    closed_at=received + timedelta(days=rng.randint(20, 120))
                    if status in (Status.CLOSED, Status.HANDLED_INTERNALLY)
                    else None,
                    search_text=normalise(f"{description} {' '.join(p.name for p in persons)}"),
                )
            )
            meta.append((status, chosen, persons, received))

        _bulk(Person, [p for p in person_pool])
        _bulk(Signal, signal_rows)
        _bulk(
            ReferenceCounter,
            [
                ReferenceCounter(region=world.region, year=y, last_number=n)
                for y, n in counters.items()
            ],
        )
        _bulk(
            SignalForm,
            [
                SignalForm(signal=s, form=f)
                for s, (_, fs, _, _) in zip(signal_rows, meta, strict=True)
                for f in fs
            ],
        )
        involvements = []
        for s, (_, _, persons, _) in zip(signal_rows, meta, strict=True):
            seen = set()
            for position, p in enumerate(persons):
                if p.pk in seen:
                    continue
                seen.add(p.pk)
                role = (
                    PersonRole.POSSIBLE_VICTIM if position == 0 else rng.choice(PersonRole.values)
                )
                involvements.append(SignalPerson(signal=s, person=p, role=role, position=position))
        _bulk(SignalPerson, involvements)
        events, records = [], []
        for s, (status, _, _, _received) in zip(signal_rows, meta, strict=True):
            previous = ""
            for step, st in enumerate(PATHS[status]):
                events.append(
                    SignalEvent(
                        signal=s,
                        kind=EventKind.CREATED if step == 0 else EventKind.STATUS,
                        from_status=previous,
                        to_status=st,
                        summary=Status(st).label,
                        actor=s.reported_by if step < 2 else vt,
                        actor_organisation=s.reporting_organisation
                        if step < 2
                        else vt.organisation,
                        visible_to_sender=True,
                    )
                )
                previous = st
            if s.preliminary_classification:
                records.append(
                    ClassificationRecord(
                        signal=s, kind="preliminary", value=s.preliminary_classification, actor=vt
                    )
                )
            if s.final_classification:
                records.append(
                    ClassificationRecord(
                        signal=s, kind="final", value=s.final_classification, actor=vt_officer
                    )
                )
        _bulk(SignalEvent, events)
        _bulk(ClassificationRecord, records)
        result.signals += len(signal_rows)
        result.persons += len(person_pool)
        m, i = _meetings(world, signal_rows, meta, rng)
        result.meetings += m
        result.items += i
        c, r, t = follow_up(world, signal_rows, meta, rng, _bulk)
        result.cases += c
        result.referrals += r
        result.trajectories += t
        if stdout:
            stdout.write(
                f"  {world.region.name}: {len(signal_rows)} signals, {len(person_pool)} persons, "
                f"{m} meetings, {c} cases, {r} referrals, {t} trajectories"
            )
    return result


def _meetings(
    world: RegionWorld, signal_rows: list[Signal], meta: list, rng: random.Random
) -> tuple[int, int]:
    """One meeting per week that had screened signals, with their items and decisions."""
    screened = [
        (s, m)
        for s, m in zip(signal_rows, meta, strict=True)
        if m[0] in (Status.SCHEDULED, Status.SCREENED, Status.ROUTED, Status.CLOSED)
    ]
    by_week: dict[date, list] = {}
    for s, m in screened:
        monday = (s.registered_at or m[3]).date()
        monday -= timedelta(days=monday.weekday())
        by_week.setdefault(monday, []).append((s, m))
    vt = world.users[Role.VT_STAFF]
    tz = ZoneInfo(settings.TIME_ZONE)
    now = timezone.now()
    meetings = []
    for monday in sorted(by_week):
        slot = datetime.combine(monday + timedelta(days=8), time(10, 0), tzinfo=tz)
        status = MeetingStatus.CONCLUDED if slot < now else MeetingStatus.PLANNED
        meetings.append(
            Meeting(
                region=world.region,
                scheduled_for=slot,
                agenda_closes_at=slot - timedelta(hours=24),
                status=status,
                started_at=slot if status == MeetingStatus.CONCLUDED else None,
                concluded_at=slot + timedelta(hours=2)
                if status == MeetingStatus.CONCLUDED
                else None,
                concluded_by=vt if status == MeetingStatus.CONCLUDED else None,
            )
        )
    _bulk(Meeting, meetings)
    items, inputs, decisions = [], [], []
    presenters = [
        world.orgs[Organisation.Kind.VEILIG_THUIS],
        world.orgs[Organisation.Kind.POLICE_AVIM],
        world.orgs[Organisation.Kind.ZVH],
    ]
    for meeting, monday in zip(meetings, sorted(by_week), strict=True):
        for position, (s, m) in enumerate(by_week[monday], start=1):
            decided = m[0] != Status.SCHEDULED and meeting.status == MeetingStatus.CONCLUDED
            items.append(
                AgendaItem(
                    meeting=meeting,
                    signal=s,
                    position=position,
                    proposed_by=vt,
                    presenter=rng.choice(presenters),
                    outcome=ItemOutcome.DECIDED if decided else ItemOutcome.PENDING,
                    follow_up_owner=rng.choice(presenters) if decided else None,
                    times_carried_over=rng.choice([0, 0, 0, 0, 1, 3]),
                )
            )
    _bulk(AgendaItem, items)
    avim = world.users[Role.AVIM]
    routes = [r for r in Route.values if r != Route.NO_FURTHER_ACTION]
    for item in items:
        if rng.random() < 0.5:
            inputs.append(
                PartnerInput(
                    item=item,
                    organisation=avim.organisation,
                    author=avim,
                    text="Bekend bij politie.",
                )
            )
        if item.outcome == ItemOutcome.DECIDED:
            decisions.append(
                RouteDecision(
                    item=item,
                    route=rng.choice(routes),
                    decided_by=vt,
                    handed_off_at=item.meeting.concluded_at,
                )
            )
    _bulk(PartnerInput, inputs)
    _bulk(RouteDecision, decisions)
    return len(meetings), len(items)
