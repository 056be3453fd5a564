"""Background work of the register. Tasks take ids, are idempotent, and call one service."""

from __future__ import annotations

from celery import shared_task


@shared_task(bind=True, max_retries=5, default_retry_delay=30)
def send_acute_alert(self, signal_id: int, actor_id: int | None = None) -> int:
    """Notify VT and AVIM of an acute signal: in-app and by e-mail, once per signal."""
    from .notifications import acute_alert_send

    return acute_alert_send(signal_id=signal_id, actor_id=actor_id)
