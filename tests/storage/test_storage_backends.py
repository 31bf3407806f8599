"""The storage paths end to end, on the local file system and on an S3-compatible server
(tests/storage/conftest.py): evidence upload and checksum-verified download, report files,
the evidence zip, backup and restore (also to and from the object store), and the bucket set-up
that docker-compose runs at first start."""

import hashlib
import io
import tarfile
import urllib.error
import urllib.request
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from evidence import services as evidence
from evidence.models import EvidenceArchive, EvidenceItem
from reports import services as reports
from reports.models import Kind, Status
from tests.factories import image_bytes, pdf_bytes, pdf_file, png_file, post_files

PDF = pdf_bytes()


def _read(stream) -> bytes:
    return b"".join(stream)


def test_uploaded_evidence_is_stored_and_downloaded_checksum_verified(
    storage_backend, world, login
):
    assessment, question = world["assessments"]["own"], world["q"]["PEM-MP-01.a"]
    client = login(world["users"]["unit_operator"])
    response = post_files(
        client, assessment, question, pdf_file()
    )  # the real streaming upload handler
    assert response.status_code == 200
    version = EvidenceItem.objects.get(assessment=assessment).current_version
    assert version.sha256 == hashlib.sha256(PDF).hexdigest()
    assert storage_backend.names() == [version.file.name]
    assert storage_backend.nothing_elsewhere()

    download = login(world["users"]["evaluator"]).get(
        reverse("evidence:download", args=[version.pk])
    )
    assert download.status_code == 200
    assert _read(download.streaming_content) == PDF
    assert download["Content-Disposition"] == 'attachment; filename="SK Tim Kerja ZI.pdf"'

    storage_backend.overwrite(version.file.name, pdf_bytes("diubah di luar aplikasi"))
    refused = login(world["users"]["evaluator"]).get(
        reverse("evidence:download", args=[version.pk])
    )
    assert refused.status_code == 409 and "tidak cocok dengan checksum" in refused.content.decode()


def test_a_missing_evidence_file_is_refused_not_a_server_error(storage_backend, world, login):
    item = evidence.upload_file(
        assessment=world["assessments"]["own"],
        question=world["q"]["PEM-MP-01.a"],
        uploaded_file=pdf_file(),
        by=world["users"]["unit_operator"],
    )
    version = item.current_version
    version.file.storage.delete(version.file.name)
    assert storage_backend.names() == []
    response = login(world["users"]["evaluator"]).get(
        reverse("evidence:download", args=[version.pk])
    )
    assert response.status_code == 409


