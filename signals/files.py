"""Attachment checks: the type is read from the content, never from the name or the browser."""

from __future__ import annotations

import zipfile
from email.parser import BytesHeaderParser

import filetype
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

MAX_ATTACHMENT_SIZE = 20 * 1024 * 1024
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
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    if any(n.startswith("word/") for n in names):
        return "docx"
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    return None


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
    if kind is not None and kind.extension == "pdf":
        return "application/pdf"
    if kind is not None and kind.extension == "jpg":
        return "image/jpeg"
    if kind is not None and kind.extension == "png":
        return "image/png"
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
    raise ValidationError(
        {
            "file": [
                _("Dit bestandstype is niet toegestaan. Toegestaan zijn: %(types)s.")
                % {"types": ALLOWED_DESCRIPTION}
            ]
        }
    )
