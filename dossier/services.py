"""Write-side rules of the nomination dossier. Views, the API and the demo call these."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.rules import is_unit_member, require_perm
from assessments.models import Designation
from evidence import upload
from evidence.services import check_upload, storage_name
from reports import services as report_services
from reports.models import Kind

from .models import SCANS, Dossier, DossierScan, Item

MAX_RECOMMENDATIONS = 20_000
# Signed scans are pictures or PDFs of a paper with a wet signature and a duty stamp.
SCAN_TYPES = frozenset({"pdf", "jpg", "png"})


class DossierError(ValueError):
    """A refused change. ``field`` names the form field the Indonesian message belongs to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def _locked_message(assessment) -> str:
    return _(
        "Paket usulan hanya dapat diubah selama tahap pembangunan (tahap saat ini: %(stage)s)."
    ) % {"stage": assessment.get_stage_display()}


def open_dossier(*, assessment, target: str, by) -> Dossier:
    """Opens the unit-year's nomination package for ``target`` (WBK/WBBM); opening it again only
    changes the target. Inspektorat, while the unit is in development."""
    require_perm(by, "dossier.prepare_dossier", assessment, _locked_message(assessment))
    if target not in Designation.values:
        raise DossierError(_("Pilih usulan predikat WBK atau WBBM."), "target")
    with transaction.atomic():
        dossier, created = Dossier.objects.select_for_update().get_or_create(
            assessment=assessment, defaults={"target": target, "created_by": by}
        )
        if not created and dossier.target != target:
            dossier.target = target
            dossier._history_user = by  # type: ignore[attr-defined]
            dossier.save(update_fields=["target", "updated_at"])
    return dossier


VIDEO_HOSTS = {
    "youtube.com": "youtube",
    "www.youtube.com": "youtube",
    "m.youtube.com": "youtube",
    "youtu.be": "youtu.be",
    "vimeo.com": "vimeo",
    "www.vimeo.com": "vimeo",
    "player.vimeo.com": "vimeo",
    "drive.google.com": "drive",
}
VIDEO_FILE = re.compile(r"\.(mp4|webm|mov|m4v|mkv)$", re.IGNORECASE)
YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")


def clean_video_url(raw: str) -> str:
    """The profile-video link the TPN opens at the interview: https only, and pointing at one video
    — a YouTube or Vimeo video, a Google Drive file, or a video file on any https server (.mp4,
    .webm, .mov, .m4v, .mkv). A channel, a home page or a folder is refused: it is not the video."""
    url = (raw or "").strip()
    if not url:
        return ""
    message = _(
        "Tautan video harus https dan menunjuk satu video: YouTube (youtube.com/watch?v=… atau "
        "youtu.be/…), Vimeo (vimeo.com/123…), berkas Google Drive (drive.google.com/file/d/…), "
        "atau berkas video (.mp4, .webm, .mov) di server https."
    )
    if len(url) > 500:
        raise DossierError(_("Tautan video terlalu panjang (maksimal 500 karakter)."), "video_url")
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        raise DossierError(message, "video_url") from None
    if parts.scheme != "https" or not host or "." not in host or parts.username or parts.password:
        raise DossierError(message, "video_url")
    path = parts.path.rstrip("/")
    kind = VIDEO_HOSTS.get(host)
    ok = False
    if kind == "youtube":
        ids = parse_qs(parts.query).get("v", [])
        segments = path.split("/")
        ok = (path == "/watch" and bool(ids) and bool(YOUTUBE_ID.match(ids[0]))) or (
            len(segments) == 3
            and segments[1] in ("shorts", "live", "embed")
            and bool(YOUTUBE_ID.match(segments[2]))
        )
    elif kind == "youtu.be":
        ok = bool(YOUTUBE_ID.match(path.lstrip("/")))
    elif kind == "vimeo":
        ok = bool(re.fullmatch(r"(/video)?/\d+(/[0-9a-f]+)?", path))
    elif kind == "drive":
        ok = bool(re.fullmatch(r"/file/d/[A-Za-z0-9_-]{10,}(/(view|preview))?", path))
    else:
        ok = bool(VIDEO_FILE.search(path))
    if not ok:
        raise DossierError(message, "video_url")
    return url


