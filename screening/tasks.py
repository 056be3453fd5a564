"""Background work of the screening table. Tasks take ids and are idempotent."""

from __future__ import annotations

from celery import shared_task


@shared_task
def plan_weekly_meetings() -> int:
    """Close agendas past their cut-off and make sure every region has its next meeting."""
    from accounts.audit import acting_as
    from accounts.models import Region

    from . import services

    with acting_as(None, path="task:plan_weekly_meetings"):
        services.agendas_close_due()
        for region in Region.objects.all():
            services.meeting_plan_next(region=region)
    return Region.objects.count()


@shared_task(bind=True, max_retries=3, default_retry_delay=60)
def generate_minutes(self, meeting_id: int, actor_id: int | None = None) -> str:
    from .documents import minutes_generate

    return minutes_generate(meeting_id=meeting_id, actor_id=actor_id)
