"""Synthetic follow-up for ``synth``: cases, actions, referrals and trajectories.

Every routed signal gets a case (about 30 % of all signals); each case two referrals in a
spread of states; one case in three a care trajectory with phases and shelter placements.
At 100,000 signals that is the national order of magnitude the benchmark needs: about
30,000 cases, 60,000 referrals and 10,000 trajectories.

The rows are built as plain values (no model instances) and written with PostgreSQL's COPY
(``_copy``), into the tables of the same models the services write: at these numbers
building model instances and ``bulk_create``'s per-value preparation cost more than the
database does. The fields a row leaves out get their model defaults, as ``bulk_create``
would give them. The same seed gives the same rows: the random draws are made in the same
order as ever.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from django.db import connection, models
from django.utils import timezone
from psycopg.types.json import Jsonb

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
from referrals.models import REFERRAL_ROUTES, ROUTE_RECEIVERS, LegalBasis, Referral, SharedField
from referrals.workflow import ReferralStatus
from signals.workflow import Status

REFERRAL_STATES = [
    (ReferralStatus.DRAFT, 5),
    (ReferralStatus.SENT, 20),
    (ReferralStatus.ACCEPTED, 25),
    (ReferralStatus.DECLINED, 10),
    (ReferralStatus.COMPLETED, 40),
]
ACTION_DESCRIPTIONS = [
    "Huisbezoek afleggen",
    "Opvang regelen",
    "Bibob-toets starten",
    "Overleg met OM",
]


def _at(day: date, hours: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time())) + timedelta(hours=hours)


def _made(at: datetime, updated: datetime | None = None) -> dict:
    """A row's own time stamps: the moment in its story, not the moment synth ran, so that
    lists paging by date see the regions' rows mixed in time, as in real use."""
    return {"created_at": at, "updated_at": updated or at}


def _column_value(field: models.Field, now: datetime):
    """How ``_copy`` fills one column from a row (a dict of field names or attnames)."""
    name, attname = field.name, field.attname
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):

        def default():
            return now

    elif field.has_default() and callable(field.default):
        default = field.default  # a fresh value per row: uuid4, list
    else:
        constant = field.get_default()

        def default():
            return constant

    wrap = Jsonb if isinstance(field, models.JSONField) else None

    def value(row: dict):
        if attname in row:
            result = row[attname]
        elif name in row:
            result = row[name]
            if isinstance(result, models.Model):
                result = result.pk
        else:
            result = default()
        return wrap(result) if wrap is not None and result is not None else result

    return value


def _copy(model: type[models.Model], rows: list[dict]) -> list[int]:
    """Insert ``rows`` into ``model``'s table with COPY; returns their new ids, in order.

    The ids are taken from the table's own sequence first, so that the rows can be referred
    to (a case's referrals) before they are written.
    """
    if not rows:
        return []
    meta = model._meta
    quote = connection.ops.quote_name
    now = timezone.now()
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    values = [_column_value(f, now) for f in fields]
    columns = ", ".join(quote(c) for c in [meta.pk.column, *(f.column for f in fields)])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(rows)],
        )
        ids = sorted(row[0] for row in cursor.fetchall())
        with cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for pk, row in zip(ids, rows, strict=True):
                copy.write_row([pk, *(value(row) for value in values)])
    return ids


