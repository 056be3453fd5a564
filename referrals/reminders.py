"""Reminders: a referral sent and not answered within the configured working days.

Once per referral, however often the beat runs and even when a worker is killed halfway:
``cases.services.reminder.reminder_send`` creates the ``cases.Reminder`` row with the
referral's key in the same transaction as the notices, so a second run finds the key and
skips, and sends the e-mail at most once (a refused e-mail is tried again by the next run).
No personal data in a notice or an e-mail: the route, the receiver and a link, nothing more.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.audit import acting_as
from accounts.models import User
from accounts.roles import ROLE_PERMISSIONS, Role
from cases.services.reminder import reminder_keys_done, reminder_send

from .models import EXTERNAL_KINDS, Referral
from .routes import Route
from .selectors import VT_ROLES, answer_due_before
from .workflow import ReferralStatus

ANSWERING_ROLES = frozenset(
    role for role, perms in ROLE_PERMISSIONS.items() if "referrals.answer_referral" in perms
)


BATCH = 500


def reminder_key(referral: Referral) -> str:
    return f"referral-answer:{referral.public_id}"


def recipients(referral: Referral) -> list[User]:
    """Who may answer: the receiver's users, or Veilig Thuis of the region for an external one."""
    users = User.objects.filter(is_active=True)
    if referral.receiving_organisation.kind in EXTERNAL_KINDS:
        return list(
            users.filter(role__in=VT_ROLES, organisation__region_id=referral.case.region_id)
        )
    roles = {Role.PROCESS_DIRECTOR} if referral.route == Route.ZVH_WEIGHING else ANSWERING_ROLES
    return list(
        users.filter(role__in=roles - VT_ROLES, organisation_id=referral.receiving_organisation_id)
    )


def _remind(referral: Referral) -> int:
    people = recipients(referral)
    message = _(
        "Een verwijzing (%(route)s) naar %(org)s wacht langer dan %(days)s werkdagen op antwoord."
    ) % {
        "route": referral.get_route_display(),
        "org": referral.receiving_organisation.name,
        "days": settings.REFERRAL_ANSWER_WORKING_DAYS,
    }
    sent = reminder_send(
        key=reminder_key(referral),
        recipients=people,
        message=message,
        subject=_("Verwijzing wacht op antwoord"),
        url=reverse("referrals:detail", kwargs={"public_id": referral.public_id}),
    )
    return len(people) if sent else 0


def referral_reminders_send(*, now: datetime | None = None) -> int:
    """Remind about every referral overdue for an answer; returns the number of people notified."""
    cutoff = answer_due_before(now)
    overdue = (
        Referral.objects.filter(status=ReferralStatus.SENT, sent_at__lt=cutoff)
        .select_related("receiving_organisation", "case")
        .order_by("sent_at", "pk")
    )
    notified = 0
    with acting_as(None, path="task:referral_reminders"):
        batch: list[Referral] = []
        for referral in overdue.iterator(chunk_size=BATCH):
            batch.append(referral)
            if len(batch) == BATCH:
                notified += _remind_batch(batch)
                batch = []
        notified += _remind_batch(batch)
    return notified


def _remind_batch(batch: list[Referral]) -> int:
    # One look-up of the keys already used per batch: a run over a long backlog stays cheap.
    # A reminder whose e-mail is still owed is not done: ``_remind`` sends the e-mail.
    done = reminder_keys_done(reminder_key(r) for r in batch)
    return sum(_remind(r) for r in batch if reminder_key(r) not in done)
