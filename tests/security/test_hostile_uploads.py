"""Hostile attachments: refused, leaving neither a row nor a file; odd names never reach the disk.

``signals/tests`` already proves the plain cases (an HTML or SVG file, a file over 20 MB, a zip
that is not an Office file). This module adds the files that pass a first look: a PDF or PNG
that is also a web page (polyglot), a zip bomb with the structure of a .docx, file names that
try to climb out of the upload directory or into a response header, and the same files sent
to every write of the API.
"""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from knox.models import AuthToken

from accounts.roles import Role
from signals import services
from signals.files import MAX_UNPACKED_SIZE
from signals.models import Attachment
from signals.tests.factories import make_signal
from signals.tests.test_views_support import PDF_BYTES, png_bytes

NOT_ALLOWED = (
    "Dit bestandstype is niet toegestaan. Toegestaan zijn: PDF, JPEG, PNG, DOCX, XLSX, EML of MSG."
)
SCRIPT = (
    b"<html><body><script>fetch('/api/v1/me/').then(r=>r.text()).then(alert)</script></body></html>"
)


def office_zip(main: bytes, *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        archive.writestr("word/document.xml", main)
    return buffer.getvalue()


def docx_bomb() -> bytes:
    """A valid .docx skeleton whose document unpacks from ~50 KB to 50 MB."""
    return office_zip(b"\0" * (50 * 1024 * 1024))


def wide_docx_bomb() -> bytes:
    """Many members, each harmless, together far beyond what a document needs."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><document/>')
        chunk = b"\0" * (9 * 1024 * 1024)
        for n in range(MAX_UNPACKED_SIZE // len(chunk) + 1):
            archive.writestr(f"word/media/part{n}.bin", chunk)
    return buffer.getvalue()


HOSTILE = {
    # A PDF header, then a web page: a browser that sniffs renders the script.
    "pdf_polyglot": ("verslag.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + SCRIPT + b"\n%%EOF\n"),
    # A real PDF with a web page appended after its end.
    "pdf_with_html_tail": ("verslag.pdf", PDF_BYTES + SCRIPT),
    # A real PNG with a script in a trailing chunk.
    "png_polyglot": ("foto.png", png_bytes() + b"<script>alert(document.cookie)</script>"),
    # The SVG vector in a PNG's clothing.
    "png_with_svg": ("foto.png", png_bytes() + b'<svg xmlns="http://www.w3.org/2000/svg"/>'),
    "docx_bomb": ("verslag.docx", docx_bomb()),
    "docx_bomb_of_many_parts": ("verslag.docx", wide_docx_bomb()),
}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def upload(client: Client, signal, name: str, content: bytes):
    return client.post(
        reverse("signals:add_attachment", args=[signal.public_id]),
        {"attachment-file": SimpleUploadedFile(name, content, content_type="application/pdf")},
    )


@pytest.mark.parametrize(("name", "content"), HOSTILE.values(), ids=HOSTILE)
def test_the_page_refuses_a_hostile_file(world, login, media, name, content):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    signal = make_signal(officer)

    response = upload(login(officer), signal, name, content)

    assert response.status_code == 400
    assert NOT_ALLOWED in response.content.decode()
    assert not Attachment.objects.exists()
    assert stored_files(media) == []


def test_a_real_docx_and_pdf_still_pass(world, login, media):
    """The control: the checks do not refuse ordinary files of the same kinds."""
    officer = world.user(Role.MUNICIPAL_OFFICER)
    signal = make_signal(officer)
    client = login(officer)
    paragraph = b"<w:p><w:r><w:t>Gesprek met de wijkagent over de nagelstudio.</w:t></w:r></w:p>"

    assert upload(client, signal, "verslag.pdf", PDF_BYTES).status_code == 302
    docx = office_zip(b'<?xml version="1.0"?><w:document>' + paragraph * 2000 + b"</w:document>")
    assert upload(client, signal, "verslag.docx", docx).status_code == 302

    assert Attachment.objects.count() == 2


# --- names ------------------------------------------------------------------------------------

BOUNDARY = "grens-7d1f"


def multipart(field: str, filename: str, content: bytes) -> bytes:
    """A multipart body written by hand: a test client would clean the file name first."""
    return (
        (
            f"--{BOUNDARY}\r\n"
            f'Content-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )


TRAVERSAL_NAMES = [
    "../../../../etc/cron.d/verslag.pdf",
    "..\\..\\..\\windows\\win.ini.pdf",
    "/var/www/static/verslag.pdf",
    "%2e%2e%2f%2e%2e%2fverslag.pdf",
]


@pytest.mark.parametrize("filename", TRAVERSAL_NAMES)
def test_a_path_in_the_file_name_never_reaches_the_disk(world, login, media, filename):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    signal = make_signal(officer)

    response = login(officer).generic(
        "POST",
        reverse("signals:add_attachment", args=[signal.public_id]),
        multipart("attachment-file", filename, PDF_BYTES),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )

    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert "/" not in attachment.original_name
    assert "\\" not in attachment.original_name
    [stored] = stored_files(media)
    # Under the upload root, in the region's folder, under a random name.
    assert stored.resolve().is_relative_to(media.resolve())
    assert stored.parent.name == str(signal.region_id)
    assert stored.name != attachment.original_name
    assert ".." not in stored.relative_to(media).parts


def test_a_file_name_cannot_write_a_response_header(world, login, media):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    signal = make_signal(officer)
    client = login(officer)
    name = 'verslag".pdf\r\nSet-Cookie: sessionid=aanvaller'
    services.attachment_add(
        signal=signal, actor=officer, upload=SimpleUploadedFile(name, PDF_BYTES)
    )
    attachment = Attachment.objects.get()

    response = client.get(
        reverse("signals:attachment", args=[signal.public_id, attachment.public_id])
    )

    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "\r" not in disposition and "\n" not in disposition
    assert "Set-Cookie" not in response.headers
    assert response.cookies["sessionid"].value != "aanvaller"


# --- the API ------------------------------------------------------------------------------------


PATH_PARAMETER = re.compile(r"\{[^}]+\}")
UPLOADERS = (
    Role.VT_STAFF,
    Role.MUNICIPAL_OFFICER,
    Role.AVIM,
    Role.CARE_COORDINATOR,
    Role.PROCESS_DIRECTOR,
)


def token_client(user) -> Client:
    return Client(headers={"Authorization": f"Token {AuthToken.objects.create(user)[1]}"})


def api_writes(client: Client) -> list[tuple[str, str, set[str]]]:
    """Every write operation of the live schema with the media types its body may have."""
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    return [
        (method.upper(), path, set(operation.get("requestBody", {}).get("content", {})))
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in ("post", "put", "patch")
    ]


def send(client: Client, method: str, path: str, name: str, content: bytes):
    return client.generic(
        method,
        path,
        multipart("file", name, content),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )


def test_no_api_write_accepts_a_hostile_file(world, other_world, media):
    """Every hostile file, as multipart, to every write the schema lists: a 4xx, nothing kept.

    A write that takes only JSON gets one try (415). A write that takes multipart (an upload)
    gets every hostile file from every role that uploads, aimed at the objects that role sees
    (one of each kind the permission matrix makes), so the file reaches the content checks.
    """
    from tests.security.fuzzing import live_path_parameters
    from tests.security.test_api_fuzz import populate

    populate(world)
    before = set(stored_files(media))
    attachments = Attachment.objects.count()
    clients = {role: token_client(world.user(role)) for role in UPLOADERS}
    writes = api_writes(clients[Role.VT_STAFF])
    assert writes
    uploads = [(m, p) for m, p, types in writes if "multipart/form-data" in types]
    refused, tried = [], 0

    for method, template, types in writes:
        if "multipart/form-data" in types:
            continue
        path = PATH_PARAMETER.sub("00000000-0000-4000-8000-000000000000", template)
        name, content = HOSTILE["pdf_polyglot"]
        response = send(clients[Role.VT_STAFF], method, path, name, content)
        tried += 1
        assert 400 <= response.status_code < 500, (method, path, response.status_code)

    for role, client in clients.items():
        ids = live_path_parameters(sorted({p for _, p in uploads}), client)
        for method, template in uploads:
            for values in ids.get(template, [])[:1] or [{}]:
                path = template
                for key, value in values.items():
                    path = path.replace(f"{{{key}}}", value)
                for label, (name, content) in HOSTILE.items():
                    response = send(client, method, path, name, content)
                    tried += 1
                    if not 400 <= response.status_code < 500:
                        refused.append(
                            f"{role.value} {method} {path} {label}: {response.status_code}"
                        )

    assert not refused, "\n".join(refused)
    assert tried > len(writes)
    assert Attachment.objects.count() == attachments
    assert set(stored_files(media)) == before