def update_details(*, dossier: Dossier, by, video_url: str, recommendations: str) -> Dossier:
    """Saves the profile-video link and the TPI's recommendations (printed in the LHE). Both fields
    are checked before either is saved, so a bad link loses nothing typed."""
    assessment = dossier.assessment
    require_perm(by, "dossier.prepare_dossier", assessment, _locked_message(assessment))
    errors: dict[str, str] = {}
    try:
        video_url = clean_video_url(video_url)
    except DossierError as exc:
        errors["video_url"] = str(exc)
    recommendations = (recommendations or "").strip()
    if len(recommendations) > MAX_RECOMMENDATIONS:
        errors["recommendations"] = _("Rekomendasi terlalu panjang (maksimal %(n)d karakter).") % {
            "n": MAX_RECOMMENDATIONS
        }
    if errors:
        raise DossierErrors(errors)
    dossier.video_url, dossier.recommendations = video_url, recommendations
    dossier._history_user = by  # type: ignore[attr-defined]
    dossier.save(update_fields=["video_url", "recommendations", "updated_at"])
    return dossier


class DossierErrors(DossierError):
    """Several fields refused at once: ``errors`` maps each field to its message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def require_scan_permission(by, assessment) -> None:
    """PermissionDenied, saying why, unless ``by`` may upload the unit's scans now."""
    if by.has_perm("dossier.upload_dossier_scan", assessment):
        return
    if is_unit_member.test(by, assessment):
        raise PermissionDenied(_locked_message(assessment))
    raise PermissionDenied(_("Hanya kepala atau operator unit ini yang mengunggah pindaian."))


def upload_scan(*, assessment, item: str, uploaded_file, by) -> DossierScan:
    """Stores the signed scan of the SPTJM, the Piagam or the Pakta for the unit's own dossier,
    through the evidence upload checks (size limit, type from content, safe name)."""
    if item not in SCANS:
        raise DossierError(_("Kelengkapan ini tidak diunggah sebagai pindaian."), "item")
    require_scan_permission(by, assessment)
    dossier = Dossier.objects.filter(assessment=assessment).first()
    if dossier is None:
        raise DossierError(_("Paket usulan unit ini belum dibuka oleh Inspektorat."), "file")
    return store_scan(dossier=dossier, item=item, uploaded_file=uploaded_file, by=by)


def store_scan(*, dossier: Dossier, item: str, uploaded_file, by) -> DossierScan:
    """The checks and the storing of upload_scan, without its permission and stage rule (the demo
    records the package of a unit nominated before the dossier app existed)."""
    assessment = dossier.assessment
    try:
        name, sha256, size, detected = check_upload(uploaded_file)
    except upload.RejectedFile as exc:
        raise DossierError(str(exc), "file") from exc
    if detected.type_key not in SCAN_TYPES:
        raise DossierError(
            _("Pindaian harus berupa PDF, JPG atau PNG (berkas ini %(type)s).")
            % {"type": upload.LABELS.get(detected.type_key, detected.type_key)},
            "file",
        )
    uploaded_file.seek(0)
    stored = default_storage.save(
        storage_name(assessment, detected.type_key, folder="dossier"), uploaded_file
    )
    try:
        scan = DossierScan(
            dossier=dossier,
            item=item,
            file=stored,
            original_name=name,
            size=size,
            sha256=sha256,
            content_type=detected.content_type,
            uploaded_by=by,
        )
        scan._history_user = by  # type: ignore[attr-defined]
        scan.save()
    except Exception:
        default_storage.delete(stored)  # no orphan file when the row was not written
        raise
    return scan


def request_document(*, assessment, kind: str, by) -> Any:
    """Queues one of the dossier's documents as a report job (progress on *Laporan*)."""
    if kind == Kind.SURAT_USULAN:
        return report_services.request_report(
            kind=kind, by=by, pemda=assessment.unit.pemda, year=assessment.year
        )
    if (
        kind in (Kind.LHE, Kind.BUNDLE)
        and not Dossier.objects.filter(assessment=assessment).exists()
    ):
        raise DossierError(_("Buka paket usulan unit ini terlebih dahulu."))
    return report_services.request_report(kind=kind, by=by, assessment=assessment)


ITEM_DOCUMENTS = {Item.SURAT_USULAN: Kind.SURAT_USULAN, Item.LHE: Kind.LHE}
