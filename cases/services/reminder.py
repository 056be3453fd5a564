"""Sending a reminder exactly once, for the reminder tasks of cases and referrals."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from accounts.models import User
from accounts.services import notification_send

from ..models import Reminder


def reminder_send(
    *, key: str, recipients: Iterable[User], message: str, subject: str, url: str
) -> bool:
    """Send one reminder once: False when its key was already sent (or nobody to tell).

    The ``Reminder`` row is inserted in the same transaction as the notices and the e-mail:
    a second run finds the key and skips, and a failed mail rolls the key back for the retry.
    """
    recipients = list(recipients)
    if not recipients:
        return False  # nobody to tell yet: the next run tries again
    with transaction.atomic():
        _reminder, created = Reminder.objects.get_or_create(key=key[:120])
        if not created:
            return False
        notification_send(recipients=recipients, key=key[:100], message=message, url=url)
        emails = sorted({u.email for u in recipients if u.email})
        if emails:
            body = f"{message}\n{settings.SITE_URL.rstrip('/')}{url}\n"
            send_mail(subject, body, None, emails)
        return True
