from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(acks_late=True)
def notify_deadlines(days: int = services.REMINDER_DAYS) -> int:
    """Daily (Celery beat): remind people of calendar deadlines within ``days``. Idempotent."""
    return services.deadline_reminders(today=timezone.localdate(), days=days)
