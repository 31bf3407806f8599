"""Bad input gets a clear Indonesian message next to its field, and nothing typed is lost."""

import pytest
from django.urls import reverse

from dossier import services
from dossier.models import Dossier, DossierScan
from tests.factories import ELF, pdf_file, png_file, xlsx_bytes

GOOD = [
    "https://www.youtube.com/watch?v=aBcDeFgHiJk",
    "https://youtu.be/aBcDeFgHiJk",
    "https://www.youtube.com/shorts/aBcDeFgHiJk",
    "https://vimeo.com/76979871",
    "https://player.vimeo.com/video/76979871",
    "https://drive.google.com/file/d/1AbCdEfGhIjKlMnOpQ/view",
    "https://jeparakab.go.id/media/profil-dpmptsp-2026.mp4",
]
BAD = [
    "http://www.youtube.com/watch?v=aBcDeFgHiJk",  # not https
    "https://www.youtube.com/@pemkabjepara",  # a channel, not a video
    "https://www.youtube.com/watch?v=short",  # not a video id
    "https://vimeo.com/pemkab",  # a profile
    "https://drive.google.com/drive/folders/1AbCdEfGhIjKlMnOpQ",  # a folder
    "https://jeparakab.go.id/profil",  # a page, not a video
    "https://user:pass@youtu.be/aBcDeFgHiJk",
    "javascript:alert(1)",
    "youtube.com/watch?v=aBcDeFgHiJk",
]


@pytest.mark.parametrize("url", GOOD)
def test_video_links_that_point_at_one_video_are_accepted(url):
    assert services.clean_video_url(f"  {url} ") == url


@pytest.mark.parametrize("url", BAD)
def test_other_links_are_refused_with_the_accepted_forms_named(url):
    with pytest.raises(services.DossierError, match="harus https dan menunjuk satu video") as exc:
        services.clean_video_url(url)
    assert exc.value.field == "video_url"


def test_bad_video_link_is_shown_next_to_the_field_and_keeps_the_recommendations(dz, client):
    a = dz["assessment"]
    services.open_dossier(assessment=a, target="WBK", by=dz["admin"])
    client.force_login(dz["admin"])
    response = client.post(
        reverse("dossier:save", args=[a.pk]),
        {
            "video_url": "https://www.youtube.com/@pemkabjepara",
            "recommendations": "Lengkapi SK Tim Kerja ZI",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="field has-error"' in html and "menunjuk satu video" in html
    assert "https://www.youtube.com/@pemkabjepara" in html
    assert "Lengkapi SK Tim Kerja ZI" in html
    assert Dossier.objects.get(assessment=a).recommendations == ""  # nothing half-saved


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("sptjm.pdf", ELF, "berisi program"),
        ("sptjm.xlsx", xlsx_bytes(), "Pindaian harus berupa PDF, JPG atau PNG"),
        ("sptjm.pdf", b"", "kosong"),
    ],
)
def test_a_bad_scan_is_refused_next_to_its_field(dz, client, name, content, message):
    from django.core.files.uploadedfile import SimpleUploadedFile

    a = dz["assessment"]
    services.open_dossier(assessment=a, target="WBK", by=dz["admin"])
    client.force_login(dz["operator"])
    response = client.post(
        reverse("dossier:upload", args=[a.pk, "sptjm"]),
        {"file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not DossierScan.objects.exists()


def test_a_scan_above_the_size_limit_is_refused(dz, client, settings):
    settings.EVIDENCE_MAX_BYTES = 2048
    a = dz["assessment"]
    services.open_dossier(assessment=a, target="WBK", by=dz["admin"])
    client.force_login(dz["operator"])
    response = client.post(
        reverse("dossier:upload", args=[a.pk, "pakta"]),
        {"file": pdf_file("Pakta.pdf", pad=4096)},
    )
    assert response.status_code in (400, 413)
    assert "melebihi batas ukuran" in response.content.decode() or response.status_code == 413
    assert not DossierScan.objects.exists()


def test_a_photo_of_the_signed_charter_is_kept_under_a_safe_name(dz, client):
    a = dz["assessment"]
    services.open_dossier(assessment=a, target="WBK", by=dz["admin"])
    client.force_login(dz["operator"])
    response = client.post(
        reverse("dossier:upload", args=[a.pk, "piagam"]),
        {"file": png_file("piagam\u202egnp.exe")},
    )
    assert response.status_code == 302
    scan = DossierScan.objects.get()
    assert scan.original_name == "piagamgnp.exe.png"
    assert scan.file.name.endswith(".png") and len(scan.sha256) == 64


def test_dossier_page_runs_a_fixed_number_of_queries(dz, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import complete_dossier

    a = dz["assessment"]
    complete_dossier(a, admin=dz["admin"], operator=dz["operator"])
    client.force_login(dz["admin"])
    url = reverse("dossier:detail", args=[a.pk])
    client.get(url)  # warm the session and permission caches

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    # Three times the scans and jobs: the same number of queries.
    for i in range(3):
        services.upload_scan(
            assessment=a,
            item="sptjm",
            uploaded_file=pdf_file(f"SPTJM {i}.pdf", f"v{i}"),
            by=dz["operator"],
        )
        services.request_document(assessment=a, kind="sptjm", by=dz["admin"])
    assert count() == before <= 25
