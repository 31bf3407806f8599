from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(acks_late=True)
def remind_action_items(days: int = services.REMIND_DAYS) -> int:
    """Daily (Celery beat): items due within ``days`` and overdue ones. Idempotent per person,
    item and kind."""
    return services.item_reminders(today=timezone.localdate(), days=days)
