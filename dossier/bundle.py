"""The submission bundle: one zip per unit-year with everything the Pemda uploads to the national
system — the LKE xlsx, every accepted evidence file arranged by area / indicator / question code,
the dossier's documents and a manifest.json with the SHA-256 and size of each file.

The zip is written to a temporary file on disk and handed to the storage as a file, so memory stays
bounded by one chunk whatever the size of the evidence (the caller saves and closes it)."""

from __future__ import annotations

import hashlib
import io
import json
import tempfile
import zipfile
from typing import Any

from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from evidence import upload
from evidence.models import EvidenceItem
from evidence.models import Status as EvidenceStatus
from evidence.selectors import area_names
from evidence.services import ALREADY_COMPRESSED, EvidenceIntegrityError
from reports import xlsx
from reports.models import Kind, ReportJob, Status

from .models import SCANS, Dossier, DossierScan, Item
from .selectors import latest_letter

MANIFEST = "manifest.json"
DOCUMENT_NAMES = {
    Item.SURAT_USULAN: "01-surat-usulan",
    Item.SPTJM: "02-sptjm-bertanda-tangan",
    Item.LHE: "03-laporan-hasil-evaluasi-tpi",
    Item.PIAGAM: "04-piagam-pencanangan-bertanda-tangan",
    Item.PAKTA: "05-pakta-integritas-bertanda-tangan",
    Item.VIDEO: "06-tautan-video-profil",
}


def _folder(code: str, name: str) -> str:
    return f"{code} {slugify(name)[:60]}".strip() if name else code


