"""A demo year of the route for the dashboard and the annual report (``demo_data --figures``).

Fictitious and reproducible: about a hundred signals of one year in the demo region, with
their persons, screening meetings, cases, referrals, care trajectories, shelter, consent, a
few implementation plan actions and awareness sessions, and an introduction text. Written
through the models, as a data generator may (``reporting.synth`` does the same at national
size); every row satisfies the models' constraints and the life cycles. Only finished
statuses (screened, routed, closed, handled internally) and concluded meetings: the demo
year never lands on a planned agenda.

Running it twice changes nothing: the year is recognised by its signals' description mark.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.audit import allow_bulk_writes
from accounts.models import Organisation, Region, User
from accounts.roles import Role
from cases.models import Case, CaseSignal, Consent, PhaseChange, Placement, Trajectory
from referrals.models import Referral
from screening.models import AgendaItem, Attendance, Meeting
from signals.models import (
    AcuteConsultation,
    ClassificationRecord,
    Person,
    ReferenceCounter,
    Signal,
    SignalForm,
    SignalPerson,
)

from .models import AwarenessSession, EvaluationIntroduction, ImplementationAction

MARK = "[demo] "
SEED = 2025
# Where the demo signals play: the larger municipalities more often.
WEIGHTS = {
    "Heerlen": 24,
    "Maastricht": 22,
    "Kerkrade": 8,
    "Sittard-Geleen": 10,
    "Landgraaf": 5,
    "Brunssum": 5,
    "Valkenburg aan de Geul": 3,
    "Vaals": 3,
    "Beek": 2,
    "Stein": 2,
    "Meerssen": 2,
    "Eijsden-Margraten": 2,
    "Gulpen-Wittem": 2,
    "Beekdaelen": 2,
    "Simpelveld": 1,
    "Voerendaal": 1,
}
FORMS = [
    (["labour"], 35),
    (["sexual"], 30),
    (["criminal"], 22),
    (["labour", "criminal"], 6),
    (["unknown"], 7),
]
SECTORS = [
    "agriculture",
    "temp_agency",
    "construction",
    "hospitality",
    "cleaning",
    "transport",
    "beauty_massage",
    "slaughterhouse",
]
# The kinds of the demo's criminal signals, in turn: each kind shows, forced begging among
# them, so the CoMensha page has a begging row to show.
CRIMINAL_KINDS = [
    "drug_running",
    "money_mule",
    "begging",
    "cannabis",
    "drug_running",
    "pickpocketing",
    "money_mule",
    "",
    "begging",
    "other",
]
NATIONALITIES = ["NL", "NL", "NL", "NL", "PL", "RO", "BG", "UA", "NG", "VN", "MA", "HU"]
TEXTS = [
    "Vrouwen wonen boven een nagelstudio en werken er van de vroege ochtend tot de nacht.",
    "Arbeidsmigranten slapen met tien man in een woning; het loon gaat naar een bemiddelaar.",
    "Een jongen van 16 vervoert pakketjes voor een oudere man en durft niet te stoppen.",
    "Een meisje wordt elke avond opgehaald; ze heeft dure spullen zonder uitleg.",
    "Werknemers in de kwekerij hebben hun paspoort moeten inleveren.",
]


def _aware(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(settings.TIME_ZONE))


def _users(region: Region) -> dict[str, User]:
    users = {}
    for role in (Role.VT_STAFF, Role.VT_OFFICER, Role.AVIM, Role.CARE_COORDINATOR):
        user = User.objects.filter(organisation__region=region, role=role).order_by("pk").first()
        if user is None:
            raise ValueError(f"the demo region needs a user with role {role}")
        users[role] = user
    users["officers"] = {
        u.organisation_id: u
        for u in User.objects.filter(organisation__region=region, role=Role.MUNICIPAL_OFFICER)
    }
    users["analyst"] = (
        User.objects.filter(organisation__region=region, role=Role.POLICY_ANALYST).first()
        or users[Role.VT_OFFICER]
    )
    return users


@transaction.atomic
def load_demo_figures(*, region: Region, year: int | None = None) -> int:
    """Load the demo year (default: last year) once; returns the number of signals made."""
    # Fictitious rows whose past moments (a case opened in March) are set with update().
    with allow_bulk_writes("reporting demo year"):
        return _load(region, year or timezone.localdate().year - 1)


def _load(region: Region, year: int) -> int:
    if Signal.objects.filter(region=region, year=year, description__startswith=MARK).exists():
        return 0
    rng = random.Random(SEED + year)  # noqa: S311 - reproducible fake data, not security
    users = _users(region)
    vt, officer = users[Role.VT_STAFF], users[Role.VT_OFFICER]
    orgs = {o.name: o for o in Organisation.objects.filter(region=region)}
    municipalities = {
        o.name.removeprefix("Gemeente "): o
        for o in orgs.values()
        if o.kind == Organisation.Kind.MUNICIPALITY
    }
    names = [n for n in WEIGHTS if n in municipalities]
    counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(
        region=region, year=year
    )
    signals, decided = [], []
    for index in range(96):
        received = date(year, 1, 1) + timedelta(days=rng.randint(0, 364))
        municipality = municipalities[rng.choices(names, [WEIGHTS[n] for n in names])[0]]
        local_officer = users["officers"].get(municipality.pk)
        internal = local_officer is not None and rng.random() < 0.35
        source = (
            "municipality_internal"
            if internal
            else rng.choice(
                [
                    "external_care_safety",
                    "external_care_safety",
                    "avim",
                    "care_coordinator",
                    "citizen",
                ]
            )
        )
        reporter = (
            local_officer
            if internal
            else (
                users[Role.AVIM]
                if source == "avim"
                else users[Role.CARE_COORDINATOR]
                if source == "care_coordinator"
                else vt
            )
        )
        labour = rng.random() < 0.4
        handled_internally = internal and rng.random() < 0.3
        status = (
            "handled_internally"
            if handled_internally
            else rng.choice(["screened", "routed", "routed", "closed"])
        )
        submitted = None if handled_internally else _aware(received, rng.randint(8, 16))
        registered = submitted + timedelta(hours=rng.randint(3, 120)) if submitted else None
        final = (
            ""
            if handled_internally
            else rng.choice(["none", "potential", "suspected", "suspected", "actual"])
        )
        counter.last_number += 1
        signals.append(
            Signal(
                region=region,
                reference=f"{region.code.upper()}-{year}-{counter.last_number:05d}",
                year=year,
                sequence=counter.last_number,
                source=source,
                reporting_organisation=reporter.organisation,
                reported_by=reporter,
                municipality=municipality,
                received_at=received,
                description=MARK + rng.choice(TEXTS),
                labour_sector=rng.choice(SECTORS) if labour else "",
                is_acute=not handled_internally and rng.random() < 0.08,
                status=status,
                preliminary_classification=""
                if handled_internally
                else rng.choice(["potential", "suspected"]),
                final_classification=final,
                submitted_at=submitted,
                registered_at=registered,
                closed_at=_aware(received + timedelta(days=40))
                if status in ("closed", "handled_internally")
                else None,
                search_text=MARK.strip(),
            )
        )
        if not handled_internally:
            decided.append(index)
    counter.save()
    Signal.objects.bulk_create(signals)
    _forms_and_persons(rng, region, signals, year)
    records = [
        ClassificationRecord(signal=s, kind="final", value=s.final_classification, actor=officer)
        for s in signals
        if s.final_classification
    ]
    ClassificationRecord.objects.bulk_create(records)
    for signal in signals:
        if signal.is_acute:
            AcuteConsultation.objects.create(
                signal=signal,
                consulted_at=signal.submitted_at + timedelta(hours=rng.choice([2, 5, 11, 20, 30])),
                decision="Opvang geregeld; AVIM voert een verkennend gesprek.",
                shelter_needed=rng.random() < 0.5,
                recorded_by=users[Role.AVIM],
            )
    _meetings(rng, region, [signals[i] for i in decided], orgs, vt)
    _follow_up(rng, region, [signals[i] for i in decided], orgs, users, year)
    _registers(rng, region, orgs, municipalities, users, year)
    return len(signals)


def _forms_and_persons(
    rng: random.Random, region: Region, signals: list[Signal], year: int
) -> None:
    forms, involvements, criminal = [], [], []
    for signal in signals:
        chosen = (
            ["labour"]
            if signal.labour_sector
            else rng.choices(
                [f for f, _w in FORMS if "labour" not in f],
                [w for f, w in FORMS if "labour" not in f],
            )[0]
        )
        if signal.labour_sector and rng.random() < 0.15:
            chosen = ["labour", "criminal"]
        forms += [SignalForm(signal=signal, form=f) for f in chosen]
        if "criminal" in chosen:
            signal.criminal_kind = CRIMINAL_KINDS[len(criminal) % len(CRIMINAL_KINDS)]
            criminal.append(signal)
        for position in range(rng.choice([1, 1, 2, 2, 3])):
            minor = "criminal" in chosen and rng.random() < 0.4 or rng.random() < 0.08
            age = rng.randint(13, 17) if minor else rng.randint(18, 55)
            birth = (
                date(year, 6, 1) - timedelta(days=365 * age + rng.randint(0, 300))
                if rng.random() < 0.6
                else None
            )
            band = (
                ""
                if birth
                else ("16-17" if minor else rng.choice(["18-22", "23-29", "30-39", "40-49"]))
            )
            stateless = rng.random() < 0.03
            person = Person.objects.create(
                region=region,
                name=f"Demo persoon {signal.sequence}-{position}",
                birth_date=birth,
                age_band=band,
                gender=rng.choice(["female", "female", "male", "unknown"]),
                nationality="" if stateless else rng.choice(NATIONALITIES),
                is_stateless=stateless,
            )
            involvements.append(
                SignalPerson(
                    signal=signal,
                    person=person,
                    role="possible_victim"
                    if position == 0
                    else rng.choice(["possible_victim", "possible_offender", "other"]),
                    age_at_exploitation_start=max(0, age - rng.randint(0, 2))
                    if rng.random() < 0.7
                    else None,
                    position=position,
                )
            )
    SignalForm.objects.bulk_create(forms)
    SignalPerson.objects.bulk_create(involvements)
    Signal.objects.bulk_update(criminal, ["criminal_kind"])


def _meetings(rng, region: Region, signals: list[Signal], orgs: dict, vt: User) -> None:
    """One concluded meeting per week that had signals to decide on; a few carried over."""
    by_week: dict[date, list[Signal]] = {}
    for signal in signals:
        day = signal.registered_at.date()
        tuesday = day + timedelta(days=(1 - day.weekday()) % 7 or 7)
        by_week.setdefault(tuesday, []).append(signal)
    present = [o for o in orgs.values() if o.kind in ("veilig_thuis", "police_avim")]
    zvh = next(o for o in orgs.values() if o.name.endswith("Parkstad"))
    vt_org = vt.organisation
    for tuesday in sorted(by_week):
        slot = _aware(tuesday, 10)
        if Meeting.objects.filter(region=region, scheduled_for=slot).exists():
            continue
        meeting = Meeting.objects.create(
            region=region,
            scheduled_for=slot,
            agenda_closes_at=slot - timedelta(hours=24),
            status="concluded",
            started_at=slot,
            concluded_at=slot + timedelta(hours=2),
            concluded_by=vt,
        )
        for position, signal in enumerate(by_week[tuesday], start=1):
            AgendaItem.objects.create(
                meeting=meeting,
                signal=signal,
                position=position,
                proposed_by=vt,
                presenter=vt_org,
                outcome="decided",
                follow_up_owner=zvh,
                times_carried_over=rng.choice([0, 0, 0, 1]),
            )
        for organisation in [*present, zvh]:
            Attendance.objects.create(
                meeting=meeting,
                organisation=organisation,
                present=organisation != zvh or rng.random() < 0.8,
                recorded_by=vt,
            )


ROUTES = [
    ("care_structure", "care_provider"),
    ("zvh_weighing", "zvh"),
    ("police_om", "police_avim"),
    ("administrative", "municipality"),
    ("labour_inspectorate", "labour_inspectorate"),
]


def _follow_up(rng, region, signals: list[Signal], orgs: dict, users: dict, year: int) -> None:
    vt, coordinator = users[Role.VT_STAFF], users[Role.CARE_COORDINATOR]
    by_kind: dict[str, list[Organisation]] = {}
    for organisation in orgs.values():
        by_kind.setdefault(organisation.kind, []).append(organisation)
    routed = [s for s in signals if s.status in ("routed", "closed") and s.final_classification]
    for number, signal in enumerate(routed, start=1):
        decided_at = signal.registered_at + timedelta(days=rng.randint(2, 12))
        opened = decided_at + timedelta(hours=rng.randint(2, 48))
        closed = (
            opened + timedelta(days=rng.randint(20, 200)) if signal.status == "closed" else None
        )
        if closed and closed.year > year:
            closed = None
        case = Case.objects.create(
            region=region,
            reference=f"{region.code.upper()}-CAS-{year}-D{number:04d}",
            lead_organisation=signal.municipality,
            lead_kind="municipality",
            classification=signal.final_classification,
            opened_by=vt,
            status="closed" if closed else "open",
            close_reason=rng.choice(["goal_reached", "referred_out", "no_consent"])
            if closed
            else "",
            closed_at=closed,
            forms=[],
        )
        Case.objects.filter(pk=case.pk).update(created_at=opened)
        CaseSignal.objects.create(case=case, signal=signal, added_by=vt)
        for route, kind in rng.sample(ROUTES, rng.choice([1, 1, 2])):
            receivers = by_kind.get(kind) or by_kind["veilig_thuis"]
            sent = opened + timedelta(hours=rng.randint(1, 72))
            answer = rng.choice(["accepted", "accepted", "completed", "declined", "sent"])
            answered = sent + timedelta(hours=rng.randint(4, 240)) if answer != "sent" else None
            Referral.objects.create(
                case=case,
                route=route,
                receiving_organisation=rng.choice(receivers),
                status=answer,
                legal_basis="public_task",
                shared_fields=["summary"],
                created_by=vt,
                sent_at=sent,
                sent_by=vt,
                answered_at=answered,
                completed_at=answered + timedelta(days=30) if answer == "completed" else None,
            )
        victim = signal.involvements.filter(role="possible_victim").select_related("person").first()
        if victim and signal.final_classification in ("suspected", "actual") and rng.random() < 0.7:
            _trajectory(rng, case, victim.person, opened.date(), coordinator, year)
            Consent.objects.create(
                person=victim.person,
                given_by="person",
                given_on=opened.date(),
                scope="Registratie bij CoMensha en zorgtraject",
                recorded_by=coordinator,
            )


def _trajectory(rng, case: Case, person: Person, start: date, coordinator: User, year: int) -> None:
    phases = ["registration", "intake", "support", "aftercare", "closed"]
    reached = rng.randint(1, 5)
    day, changes = start, []
    for phase in phases[:reached]:
        changes.append((phase, day))
        day += timedelta(days=rng.randint(7, 80))
    changes = [(p, d) for p, d in changes if d.year <= year] or changes[:1]
    current, since = changes[-1]
    trajectory = Trajectory.objects.create(
        case=case,
        person=person,
        region=case.region,
        coordinator_organisation=coordinator.organisation,
        phase=current,
        phase_since=since,
        reported_to_comensha_on=start + timedelta(days=14) if rng.random() < 0.6 else None,
        outcome="safe_and_stable" if current == "closed" else "",
        created_by=coordinator,
    )
    Trajectory.objects.filter(pk=trajectory.pk).update(
        created_at=_aware(start, 11), updated_at=F("created_at")
    )
    PhaseChange.objects.bulk_create(
        PhaseChange(trajectory=trajectory, phase=p, entered_on=d, actor=coordinator)
        for p, d in changes
    )
    if rng.random() < 0.5:
        shelter = rng.choice(["cosm", "omm", "womens_shelter", "emergency_bed", "labour_crisis"])
        stay = 12 if shelter == "emergency_bed" else rng.randint(10, 120)
        end = start + timedelta(days=1 + stay)
        Placement.objects.create(
            trajectory=trajectory,
            shelter_type=shelter,
            start_date=start + timedelta(days=1),
            end_date=end if end.year <= year else None,
        )


def _registers(rng, region, orgs: dict, municipalities: dict, users: dict, year: int) -> None:
    analyst = users["analyst"]
    vt_org = users[Role.VT_STAFF].organisation
    riec = next((o for o in orgs.values() if o.kind == "riec"), vt_org)
    for title, owner, due, status in [
        (
            "Aandachtsfunctionaris in elke gemeente benoemd en getraind",
            riec,
            date(year, 3, 31),
            "done",
        ),
        (
            "Meldroute vastgelegd in werkinstructies van de sociale teams",
            vt_org,
            date(year, 6, 30),
            "done",
        ),
        (
            "Bestuurlijke aanpak: Bibob-toets bij horeca en massagesalons",
            municipalities["Maastricht"],
            date(year, 9, 30),
            "in_progress",
        ),
        (
            "Regionale voorlichtingscampagne arbeidsuitbuiting",
            municipalities["Heerlen"],
            date(year, 11, 30),
            "delayed",
        ),
        ("Evaluatie samenwerking met de Arbeidsinspectie", riec, date(year + 1, 3, 31), "planned"),
    ]:
        ImplementationAction.objects.create(
            region=region,
            title=title,
            owner_organisation=owner,
            due_date=due,
            status=status,
            completed_on=due - timedelta(days=10) if status == "done" else None,
            progress_notes="Voortgang besproken in de regiegroep.",
            updated_by=analyst,
        )
    for month, name, audience, people in [
        (2, "Heerlen", "front_desk", 24),
        (4, "Maastricht", "care", 31),
        (5, None, "police", 18),
        (9, "Kerkrade", "education", 42),
        (10, "Sittard-Geleen", "businesses", 15),
        (11, "Heerlen", "municipal_staff", 27),
    ]:
        AwarenessSession.objects.create(
            region=region,
            held_on=date(year, month, rng.randint(2, 27)),
            municipality=municipalities.get(name) if name else None,
            topic="Signalen van mensenhandel herkennen en melden",
            audience=audience,
            participants=people,
            organised_by=riec,
            updated_by=analyst,
        )
    EvaluationIntroduction.objects.get_or_create(
        region=region,
        year=year,
        defaults={
            "text": (
                f"In {year} werkte de regio verder aan een regio zonder uitbuiting. De meldroute "
                "via het centrale meldpunt van Veilig Thuis is in alle gemeenten bekend; het "
                "wekelijkse screeningsoverleg besprak de signalen met AVIM en de zorgcoördinator.\n\n"
                "Dit verslag evalueert, zoals het beleidsplan vraagt, het beleid, het "
                "uitvoeringsplan, de aanpak van casuïstiek en de ketensamenwerking."
            ),
            "updated_by": analyst,
        },
    )
