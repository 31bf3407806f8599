from celery import shared_task

from . import services
from .models import EvidenceArchive


@shared_task(acks_late=True)
def build_evidence_archive(archive_id: int) -> str:
    """Thin task: build one unit-year's evidence zip. Idempotent: a ready archive is left as it is,
    and a run interrupted half-way (worker lost, message redelivered) simply builds it again."""
    archive = EvidenceArchive.objects.filter(pk=archive_id).first()
    if archive is None:
        return "missing"
    return services.build_archive(archive=archive).status
