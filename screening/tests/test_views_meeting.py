"""The screening table in the browser: agenda preparation, meeting mode, documents."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditLogEntry, Organisation
from accounts.roles import Role
from screening import services
from screening.models import AgendaItem, Meeting
from signals import services as signal_services
from signals.tests.factories import make_signal

HTMX = {"HTTP_HX_REQUEST": "true"}


def registered_signal(world, **overrides):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    vt = world.user(Role.VT_STAFF)
    signal = make_signal(officer, **overrides)
    signal = signal_services.signal_submit(signal=signal, actor=officer, version=signal.version)
    return signal_services.signal_register(
        signal=signal, actor=vt, version=signal.version, preliminary_classification="potential"
    )


@pytest.fixture
def meeting(world):
    when = timezone.now() + timedelta(days=3)
    meeting = Meeting.objects.create(
        region=world.region, scheduled_for=when, agenda_closes_at=when - timedelta(hours=24)
    )
    vt = world.user(Role.VT_STAFF)
    for _ in range(2):
        services.agenda_item_add(meeting=meeting, signal=registered_signal(world), actor=vt)
    return meeting


def test_it_shows_the_overview_to_the_table_and_not_to_a_municipality(world, meeting, login):
    assert login(world.user(Role.VT_STAFF)).get(reverse("screening:overview")).status_code == 200
    assert login(world.user(Role.AVIM)).get(reverse("screening:overview")).status_code == 200
    assert (
        login(world.user(Role.MUNICIPAL_OFFICER)).get(reverse("screening:overview")).status_code
        == 403
    )


def test_it_answers_404_for_a_meeting_of_another_region(world, other_world, meeting, login):
    client = login(other_world.user(Role.VT_STAFF))
    assert client.get(reverse("screening:detail", args=[meeting.public_id])).status_code == 404
    item = meeting.items.first()
    url = reverse("screening:item_move", args=[meeting.public_id, item.public_id])
    assert client.post(url, {"direction": "down"}).status_code == 404


def test_it_logs_who_opened_the_meeting(world, meeting, login):
    before = AuditLogEntry.objects.filter(action=AuditLogEntry.Action.ACCESS).count()
    response = login(world.user(Role.VT_STAFF)).get(
        reverse("screening:detail", args=[meeting.public_id])
    )
    assert response.status_code == 200
    assert AuditLogEntry.objects.filter(action=AuditLogEntry.Action.ACCESS).count() == before + 1


def test_it_reorders_the_agenda_with_htmx(world, meeting, login):
    first, second = meeting.items.order_by("position")
    client = login(world.user(Role.VT_STAFF))
    url = reverse("screening:item_move", args=[meeting.public_id, second.public_id])
    response = client.post(url, {"direction": "up"}, **HTMX)
    assert response.status_code == 200
    assert 'id="agenda"' in response.content.decode()
    assert list(meeting.items.order_by("position").values_list("pk", flat=True)) == [
        second.pk,
        first.pk,
    ]


def test_it_runs_the_meeting_from_input_to_minutes(
    world, meeting, login, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    vt, officer, avim = (
        world.user(Role.VT_STAFF),
        world.user(Role.VT_OFFICER),
        world.user(Role.AVIM),
    )
    item = meeting.items.order_by("position").first()
    vt_client = login(vt)
    assert vt_client.post(reverse("screening:start", args=[meeting.public_id])).status_code == 302

    response = login(avim).post(
        reverse("screening:item_input", args=[meeting.public_id, item.public_id]),
        {"text": "Bekend bij AVIM"},
        **HTMX,
    )
    assert response.status_code == 200
    assert "Bekend bij AVIM" in response.content.decode()

    officer_client = login(officer)
    url = reverse("screening:item_classify", args=[meeting.public_id, item.public_id])
    assert (
        officer_client.post(url, {"kind": "final", "value": "suspected"}, **HTMX).status_code == 200
    )
    item.refresh_from_db()
    zvh = world.orgs[Organisation.Kind.ZVH]
    response = officer_client.post(
        reverse("screening:item_decide", args=[meeting.public_id, item.public_id]),
        {"version": item.version, "routes": ["care_coordinator"], "follow_up_owner": zvh.pk},
        **HTMX,
    )
    assert response.status_code == 200, response.content.decode()[:500]

    with django_capture_on_commit_callbacks(execute=True):
        assert (
            vt_client.post(reverse("screening:conclude", args=[meeting.public_id])).status_code
            == 302
        )
    meeting.refresh_from_db()
    assert meeting.status == "concluded"
    pdf = vt_client.get(reverse("screening:minutes_pdf", args=[meeting.public_id]))
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    # The undecided item waits on the next meeting's agenda.
    assert AgendaItem.objects.exclude(meeting=meeting).filter(times_carried_over=1).count() == 1


def test_it_refuses_a_final_classification_by_vt_staff(world, meeting, login):
    vt = world.user(Role.VT_STAFF)
    services.meeting_start(meeting=meeting, actor=vt)
    item = meeting.items.first()
    url = reverse("screening:item_classify", args=[meeting.public_id, item.public_id])
    assert login(vt).post(url, {"kind": "final", "value": "actual"}, **HTMX).status_code == 403
    item.signal.refresh_from_db()
    assert item.signal.final_classification == ""


def test_it_shows_decision_errors_in_dutch_and_saves_nothing(world, meeting, login):
    vt = world.user(Role.VT_STAFF)
    services.meeting_start(meeting=meeting, actor=vt)
    item = meeting.items.first()
    response = login(vt).post(
        reverse("screening:item_decide", args=[meeting.public_id, item.public_id]),
        {"version": item.version, "routes": []},
        **HTMX,
    )
    assert response.status_code == 400
    assert "Kies minstens één route" in response.content.decode()
    item.refresh_from_db()
    assert item.outcome == "pending"


def test_it_gives_the_agenda_as_pdf(world, meeting, login):
    response = login(world.user(Role.AVIM)).get(
        reverse("screening:agenda_pdf", args=[meeting.public_id])
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith(b"%PDF")


def test_it_shows_a_guest_organisation_only_its_own_item(world, meeting, login):
    guest = world.orgs[Organisation.Kind.RIEC]
    first, second = meeting.items.order_by("position")
    services.agenda_item_configure(
        item=first,
        actor=world.user(Role.VT_STAFF),
        version=first.version,
        data=services.ItemSettings(guest_organisation=guest),
    )
    client = login(world.user(Role.CHAIN_DIRECTOR))  # a RIEC user, not a table role

    page = client.get(reverse("screening:detail", args=[meeting.public_id]))

    assert page.status_code == 200
    html = page.content.decode()
    assert first.signal.reference in html
    assert second.signal.reference not in html
    # The whole agenda stays with the table.
    assert client.get(reverse("screening:agenda_pdf", args=[meeting.public_id])).status_code == 403


def test_it_never_shows_a_meeting_to_a_municipal_officer(world, meeting, login):
    client = login(world.user(Role.MUNICIPAL_OFFICER))
    assert client.get(reverse("screening:detail", args=[meeting.public_id])).status_code == 404


def test_it_lets_avim_propose_an_item_that_vt_then_accepts(world, meeting, login):
    avim, vt = world.user(Role.AVIM), world.user(Role.VT_STAFF)
    # AVIM proposes what it brought itself (it does not see a municipality's signals).
    signal = make_signal(avim, world.municipality, source="avim")
    signal = signal_services.signal_submit(signal=signal, actor=avim, version=signal.version)
    signal = signal_services.signal_register(
        signal=signal, actor=vt, version=signal.version, preliminary_classification="potential"
    )
    page = login(avim).get(reverse("screening:detail", args=[meeting.public_id])).content.decode()
    assert "Voorstellen voor de agenda" in page

    response = login(avim).post(
        reverse("screening:item_add", args=[meeting.public_id]),
        {"reference": signal.reference},
        **HTMX,
    )

    assert response.status_code == 200
    item = meeting.items.get(signal=signal)
    assert item.state == "proposed"
    vt_client = login(world.user(Role.VT_STAFF))
    url = reverse("screening:item_accept", args=[meeting.public_id, item.public_id])
    assert vt_client.post(url, **HTMX).status_code == 200
    item.refresh_from_db()
    assert item.state == "accepted"


def test_it_invites_a_guest_for_one_item_from_the_agenda(world, meeting, login):
    item = meeting.items.order_by("position").first()
    riec = world.orgs[Organisation.Kind.RIEC]
    client = login(world.user(Role.VT_STAFF))
    page = client.get(reverse("screening:detail", args=[meeting.public_id])).content.decode()
    assert "Gast voor dit punt" in page

    response = client.post(
        reverse("screening:item_configure", args=[meeting.public_id, item.public_id]),
        {"version": item.version, "presenter": item.presenter_id, "guest_organisation": riec.pk},
        **HTMX,
    )

    assert response.status_code == 200
    item.refresh_from_db()
    assert item.guest_organisation == riec


def _meeting_of(world, count: int) -> Meeting:
    when = timezone.now() + timedelta(days=10 + count)
    meeting = Meeting.objects.create(
        region=world.region, scheduled_for=when, agenda_closes_at=when - timedelta(hours=24)
    )
    vt = world.user(Role.VT_STAFF)
    for _ in range(count):
        services.agenda_item_add(meeting=meeting, signal=registered_signal(world), actor=vt)
    return services.meeting_start(meeting=meeting, actor=vt)


def test_it_opens_meeting_mode_in_the_same_number_of_queries_for_5_and_30_items(world, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(world.user(Role.VT_STAFF))
    counts = []
    for size in (5, 30):
        meeting = _meeting_of(world, size)
        url = reverse("screening:detail", args=[meeting.public_id])
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_it_loads_an_items_forms_when_it_is_opened(world, login):
    meeting = _meeting_of(world, 2)
    item = meeting.items.first()
    response = login(world.user(Role.VT_OFFICER)).get(
        reverse("screening:item_forms", args=[meeting.public_id, item.public_id]), **HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Besluit vastleggen" in html
    assert 'value="final"' in html  # the VT officer may confirm the final classification
