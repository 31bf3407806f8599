"""Who may do what with a dossier: role × action × own unit / other unit / other Pemda.

The Inspektorat (admin and TPI evaluators) prepares; the unit head and operator upload their own
unit's signed scans; leadership and TPN read; the other unit's people and the other Pemda get 404."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from assessments.models import Stage
from dossier import services
from dossier.models import Dossier, DossierScan
from reports.models import ReportJob
from tests.factories import make_assessment, pdf_file

PEOPLE = [
    "inspektorat_admin",
    "evaluator",
    "leadership",
    "tpn_observer",
    "unit_head",
    "unit_operator",
    "other_operator",
    "foreign_admin",
    "foreign_operator",
    "outsider",
]
PREPARERS = {"inspektorat_admin", "evaluator"}
READERS = PREPARERS | {"leadership", "tpn_observer", "unit_head", "unit_operator"}
UNIT = {"unit_head", "unit_operator"}


def _expected(role, allowed):
    if role not in READERS:
        return 404  # another unit or Pemda: its existence is not confirmed
    return None if role in allowed else 403


def _ok(status, expected):
    return status in (200, 302) if expected is None else status == expected


@pytest.fixture
def opened(dz):
    services.open_dossier(assessment=dz["assessment"], target="WBK", by=dz["admin"])
    return dz


@pytest.mark.parametrize("role", PEOPLE)
def test_dossier_page(opened, client, role):
    client.force_login(opened["users"][role])
    response = client.get(reverse("dossier:detail", args=[opened["assessment"].pk]))
    assert _ok(response.status_code, _expected(role, READERS))
    if response.status_code == 200:
        assert "Kelengkapan usulan WBK" in response.content.decode()


@pytest.mark.parametrize("role", PEOPLE)
def test_open_dossier(dz, client, role):
    client.force_login(dz["users"][role])
    response = client.post(reverse("dossier:open", args=[dz["assessment"].pk]), {"target": "WBK"})
    assert _ok(response.status_code, _expected(role, PREPARERS))
    assert Dossier.objects.filter(assessment=dz["assessment"]).exists() == (role in PREPARERS)


@pytest.mark.parametrize("role", PEOPLE)
def test_save_video_and_recommendations(opened, client, role):
    client.force_login(opened["users"][role])
    response = client.post(
        reverse("dossier:save", args=[opened["assessment"].pk]),
        {"video_url": "https://vimeo.com/76979871", "recommendations": "Rekomendasi"},
    )
    assert _ok(response.status_code, _expected(role, PREPARERS))
    saved = Dossier.objects.get(assessment=opened["assessment"]).video_url
    assert (saved == "https://vimeo.com/76979871") == (role in PREPARERS)


@pytest.mark.parametrize("role", PEOPLE)
def test_upload_signed_scan(opened, client, role):
    client.force_login(opened["users"][role])
    response = client.post(
        reverse("dossier:upload", args=[opened["assessment"].pk, "sptjm"]),
        {"file": pdf_file("SPTJM bertanda tangan.pdf")},
    )
    assert _ok(response.status_code, _expected(role, UNIT))
    assert DossierScan.objects.exists() == (role in UNIT)


@pytest.mark.parametrize(
    "kind, allowed",
    [
        ("usulan", PREPARERS),
        ("lhe", PREPARERS),
        ("bundle", PREPARERS),
        ("sptjm", PREPARERS | UNIT),
    ],
)
@pytest.mark.parametrize("role", PEOPLE)
def test_request_documents(opened, client, role, kind, allowed):
    client.force_login(opened["users"][role])
    response = client.post(reverse("dossier:document", args=[opened["assessment"].pk, kind]))
    expected = _expected(role, allowed)
    if expected is None:
        assert response.status_code == 302
        assert ReportJob.objects.filter(kind=kind).count() == 1
    else:
        # Refused by the report service's own rule: no job, whatever page asked.
        assert response.status_code == expected
        assert not ReportJob.objects.exists()


def test_leadership_cannot_request_a_bundle_through_the_generic_report_form(opened, client):
    client.force_login(opened["users"]["leadership"])
    response = client.post(
        reverse("reports:request"), {"kind": "bundle", "assessment": opened["assessment"].pk}
    )
    assert response.status_code == 403
    assert not ReportJob.objects.exists()


@pytest.mark.parametrize("role", PEOPLE)
def test_api_reads_the_checklist(opened, role):
    client = APIClient()
    user = opened["users"][role]
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    response = client.get(f"/api/v1/dossiers/{opened['assessment'].pk}/")
    if role in READERS:
        assert response.status_code == 200
        body = response.json()
        assert body["opened"] is True and body["target"] == "WBK"
        assert body["complete"] is False
        assert body["missing"] == ["surat_usulan", "sptjm", "lhe", "video", "piagam", "pakta"]
    else:
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


def test_once_nominated_the_dossier_is_locked_for_everyone(opened, client):
    a = opened["assessment"]
    a.stage = Stage.NOMINATED
    a.save()
    for role, url, data in [
        ("inspektorat_admin", reverse("dossier:save", args=[a.pk]), {"video_url": ""}),
        ("unit_operator", reverse("dossier:upload", args=[a.pk, "pakta"]), {"file": pdf_file()}),
    ]:
        client.force_login(opened["users"][role])
        assert client.post(url, data).status_code == 403
    with pytest.raises(Exception, match="selama tahap pembangunan"):
        services.upload_scan(
            assessment=a, item="pakta", uploaded_file=pdf_file(), by=opened["operator"]
        )


def test_scan_download_is_for_readers_of_the_unit_only(opened, client):
    scan = services.upload_scan(
        assessment=opened["assessment"],
        item="piagam",
        uploaded_file=pdf_file("Piagam bertanda tangan.pdf"),
        by=opened["operator"],
    )
    url = reverse("dossier:download_scan", args=[scan.pk])
    for role, status in [("leadership", 200), ("other_operator", 404), ("foreign_admin", 404)]:
        client.force_login(opened["users"][role])
        response = client.get(url)
        assert response.status_code == status, role
        if status == 200:
            assert response["Content-Disposition"].startswith("attachment")
            assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_other_pemda_assessment_is_404_even_for_its_own_dossier_id(dz, client):
    foreign = make_assessment(dz["foreign"])
    client.force_login(dz["admin"])
    assert client.get(reverse("dossier:detail", args=[foreign.pk])).status_code == 404


def test_unit_people_are_not_offered_the_pemda_letter_they_cannot_download(opened, client):
    from reports.services import render_job

    render_job(
        services.request_document(
            assessment=opened["assessment"], kind="usulan", by=opened["admin"]
        )
    )
    client.force_login(opened["operator"])
    html = client.get(reverse("dossier:detail", args=[opened["assessment"].pk])).content.decode()
    letter = ReportJob.objects.get(kind="usulan")
    assert reverse("reports:download", args=[letter.pk]) not in html
    assert client.get(reverse("reports:download", args=[letter.pk])).status_code == 403
    client.force_login(opened["users"]["leadership"])
    html = client.get(reverse("dossier:detail", args=[opened["assessment"].pk])).content.decode()
    assert reverse("reports:download", args=[letter.pk]) in html
