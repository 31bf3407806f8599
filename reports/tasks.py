from celery import shared_task

from . import services
from .models import ReportJob


@shared_task(
    bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=services.MAX_ATTEMPTS - 1
)
def render_report(self, job_id: int) -> str:
    """Thin task: render one report job. Idempotent and safe to redeliver: a ready job is left
    alone, a job left 'rendering' by a worker that died is rendered again (acks_late means the
    broker redelivers the message), and a transient failure retries with exponential backoff."""
    job = ReportJob.objects.filter(pk=job_id).first()
    if job is None:
        return "missing"
    try:
        return services.render_job(job, final=self.request.retries >= self.max_retries).status
    except services.RetryableRenderError as exc:
        if self.request.is_eager and self.app.conf.task_eager_propagates:
            # In-process (embedded mode, tests) Celery would raise Retry into the web request;
            # take the next attempt here instead, without the backoff.
            return render_report.apply(
                args=[job_id], retries=self.request.retries + 1, throw=True
            ).result
        raise self.retry(exc=exc, countdown=min(600, 5 * 2**self.request.retries)) from exc


@shared_task
def requeue_stale_reports() -> int:
    """Beat task: hands lost report jobs to the broker again (see services.requeue_stale_jobs)."""
    return services.requeue_stale_jobs()
