"""The submission bundle: its tree, the manifest's checksums, and only accepted, current evidence."""

import hashlib
import io
import json
import zipfile

from django.core.files.storage import default_storage

from dossier import services
from evidence import services as evidence_services
from reports.models import Kind, Status
from reports.services import download_name, render_job
from tests.factories import complete_dossier, pdf_file, upload_evidence


def _accept(item, evaluator):
    return evidence_services.review(item=item, by=evaluator, status="accepted", comment="")


def _bundle(dz):
    job = render_job(
        services.request_document(assessment=dz["assessment"], kind=Kind.BUNDLE, by=dz["admin"])
    )
    assert job.status == Status.READY, job.error
    with default_storage.open(job.file.name, "rb") as fh:
        return job, zipfile.ZipFile(io.BytesIO(fh.read()))


def test_bundle_holds_lke_documents_and_accepted_evidence_with_checksums(dz):
    a, operator, evaluator = dz["assessment"], dz["operator"], dz["users"]["evaluator"]
    q = {
        x.code: x
        for x in a.instrument.questions.filter(
            code__in=["PEM-MP-01.a", "PEM-MP-01.b", "PEM-TL-01.a", "PEM-SDM-01.a"]
        )
    }
    replaced = upload_evidence(a, q["PEM-MP-01.a"], operator, name="SK Tim v1.pdf", text="draf")
    replaced = evidence_services.upload_file(
        assessment=a,
        question=q["PEM-MP-01.a"],
        uploaded_file=pdf_file("SK Tim ZI final.pdf", "final"),
        by=operator,
        replaces=replaced,
    )
    _accept(replaced, evaluator)
    accepted = _accept(
        upload_evidence(a, q["PEM-TL-01.a"], operator, name="Peta proses bisnis.pdf", text="peta"),
        evaluator,
    )
    rejected = upload_evidence(a, q["PEM-MP-01.b"], operator, name="Notula ditolak.pdf", text="x")
    evidence_services.review(item=rejected, by=evaluator, status="rejected", comment="Buram")
    upload_evidence(a, q["PEM-SDM-01.a"], operator, name="Menunggu reviu.pdf", text="pending")
    deleted = _accept(
        upload_evidence(a, q["PEM-SDM-01.a"], operator, name="Terhapus.pdf", text="gone"),
        evaluator,
    )
    evidence_services.soft_delete(item=deleted, by=operator)
    complete_dossier(a, admin=dz["admin"], operator=operator)

    job, zf = _bundle(dz)
    assert download_name(job) == "paket-usulan-a-01-2026.zip"
    root = "paket-usulan-a-01-2026"
    names = set(zf.namelist())
    manifest = json.loads(zf.read(f"{root}/manifest.json"))
    assert {f["path"] for f in manifest["files"]} | {f"{root}/manifest.json"} == names
    for entry in manifest["files"]:
        data = zf.read(entry["path"])
        assert (len(data), hashlib.sha256(data).hexdigest()) == (entry["size"], entry["sha256"])
    assert manifest["unit"] == "Dinas Milik Sendiri" and manifest["target"] == "WBK"

    evidence = sorted(n for n in names if "/data-dukung/" in n)
    assert evidence == [
        f"{root}/data-dukung/MP manajemen-perubahan/PEM-MP-01 penyusunan-tim-kerja/PEM-MP-01.a/"
        f"{replaced.pk}-v2-SK Tim ZI final.pdf",
        f"{root}/data-dukung/TL penataan-tatalaksana/PEM-TL-01 prosedur-operasional-tetap-sop-kegiatan-utama/PEM-TL-01.a/"
        f"{accepted.pk}-v1-Peta proses bisnis.pdf",
    ]
    stored = replaced.current_version
    entry = next(f for f in manifest["files"] if f["path"] == evidence[0])
    assert (entry["sha256"], entry["size"]) == (stored.sha256, stored.size)
    assert not any("v1-SK Tim v1" in n or "ditolak" in n.lower() or "Terhapus" in n for n in names)
    assert not any("Menunggu" in n for n in names)
    assert {n.rsplit("/", 1)[1] for n in names if "/dokumen/" in n} == {
        "01-surat-usulan.pdf",
        "02-sptjm-bertanda-tangan.pdf",
        "03-laporan-hasil-evaluasi-tpi.pdf",
        "04-piagam-pencanangan-bertanda-tangan.pdf",
        "05-pakta-integritas-bertanda-tangan.pdf",
        "06-tautan-video-profil.txt",
    }
    assert f"{root}/LKE-a-01-2026.xlsx" in names
    assert zf.read(f"{root}/dokumen/06-tautan-video-profil.txt").decode().startswith("https://")


def test_bundle_refuses_evidence_changed_after_upload(dz):
    a, operator = dz["assessment"], dz["operator"]
    q = a.instrument.questions.get(code="PEM-MP-01.a")
    item = _accept(upload_evidence(a, q, operator), dz["users"]["evaluator"])
    services.open_dossier(assessment=a, target="WBK", by=dz["admin"])
    with default_storage.open(item.current_version.file.name, "wb") as fh:
        fh.write(b"%PDF-1.4 diganti di luar aplikasi")
    job = render_job(services.request_document(assessment=a, kind=Kind.BUNDLE, by=dz["admin"]))
    assert job.status == Status.FAILED
    assert "hilang atau berubah sejak diunggah" in job.error


def test_bundle_memory_stays_bounded_whatever_the_evidence_weighs(dz):
    """32 MiB of incompressible evidence: the worker's Python allocations while building the zip
    stay far below the zip's size (the zip goes to a temporary file, then streams to storage)."""
    import os
    import tracemalloc

    from django.core.files.uploadedfile import SimpleUploadedFile

    a, operator, evaluator = dz["assessment"], dz["operator"], dz["users"]["evaluator"]
    questions = list(a.instrument.questions.order_by("order")[:8])
    for i, q in enumerate(questions):
        body = b"%PDF-1.4\n" + os.urandom(4 * 1024 * 1024) + b"\n%%EOF\n"
        item = evidence_services.upload_file(
            assessment=a,
            question=q,
            uploaded_file=SimpleUploadedFile(f"Laporan {i}.pdf", body),
            by=operator,
        )
        _accept(item, evaluator)
    del body
    services.open_dossier(assessment=a, target="WBK", by=dz["admin"])
    job = services.request_document(assessment=a, kind=Kind.BUNDLE, by=dz["admin"])
    tracemalloc.start()
    try:
        job = render_job(job)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert job.status == Status.READY, job.error
    assert job.size > 32 * 1024 * 1024
    assert peak < 8 * 1024 * 1024, f"peak {peak / 2**20:.1f} MiB"
