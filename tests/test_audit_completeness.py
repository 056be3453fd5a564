"""Every endpoint that touches personal data leaves its trace in the log (SECURITY.md, NEN 7513).

Driven by the permission matrix: every row of the signals and screening pages and APIs, each
method once, as the first role the table allows, on an object of that role's own
organisation. During that one request:

- a read (GET of a record, a list, a search, an attachment or a PDF) writes **exactly one**
  access entry;
- a change (POST/PUT/DELETE) writes at least one change entry (auditlog, one per changed row)
  and at most one access entry;
- a page without personal data (an empty form, one's own account) writes none;

and every entry written holds what SECURITY.md's logging section asks: who (user, role,
organisation), what (action, kind of read, object type, id — no content), whose record (the
record's public id, or the ids a list showed), when (an aware UTC timestamp), from where (the
client address), the page or endpoint with its method, and the outcome (the request's own
answer was granted: no "denied" kind).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from accounts.models import AuditLogEntry
from accounts.roles import Role
from tests.permission_matrix import OWN, ROWS, Case, Ctx, expected
from tests.test_permission_matrix import _owner, _request

PREFIXES = ("signals:", "screening:", "api:signal-", "api:meeting-", "privacy:")
# The privacy officer's pages, until the main table includes them.
SWEPT_ROWS = ROWS
# Reads sent by POST (so that a searched name never appears in a URL).
READS_BY_POST = frozenset({"privacy:search", "privacy:export"})
# Pages that show no personal data: empty forms and their rows, the acute-consultation form
# (the signal's reference and status only), the screening overview (dates, counts and
# references), an item's empty input/classification/decision forms and the privacy officer's
# empty search form (its POST is a read).
NO_PERSONAL_DATA = frozenset(
    {
        "signals:create",
        "signals:person_row",
        "signals:place_row",
        "signals:acute_consultation",
        "screening:overview",
        "screening:item_forms",
        "privacy:search",
    }
)
CLIENT_IP = "203.0.113.7"
FORBIDDEN_CONTENT = ("Anna Müller", "Nagelstudio Glans", "nagelstudio")


def _first_allowed(row, method: str) -> Case | None:
    kinds = row.objects_for(method) or (None,)
    for kind in kinds:
        for role in Role:
            case = Case(row, method, role, kind, OWN if kind else None)
            if kind is not None:
                from tests.permission_matrix import _organisation_kind_of

                if not kind.can_be_owned_by(_organisation_kind_of(role)):
                    continue
            if expected(case).outcome == "allowed":
                return case
    return None


CASES = [
    case
    for row in SWEPT_ROWS
    if row.name.startswith(PREFIXES)
    for method in row.methods
    if (case := _first_allowed(row, method)) is not None
]


def _check_fields(entry: AuditLogEntry, user, path: str, method: str) -> list[str]:
    problems = []
    if entry.actor_id != user.pk:
        problems.append("who: no user")
    if entry.actor_role != user.role:
        problems.append("who: no role")
    if entry.actor_organisation_id != user.organisation_id:
        problems.append("who: no organisation")
    if entry.content_type_id is None:
        problems.append("what: no object type")
    if entry.action == AuditLogEntry.Action.ACCESS:
        if not entry.access_kind:
            problems.append("what: read without its kind")
        if entry.access_kind == AuditLogEntry.AccessKind.DENIED:
            problems.append("outcome: a granted request logged as denied")
        ids = (entry.additional_data or {}).get("object_ids")
        if not entry.object_pk and ids is None:
            problems.append("whose: neither a record id nor the ids shown")
    elif not entry.object_pk:
        problems.append("whose: a change without a record id")
    if entry.timestamp is None or entry.timestamp.utcoffset() != timedelta(0):
        problems.append("when: not an aware UTC timestamp")
    if str(entry.remote_addr) != CLIENT_IP:
        problems.append(f"from where: {entry.remote_addr!r}")
    if entry.request_path != path or entry.request_method != method:
        problems.append(f"page: {entry.request_method} {entry.request_path!r}")
    text = f"{entry.object_repr} {entry.changes} {entry.additional_data}"
    if any(c.lower() in text.lower() for c in FORBIDDEN_CONTENT):
        problems.append("content in the log")
    return problems


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_one_request_one_trace(case: Case, world, request, login, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    row, row_method = case.row, case.row.methods[case.method]
    user = world.user(case.role)
    obj = None
    if case.kind is not None:
        owner_world, owner = _owner(case, world, request.getfixturevalue("other_world"), user)
        obj = case.kind.make(owner_world, owner)
    url = reverse(row.name, kwargs=row.kwargs(obj) if row.kwargs else None)
    client = login(user)
    ctx = Ctx(world=world, user=user, obj=obj)
    if row_method.setup:
        row_method.setup(ctx)
    body = row_method.data(ctx) if row_method.data else {}
    last = AuditLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    response = _request(
        client,
        row,
        case.method,
        url,
        body,
        {**(row_method.headers or {}), "REMOTE_ADDR": CLIENT_IP},
    )

    assert response.status_code in expected(case).statuses, response.status_code
    entries = list(AuditLogEntry.objects.filter(pk__gt=last).order_by("pk"))
    reads = [e for e in entries if e.action == AuditLogEntry.Action.ACCESS]
    changes = [e for e in entries if e.action != AuditLogEntry.Action.ACCESS]
    if row.name in NO_PERSONAL_DATA and case.method == "GET":
        assert entries == [], "a page without personal data wrote to the log"
    elif case.method == "GET" or row.name in READS_BY_POST:
        assert (len(reads), len(changes)) == (1, 0), (
            f"a read must write exactly one access entry, wrote {len(reads)} + {len(changes)}"
        )
    else:
        assert changes, "a change wrote no change entry"
        assert len(reads) <= 1, f"a change wrote {len(reads)} access entries"
    path = url.split("?")[0]
    problems = [
        f"entry {e.pk} ({e.get_action_display()} {e.content_type.model if e.content_type_id else ''}): {p}"
        for e in entries
        for p in _check_fields(e, user, path, case.method)
    ]
    assert not problems, "\n".join(problems)


def test_the_sweep_covers_the_signals_and_screening_routes():
    names = {c.row.name for c in CASES}
    assert {
        "signals:detail",
        "signals:list",
        "signals:attachment",
        "screening:minutes_pdf",
    } <= names
    assert len(CASES) >= 60


# --- Celery tasks record their acting user -----------------------------------------------------


def test_the_acute_alert_task_logs_as_its_actor(world, django_capture_on_commit_callbacks):
    from signals.tasks import send_acute_alert
    from signals.tests.factories import submitted_signal

    sender = world.user(Role.MUNICIPAL_OFFICER)
    signal = submitted_signal(sender, world.municipality, is_acute=True)
    last = AuditLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with django_capture_on_commit_callbacks(execute=True):
        send_acute_alert.delay(signal.pk, sender.pk)

    entries = list(AuditLogEntry.objects.filter(pk__gt=last))
    assert entries, "the task changed the signal without a log entry"
    for entry in entries:
        assert entry.actor_id == sender.pk
        assert entry.request_path == "task:send_acute_alert"


def test_the_minutes_task_logs_as_its_actor(world):
    from screening.tasks import generate_minutes
    from tests.permission_matrix import CONCLUDED_MEETING

    meeting = CONCLUDED_MEETING.make(world, None).meeting
    vt = world.user(Role.VT_STAFF)
    last = AuditLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    generate_minutes.delay(meeting.pk, vt.pk).get()

    entries = list(AuditLogEntry.objects.filter(pk__gt=last))
    assert entries and all(e.actor_id == vt.pk for e in entries)
    assert {e.request_path for e in entries} == {"task:generate_minutes"}


def test_the_retention_task_logs_as_the_system_with_its_name(world):
    from reporting import retention
    from signals.models import Person

    person = Person.objects.create(region=world.region, name="Taak Persoon")
    last = AuditLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with retention.acting_as(None, path="task:run_retention"):
        retention.anonymise_person(retention.Work(actor=None, rule="signal_none"), person)

    entries = list(AuditLogEntry.objects.filter(pk__gt=last))
    assert entries and {e.request_path for e in entries} == {"task:run_retention"}
    assert all(e.actor_id is None for e in entries)


def test_the_signal_page_names_the_persons_it_shows(world, login):
    from signals.tests.factories import make_signal, person_input

    sender = world.user(Role.MUNICIPAL_OFFICER)
    signal = make_signal(
        sender, persons=[person_input(), person_input(name="Bo", role="possible_offender")]
    )
    persons = [str(i.person.public_id) for i in signal.involvements.order_by("pk")]
    last = AuditLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    login(sender).get(reverse("signals:detail", kwargs={"public_id": signal.public_id}))

    entry = AuditLogEntry.objects.get(pk__gt=last)
    assert entry.object_pk == str(signal.pk)
    assert sorted(entry.additional_data["persons"]) == sorted(persons)
    assert "matched_persons" not in entry.additional_data  # the sender sees no matches
    # The edit form shows the same persons: the same ids.
    last = entry.pk
    login(sender).get(reverse("signals:edit", kwargs={"public_id": signal.public_id}))
    entry = AuditLogEntry.objects.get(pk__gt=last)
    assert sorted(entry.additional_data["persons"]) == sorted(persons)


def test_the_signal_page_names_the_persons_of_earlier_records_it_shows(world, login):
    from signals.tests.factories import person_input, registered_signal, submitted_signal

    officer, vt = world.user(Role.MUNICIPAL_OFFICER), world.user(Role.VT_STAFF)
    earlier = registered_signal(officer, vt, persons=[person_input(name="Anna Muller")])
    later = submitted_signal(officer, persons=[person_input(name="Anna Müller")])
    last = AuditLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    html = login(vt).get(reverse("signals:detail", kwargs={"public_id": later.public_id}))

    assert "Mogelijk eerder gemeld" in html.content.decode()
    entry = AuditLogEntry.objects.get(pk__gt=last)
    assert entry.additional_data["persons"] == [str(later.involvements.get().person.public_id)]
    assert entry.additional_data["matched_persons"] == [
        str(earlier.involvements.get().person.public_id)
    ]


def test_the_weekly_planning_task_logs_as_the_system_with_its_name(world):
    from screening.tasks import plan_weekly_meetings

    last = AuditLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    plan_weekly_meetings.delay().get()

    entries = list(AuditLogEntry.objects.filter(pk__gt=last))
    assert entries, "the planning created a meeting without a log entry"
    assert {e.request_path for e in entries} == {"task:plan_weekly_meetings"}
    assert all(e.actor_id is None for e in entries)
