"""Attachments: allowed types by their content (not their name), at most 20 MB, random names.

What is refused gets a Dutch message and leaves nothing behind, neither a row nor a file.
"""

import hashlib
import io
import re
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.roles import Role
from signals import services
from signals.files import MAX_ATTACHMENT_SIZE, sniff_attachment
from signals.models import Attachment, EventKind
from signals.tests.factories import make_signal, submitted_signal
from signals.workflow import TransitionNotAllowed

PDF = (
    b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
    b"2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n"
    b"trailer <</Root 1 0 R>>\n%%EOF\n"
)


def image(kind: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "red").save(buffer, kind)
    return buffer.getvalue()


def office_zip(folder: str, main: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        archive.writestr(f"{folder}/{main}", '<?xml version="1.0"?><document/>')
    return buffer.getvalue()


def xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Adres"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notities.txt", "geen kantoorbestand")
    return buffer.getvalue()


EML = (
    b"From: wijkagent@example.nl\r\n"
    b"To: meldpunt@example.nl\r\n"
    b"Subject: Signaal nagelstudio\r\n"
    b"Date: Mon, 30 Nov 2026 09:12:00 +0100\r\n"
    b"Message-ID: <abc123@example.nl>\r\n"
    b"MIME-Version: 1.0\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"\r\n"
    b"Zie het gesprek van vanochtend.\r\n"
)
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An Outlook message is an OLE compound file with "__substg1.0_" streams.
MSG = OLE + b"\x00" * 504 + "__substg1.0_0037001F".encode("utf-16-le") + b"\x00" * 512
LEGACY_DOC = OLE + b"\x00" * 504 + "WordDocument".encode("utf-16-le") + b"\x00" * 512
HTML = b"<!DOCTYPE html><html><head><title>Factuur</title></head><body>Betaal nu</body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(1)</script></svg>"
)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200 + b"PE\x00\x00"

ACCEPTED = {
    "pdf": ("verslag.pdf", PDF, "application/pdf"),
    "png": ("foto.png", image("PNG"), "image/png"),
    "jpeg": ("foto.jpg", image("JPEG"), "image/jpeg"),
    "docx": (
        "gespreksverslag.docx",
        office_zip("word", "document.xml"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xlsx": (
        "adressen.xlsx",
        xlsx(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "eml": ("doorgestuurd.eml", EML, "message/rfc822"),
    "msg": ("doorgestuurd.msg", MSG, "application/vnd.ms-outlook"),
    # The name says nothing: a PNG called .pdf is a PNG.
    "png_named_pdf": ("scan.pdf", image("PNG"), "image/png"),
}

NOT_ALLOWED = (
    "Dit bestandstype is niet toegestaan. Toegestaan zijn: PDF, JPEG, PNG, DOCX, XLSX, EML of MSG."
)
REFUSED = {
    "html_named_pdf": ("factuur.pdf", HTML, NOT_ALLOWED),
    "svg": ("logo.svg", SVG, NOT_ALLOWED),
    "exe": ("verslag.pdf.exe", EXE, NOT_ALLOWED),
    "exe_named_docx": ("verslag.docx", EXE, NOT_ALLOWED),
    "zip_that_is_not_office": ("archief.docx", plain_zip(), NOT_ALLOWED),
    "legacy_office_file": ("oud.msg", LEGACY_DOC, NOT_ALLOWED),
    "plain_text": ("notitie.eml", b"Gewoon wat tekst zonder kopregels.\n", NOT_ALLOWED),
    "empty": ("leeg.pdf", b"", "Het bestand is leeg."),
    "over_20_mb": (
        "groot.pdf",
        PDF + b"\x00" * (MAX_ATTACHMENT_SIZE + 1 - len(PDF)),
        "Het bestand is te groot: maximaal 20 MB.",
    ),
}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def files_in(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize(("name", "content", "content_type"), ACCEPTED.values(), ids=ACCEPTED)
def test_it_recognises_an_allowed_type_by_its_content(name, content, content_type):
    assert sniff_attachment(SimpleUploadedFile(name, content)) == content_type


@pytest.mark.parametrize(("name", "content", "content_type"), ACCEPTED.values(), ids=ACCEPTED)
def test_it_stores_an_allowed_attachment_under_a_random_name(
    world, media, name, content, content_type
):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    signal = make_signal(officer)

    attachment = services.attachment_add(
        signal=signal, actor=officer, upload=SimpleUploadedFile(name, content)
    )

    attachment.refresh_from_db()
    assert attachment.content_type == content_type
    assert attachment.original_name == name
    assert attachment.size == len(content)
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert attachment.uploaded_by == officer
    assert re.fullmatch(rf"attachments/{signal.region_id}/[0-9a-f]{{32}}", attachment.file.name)
    stem = name.rsplit(".", 1)[0]
    assert stem not in attachment.file.name
    (stored,) = files_in(media)
    assert stored.read_bytes() == content
    assert signal.events.filter(kind=EventKind.ATTACHMENT, actor=officer).count() == 1


def test_it_gives_two_uploads_of_the_same_name_two_files(world, media):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    signal = make_signal(officer)

    first = services.attachment_add(
        signal=signal, actor=officer, upload=SimpleUploadedFile("verslag.pdf", PDF)
    )
    second = services.attachment_add(
        signal=signal, actor=officer, upload=SimpleUploadedFile("verslag.pdf", PDF)
    )

    assert first.file.name != second.file.name
    assert len(files_in(media)) == 2


@pytest.mark.parametrize(("name", "content", "message"), REFUSED.values(), ids=REFUSED)
def test_it_refuses_anything_else_and_stores_nothing(world, media, name, content, message):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    signal = make_signal(officer)
    events = signal.events.count()

    with pytest.raises(ValidationError) as refused:
        services.attachment_add(
            signal=signal, actor=officer, upload=SimpleUploadedFile(name, content)
        )

    assert refused.value.message_dict == {"file": [message]}
    assert not Attachment.objects.exists()
    assert files_in(media) == []
    assert signal.events.count() == events


def test_it_accepts_exactly_20_mb(world, media):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    signal = make_signal(officer)
    content = PDF + b"\x00" * (MAX_ATTACHMENT_SIZE - len(PDF))

    attachment = services.attachment_add(
        signal=signal, actor=officer, upload=SimpleUploadedFile("groot.pdf", content)
    )

    assert attachment.size == MAX_ATTACHMENT_SIZE == 20 * 1024 * 1024


def test_it_refuses_an_attachment_from_the_sender_once_submitted(world, media):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    signal = submitted_signal(officer)

    with pytest.raises(TransitionNotAllowed):
        services.attachment_add(
            signal=signal, actor=officer, upload=SimpleUploadedFile("verslag.pdf", PDF)
        )

    assert not Attachment.objects.exists()
    assert files_in(media) == []


def test_it_lets_veilig_thuis_add_an_attachment_during_intake(world, media):
    vt = world.user(Role.VT_STAFF)
    signal = submitted_signal(world.user(Role.MUNICIPAL_OFFICER))

    attachment = services.attachment_add(
        signal=signal, actor=vt, upload=SimpleUploadedFile("verslag.pdf", PDF)
    )

    assert attachment.uploaded_by == vt
    assert len(files_in(media)) == 1
