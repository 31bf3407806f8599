from celery import shared_task

from . import previews
from .models import Preview


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90)
def render_preview(preview_id: int) -> str:
    """Thin task: render one evidence preview in a limited child process (review.previews)."""
    preview = Preview.objects.select_related("version").filter(pk=preview_id).first()
    if preview is None:
        return "missing"
    return previews.render_preview(preview=preview).state
