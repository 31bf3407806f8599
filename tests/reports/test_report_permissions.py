"""Who may request, list and download which report (role × action × own/other unit/Pemda)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from reports import services
from reports.models import Kind, ReportJob, Status

UNIT_DOCS = {
    "unit_head",
    "unit_operator",
    "inspektorat_admin",
    "evaluator",
    "leadership",
    "tpn_observer",
}
EVERYONE = UNIT_DOCS | {"other_operator", "foreign_admin", "foreign_operator", "outsider"}


@pytest.fixture
def ready_jobs(rz, django_capture_on_commit_callbacks):
    """A ready scorecard of the own unit, of the other unit, of the foreign unit, and a recap."""
    admin = rz["users"]["inspektorat_admin"]
    with django_capture_on_commit_callbacks(execute=True):
        jobs = {
            "own": services.request_report(
                kind=Kind.SCORECARD, by=admin, assessment=rz["assessment"]
            ),
            "other": services.request_report(
                kind=Kind.SCORECARD, by=admin, assessment=rz["other_assessment"]
            ),
            "foreign": services.request_report(
                kind=Kind.PACT, by=rz["users"]["foreign_admin"], unit=rz["foreign"]
            ),
            "recap": services.request_report(
                kind=Kind.RECAP, by=rz["users"]["leadership"], pemda=rz["pemda"]
            ),
        }
    for job in jobs.values():
        job.refresh_from_db()
        assert job.status == Status.READY, job.error
    return jobs


@pytest.mark.parametrize("who", sorted(EVERYONE))
def test_request_unit_report_matrix(rz, who):
    user = rz["users"][who]
    if who in UNIT_DOCS:
        assert services.request_report(kind=Kind.SCORECARD, by=user, assessment=rz["assessment"]).pk
    else:
        with pytest.raises(PermissionDenied):
            services.request_report(kind=Kind.SCORECARD, by=user, assessment=rz["assessment"])


@pytest.mark.parametrize(
    "who,allowed",
    [
        ("leadership", True),
        ("inspektorat_admin", True),
        ("evaluator", True),
        ("tpn_observer", True),
        ("unit_head", False),
        ("unit_operator", False),
        ("foreign_admin", False),
        ("outsider", False),
    ],
)
def test_only_pemda_wide_roles_request_the_regional_recap(rz, who, allowed):
    user = rz["users"][who]
    if allowed:
        assert services.request_report(kind=Kind.RECAP, by=user, pemda=rz["pemda"]).year == 2026
    else:
        with pytest.raises(PermissionDenied):
            services.request_report(kind=Kind.RECAP, by=user, pemda=rz["pemda"])


def test_operator_cannot_request_other_units_pact_over_http(rz, login):
    client = login(rz["users"]["unit_operator"])
    response = client.post(reverse("reports:request"), {"kind": "pact", "unit": rz["other"].pk})
    assert response.status_code == 404  # another unit: as if it did not exist
    assert not ReportJob.objects.exists()


def test_foreign_admin_cannot_request_our_recap_over_http(rz, login):
    client = login(rz["users"]["foreign_admin"])
    response = client.post(reverse("reports:request"), {"kind": "recap", "pemda": rz["pemda"].pk})
    assert response.status_code == 404


# 404 where the job's unit or Pemda is outside the person's own; 403 for a Pemda-wide job (recap)
# of their own Pemda that their unit role may not open.
@pytest.mark.parametrize(
    "who,target,status",
    [
        ("unit_operator", "own", 200),
        ("unit_head", "own", 200),
        ("unit_operator", "other", 404),
        ("unit_operator", "recap", 403),
        ("other_operator", "own", 404),
        ("leadership", "own", 200),
        ("leadership", "recap", 200),
        ("tpn_observer", "other", 200),
        ("evaluator", "recap", 200),
        ("foreign_admin", "own", 404),
        ("foreign_admin", "recap", 404),
        ("foreign_admin", "foreign", 200),
        ("foreign_operator", "foreign", 200),
        ("inspektorat_admin", "foreign", 404),
        ("outsider", "own", 404),
    ],
)
def test_download_matrix(rz, ready_jobs, login, who, target, status):
    response = login(rz["users"][who]).get(
        reverse("reports:download", args=[ready_jobs[target].pk])
    )
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_anonymous_download_goes_to_login(client, ready_jobs):
    response = client.get(reverse("reports:download", args=[ready_jobs["own"].pk]))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_file_names_are_readable(rz, ready_jobs, login):
    response = login(rz["users"]["leadership"]).get(
        reverse("reports:download", args=[ready_jobs["own"].pk])
    )
    assert 'filename="kartu-skor-dpmptsp-2026.pdf"' in response["Content-Disposition"]


def test_job_list_shows_only_what_the_user_may_see(rz, ready_jobs, login):
    operator_page = (
        login(rz["users"]["unit_operator"]).get(reverse("reports:list")).content.decode()
    )
    assert reverse("reports:download", args=[ready_jobs["own"].pk]) in operator_page
    for hidden in ("other", "foreign", "recap"):
        assert reverse("reports:download", args=[ready_jobs[hidden].pk]) not in operator_page
    leader_page = login(rz["users"]["leadership"]).get(reverse("reports:list")).content.decode()
    for shown in ("own", "other", "recap"):
        assert reverse("reports:download", args=[ready_jobs[shown].pk]) in leader_page
    assert reverse("reports:download", args=[ready_jobs["foreign"].pk]) not in leader_page


def test_job_list_agrees_with_the_view_permission(rz, ready_jobs):
    for user in rz["users"].values():
        listed = set(services.visible_jobs(user).values_list("pk", flat=True))
        allowed = {j.pk for j in ReportJob.objects.all() if user.has_perm("reports.view_report", j)}
        assert listed == allowed


def test_operator_cannot_rerender_other_units_report(rz, ready_jobs, login):
    response = login(rz["users"]["unit_operator"]).post(
        reverse("reports:rerender", args=[ready_jobs["other"].pk])
    )
    assert response.status_code == 404


def test_not_ready_job_cannot_be_downloaded(rz, login):
    job = services.request_report(kind=Kind.PACT, by=rz["users"]["unit_head"], unit=rz["unit"])
    response = login(rz["users"]["unit_head"]).get(reverse("reports:download", args=[job.pk]))
    assert response.status_code == 404


def test_bad_request_input_is_a_message_not_an_error(rz, login):
    client = login(rz["users"]["leadership"])
    response = client.post(
        reverse("reports:request"), {"kind": "nonsense", "pemda": rz["pemda"].pk}, follow=True
    )
    assert response.status_code == 200
    assert "Jenis laporan tidak dikenal." in response.content.decode()
    response = client.post(
        reverse("reports:request"),
        {"kind": "charter", "pemda": rz["pemda"].pk, "proclaimed_on": "2026-13-45"},
        follow=True,
    )
    assert (
        "Pilih penilaian unit, atau Pemda dan tanggal pencanangan bersama."
        in response.content.decode()
    )
    response = client.post(reverse("reports:request"), {"kind": "scorecard", "assessment": "abc"})
    assert response.status_code == 404


@pytest.mark.parametrize(
    "year,message",
    [
        ("-1", "Tahun harus berupa angka, misalnya 2026."),
        ("dua ribu", "Tahun harus berupa angka, misalnya 2026."),
        ("99999999999999999999", "di luar rentang 2000–2100."),
        ("1999", "Tahun 1999 di luar rentang 2000–2100."),
    ],
)
def test_a_bad_recap_year_is_a_message_and_queues_nothing(rz, login, year, message):
    # The year is typed into the recap form; "-1" used to fail the database's check (HTTP 500).
    client = login(rz["users"]["leadership"])
    response = client.post(
        reverse("reports:request"),
        {"kind": "recap", "pemda": rz["pemda"].pk, "year": year},
        follow=True,
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ReportJob.objects.exists()


def test_request_from_a_page_queues_and_lands_on_the_list(rz, login):
    client = login(rz["users"]["unit_operator"])
    response = client.post(
        reverse("reports:request"), {"kind": "charter", "assessment": rz["assessment"].pk}
    )
    job = ReportJob.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"?job={job.pk}")
    page = client.get(response["Location"]).content.decode()
    assert "Piagam Pencanangan" in page


def test_busy_jobs_poll_and_finished_ones_do_not(rz, login):
    client = login(rz["users"]["unit_operator"])
    services.request_report(
        kind=Kind.PACT, by=rz["users"]["unit_operator"], unit=rz["unit"]
    )  # not committed: queued
    page = client.get(reverse("reports:list")).content.decode()
    assert 'hx-trigger="every 2s"' in page and "Dalam antrean" in page
    ReportJob.objects.update(status=Status.FAILED, error="Laporan gagal dibuat: contoh")
    fragment = client.get(
        reverse("reports:list") + "?part=jobs", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "hx-trigger" not in fragment and "Laporan gagal dibuat: contoh" in fragment


def _list_queries(client, django_assert_max_num_queries, limit=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("reports:list"))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_job_list_query_count_does_not_grow_with_jobs(rz, login, django_assert_max_num_queries):
    client = login(rz["users"]["leadership"])
    admin = rz["users"]["inspektorat_admin"]

    def make(n):
        ReportJob.objects.bulk_create(
            [
                ReportJob(
                    kind=Kind.SCORECARD,
                    pemda=rz["pemda"],
                    unit=rz["unit"] if i % 2 else rz["other"],
                    assessment=rz["assessment"] if i % 2 else rz["other_assessment"],
                    year=2026,
                    requested_by=admin,
                    status=Status.READY,
                    file=f"reports/x/{i}.pdf",
                )
                for i in range(n)
            ]
        )

    make(5)
    few = _list_queries(client, django_assert_max_num_queries)
    make(10)
    with django_assert_max_num_queries(few):
        client.get(reverse("reports:list"))
