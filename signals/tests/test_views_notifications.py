"""In-app notifications: the bell with the unread count, the list, and marking them read."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Notification
from accounts.roles import Role
from accounts.services import notification_send


def test_it_counts_unread_notifications_in_the_header(world, login):
    vt = world.user(Role.VT_STAFF)
    notification_send(recipients=[vt], key="a", message="Acuut signaal ZL-2026-00001", url="/x/")
    notification_send(recipients=[vt], key="b", message="Acuut signaal ZL-2026-00002", url="/y/")

    html = login(vt).get(reverse("accounts:home")).content.decode()

    assert 'class="badge badge--count">2<' in html
    assert "ongelezen" in html


def test_it_counts_with_one_query(world, login):
    vt = world.user(Role.VT_STAFF)
    client = login(vt)
    client.get(reverse("accounts:home"))
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("accounts:home"))
    counts = [q["sql"] for q in queries if "accounts_notification" in q["sql"]]
    assert len(counts) == 1
    assert "COUNT(" in counts[0]


def test_it_lists_notifications_with_a_link(world, login):
    vt = world.user(Role.VT_STAFF)
    other = world.user(Role.AVIM)
    notification_send(recipients=[vt], key="a", message="Acuut signaal ZL-2026-00001", url="/x/")
    notification_send(recipients=[other], key="b", message="Niet voor jou", url="/y/")
    notification_send(recipients=[vt], key="c", message="Van elders", url="https://evil.example/")

    html = login(vt).get(reverse("accounts:notifications")).content.decode()

    assert '<a href="/x/">Acuut signaal ZL-2026-00001</a>' in html
    assert "Niet voor jou" not in html
    assert "https://evil.example/" not in html


def test_it_marks_all_read(world, login):
    vt = world.user(Role.VT_STAFF)
    notification_send(recipients=[vt], key="a", message="Acuut signaal", url="/x/")
    client = login(vt)

    assert client.get(reverse("accounts:notifications_read")).status_code == 405
    response = client.post(reverse("accounts:notifications_read"))

    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=vt, read_at__isnull=True).exists()
    html = client.get(response["Location"]).content.decode()
    assert "Alle meldingen zijn als gelezen gemarkeerd." in html
    assert "badge--count" not in html
