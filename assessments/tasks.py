from celery import shared_task

from . import services


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def recompute_assessment_scores(assessment_id: int) -> int:
    """Thin task: recompute one assessment's three tracks (again at once if answers changed while it
    ran: services.recompute_queued). Idempotent."""
    return services.recompute_queued(assessment_id)


@shared_task(acks_late=True)
def recompute_all_scores(pemda_id: int | None = None) -> int:
    from units.models import Pemda

    pemda = Pemda.objects.get(pk=pemda_id) if pemda_id else None
    return services.compute_scores(pemda=pemda)


@shared_task(acks_late=True)
def recompute_lost_scores() -> int:
    """Periodic (beat): scores whose queued recompute never ran (broker outage) are computed here."""
    return services.recompute_lost_scores()