def test_report_is_stored_downloaded_and_replaced_on_rerender(
    storage_backend, rz, login, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = reports.request_report(
            kind=Kind.CHARTER, by=rz["users"]["unit_operator"], assessment=rz["assessment"]
        )
    job.refresh_from_db()
    assert job.status == Status.READY
    assert storage_backend.names() == [job.file.name] and job.file.name.startswith("reports/")
    assert storage_backend.nothing_elsewhere()

    response = login(rz["users"]["unit_operator"]).get(reverse("reports:download", args=[job.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    body = _read(response.streaming_content)
    assert body.startswith(b"%PDF") and len(body) == job.size

    old = job.file.name
    with django_capture_on_commit_callbacks(execute=True):
        reports.rerender(job=job, by=rz["users"]["unit_operator"])
    job.refresh_from_db()
    assert job.status == Status.READY and job.file.name != old
    assert storage_backend.names() == [job.file.name]  # the previous file was deleted


def test_evidence_zip_holds_the_verified_files_and_leaves_out_a_damaged_one(
    storage_backend, world, login, django_capture_on_commit_callbacks
):
    assessment, q, operator = (
        world["assessments"]["own"],
        world["q"],
        world["users"]["unit_operator"],
    )
    pdf = evidence.upload_file(
        assessment=assessment, question=q["PEM-MP-01.a"], uploaded_file=pdf_file(), by=operator
    )
    photo = evidence.upload_file(
        assessment=assessment, question=q["PEM-MP-01.b"], uploaded_file=png_file(), by=operator
    )
    damaged = evidence.upload_file(
        assessment=assessment,
        question=q["PEM-PP-01.a"],
        uploaded_file=pdf_file("Rusak.pdf", "akan rusak"),
        by=operator,
    )
    storage_backend.overwrite(damaged.current_version.file.name, b"%PDF-1.4 rusak")

    client = login(world["users"]["evaluator"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("evidence:archive_request", args=[assessment.pk]))
    assert response.status_code == 302
    archive = EvidenceArchive.objects.get(assessment=assessment)
    assert (archive.status, archive.file_count) == (EvidenceArchive.State.READY, 2)
    assert "Rusak.pdf" in archive.error
    assert archive.file.name in storage_backend.names() and archive.file.name.startswith(
        "evidence-archives/"
    )
    assert storage_backend.nothing_elsewhere()

    download = client.get(reverse("evidence:archive_download", args=[archive.pk]))
    assert download.status_code == 200
    zf = zipfile.ZipFile(io.BytesIO(_read(download.streaming_content)))
    assert zf.read(f"PEM-MP-01.a/{pdf.pk}-v1-SK Tim Kerja ZI.pdf") == PDF
    assert zf.read(f"PEM-MP-01.b/{photo.pk}-v1-Foto maklumat pelayanan.png") == image_bytes(
        "PNG", "red"
    )
    assert not any("Rusak" in name for name in zf.namelist())


@pytest.mark.django_db(
    transaction=True, serialized_rollback=True
)  # a restore flushes (tests/security)
def test_backup_and_restore_bring_back_rows_and_files(storage_backend, zi, tmp_path, request):
    from assessments.models import Question

    assessment, operator = zi["assessment"], zi["users"]["unit_operator"]
    question = Question.objects.filter(instrument=assessment.instrument).first()
    item = evidence.upload_file(
        assessment=assessment, question=question, uploaded_file=pdf_file(), by=operator
    )
    stored = item.current_version.file.name
    if storage_backend.kind == "s3":  # production: the archive goes to the object store
        server = request.getfixturevalue("s3_server")
        server["client"].create_bucket(Bucket="zi-portal-uji-cadangan")
        target = "s3://zi-portal-uji-cadangan/harian/zi-uji.tar.gz"
    else:
        target = str(tmp_path / "zi-uji.tar.gz")
    call_command("backup_portal", output=target)
    if storage_backend.kind == "s3":
        listed = server["client"].list_objects_v2(Bucket="zi-portal-uji-cadangan")["Contents"]
        assert [o["Key"] for o in listed] == ["harian/zi-uji.tar.gz"]
        assert stored in storage_backend.names() and not any(
            n.endswith(".tar.gz") for n in storage_backend.names()
        )

    # Damage after the backup: the item renamed, its file lost, a stray file added.
    EvidenceItem.objects.filter(pk=item.pk).update(title="diubah")
    item.current_version.file.storage.delete(stored)
    storage_backend.overwrite("evidence/liar.pdf", b"%PDF-1.4 liar")

    call_command("restore_portal", target, yes=True)

    restored = EvidenceItem.objects.get(pk=item.pk)
    assert restored.title == "SK Tim Kerja ZI.pdf"
    assert storage_backend.names() == [stored]
    stream = evidence.open_verified(restored.current_version)
    try:
        assert b"".join(iter(lambda: stream.read(), b"")) == PDF
    finally:
        stream.close()
    assert storage_backend.nothing_elsewhere()


def test_restore_from_a_missing_object_store_archive_says_so(s3_server, s3_storage, db):
    s3_storage()
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("restore_portal", f"s3://{s3_server['bucket']}/tidak-ada.tar.gz", yes=True)
    with pytest.raises(CommandError, match="s3://bucket/nama-berkas"):
        call_command("backup_portal", output="s3://hanya-bucket")


def test_object_store_addresses_need_s3_storage(db, tmp_path):
    with pytest.raises(CommandError, match="bukan S3"):
        call_command("backup_portal", output="s3://zi-portal-cadangan/x.tar.gz")
    with pytest.raises(CommandError, match="bukan S3"):
        call_command("ensure_buckets")


def test_ensure_buckets_creates_missing_private_buckets_once(s3_server, s3_storage, capsys):
    s3_storage(AWS_STORAGE_BUCKET_NAME="zi-portal-baru")
    call_command("ensure_buckets", "zi-portal-baru-cadangan")
    assert capsys.readouterr().out.splitlines() == [
        "Bucket zi-portal-baru: dibuat.",
        "Bucket zi-portal-baru-cadangan: dibuat.",
    ]
    call_command("ensure_buckets", "zi-portal-baru-cadangan")  # at every start: nothing changes
    assert capsys.readouterr().out.count("sudah ada") == 2

    # What the portal stores there is not readable without the keys.
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    name = default_storage.save("evidence/rahasia.pdf", ContentFile(PDF))
    assert s3_server["client"].get_object(Bucket="zi-portal-baru", Key=name)["Body"].read() == PDF
    with pytest.raises(urllib.error.HTTPError) as refused:  # anonymous: no signature
        urllib.request.urlopen(f"{s3_server['endpoint']}/zi-portal-baru/{name}", timeout=5)
    assert refused.value.code == 403
    everyone = "http://acs.amazonaws.com/groups/global/AllUsers"
    for bucket in ("zi-portal-baru", "zi-portal-baru-cadangan"):
        grants = s3_server["client"].get_bucket_acl(Bucket=bucket)["Grants"]
        assert not [g for g in grants if g["Grantee"].get("URI") == everyone]


def test_unreachable_object_store_is_retried_then_recorded(
    s3_storage, settings, monkeypatch, rz, django_capture_on_commit_callbacks
):
    """A store that cannot be reached is a transient failure: the task tries again with backoff
    (attempts counted), then the job fails with the reason, instead of failing at the first try."""
    closed = f"http://127.0.0.1:{_closed_port()}"
    s3_storage(AWS_S3_ENDPOINT_URL=closed, AWS_MAX_ATTEMPTS="1")
    with django_capture_on_commit_callbacks(execute=True):
        job = reports.request_report(
            kind=Kind.CHARTER, by=rz["users"]["unit_operator"], assessment=rz["assessment"]
        )
    job.refresh_from_db()
    assert job.status == Status.FAILED and job.attempts == reports.MAX_ATTEMPTS
    assert "EndpointConnectionError" in job.error or "Could not connect" in job.error


def _closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # released at once: nobody listens there


def test_a_backup_before_anything_was_stored_holds_no_files(db, tmp_path, settings):
    """A fresh install (no media folder yet) can be backed up: before, listing the folder crashed."""
    settings.MEDIA_ROOT = tmp_path / "belum-ada"
    call_command("backup_portal", output=str(tmp_path / "awal.tar.gz"))
    with tarfile.open(tmp_path / "awal.tar.gz") as tar:
        assert not [name for name in tar.getnames() if name.startswith("media/")]