class _Writer:
    """Adds entries to the zip while hashing exactly the bytes written; records the manifest."""

    def __init__(self, zf: zipfile.ZipFile):
        self.zf = zf
        self.files: list[dict[str, Any]] = []

    def add_stream(self, arcname: str, stream, *, kind: str, compress: bool = True, **meta):
        sha, size = hashlib.sha256(), 0
        info = zipfile.ZipInfo(arcname, date_time=timezone.localtime().timetuple()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        with self.zf.open(info, "w", force_zip64=True) as dst:
            for chunk in iter(lambda: stream.read(upload.CHUNK_SIZE), b""):
                sha.update(chunk)
                size += len(chunk)
                dst.write(chunk)
        self.files.append(
            {"path": arcname, "size": size, "sha256": sha.hexdigest(), "kind": kind, **meta}
        )
        return sha.hexdigest()

    def add_bytes(self, arcname: str, data: bytes, *, kind: str, **meta):
        return self.add_stream(arcname, io.BytesIO(data), kind=kind, **meta)


def write_bundle(assessment, *, progress=lambda p: None) -> File:
    """Writes the bundle of ``assessment`` and returns it as an open temporary File."""
    unit = assessment.unit
    dossier = Dossier.objects.filter(assessment=assessment).first()
    root = f"paket-usulan-{slugify(unit.short_name or unit.code)}-{assessment.year}"
    items = list(
        EvidenceItem.objects.filter(
            assessment=assessment,
            deleted_at__isnull=True,
            kind=EvidenceItem.Kind.FILE,
            status=EvidenceStatus.ACCEPTED,
            current_version__isnull=False,
        )
        .select_related("question", "current_version")
        .order_by("question__order", "pk")
    )
    indicators = {}
    for ind in assessment.instrument.structure()["indicators"]:
        for q in ind["questions"]:
            indicators[q["code"]] = ind
    areas = area_names(assessment.instrument)
    out = tempfile.TemporaryFile()
    try:
        _write(out, root, assessment, dossier, items, indicators, areas, progress)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return File(out, name=f"{root}.zip")


def _write(out, root, assessment, dossier, items, indicators, areas, progress) -> None:
    unit = assessment.unit
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
        writer = _Writer(zf)
        writer.add_bytes(
            f"{root}/LKE-{slugify(unit.short_name or unit.code)}-{assessment.year}.xlsx",
            xlsx.export_lke(assessment),
            kind="lke",
        )
        progress(10)
        _add_documents(writer, root, assessment, dossier)
        progress(20)
        for n, item in enumerate(items, 1):
            version = item.current_version
            assert version is not None  # filtered above
            ind = indicators.get(item.question.code, {})
            area = ind.get("area") or ind.get("section") or "LAINNYA"
            folder = "/".join(
                [
                    root,
                    "data-dukung",
                    _folder(area, areas.get(area, "")),
                    _folder(ind.get("code", ""), ind.get("name", "")) or "-",
                    item.question.code,
                ]
            )
            arcname = f"{folder}/{item.pk}-v{version.number}-{upload.served_name(version)}"
            try:
                with default_storage.open(version.file.name, "rb") as src:
                    digest = writer.add_stream(
                        arcname,
                        src,
                        kind="evidence",
                        compress=version.file.name.rsplit(".", 1)[-1] not in ALREADY_COMPRESSED,
                        question=item.question.code,
                        evidence_id=item.pk,
                        version=version.number,
                    )
            except (FileNotFoundError, OSError):
                digest = None
            if digest != version.sha256:
                # The stored file changed or vanished after upload: never send it as evidence.
                raise EvidenceIntegrityError(
                    _(
                        "Berkas data dukung “%(name)s” (pertanyaan %(code)s) hilang atau berubah "
                        "sejak diunggah; paket tidak dibuat. Hubungi admin Inspektorat."
                    )
                    % {"name": version.original_name, "code": item.question.code}
                )
            progress(20 + 75 * n // len(items))
        manifest = {
            "format": "zi-portal-paket-usulan/1",
            "pemda": unit.pemda.name,
            "unit": unit.name,
            "unit_code": unit.code,
            "year": assessment.year,
            "target": dossier.target if dossier else assessment.target,
            "created_at": timezone.localtime().isoformat(timespec="seconds"),
            "files": writer.files,
        }
        zf.writestr(f"{root}/{MANIFEST}", json.dumps(manifest, ensure_ascii=False, indent=2))


def _add_documents(writer: _Writer, root: str, assessment, dossier) -> None:
    """The latest generated surat usulan and LHE, the signed scans and the video link."""
    folder = f"{root}/dokumen"
    pemda_id, _unit_id = assessment.zi_scope()
    jobs: list[tuple[str, ReportJob | None]] = [
        (Item.SURAT_USULAN, latest_letter(pemda_id, assessment.year)),
        (
            Item.LHE,
            ReportJob.objects.filter(assessment=assessment, kind=Kind.LHE, status=Status.READY)
            .order_by("-finished_at", "-pk")
            .first(),
        ),
    ]
    for item, job in jobs:
        if job is None or not job.file:
            continue
        with default_storage.open(job.file.name, "rb") as src:
            writer.add_stream(f"{folder}/{DOCUMENT_NAMES[item]}.pdf", src, kind=item)
    if dossier is None:
        return
    latest: dict[str, DossierScan] = {}
    for scan in DossierScan.objects.filter(dossier=dossier, item__in=SCANS):
        latest.setdefault(scan.item, scan)
    for item in SCANS:
        scan = latest.get(item)
        if scan is None:
            continue
        ext = scan.file.name.rsplit(".", 1)[-1]
        with default_storage.open(scan.file.name, "rb") as src:
            digest = writer.add_stream(
                f"{folder}/{DOCUMENT_NAMES[item]}.{ext}",
                src,
                kind=item,
                compress=ext not in ALREADY_COMPRESSED,
            )
        if digest != scan.sha256:
            raise EvidenceIntegrityError(
                _("Pindaian “%(name)s” berubah sejak diunggah; paket tidak dibuat.")
                % {"name": scan.original_name}
            )
    if dossier.video_url:
        writer.add_bytes(
            f"{folder}/{DOCUMENT_NAMES[Item.VIDEO]}.txt",
            (dossier.video_url + "\n").encode(),
            kind=Item.VIDEO,
        )
