"""Synthetic follow-up for ``synth``: cases, actions, referrals and trajectories.

Every routed signal gets a case (about 30 % of all signals); each case two referrals in a
spread of states; one case in three a care trajectory with phases and shelter placements.
At 100,000 signals that is the national order of magnitude the benchmark needs: about
30,000 cases, 60,000 referrals and 10,000 trajectories. Rows are bulk-inserted through the
same models the services write.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from django.utils import timezone

from accounts.models import Organisation
from accounts.roles import Role
from cases.models import (
    Action,
    Case,
    CaseCounter,
    CaseEvent,
    CaseEventKind,
    CasePerson,
    CaseSignal,
    CloseReason,
    LeadKind,
    PhaseChange,
    Placement,
    ShelterType,
    Trajectory,
    TrajectoryOutcome,
)
from cases.workflow import PHASE_ORDER, CaseStatus, Phase
from referrals.models import REFERRAL_ROUTES, ROUTE_RECEIVERS, LegalBasis, SharedField
from referrals.workflow import ReferralStatus
from signals.workflow import Status

REFERRAL_STATES = [
    (ReferralStatus.DRAFT, 5),
    (ReferralStatus.SENT, 20),
    (ReferralStatus.ACCEPTED, 25),
    (ReferralStatus.DECLINED, 10),
    (ReferralStatus.COMPLETED, 40),
]


def _at(day: date, hours: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time())) + timedelta(hours=hours)


def follow_up(world, signal_rows, meta, rng: random.Random, bulk) -> tuple[int, int, int]:
    """Cases, actions, referrals and trajectories for a region's routed signals."""
    from referrals.models import Referral

    today = timezone.localdate()
    vt = world.users[Role.VT_STAFF]
    zvh = world.orgs[Organisation.Kind.ZVH]
    leads = [
        (zvh, LeadKind.CARE_COORDINATOR),
        (zvh, LeadKind.ZVH),
        (world.orgs[Organisation.Kind.POLICE_AVIM], LeadKind.PRESENTER),
    ]
    receivers = {
        route: [o for o in world.orgs.values() if o.kind in kinds]
        for route, kinds in ROUTE_RECEIVERS.items()
    }
    routed = [(s, m) for s, m in zip(signal_rows, meta, strict=True) if m[0] == Status.ROUTED]
    counters: dict[int, int] = {}
    cases: list[Case] = []
    for signal, (_status, forms, _persons, received) in routed:
        opened = (signal.registered_at or received) + timedelta(days=rng.randint(7, 30))
        year = opened.year
        counters[year] = counters.get(year, 0) + 1
        closed = opened.date() < today - timedelta(days=365) and rng.random() < 0.7
        lead, lead_kind = rng.choice(leads + [(signal.municipality, LeadKind.MUNICIPALITY)])
        cases.append(
            Case(
                region=world.region,
                reference=f"{world.region.code.upper()}-CAS-{year}-{counters[year]:05d}",
                lead_organisation=lead,
                lead_kind=lead_kind,
                forms=forms,
                classification=signal.final_classification or "potential",
                status=CaseStatus.CLOSED if closed else CaseStatus.OPEN,
                close_reason=rng.choice(CloseReason.values) if closed else "",
                opened_by=vt,
                closed_at=opened + timedelta(days=rng.randint(30, 300)) if closed else None,
            )
        )
    bulk(Case, cases)
    bulk(
        CaseCounter,
        [CaseCounter(region=world.region, year=y, last_number=n) for y, n in counters.items()],
    )
    bulk(
        CaseSignal,
        [
            CaseSignal(case=c, signal=s, added_by=vt)
            for c, (s, _m) in zip(cases, routed, strict=True)
        ],
    )
    bulk(
        CasePerson,
        [CasePerson(case=c, person=m[2][0]) for c, (_s, m) in zip(cases, routed, strict=True)],
    )
    bulk(
        CaseEvent,
        [
            CaseEvent(
                case=c,
                kind=CaseEventKind.OPENED,
                summary=f"Casus geopend op signaal {s.reference}",
                actor=vt,
                actor_organisation=vt.organisation,
            )
            for c, (s, _m) in zip(cases, routed, strict=True)
        ],
    )
    actions, referrals, trajectories = [], [], []
    organisations = list(world.orgs.values()) + list(world.municipalities)
    for case, (signal, _m) in zip(cases, routed, strict=True):
        opened = (signal.registered_at or timezone.now()).date() + timedelta(days=10)
        for _ in range(rng.choice([0, 1, 2, 3])):
            due = opened + timedelta(days=rng.randint(7, 90))
            done = due < today and rng.random() < 0.8
            actions.append(
                Action(
                    case=case,
                    description=rng.choice(
                        [
                            "Huisbezoek afleggen",
                            "Opvang regelen",
                            "Bibob-toets starten",
                            "Overleg met OM",
                        ]
                    ),
                    owner_organisation=rng.choice(organisations),
                    due_date=due,
                    done_at=_at(due) if done else None,
                    done_by=vt if done else None,
                    created_by=vt,
                )
            )
        for route in rng.sample(REFERRAL_ROUTES, 2):
            candidates = receivers.get(route) or []
            if route in ("administrative", "care_structure"):
                candidates = [signal.municipality]
            if not candidates:
                continue
            status = rng.choices([s for s, _ in REFERRAL_STATES], [w for _, w in REFERRAL_STATES])[
                0
            ]
            sent = _at(opened + timedelta(days=rng.randint(0, 5)))
            answered = sent + timedelta(days=rng.randint(1, 15))
            referrals.append(
                Referral(
                    case=case,
                    route=route,
                    receiving_organisation=rng.choice(candidates),
                    status=status,
                    legal_basis=""
                    if status == ReferralStatus.DRAFT
                    else rng.choice(LegalBasis.values[1:]),
                    shared_fields=[SharedField.SUMMARY, SharedField.PLACES]
                    if route == "administrative"
                    else [SharedField.SUMMARY, SharedField.VICTIMS],
                    created_by=vt,
                    sent_at=None if status == ReferralStatus.DRAFT else sent,
                    sent_by=None if status == ReferralStatus.DRAFT else vt,
                    answered_at=answered
                    if status
                    in (ReferralStatus.ACCEPTED, ReferralStatus.DECLINED, ReferralStatus.COMPLETED)
                    else None,
                    response="Besproken in het team." if status != ReferralStatus.DRAFT else "",
                    completed_at=answered + timedelta(days=rng.randint(10, 90))
                    if status == ReferralStatus.COMPLETED
                    else None,
                    feedback="Aanpak afgerond." if status == ReferralStatus.COMPLETED else "",
                )
            )
        if case.lead_kind == LeadKind.CARE_COORDINATOR or rng.random() < 0.1:
            phase = rng.choice(PHASE_ORDER)
            trajectories.append(
                Trajectory(
                    case=case,
                    person=_m[2][0],
                    region=world.region,
                    coordinator_organisation=zvh,
                    phase=phase,
                    phase_since=opened + timedelta(days=20 * PHASE_ORDER.index(phase)),
                    reflection_start=opened if rng.random() < 0.3 else None,
                    outcome=rng.choice(TrajectoryOutcome.values) if phase == Phase.CLOSED else "",
                    created_by=world.users[Role.CARE_COORDINATOR],
                )
            )
    bulk(Action, actions)
    bulk(Referral, referrals)
    bulk(Trajectory, trajectories)
    phases, placements = [], []
    coordinator = world.users[Role.CARE_COORDINATOR]
    shelters = list(ShelterType.values)
    for trajectory in trajectories:
        start = trajectory.phase_since - timedelta(days=20 * PHASE_ORDER.index(trajectory.phase))
        for index, phase in enumerate(PHASE_ORDER[: PHASE_ORDER.index(trajectory.phase) + 1]):
            phases.append(
                PhaseChange(
                    trajectory=trajectory,
                    phase=phase,
                    entered_on=start + timedelta(days=20 * index),
                    actor=coordinator,
                )
            )
        day = start
        for _ in range(rng.choice([0, 1, 1, 2])):
            length = rng.randint(5, 120)
            current = day + timedelta(days=length) > today and rng.random() < 0.5
            placements.append(
                Placement(
                    trajectory=trajectory,
                    shelter_type=rng.choice(shelters),
                    start_date=day,
                    end_date=None if current else day + timedelta(days=length),
                )
            )
            if current:
                break
            day = day + timedelta(days=length + 1)
    bulk(PhaseChange, phases)
    bulk(Placement, placements)
    return len(cases), len(referrals), len(trajectories)
