"""A report is a job: queued on commit, rendered by the worker, stored, re-rendered on demand, and
never left stuck or duplicated when a render fails or a worker dies."""

import pytest
from django.core.files.storage import FileSystemStorage, default_storage

from reports import pdf, services
from reports.models import Kind, ReportJob, Status
from reports.tasks import render_report


def _request(rz, django_capture_on_commit_callbacks, *, execute=True, who="unit_operator"):
    with django_capture_on_commit_callbacks(execute=execute) as callbacks:
        job = services.request_report(
            kind=Kind.CHARTER, by=rz["users"][who], assessment=rz["assessment"]
        )
    job.refresh_from_db()
    return job, callbacks


def test_request_is_queued_until_commit_then_rendered(rz, django_capture_on_commit_callbacks):
    job, callbacks = _request(rz, django_capture_on_commit_callbacks, execute=False)
    assert job.status == Status.QUEUED and job.progress == 0 and not job.file
    assert len(callbacks) == 1  # the task is sent only once the request's transaction commits
    callbacks[0]()
    job.refresh_from_db()
    assert job.status == Status.READY and job.progress == 100
    assert job.attempts == 1 and job.started_at and job.finished_at
    assert default_storage.exists(job.file.name) and job.size > 1000


def test_identical_request_while_busy_reuses_the_job(rz, django_capture_on_commit_callbacks):
    first, _ = _request(rz, django_capture_on_commit_callbacks, execute=False)
    second, callbacks = _request(
        rz, django_capture_on_commit_callbacks, execute=False, who="leadership"
    )
    assert second.pk == first.pk and callbacks == []
    assert ReportJob.objects.count() == 1


def test_a_new_request_after_ready_makes_a_new_job(rz, django_capture_on_commit_callbacks):
    first, _ = _request(rz, django_capture_on_commit_callbacks)
    second, _ = _request(rz, django_capture_on_commit_callbacks)
    assert second.pk != first.pk and second.status == Status.READY


def test_failure_records_the_reason(rz, django_capture_on_commit_callbacks, monkeypatch):
    def broken(html):
        raise ValueError("font tidak ditemukan")

    monkeypatch.setattr(pdf, "html_to_pdf", broken)
    job, _ = _request(rz, django_capture_on_commit_callbacks)
    assert job.status == Status.FAILED
    assert "font tidak ditemukan" in job.error and job.finished_at and not job.file


def test_rerender_replaces_the_file_on_the_same_job(rz, django_capture_on_commit_callbacks):
    job, _ = _request(rz, django_capture_on_commit_callbacks)
    old_file = job.file.name
    rz["assessment"].proclaimed_at = "Gedung Shima"
    rz["assessment"].save()
    with django_capture_on_commit_callbacks(execute=True):
        services.rerender(job=job, by=rz["users"]["unit_head"])
    job.refresh_from_db()
    assert job.status == Status.READY and job.attempts == 2
    assert job.file.name != old_file and not default_storage.exists(old_file)
    from tests.reports.helpers import pdf_text

    assert "Gedung Shima" in pdf_text(job)
    assert ReportJob.objects.count() == 1


def test_a_ready_job_is_not_rendered_again_by_a_redelivered_message(
    rz, django_capture_on_commit_callbacks
):
    job, _ = _request(rz, django_capture_on_commit_callbacks)
    name = job.file.name
    render_report.delay(job.pk)  # the broker delivers the same message twice
    job.refresh_from_db()
    assert job.file.name == name and job.attempts == 1


class WorkerKilled(BaseException):
    """Stands in for SIGKILL: not an Exception, so nothing in the render path catches it."""


def test_worker_killed_mid_render_leaves_the_job_retried_not_stuck(
    rz, django_capture_on_commit_callbacks, monkeypatch, stored_files
):
    real = pdf.html_to_pdf

    def killed(html):
        raise WorkerKilled

    monkeypatch.setattr(pdf, "html_to_pdf", killed)
    with pytest.raises(WorkerKilled):
        _request(rz, django_capture_on_commit_callbacks)
    job = ReportJob.objects.get()
    assert job.status == Status.RENDERING  # what a dead worker leaves behind
    monkeypatch.setattr(pdf, "html_to_pdf", real)
    render_report.delay(job.pk)  # acks_late: the unacknowledged message is delivered again
    job.refresh_from_db()
    assert job.status == Status.READY and job.attempts == 2
    assert ReportJob.objects.count() == 1 and len(stored_files()) == 1


def test_transient_storage_error_is_retried_by_the_task(
    rz, django_capture_on_commit_callbacks, monkeypatch
):
    calls = {"n": 0}
    real_save = FileSystemStorage.save

    def flaky(storage, name, content, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError("penyimpanan tidak tersedia")
        return real_save(storage, name, content, *args, **kwargs)

    monkeypatch.setattr(FileSystemStorage, "save", flaky)
    job, _ = _request(rz, django_capture_on_commit_callbacks)
    assert job.status == Status.READY and job.attempts == 2


def test_persistent_transient_errors_end_failed_with_the_reason(
    rz, django_capture_on_commit_callbacks, monkeypatch
):
    def down(*args, **kwargs):
        raise OSError("penyimpanan tidak tersedia")

    monkeypatch.setattr(FileSystemStorage, "save", down)
    job, _ = _request(rz, django_capture_on_commit_callbacks)
    assert job.status == Status.FAILED
    assert "penyimpanan tidak tersedia" in job.error
    assert job.attempts == services.MAX_ATTEMPTS


def test_stale_rendering_job_can_be_rerendered(rz, django_capture_on_commit_callbacks):
    import datetime

    from django.utils import timezone

    job, _ = _request(rz, django_capture_on_commit_callbacks, execute=False)
    ReportJob.objects.filter(pk=job.pk).update(
        status=Status.RENDERING, started_at=timezone.now() - datetime.timedelta(hours=1)
    )
    job.refresh_from_db()
    assert services.is_stale(job)
    with django_capture_on_commit_callbacks(execute=True):
        services.rerender(job=job, by=rz["users"]["unit_operator"])
    job.refresh_from_db()
    assert job.status == Status.READY


def test_status_changes_are_in_the_history(rz, django_capture_on_commit_callbacks):
    job, _ = _request(rz, django_capture_on_commit_callbacks)
    statuses = list(
        job.history.order_by("history_date", "history_id").values_list("status", flat=True)
    )
    assert (
        statuses[0] == Status.QUEUED
        and statuses[-1] == Status.READY
        and Status.RENDERING in statuses
    )


@pytest.fixture
def stored_files():
    from pathlib import Path

    from django.conf import settings

    def _files():
        root = Path(settings.MEDIA_ROOT)
        return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []

    return _files