def follow_up(world, signal_rows, meta, rng: random.Random, bulk) -> tuple[int, int, int]:
    """Cases, actions, referrals and trajectories for a region's routed signals.

    ``bulk`` (``synth``'s ``bulk_create``) writes the few case counters; the many rows go
    through ``_copy``.
    """
    now = timezone.now()
    today = timezone.localdate(now)
    vt = world.users[Role.VT_STAFF]
    zvh = world.orgs[Organisation.Kind.ZVH]
    leads = [
        (zvh, LeadKind.CARE_COORDINATOR),
        (zvh, LeadKind.ZVH),
        (world.orgs[Organisation.Kind.POLICE_AVIM], LeadKind.PRESENTER),
    ]
    # By kind, not in the order the region's organisations were made: the random picks
    # below must land on the same organisation for the same seed.
    partners = [world.orgs[kind] for kind in sorted(world.orgs)]
    receivers = {
        route: [o for o in partners if o.kind in kinds] for route, kinds in ROUTE_RECEIVERS.items()
    }
    close_reasons = CloseReason.values
    legal_bases = LegalBasis.values[1:]
    states = [s for s, _ in REFERRAL_STATES]
    state_weights = [w for _, w in REFERRAL_STATES]
    answered_states = (ReferralStatus.ACCEPTED, ReferralStatus.DECLINED, ReferralStatus.COMPLETED)
    routed = [(s, m) for s, m in zip(signal_rows, meta, strict=True) if m[0] == Status.ROUTED]
    counters: dict[int, int] = {}
    cases: list[dict] = []
    for signal, (_status, forms, _persons, received) in routed:
        opened = min((signal.registered_at or received) + timedelta(days=rng.randint(7, 30)), now)
        year = opened.year
        counters[year] = counters.get(year, 0) + 1
        closed = opened.date() < today - timedelta(days=365) and rng.random() < 0.7
        lead, lead_kind = rng.choice(leads + [(signal.municipality, LeadKind.MUNICIPALITY)])
        cases.append(
            {
                "region": world.region,
                "reference": f"{world.region.code.upper()}-CAS-{year}-{counters[year]:05d}",
                "lead_organisation": lead,
                "lead_kind": lead_kind,
                "forms": forms,
                "classification": signal.final_classification or "potential",
                "status": CaseStatus.CLOSED if closed else CaseStatus.OPEN,
                "close_reason": rng.choice(close_reasons) if closed else "",
                "opened_by": vt,
                "closed_at": opened + timedelta(days=rng.randint(30, 300)) if closed else None,
                **_made(opened),
            }
        )
    case_ids = _copy(Case, cases)
    bulk(
        CaseCounter,
        [CaseCounter(region=world.region, year=y, last_number=n) for y, n in counters.items()],
    )
    _copy(
        CaseSignal,
        [
            {"case_id": c, "signal": s, "added_by": vt}
            for c, (s, _m) in zip(case_ids, routed, strict=True)
        ],
    )
    _copy(
        CasePerson,
        [{"case_id": c, "person": m[2][0]} for c, (_s, m) in zip(case_ids, routed, strict=True)],
    )
    _copy(
        CaseEvent,
        [
            {
                "case_id": c,
                "kind": CaseEventKind.OPENED,
                "summary": f"Casus geopend op signaal {s.reference}",
                "actor": vt,
                "actor_organisation": vt.organisation,
            }
            for c, (s, _m) in zip(case_ids, routed, strict=True)
        ],
    )
    actions, referrals, trajectories = [], [], []
    organisations = partners + list(world.municipalities)
    coordinator = world.users[Role.CARE_COORDINATOR]
    for case_id, case, (signal, _m) in zip(case_ids, cases, routed, strict=True):
        opened = case["created_at"].date()
        for _ in range(rng.choice([0, 1, 2, 3])):
            due = opened + timedelta(days=rng.randint(7, 90))
            done = due < today and rng.random() < 0.8
            actions.append(
                {
                    "case_id": case_id,
                    "description": rng.choice(ACTION_DESCRIPTIONS),
                    "owner_organisation": rng.choice(organisations),
                    "due_date": due,
                    "done_at": _at(due) if done else None,
                    "done_by": vt if done else None,
                    "created_by": vt,
                    **_made(_at(opened)),
                }
            )
        for route in rng.sample(REFERRAL_ROUTES, 2):
            candidates = receivers.get(route) or []
            if route in ("administrative", "care_structure"):
                candidates = [signal.municipality]
            if not candidates:
                continue
            status = rng.choices(states, state_weights)[0]
            draft = status == ReferralStatus.DRAFT
            sent = _at(opened + timedelta(days=rng.randint(0, 5)))
            answered = sent + timedelta(days=rng.randint(1, 15))
            referrals.append(
                {
                    "case_id": case_id,
                    "route": route,
                    "receiving_organisation": rng.choice(candidates),
                    "status": status,
                    "legal_basis": "" if draft else rng.choice(legal_bases),
                    "shared_fields": [SharedField.SUMMARY, SharedField.PLACES]
                    if route == "administrative"
                    else [SharedField.SUMMARY, SharedField.VICTIMS],
                    "created_by": vt,
                    **_made(_at(opened), answered if status in answered_states else None),
                    "sent_at": None if draft else sent,
                    "sent_by": None if draft else vt,
                    "answered_at": answered if status in answered_states else None,
                    "response": "" if draft else "Besproken in het team.",
                    "completed_at": answered + timedelta(days=rng.randint(10, 90))
                    if status == ReferralStatus.COMPLETED
                    else None,
                    "feedback": "Aanpak afgerond." if status == ReferralStatus.COMPLETED else "",
                }
            )
        if case["lead_kind"] == LeadKind.CARE_COORDINATOR or rng.random() < 0.1:
            phase = rng.choice(PHASE_ORDER)
            trajectories.append(
                {
                    "case_id": case_id,
                    "person": _m[2][0],
                    "region": world.region,
                    "coordinator_organisation": zvh,
                    "phase": phase,
                    "phase_since": opened + timedelta(days=20 * PHASE_ORDER.index(phase)),
                    "reflection_start": opened if rng.random() < 0.3 else None,
                    "outcome": rng.choice(TrajectoryOutcome.values)
                    if phase == Phase.CLOSED
                    else "",
                    "created_by": coordinator,
                    **_made(_at(opened)),
                }
            )
    _copy(Action, actions)
    _copy(Referral, referrals)
    trajectory_ids = _copy(Trajectory, trajectories)
    phases, placements = [], []
    shelters = list(ShelterType.values)
    for trajectory_id, trajectory in zip(trajectory_ids, trajectories, strict=True):
        reached = PHASE_ORDER.index(trajectory["phase"])
        start = trajectory["phase_since"] - timedelta(days=20 * reached)
        for index, phase in enumerate(PHASE_ORDER[: reached + 1]):
            phases.append(
                {
                    "trajectory_id": trajectory_id,
                    "phase": phase,
                    "entered_on": start + timedelta(days=20 * index),
                    "actor": coordinator,
                }
            )
        day = start
        for _ in range(rng.choice([0, 1, 1, 2])):
            length = rng.randint(5, 120)
            current = day + timedelta(days=length) > today and rng.random() < 0.5
            placements.append(
                {
                    "trajectory_id": trajectory_id,
                    "shelter_type": rng.choice(shelters),
                    "start_date": day,
                    "end_date": None if current else day + timedelta(days=length),
                }
            )
            if current:
                break
            day = day + timedelta(days=length + 1)
    _copy(PhaseChange, phases)
    _copy(Placement, placements)
    return len(cases), len(referrals), len(trajectories)
