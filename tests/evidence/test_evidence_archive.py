import csv
import io
import zipfile

import pytest
from django.urls import reverse

from evidence import services
from evidence.models import EvidenceArchive
from evidence.tasks import build_evidence_archive
from tests.factories import image_bytes, pdf_bytes, pdf_file, png_file


@pytest.fixture
def evidence_set(world, own_item):
    """Own unit: a PDF (own_item), a PNG replaced once, a link, and a deleted PDF."""
    operator, assessment, q = (
        world["users"]["unit_operator"],
        world["assessments"]["own"],
        world["q"],
    )
    photo = services.upload_file(
        assessment=assessment,
        question=q["PEM-MP-01.b"],
        uploaded_file=png_file(colour="blue"),
        by=operator,
    )
    services.upload_file(
        assessment=assessment,
        question=q["PEM-MP-01.b"],
        uploaded_file=png_file(colour="green"),
        by=operator,
        replaces=photo,
    )
    services.add_link(
        assessment=assessment,
        question=q["PEM-PP-01.a"],
        url="https://jepara.go.id/layanan",
        title="Daftar layanan",
        by=operator,
    )
    gone = services.upload_file(
        assessment=assessment,
        question=q["PEM-PP-01.a"],
        uploaded_file=pdf_file("salah unggah.pdf", "salah"),
        by=operator,
    )
    services.soft_delete(item=gone, by=operator)
    return {"pdf": own_item, "photo": photo}


def _archive(world):
    return EvidenceArchive.objects.create(
        assessment=world["assessments"]["own"], requested_by=world["users"]["evaluator"]
    )


def _open_zip(archive):
    with archive.file.open("rb") as fh:
        return zipfile.ZipFile(io.BytesIO(fh.read()))


def test_archive_task_zips_current_files_with_a_manifest_and_reaches_100(world, evidence_set):
    archive = _archive(world)
    assert build_evidence_archive.delay(archive.pk).get() == "ready"
    archive.refresh_from_db()
    assert (archive.status, archive.progress, archive.file_count, archive.error) == (
        "ready",
        100,
        2,
        "",
    )
    zf = _open_zip(archive)
    pdf, photo = evidence_set["pdf"], evidence_set["photo"]
    assert sorted(zf.namelist()) == sorted(
        [
            f"PEM-MP-01.a/{pdf.pk}-v1-SK Tim Kerja ZI.pdf",
            f"PEM-MP-01.b/{photo.pk}-v2-Foto maklumat pelayanan.png",
            "DAFTAR-DATA-DUKUNG.csv",
        ]
    )
    assert zf.read(f"PEM-MP-01.a/{pdf.pk}-v1-SK Tim Kerja ZI.pdf") == pdf_bytes()
    assert zf.read(f"PEM-MP-01.b/{photo.pk}-v2-Foto maklumat pelayanan.png") == image_bytes(
        "PNG", "green"
    )
    rows = list(
        csv.reader(
            io.StringIO(zf.read("DAFTAR-DATA-DUKUNG.csv").decode("utf-8-sig")), delimiter=";"
        )
    )
    assert rows[0][:3] == ["kode_pertanyaan", "jenis", "judul"]
    assert [r[2] for r in rows[1:]] == [
        "SK Tim Kerja ZI.pdf",
        "Foto maklumat pelayanan.png",
        "Daftar layanan",
    ]
    assert rows[3][9] == "https://jepara.go.id/layanan"
    assert "salah unggah.pdf" not in zf.read("DAFTAR-DATA-DUKUNG.csv").decode("utf-8-sig")


def test_archive_task_is_idempotent(world, evidence_set):
    archive = _archive(world)
    build_evidence_archive.delay(archive.pk)
    archive.refresh_from_db()
    name = archive.file.name
    build_evidence_archive.delay(archive.pk)  # a redelivered message
    archive.refresh_from_db()
    assert archive.file.name == name and archive.status == "ready"


def test_interrupted_archive_is_built_again_on_retry(world, evidence_set):
    archive = _archive(world)
    EvidenceArchive.objects.filter(pk=archive.pk).update(status="running", progress=40)
    assert build_evidence_archive.delay(archive.pk).get() == "ready"


def test_corrupted_file_is_left_out_of_the_archive_and_reported(world, evidence_set):
    version = evidence_set["pdf"].current_version
    with open(version.file.path, "wb") as fh:
        fh.write(b"rusak")
    archive = _archive(world)
    build_evidence_archive.delay(archive.pk)
    archive.refresh_from_db()
    assert archive.status == "ready" and archive.file_count == 1
    assert "SK Tim Kerja ZI.pdf" in archive.error
    zf = _open_zip(archive)
    assert not any(n.startswith("PEM-MP-01.a/") for n in zf.namelist())
    assert "TIDAK DISERTAKAN" in zf.read("DAFTAR-DATA-DUKUNG.csv").decode("utf-8-sig")


def test_inspektorat_requests_follows_and_downloads_the_archive(
    world, login, evidence_set, django_capture_on_commit_callbacks
):
    client = login(world["users"]["evaluator"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("evidence:archive_request", args=[world["assessments"]["own"].pk])
        )
    archive = EvidenceArchive.objects.get()
    assert response.url == reverse("evidence:archive_detail", args=[archive.pk])
    page = client.get(response.url).content.decode()
    assert "Siap diunduh" in page and "100%" in page and "every 2s" not in page
    download = client.get(reverse("evidence:archive_download", args=[archive.pk]))
    assert download["Content-Type"] == "application/zip"
    assert download["Content-Disposition"].startswith('attachment; filename="data-dukung-')
    assert zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))).testzip() is None


def test_progress_page_polls_every_two_seconds_until_done(world, login):
    archive = _archive(world)
    client = login(world["users"]["inspektorat_admin"])
    html = client.get(reverse("evidence:archive_detail", args=[archive.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in html and "Dalam antrean" in html
    fragment = client.get(
        reverse("evidence:archive_detail", args=[archive.pk]), HTTP_HX_REQUEST="true"
    )
    assert fragment.content.decode().lstrip().startswith('<div id="archive-status"')


def test_a_second_request_reuses_a_queued_or_fresh_archive(
    world, evidence_set, django_capture_on_commit_callbacks
):
    evaluator, assessment = world["users"]["evaluator"], world["assessments"]["own"]
    queued = services.request_archive(
        assessment=assessment, by=evaluator
    )  # callbacks not run: still queued
    assert services.request_archive(assessment=assessment, by=evaluator) == queued
    build_evidence_archive.delay(queued.pk)
    assert (
        services.request_archive(assessment=assessment, by=evaluator) == queued
    )  # ready and up to date
    services.add_link(
        assessment=assessment,
        question=world["q"]["PEM-MP-01.a"],
        url="https://jepara.go.id/baru",
        title="Baru",
        by=world["users"]["unit_operator"],
    )
    assert (
        services.request_archive(assessment=assessment, by=evaluator) != queued
    )  # evidence changed since


def test_archive_of_another_pemda_is_not_shown(world, login, evidence_set):
    archive = _archive(world)
    build_evidence_archive.delay(archive.pk)
    client = login(world["users"]["foreign_evaluator"])
    # Another Pemda's archive is not there at all; the unit's own is there but not for the unit.
    assert client.get(reverse("evidence:archive_detail", args=[archive.pk])).status_code == 404
    assert client.get(reverse("evidence:archive_download", args=[archive.pk])).status_code == 404
    unit = login(world["users"]["unit_head"])
    assert unit.get(reverse("evidence:archive_download", args=[archive.pk])).status_code == 403
