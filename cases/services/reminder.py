"""Sending a reminder exactly once, for the reminder tasks of cases and referrals.

A reminder is a notice in the application for each recipient and one e-mail to all of them.
A worker can be killed at any point of that (a deploy, the task time limit), and the broker
then delivers the task again (acks late), so "once" has to hold across a kill:

- The ``Reminder`` row with the reminder's key and the notices are written in one
  transaction. Killed before its commit, nothing of the reminder exists and the retry sends
  it; killed after, the retry finds the key and sends no second notice.
- The e-mail cannot be part of a transaction. The same transaction records that it is owed
  (a second ``Reminder`` row, ``mail:<key>``). Sending claims that row, by deleting it and
  committing, and only then talks to the mail server. So no delivery ever sends the e-mail
  twice: a mail server that refuses the message puts the row back (the next run tries again),
  and a worker killed in the middle of the conversation with the mail server loses that one
  e-mail, never the notices.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from accounts.models import User
from accounts.services import notification_send

from ..models import Reminder

KEY_LENGTH = 120  # Reminder.key
MAIL_PREFIX = "mail:"


def _stored(key: str) -> str:
    return key[:KEY_LENGTH]


def mail_key(key: str) -> str:
    """The key of the row that says the reminder's e-mail is owed."""
    return MAIL_PREFIX + _stored(key)[: KEY_LENGTH - len(MAIL_PREFIX)]


def reminder_send(
    *, key: str, recipients: Iterable[User], message: str, subject: str, url: str
) -> bool:
    """Send one reminder once: False when its key was already sent (or nobody to tell).

    An e-mail still owed for an earlier delivery of the same reminder is sent now. Call it
    outside a transaction, as the tasks do: its own commits are what make it once.
    """
    recipients = list(recipients)
    if not recipients:
        return False  # nobody to tell yet: the next run tries again
    emails = sorted({u.email for u in recipients if u.email})
    with transaction.atomic():
        _reminder, created = Reminder.objects.get_or_create(key=_stored(key))
        if created:
            notification_send(recipients=recipients, key=key[:100], message=message, url=url)
            if emails:
                Reminder.objects.create(key=mail_key(key))
    body = f"{message}\n{settings.SITE_URL.rstrip('/')}{url}\n"
    _send_owed_mail(key, subject, body, emails)
    return created


def _send_owed_mail(key: str, subject: str, body: str, emails: list[str]) -> bool:
    if not emails:
        return False
    # A concurrent delivery's DELETE waits for this one's commit and then finds no row.
    with transaction.atomic():
        if Reminder.objects.filter(key=mail_key(key)).delete()[0] == 0:
            return False  # sent already (or being sent by another worker)
    try:
        send_mail(subject, body, None, emails)
    except Exception:
        Reminder.objects.get_or_create(key=mail_key(key))
        raise
    return True


def reminder_keys_done(keys: Iterable[str]) -> set[str]:
    """Of ``keys``, those whose reminder is sent and whose e-mail is no longer owed."""
    keys = {_stored(k) for k in keys}
    found = set(
        Reminder.objects.filter(key__in=keys | {mail_key(k) for k in keys}).values_list(
            "key", flat=True
        )
    )
    return {k for k in keys if k in found and mail_key(k) not in found}
