"""Background work of the privacy functions: the daily retention run (beat, 03:15)."""

from __future__ import annotations

from celery import shared_task


@shared_task(bind=True, max_retries=3, default_retry_delay=300)
def run_retention(self, actor_id: int | None = None) -> dict:
    """Anonymise what is due today; idempotent (a second run finds nothing to do).

    Started by beat without an actor (the log names the task as the page), or by the privacy
    officer with their id. Carries ids only.
    """
    from accounts.models import User

    from .retention import retention_run

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    return retention_run(actor=actor).as_dict()
