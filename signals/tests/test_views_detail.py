"""The detail page: every fact, the timeline, partner input only for partners, one read logged."""

from django.urls import reverse

from accounts.models import AuditLogEntry
from accounts.roles import Role
from signals import services
from signals.models import Signal
from signals.tests.factories import make_signal, registered_signal
from signals.tests.test_views_support import access_entries


def detail(client, signal):
    return client.get(reverse("signals:detail", args=[signal.public_id]))


def test_it_shows_the_facts_and_logs_one_read(world, login):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    signal = make_signal(officer)

    response = detail(login(officer), signal)

    html = response.content.decode()
    assert response.status_code == 200
    for text in ("Anna Müller", "Nagelstudio Glans", "Arbeidsuitbuiting", "Concept", "Tijdlijn"):
        assert text in html
    entry = access_entries(Signal, AuditLogEntry.AccessKind.READ).get()
    assert entry.object_pk == str(signal.pk)
    assert entry.actor == officer


def test_it_offers_the_sender_its_draft_actions(world, login):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    html = detail(login(officer), make_signal(officer)).content.decode()
    for action in ("Gegevens bewerken", "Indienen bij Veilig Thuis", "Intern afhandelen"):
        assert action in html
    assert "Registreren" not in html


def test_it_shows_the_sender_the_status_but_not_partner_notes(world, login):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    vt = world.user(Role.VT_STAFF)
    signal = registered_signal(officer, vt, classification="suspected")
    services.note_add(signal=signal, actor=vt, text="Bekend bij de politie als uitbuiter.")

    sender = detail(login(officer), signal).content.decode()
    partner = detail(login(vt), signal).content.decode()

    assert "Geregistreerd" in sender
    assert "Vermoedelijk slachtoffer" in sender
    assert "Bekend bij de politie als uitbuiter." not in sender
    assert "Verrijking door" not in sender
    assert "Bekend bij de politie als uitbuiter." in partner
    assert "Verrijking door" in partner


def test_it_shows_veilig_thuis_the_register_actions(world, login):
    vt = world.user(Role.VT_STAFF)
    signal = services.signal_submit(
        signal=(s := make_signal(world.user(Role.MUNICIPAL_OFFICER))),
        actor=world.user(Role.MUNICIPAL_OFFICER),
        version=s.version,
    )
    html = detail(login(vt), signal).content.decode()
    for action in ("Registreren", "Als acuut melden", "Verrijking toevoegen", "Gegevens bewerken"):
        assert action in html
    assert "Intern afhandelen" not in html
