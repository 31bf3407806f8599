"""Asking for a report while the broker (Redis) is down: the request is recorded and said so, not
a server error; the job is handed over again by the beat sweeper once the broker is back."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reports import services
from reports.models import Kind, ReportJob, Status
from reports.tasks import requeue_stale_reports
from zi_portal import formats


# Committed transactions, as in production: the job is handed to the broker when the request's
# transaction commits, before the page answers.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_report_asked_for_while_the_broker_is_down_is_kept_and_runs_when_it_returns(
    rz, client, unreachable_broker, caplog
):
    client.force_login(rz["users"]["leadership"])
    response = client.post(
        reverse("reports:request"),
        {"kind": Kind.SCORECARD, "assessment": rz["assessment"].pk},
        follow=True,
    )
    assert response.status_code == 200
    assert "layanan antrean sedang tidak tersedia" in response.content.decode()
    job = ReportJob.objects.get()
    assert job.status == Status.QUEUED
    assert "not queued (broker unreachable)" in caplog.text


def test_sweeper_hands_lost_jobs_over_again_and_leaves_fresh_ones(
    rz, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):  # asked for, message lost
        lost = services.request_report(
            kind=Kind.CHARTER, by=rz["users"]["unit_head"], assessment=rz["assessment"]
        )
    with django_capture_on_commit_callbacks(execute=False):
        fresh = services.request_report(
            kind=Kind.PACT, by=rz["users"]["unit_head"], unit=rz["assessment"].unit
        )
    ReportJob.objects.filter(pk=lost.pk).update(created_at=timezone.now() - timedelta(minutes=6))

    assert requeue_stale_reports.delay().get() == 1  # eager in tests: the render runs at once

    lost.refresh_from_db()
    fresh.refresh_from_db()
    assert lost.status == Status.READY and lost.attempts == 1
    assert fresh.status == Status.QUEUED  # a job asked for a minute ago is still on its way


def test_report_list_says_a_waiting_job_will_run_and_by_when(
    rz, client, django_capture_on_commit_callbacks
):
    """A job lost in a broker outage, and one whose worker was killed mid-render, say on the list
    that they wait and until when at the latest (sweep every 5 min, redelivery after 15 min)."""
    by = rz["users"]["unit_head"]
    with django_capture_on_commit_callbacks(execute=False):  # the broker never got these
        lost = services.request_report(kind=Kind.CHARTER, by=by, assessment=rz["assessment"])
        killed = services.request_report(kind=Kind.PACT, by=by, unit=rz["assessment"].unit)
        fresh = services.request_report(kind=Kind.SCORECARD, by=by, assessment=rz["assessment"])
    now = timezone.now()
    ReportJob.objects.filter(pk=lost.pk).update(created_at=now - timedelta(minutes=2))
    ReportJob.objects.filter(pk=killed.pk).update(
        status=Status.RENDERING, started_at=now - timedelta(minutes=3)
    )

    client.force_login(by)
    html = client.get(reverse("reports:list")).content.decode()
    rows = {
        job.pk: html.split(f'id="job-{job.pk}"')[1].split("</tr>")[0]
        for job in (lost, killed, fresh)
    }
    assert "Menunggu antrean dipulihkan" in rows[lost.pk]
    latest = timezone.localtime(now - timedelta(minutes=2) + timedelta(minutes=10))
    assert f"paling lambat {formats.short_date_time(latest)}" in rows[lost.pk]
    assert "akan dibuat ulang" in rows[killed.pk]
    latest = timezone.localtime(now - timedelta(minutes=3) + timedelta(minutes=15))
    assert f"paling lambat {formats.short_date_time(latest)}" in rows[killed.pk]
    assert "paling lambat" not in rows[fresh.pk]  # asked for just now: on its way

    # Past the latest time with the queue still down: no promise of a time that has gone by.
    ReportJob.objects.filter(pk=lost.pk).update(created_at=now - timedelta(minutes=30))
    html = client.get(reverse("reports:list")).content.decode()
    row = html.split(f'id="job-{lost.pk}"')[1].split("</tr>")[0]
    assert "begitu layanan antrean kembali" in row


def test_a_report_made_again_is_not_shown_as_waiting(
    rz, client, django_capture_on_commit_callbacks
):
    """Buat ulang on a days-old job queues it now: no false 'waiting' from its old dates."""
    by = rz["users"]["unit_head"]
    with django_capture_on_commit_callbacks(execute=False):
        job = services.request_report(kind=Kind.PACT, by=by, unit=rz["assessment"].unit)
    old = timezone.now() - timedelta(days=2)
    ReportJob.objects.filter(pk=job.pk).update(
        status=Status.READY, created_at=old, started_at=old, finished_at=old
    )
    with django_capture_on_commit_callbacks(execute=False):
        services.rerender(job=ReportJob.objects.get(pk=job.pk), by=by)
    client.force_login(by)
    html = client.get(reverse("reports:list")).content.decode()
    row = html.split(f'id="job-{job.pk}"')[1].split("</tr>")[0]
    assert "Dalam antrean" in row and "Menunggu antrean" not in row
