"""Concluding a meeting costs a fixed number of queries per decided item, whatever its size.

What every item needs (the signals' victims, forms and open cases, the region's organisations
and care coordinator, the case counter) is read once per conclusion; what can be written
together (case links, draft referrals, case timeline rows) is, with one audit entry per row.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import AuditLogEntry
from accounts.roles import Role
from cases.models import Case, CasePerson, CaseSignal
from referrals.models import Referral
from referrals.routes import Route
from screening import services
from screening.models import RouteDecision
from screening.tests.factories import decide, meeting_in_session

pytestmark = pytest.mark.django_db

# Every three items: a case for the care coordinator with a police referral, a case for the
# ZVH with a referral to the weighing team and one for the municipality, and no further action.
DECISIONS = [
    [Route.CARE_COORDINATOR, Route.POLICE_OM],
    [Route.ZVH_WEIGHING, Route.ADMINISTRATIVE],
    [Route.NO_FURTHER_ACTION],
]

# Queries per item, averaged over the three decisions above: measured 55 per three items,
# 18.3 per item (the hand-off made 59 per item before it read once and wrote together).
# All are writes auditlog logs row by row, with its read of the old row to diff an update
# against; none is a look-up:
# - each decided signal: screened, 4 (old row, update, entry, timeline row), and the
#   decided route on its timeline, 1;
# - each new case (two): its insert and entry, 2; its forms, 3; its signal routed, 4; the
#   entries of its signal link and its victim, 2 (the links are inserted together);
# - each route decision handed off (five): 3; each draft referral (three): its entry, 1
#   (the drafts are inserted together, as are the case timeline rows).
# 3 * 5 + 2 * 11 + 5 * 3 + 3 * 1 = 55. Rounded up to 19: one more query per item fails.
QUERIES_PER_ITEM = 19


def _decided_meeting(world, items: int):
    meeting, agenda = meeting_in_session(world, items=items)
    for position, item in enumerate(agenda):
        routes = DECISIONS[position % len(DECISIONS)]
        owner = None if routes == [Route.NO_FURTHER_ACTION] else world.orgs["zvh"]
        decide(world, item, routes=routes, follow_up_owner=owner)
    return meeting


def _concluded_meeting_queries(world, items: int) -> int:
    meeting = _decided_meeting(world, items)
    with CaptureQueriesContext(connection) as queries:
        services.meeting_conclude(meeting=meeting, actor=world.user(Role.VT_STAFF))
    assert not RouteDecision.objects.filter(item__meeting=meeting, handed_off_at=None).exists()
    return len(queries)


def test_each_decided_item_adds_a_fixed_number_of_queries(world):
    _concluded_meeting_queries(world, 1)  # the first case of the year creates its counter
    three = _concluded_meeting_queries(world, 3)
    cases, referrals = Case.objects.count(), Referral.objects.count()

    nine = _concluded_meeting_queries(world, 9)

    # The nine items did what they are counted for: six cases, nine draft referrals.
    assert (Case.objects.count() - cases, Referral.objects.count() - referrals) == (6, 9)
    assert nine - three <= 6 * QUERIES_PER_ITEM, (three, nine)


def test_every_row_the_conclusion_creates_has_its_audit_entry(world):
    meeting = _decided_meeting(world, 3)
    last = AuditLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    services.meeting_conclude(meeting=meeting, actor=world.user(Role.VT_STAFF))

    created = AuditLogEntry.objects.filter(pk__gt=last, action=AuditLogEntry.Action.CREATE)
    logged = sorted((e.content_type.model, e.object_pk) for e in created)
    rows = [
        *(("case", pk) for pk in Case.objects.values_list("pk", flat=True)),
        *(("casesignal", pk) for pk in CaseSignal.objects.values_list("pk", flat=True)),
        *(("caseperson", pk) for pk in CasePerson.objects.values_list("pk", flat=True)),
        *(("referral", pk) for pk in Referral.objects.values_list("pk", flat=True)),
    ]
    assert len(rows) == 2 + 2 + 2 + 3
    assert logged == sorted((model, str(pk)) for model, pk in rows)
