"""Asking for a report while the broker (Redis) is down: the request is recorded and said so, not
a server error; the job is handed over again by the beat sweeper once the broker is back."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reports import services
from reports.models import Kind, ReportJob, Status
from reports.tasks import requeue_stale_reports


# Committed transactions, as in production: the job is handed to the broker when the request's
# transaction commits, before the page answers.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_report_asked_for_while_the_broker_is_down_is_kept_and_runs_when_it_returns(
        rz, client, unreachable_broker, caplog):
    client.force_login(rz["users"]["leadership"])
    response = client.post(reverse("reports:request"), {"kind": Kind.SCORECARD, "assessment": rz["assessment"].pk},
                           follow=True)
    assert response.status_code == 200
    assert "layanan antrean sedang tidak tersedia" in response.content.decode()
    job = ReportJob.objects.get()
    assert job.status == Status.QUEUED
    assert "not queued (broker unreachable)" in caplog.text


def test_sweeper_hands_lost_jobs_over_again_and_leaves_fresh_ones(rz, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):  # asked for, message lost
        lost = services.request_report(kind=Kind.CHARTER, by=rz["users"]["unit_head"], assessment=rz["assessment"])
    with django_capture_on_commit_callbacks(execute=False):
        fresh = services.request_report(kind=Kind.PACT, by=rz["users"]["unit_head"], unit=rz["assessment"].unit)
    ReportJob.objects.filter(pk=lost.pk).update(created_at=timezone.now() - timedelta(minutes=6))

    assert requeue_stale_reports.delay().get() == 1  # eager in tests: the render runs at once

    lost.refresh_from_db()
    fresh.refresh_from_db()
    assert lost.status == Status.READY and lost.attempts == 1
    assert fresh.status == Status.QUEUED  # a job asked for a minute ago is still on its way
