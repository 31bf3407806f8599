"""Through the API too, a job being made again or failed does not hand out its previous file."""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from reports.models import Kind, ReportJob, Status
from reports.services import request_report, rerender


@pytest.mark.parametrize("state", ["queued", "rendering", "failed"])
def test_download_of_a_job_being_rerendered_or_failed_is_409_not_the_old_file(
    w, api, django_capture_on_commit_callbacks, monkeypatch, state
):
    operator = w["users"]["unit_operator"]
    with django_capture_on_commit_callbacks(execute=True):
        job = request_report(kind=Kind.LKE_XLSX, by=operator, assessment=w["assessments"]["own"])
    job.refresh_from_db()
    old_file = job.file.name
    assert job.status == Status.READY and default_storage.exists(old_file)

    if state == "failed":

        def broken(assessment):
            raise ValueError("lembar kerja rusak")

        from reports import xlsx

        monkeypatch.setattr(xlsx, "export_lke", broken)
        with django_capture_on_commit_callbacks(execute=True):
            rerender(job=job, by=operator)
    else:
        with django_capture_on_commit_callbacks(execute=False):
            rerender(job=job, by=operator)
        if state == "rendering":
            ReportJob.objects.filter(pk=job.pk).update(status=Status.RENDERING)
    job.refresh_from_db()
    assert job.status == state and job.file.name == old_file and default_storage.exists(old_file)

    response = api(operator).get(reverse("api:report-download", args=[job.pk]))
    assert response.status_code == 409
    assert "belum siap" in response.json()["detail"]
    status = api(operator).get(reverse("api:report-detail", args=[job.pk])).json()
    assert status["status"] == state and not status.get("download_url")
