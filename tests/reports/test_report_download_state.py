"""A job's previous file is not handed out while the job is being made again or after it failed:
the person would get an outdated document that the list says is not ready."""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from reports import pdf, services
from reports.models import Kind, ReportJob, Status


@pytest.fixture
def ready_pact(rz, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.request_report(kind=Kind.PACT, by=rz["users"]["unit_head"], unit=rz["unit"])
    job.refresh_from_db()
    assert job.status == Status.READY and default_storage.exists(job.file.name)
    return job


def _rerender_queued(job, by, capture):
    with capture(execute=False):  # the worker has not taken it yet
        services.rerender(job=job, by=by)


def _rerender_rendering(job, by, capture):
    _rerender_queued(job, by, capture)
    ReportJob.objects.filter(pk=job.pk).update(status=Status.RENDERING)  # a worker is on it


def _rerender_failed(job, by, capture, monkeypatch):
    def broken(html):
        raise ValueError("font tidak ditemukan")

    monkeypatch.setattr(pdf, "html_to_pdf", broken)
    with capture(execute=True):
        services.rerender(job=job, by=by)


@pytest.mark.parametrize("state", ["queued", "rendering", "failed"])
def test_the_old_file_is_not_downloadable_while_a_job_is_rerendered_or_after_it_failed(
    rz, ready_pact, login, django_capture_on_commit_callbacks, monkeypatch, state
):
    head = rz["users"]["unit_head"]
    old_file = ready_pact.file.name
    if state == "failed":
        _rerender_failed(ready_pact, head, django_capture_on_commit_callbacks, monkeypatch)
    else:
        {"queued": _rerender_queued, "rendering": _rerender_rendering}[state](
            ready_pact, head, django_capture_on_commit_callbacks
        )
    job = ReportJob.objects.get(pk=ready_pact.pk)
    assert job.status == state and job.file.name == old_file and default_storage.exists(old_file)

    response = login(head).get(reverse("reports:download", args=[job.pk]))
    assert response.status_code == 404
    page = login(head).get(reverse("reports:list")).content.decode()
    assert reverse("reports:download", args=[job.pk]) not in page
