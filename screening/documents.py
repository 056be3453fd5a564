"""Minutes of a concluded meeting as a PDF, stored once with its checksum."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.audit import acting_as
from accounts.models import User
from accounts.pdf import render_pdf
from accounts.storage import store_atomically

from .models import Meeting
from .workflow import MeetingStatus


def minutes_context(meeting: Meeting) -> dict:
    items = (
        meeting.items.filter(state="accepted")
        .select_related(
            "signal", "signal__municipality", "presenter", "guest_organisation", "follow_up_owner"
        )
        .prefetch_related("decisions", "inputs__organisation", "signal__exploitation_forms")
        .order_by("position", "pk")
    )
    return {
        "meeting": meeting,
        "items": items,
        "attendance": meeting.attendance.select_related("organisation").order_by(
            "organisation__name"
        ),
        "addenda": meeting.addenda.select_related("author").order_by("created_at"),
        "generated_at": timezone.now(),
    }


def minutes_name(meeting: Meeting) -> str:
    return f"minutes/notulen-{meeting.public_id}.pdf"


def minutes_generate(*, meeting_id: int, actor_id: int | None) -> str:
    """Render and store the minutes; a second run finds them stored and does nothing.

    The PDF is rendered before the row is locked. Under the lock the file is written whole
    (``store_atomically``: a temporary file renamed into place) and recorded with its checksum
    in the same transaction, so nobody ever sees half a result. A worker killed before the
    commit leaves at most a file no record points to, under the meeting's one name; the
    retry (the broker delivers the task again) replaces it, so one file remains.
    If the meeting changed while the PDF was rendered (retention anonymised an item), it is
    rendered again under the lock, from what is stored now.
    """
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    meeting = Meeting.objects.get(pk=meeting_id)
    if meeting.status != MeetingStatus.CONCLUDED or meeting.minutes:
        return meeting.minutes.name if meeting.minutes else ""
    pdf = render_pdf("screening/minutes_pdf.html", minutes_context(meeting))
    with acting_as(actor, path="task:generate_minutes"), transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting_id)
        if locked.minutes:
            return locked.minutes.name
        if locked.updated_at != meeting.updated_at:
            pdf = render_pdf("screening/minutes_pdf.html", minutes_context(locked))
        stored = store_atomically(minutes_name(locked), pdf, storage=locked.minutes.storage)
        locked.minutes.name = stored
        locked.minutes_sha256 = hashlib.sha256(pdf).hexdigest()
        locked.save(update_fields=["minutes", "minutes_sha256", "updated_at"])
        return locked.minutes.name


def agenda_pdf(*, meeting: Meeting) -> bytes:
    """The agenda for the participants: reference, municipality, forms, a short summary and
    the presenter. Person names only where the region allows it (SCREENING_AGENDA_FULL_NAMES)."""
    items = (
        meeting.items.filter(state="accepted")
        .select_related("signal", "signal__municipality", "presenter", "guest_organisation")
        .prefetch_related("signal__exploitation_forms", "signal__involvements__person")
        .order_by("position", "pk")
    )
    return render_pdf(
        "screening/agenda_pdf.html",
        {
            "meeting": meeting,
            "items": items,
            "show_names": settings.SCREENING_AGENDA_FULL_NAMES,
            "generated_at": timezone.now(),
        },
    )
