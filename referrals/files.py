"""The integral plan of approach: its type is read from the content, never from the name.

Only the document formats a plan is written in are taken: PDF, Word (DOCX) and
OpenDocument text (ODT). Everything else — images, HTML, SVG, scripts, macro-enabled or
old binary Office files — is refused with a Dutch message. The attachment checks of
``signals.files`` apply as well: a PDF that carries web markup (a polyglot) and an archive
that would unpack to far more than it weighs (a zip bomb) are refused.
"""

from __future__ import annotations

import zipfile

import filetype
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from signals.files import _carries_markup, _is_zip_bomb

MAX_PLAN_SIZE = 20 * 1024 * 1024
ALLOWED_DESCRIPTION = "PDF, DOCX of ODT"

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"


def _zip_document_type(upload: UploadedFile) -> str | None:
    """DOCX or ODT by the members of the archive (a renamed zip of anything else is refused)."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
            if _is_zip_bomb(members):
                return None
            names = [member.filename for member in members]
            if "mimetype" in names:
                declared = archive.read("mimetype")[:100].strip()
                if declared == ODT.encode() and "content.xml" in names:
                    return ODT
                return None
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                # A macro-enabled document (.docm) declares a different main part.
                types = archive.read("[Content_Types].xml")[:65536]
                if b"macroEnabled" in types:
                    return None
                return DOCX
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    finally:
        upload.seek(0)
    return None


def sniff_plan(upload: UploadedFile) -> str:
    """The content type of an allowed plan, or a Dutch ValidationError on ``file``."""
    if upload.size is not None and upload.size > MAX_PLAN_SIZE:
        raise ValidationError({"file": [_("Het bestand is te groot: maximaal 20 MB.")]})
    if not upload.size:
        raise ValidationError({"file": [_("Het bestand is leeg.")]})
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is not None and kind.extension == "pdf":
        if _carries_markup(upload):
            raise _not_allowed()
        return PDF
    if head.startswith(b"PK\x03\x04"):
        document = _zip_document_type(upload)
        if document is not None:
            return document
    raise _not_allowed()


def _not_allowed() -> ValidationError:
    return ValidationError(
        {
            "file": [
                _(
                    "Dit bestandstype is niet toegestaan voor een plan van aanpak. Toegestaan zijn: %(types)s."
                )
                % {"types": ALLOWED_DESCRIPTION}
            ]
        }
    )
