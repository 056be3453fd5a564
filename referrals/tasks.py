"""Background work of referrals. Tasks take ids (or nothing), are idempotent, call one service."""

from __future__ import annotations

from celery import shared_task


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def send_reminders(self) -> int:
    """Remind the receivers of referrals unanswered after the configured working days, once each."""
    from .reminders import referral_reminders_send

    return referral_reminders_send()
