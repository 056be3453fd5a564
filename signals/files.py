"""Attachment checks: the type is read from the content, never from the name or the browser."""

from __future__ import annotations

import zipfile
from email.parser import BytesHeaderParser

import filetype
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

MAX_ATTACHMENT_SIZE = 20 * 1024 * 1024
# An Office file is a zip archive. Nothing here unpacks one, but whoever opens it does: refuse
# archives that would unpack to far more than they weigh (a zip bomb named .docx).
MAX_UNPACKED_SIZE = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100  # for a member that unpacks to more than LARGE_MEMBER
LARGE_MEMBER = 10 * 1024 * 1024
MAX_ARCHIVE_MEMBERS = 5000
# Markup that makes a browser or viewer treat a file as a web page. A PDF or image that carries
# it is a polyglot (e.g. a PDF header followed by HTML with a script): refused. Browsers sniff
# the start of a file, so the start and the end are searched, not the middle, where compressed
# data would now and then contain a short marker by chance. Each marker has five or more bytes.
MARKUP_SCAN_BYTES = 64 * 1024
_MARKUP = (
    b"<!doctype html",
    b"<html",
    b"<head>",
    b"<body",
    b"<script",
    b"<iframe",
    b"<svg ",
    b"<object",
    b"<embed",
    b"<meta http-equiv",
)
ALLOWED_DESCRIPTION = "PDF, JPEG, PNG, DOCX, XLSX, EML of MSG"

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Outlook .msg files are OLE compound files whose streams are named "__substg1.0_…".
_MSG_MARKER = "__substg1.0_".encode("utf-16-le")
_EML_HEADERS = {
    "from",
    "to",
    "subject",
    "date",
    "received",
    "message-id",
    "mime-version",
    "return-path",
}


def _zip_member_prefix(upload: UploadedFile) -> str | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        return None
    finally:
        upload.seek(0)
    if _is_zip_bomb(members):
        return None
    names = [member.filename for member in members]
    if "[Content_Types].xml" not in names:
        return None
    if any(n.startswith("word/") for n in names):
        return "docx"
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    return None


def _is_zip_bomb(members: list[zipfile.ZipInfo]) -> bool:
    """What the archive says it unpacks to: too much in total, or too much per byte stored."""
    if len(members) > MAX_ARCHIVE_MEMBERS:
        return True
    if sum(member.file_size for member in members) > MAX_UNPACKED_SIZE:
        return True
    return any(
        member.file_size > LARGE_MEMBER
        and member.file_size > MAX_COMPRESSION_RATIO * member.compress_size
        for member in members
    )


def _carries_markup(upload: UploadedFile) -> bool:
    size = upload.size or 0
    upload.seek(0)
    start = upload.read(MARKUP_SCAN_BYTES)
    upload.seek(max(size - MARKUP_SCAN_BYTES, 0))
    end = upload.read(MARKUP_SCAN_BYTES)
    upload.seek(0)
    return any(marker in part.lower() for part in (start, end) for marker in _MARKUP)


def _looks_like_eml(head: bytes) -> bool:
    if b"<script" in head.lower() or b"<html" in head.lower()[:200]:
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = head.decode("latin-1")
        except UnicodeDecodeError:
            return False
    headers = BytesHeaderParser().parsebytes(text.encode("utf-8", "replace"))
    present = {key.lower() for key in headers}
    return "from" in present and len(present & _EML_HEADERS) >= 3


def sniff_attachment(upload: UploadedFile) -> str:
    """Return the content type of an allowed attachment, or raise a Dutch ValidationError."""
    if upload.size is not None and upload.size > MAX_ATTACHMENT_SIZE:
        raise ValidationError({"file": [_("Het bestand is te groot: maximaal 20 MB.")]})
    if not upload.size:
        raise ValidationError({"file": [_("Het bestand is leeg.")]})
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    binary = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}
    if kind is not None and kind.extension in binary:
        if _carries_markup(upload):
            raise _not_allowed()
        return binary[kind.extension]
    if head.startswith(b"PK\x03\x04"):
        office = _zip_member_prefix(upload)
        if office == "docx":
            return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        if office == "xlsx":
            return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    if head.startswith(_OLE_MAGIC):
        upload.seek(0)
        body = upload.read(min(upload.size or 0, 4 * 1024 * 1024))
        upload.seek(0)
        if _MSG_MARKER in body:
            return "application/vnd.ms-outlook"
    if kind is None and _looks_like_eml(head):
        return "message/rfc822"
    raise _not_allowed()


def _not_allowed() -> ValidationError:
    return ValidationError(
        {
            "file": [
                _("Dit bestandstype is niet toegestaan. Toegestaan zijn: %(types)s.")
                % {"types": ALLOWED_DESCRIPTION}
            ]
        }
    )
