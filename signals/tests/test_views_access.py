"""Deny by default: another organisation's signal answers 404 on every URL, like a missing one."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import AuditLogEntry
from accounts.roles import Role
from signals import services
from signals.models import Attachment, Signal
from signals.tests.factories import make_signal, submitted_signal
from signals.tests.test_views_support import PDF_BYTES, access_entries, edit_form


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def signal(world, media) -> Signal:
    officer = world.user(Role.MUNICIPAL_OFFICER)
    signal = make_signal(officer)
    services.attachment_add(
        signal=signal, actor=officer, upload=SimpleUploadedFile("a.pdf", PDF_BYTES)
    )
    return Signal.objects.get(pk=signal.pk)


def urls(signal: Signal) -> list[tuple[str, str]]:
    s = signal.public_id
    person = signal.involvements.get().person.public_id
    attachment = Attachment.objects.get(signal=signal).public_id
    return [
        ("get", reverse("signals:detail", args=[s])),
        ("get", reverse("signals:edit", args=[s])),
        ("post", reverse("signals:edit", args=[s])),
        ("get", reverse("signals:attachment", args=[s, attachment])),
        ("post", reverse("signals:submit", args=[s])),
        ("post", reverse("signals:close_internally", args=[s])),
        ("post", reverse("signals:register", args=[s])),
        ("post", reverse("signals:mark_acute", args=[s])),
        ("get", reverse("signals:acute_consultation", args=[s])),
        ("post", reverse("signals:acute_consultation", args=[s])),
        ("post", reverse("signals:add_note", args=[s])),
        ("post", reverse("signals:add_attachment", args=[s])),
        ("post", reverse("signals:person_link", args=[s, person, uuid.uuid4()])),
    ]


def data_for(signal: Signal) -> dict:
    # A complete, valid-looking POST: the refusal must come from visibility, not from the form.
    return edit_form(signal) | {
        "submit-version": signal.version,
        "close-version": signal.version,
        "close-reason": "x",
        "register-version": signal.version,
        "register-preliminary_classification": "none",
        "acute-version": signal.version,
        "note-text": "x",
        "attachment-file": SimpleUploadedFile("b.pdf", PDF_BYTES),
    }


def test_it_answers_404_to_an_officer_of_another_municipality(world, login, signal):
    outsider = world.user(Role.MUNICIPAL_OFFICER, world.other_municipality)
    client = login(outsider)
    before = (signal.version, signal.status, Attachment.objects.count())
    for method, url in urls(signal):
        data = data_for(signal) if method == "post" else None
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, (method, url, response.status_code)
    signal.refresh_from_db()
    assert (signal.version, signal.status, Attachment.objects.count()) == before
    assert not access_entries(Signal, AuditLogEntry.AccessKind.READ).exists()


def test_it_answers_404_to_veilig_thuis_of_another_region(world, other_world, login, media):
    signal = submitted_signal(world.user(Role.MUNICIPAL_OFFICER))
    client = login(other_world.user(Role.VT_STAFF))
    assert client.get(reverse("signals:detail", args=[signal.public_id])).status_code == 404
    html = client.get(reverse("signals:list"), {"q": "muller"}).content.decode()
    assert signal.reference not in html


def test_it_answers_404_for_a_signal_that_does_not_exist(world, login):
    client = login(world.user(Role.VT_STAFF))
    assert client.get(reverse("signals:detail", args=[uuid.uuid4()])).status_code == 404


def test_it_does_not_list_another_municipalitys_signals(world, login, signal):
    client = login(world.user(Role.MUNICIPAL_OFFICER, world.other_municipality))
    html = client.get(reverse("signals:list"), {"q": "muller"}).content.decode()
    assert signal.reference not in html
    assert "Geen signalen gevonden" in html


@pytest.mark.parametrize("role", [Role.POLICY_ANALYST, Role.CHAIN_DIRECTOR, Role.ADMINISTRATOR])
def test_it_refuses_roles_without_case_content(world, login, role, signal):
    client = login(world.user(role))
    assert client.get(reverse("signals:list")).status_code == 403
    assert client.get(reverse("signals:detail", args=[signal.public_id])).status_code == 403


def test_it_sends_anonymous_users_to_the_login_page(client, signal):
    response = client.get(reverse("signals:detail", args=[signal.public_id]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
