"""Attachments: sniffed by content, at most 20 MB, served only as a download through a check."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import AuditLogEntry
from accounts.roles import Role
from signals.models import Attachment
from signals.tests.factories import make_signal
from signals.tests.test_views_support import PDF_BYTES, access_entries, png_bytes

REFUSED_TYPE = (
    "Dit bestandstype is niet toegestaan. Toegestaan zijn: PDF, JPEG, PNG, DOCX, XLSX, EML of MSG."
)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()]


def upload(client, signal, name: str, content: bytes, content_type: str = "application/pdf"):
    return client.post(
        reverse("signals:add_attachment", args=[signal.public_id]),
        {"attachment-file": SimpleUploadedFile(name, content, content_type=content_type)},
    )


@pytest.mark.parametrize(
    ("name", "content", "expected_type"),
    [
        ("verslag.pdf", PDF_BYTES, "application/pdf"),
        ("foto.png", None, "image/png"),
    ],
    ids=["pdf", "png"],
)
def test_it_accepts_an_allowed_file(world, login, media, name, content, expected_type):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    signal = make_signal(officer)
    client = login(officer)

    response = upload(client, signal, name, content or png_bytes())

    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert (attachment.original_name, attachment.content_type) == (name, expected_type)
    files = stored_files(media)
    assert len(files) == 1
    # A random stored name: the original name never reaches the disk.
    assert name not in str(files[0])
    assert "De bijlage is toegevoegd." in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("brief.pdf", b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"),
        (
            "plaatje.svg",
            b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>',
        ),
    ],
    ids=["html-named-pdf", "svg"],
)
def test_it_refuses_a_file_by_its_content(world, login, media, name, content):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    signal = make_signal(officer)

    response = upload(login(officer), signal, name, content)

    assert response.status_code == 400
    assert REFUSED_TYPE in response.content.decode()
    assert not Attachment.objects.exists()
    assert stored_files(media) == []


def test_it_refuses_a_file_over_20_mb(world, login, media):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    signal = make_signal(officer)
    big = PDF_BYTES + b"0" * (20 * 1024 * 1024)

    response = upload(login(officer), signal, "groot.pdf", big)

    assert response.status_code == 400
    assert "Het bestand is te groot: maximaal 20 MB." in response.content.decode()
    assert not Attachment.objects.exists()
    assert stored_files(media) == []


def test_it_asks_for_a_file(world, login, media):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    signal = make_signal(officer)
    response = login(officer).post(reverse("signals:add_attachment", args=[signal.public_id]))
    assert response.status_code == 400
    assert "Kies een bestand." in response.content.decode()


def test_it_downloads_as_an_attachment_and_logs_the_read(world, login, media):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    signal = make_signal(officer)
    client = login(officer)
    upload(client, signal, "verslag.pdf", PDF_BYTES)
    attachment = Attachment.objects.get()
    detail = client.get(reverse("signals:detail", args=[signal.public_id])).content.decode()
    link = reverse("signals:attachment", args=[signal.public_id, attachment.public_id])
    assert f'href="{link}"' in detail

    response = client.get(link)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="verslag.pdf"' in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF_BYTES
    entry = access_entries(Attachment, AuditLogEntry.AccessKind.READ).get()
    assert entry.object_pk == str(attachment.pk)
    assert entry.actor == officer


def test_it_does_not_serve_an_attachment_through_another_signal(world, login, media):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    one, other = make_signal(officer), make_signal(officer)
    client = login(officer)
    upload(client, one, "verslag.pdf", PDF_BYTES)
    attachment = Attachment.objects.get()

    response = client.get(
        reverse("signals:attachment", args=[other.public_id, attachment.public_id])
    )

    assert response.status_code == 404
    assert not access_entries(Attachment).exists()
