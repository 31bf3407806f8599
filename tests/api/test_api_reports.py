"""Report jobs through the API: request, status, download (reports.services does the work)."""

import pytest
from django.urls import reverse

from reports.models import Kind, ReportJob, Status
from reports.services import request_report
from tests.api.helpers import ROLES


def test_operator_requests_an_lke_xlsx_and_downloads_it(w, api, django_capture_on_commit_callbacks):
    client = api(w["users"]["unit_operator"])
    assessment = w["assessments"]["own"]
    with django_capture_on_commit_callbacks(execute=True):  # the worker runs eagerly in tests
        response = client.post(
            reverse("api:report-list"),
            {"kind": "lke_xlsx", "assessment": assessment.pk},
            format="json",
        )
    assert response.status_code == 201, response.json()
    job_id = response.json()["id"]
    status = client.get(reverse("api:report-detail", args=[job_id])).json()
    assert status["status"] == "ready" and status["progress"] == 100, status
    download = client.get(status["download_url"])
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith('attachment; filename="lke-')
    assert b"".join(download.streaming_content)[:2] == b"PK"  # an xlsx is a zip


def test_job_not_ready_is_409_on_download(w, api):
    job = request_report(
        kind=Kind.LKE_XLSX, by=w["users"]["unit_operator"], assessment=w["assessments"]["own"]
    )
    response = api(w["users"]["unit_operator"]).get(reverse("api:report-download", args=[job.pk]))
    assert response.status_code == 409 and "belum siap" in response.json()["detail"]


@pytest.mark.parametrize(
    "payload, field, message",
    [
        ({"kind": "scorecard"}, None, "Pilih penilaian ZI"),
        ({"kind": "brosur"}, "kind", ""),
        ({"kind": "scorecard", "assessment": 999999}, "assessment", "tidak ditemukan"),
    ],
)
def test_bad_report_requests_are_400(w, api, payload, field, message):
    response = api(w["users"]["inspektorat_admin"]).post(
        reverse("api:report-list"), payload, format="json"
    )
    assert response.status_code == 400
    assert message in response.json()["detail"]
    if field:
        assert field in response.json()["errors"]
    assert not ReportJob.objects.exists()


def test_unit_member_may_not_request_a_pemda_recap(w, api):
    recap = {"kind": "recap", "pemda": w["pemda"]["own"].pk}
    assert (
        api(w["users"]["unit_head"])
        .post(reverse("api:report-list"), recap, format="json")
        .status_code
        == 403
    )
    assert (
        api(w["users"]["leadership"])
        .post(reverse("api:report-list"), recap, format="json")
        .status_code
        == 201
    )


@pytest.mark.parametrize("role", ROLES)
def test_report_job_matrix(w, as_role, role):
    """A job about the own unit: seen by Pemda A's readers and the own unit's members only."""
    job = request_report(
        kind=Kind.LKE_XLSX, by=w["users"]["unit_operator"], assessment=w["assessments"]["own"]
    )
    seen = {
        "inspektorat_admin",
        "evaluator",
        "leadership",
        "tpn_observer",
        "unit_head",
        "unit_operator",
    }
    client = as_role(role)
    response = client.get(reverse("api:report-detail", args=[job.pk]))
    expected = 401 if role == "anonymous" else (200 if role in seen else 404)
    assert response.status_code == expected
    if role != "anonymous":
        listed = [j["id"] for j in client.get(reverse("api:report-list")).json()["results"]]
        assert listed == ([job.pk] if role in seen else [])
    assert ReportJob.objects.get(pk=job.pk).status == Status.QUEUED
