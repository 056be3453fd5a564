"""Background work of reporting. Tasks take ids, are idempotent, and call one service."""

from __future__ import annotations

from celery import shared_task


@shared_task(acks_late=True)
def generate_annual_report(report_id: int) -> str:
    """Render one queued annual report run; a second delivery of the same run does nothing.

    Not retried automatically: a failed run is marked failed, with its reason, and a person
    starts it again (a new run), so nobody waits for a report that silently retries.
    """
    from .services import annual_report_run

    return annual_report_run(report_id=report_id).status
