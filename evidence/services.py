"""Write-side rules for evidence (data dukung). Views, the API, admin actions and tasks call these.

Every change is permission-checked against accounts/rules.py, atomic, and written to the item's
event log (EvidenceEvent) as well as its django-simple-history records. Files are never removed:
a replacement adds a version and a deletion only hides the item.
"""

import hashlib
import logging
import shutil
import tempfile
import unicodedata
import uuid
import zipfile
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.rules import is_unit_member
from zi_portal import spreadsheets

from . import upload
from .models import (
    REVIEW_DECISIONS,
    EvidenceArchive,
    EvidenceComment,
    EvidenceEvent,
    EvidenceItem,
    EvidenceVersion,
    Status,
)
from .signals import evidence_commented, evidence_reviewed

logger = logging.getLogger("evidence")

MAX_URL_LENGTH = 2000
MAX_COMMENT_LENGTH = 5000
ALREADY_COMPRESSED = frozenset({"jpg", "png", "webp", "docx", "xlsx", "pptx", "odt", "ods"})


class EvidenceError(ValueError):
    """A refused change; the message (Indonesian) is for the person who asked for it. ``field``
    names the form field at fault when there is one, so the page shows the message beside it."""

    def __init__(self, message, *, field: str = ""):
        super().__init__(message)
        self.field = field


class EvidenceIntegrityError(EvidenceError):
    """A stored file no longer matches the checksum recorded when it was uploaded."""


# --- permissions ---------------------------------------------------------------------------


def require_permission(by, permission, obj, *, unit_action=False):
    """PermissionDenied (with the reason when the unit's evidence is locked) unless ``by`` holds it."""
    if by.has_perm(permission, obj):
        return
    assessment = obj if not isinstance(obj, EvidenceItem) else obj.assessment
    if unit_action and is_unit_member.test(by, assessment) and not assessment.open_for_unit:
        raise PermissionDenied(
            _("Data dukung sudah dikunci untuk unit karena penilaian berada pada tahap %(stage)s.")
            % {"stage": assessment.get_stage_display()}
        )
    raise PermissionDenied(
        _("Anda tidak berwenang melakukan tindakan ini pada data dukung unit tersebut.")
    )


def _check_question(assessment, question):
    if question.instrument_id != assessment.instrument_id:
        raise EvidenceError(_("Pertanyaan ini bukan bagian dari LKE penilaian ini."))


def _event(item, action, by, **fields):
    return EvidenceEvent.objects.create(item=item, action=action, by=by, **fields)


def _save(item, by, **kwargs):
    item._history_user = by  # simple-history: who, also outside a request (tasks, API, shell)
    item.save(**kwargs)


# --- files ---------------------------------------------------------------------------------


def storage_name(assessment, type_key: str, folder: str = "evidence") -> str:
    pemda_id, unit_id = assessment.zi_scope()
    return f"{folder}/{pemda_id}/{unit_id}/{assessment.year}/{uuid.uuid4().hex}.{type_key}"


def upload_file(*, assessment, question, uploaded_file, by, replaces=None) -> EvidenceItem:
    """Stores one file as evidence for a question, or as the next version of ``replaces``.

    The unit may do so only while the assessment is open for it. Name, size (EVIDENCE_MAX_BYTES)
    and type (from the content, EVIDENCE_ALLOWED_TYPES) are checked before anything is stored.
    A new version sets the item back to "pending review"."""
    require_permission(by, "evidence.upload_evidence", assessment, unit_action=True)
    _check_question(assessment, question)
    if replaces is not None:
        _check_replaceable(replaces, assessment, question)
    try:
        name, sha256, size, detected = check_upload(uploaded_file)
    except upload.RejectedFile as exc:
        raise EvidenceError(str(exc)) from exc
    _check_duplicate(assessment, question, sha256, name, replaces)

    uploaded_file.seek(0)
    stored = default_storage.save(storage_name(assessment, detected.type_key), uploaded_file)
    try:
        with transaction.atomic():
            if replaces is None:
                item = EvidenceItem(
                    assessment=assessment,
                    question=question,
                    kind=EvidenceItem.Kind.FILE,
                    title=name,
                    created_by=by,
                )
                _save(item, by)
                number, action = 1, EvidenceEvent.Action.UPLOADED
            else:
                item = EvidenceItem.objects.select_for_update().get(pk=replaces.pk)
                number = (item.versions.aggregate(n=Max("number"))["n"] or 0) + 1
                action = EvidenceEvent.Action.REPLACED
            version = EvidenceVersion(
                item=item,
                number=number,
                file=stored,
                original_name=name,
                size=size,
                sha256=sha256,
                content_type=detected.content_type,
                uploaded_by=by,
            )
            version._history_user = by  # type: ignore[attr-defined]  # read by simple-history
            version.save()
            item.current_version = version
            item.title = name
            item.status, item.reviewed_by, item.reviewed_at = Status.PENDING, None, None
            _save(item, by)
            _event(
                item,
                action,
                by,
                version=version,
                status=Status.PENDING,
                note=_("versi %(n)d: %(name)s") % {"n": number, "name": name},
            )
    except Exception:
        # The rows were not written: do not leave an orphan file behind.
        default_storage.delete(stored)
        raise
    return item


def check_upload(uploaded_file) -> tuple[str, str, int, upload.Detected]:
    """(safe name, SHA-256, size, detected type) of an uploaded file, checked before anything is
    stored: a clean name, the size limit (EVIDENCE_MAX_BYTES), not empty, the type from its
    content (EVIDENCE_ALLOWED_TYPES). Raises upload.RejectedFile with the reason."""
    name = upload.clean_name(getattr(uploaded_file, "name", None))
    sha256, size = _measure(uploaded_file)
    if size == 0:
        raise upload.RejectedFile(_("Berkas “%(name)s” kosong (0 byte).") % {"name": name})
    detected = upload.detect(upload.read_head(uploaded_file), name, uploaded_file)
    return upload.safe_name(name, detected.type_key), sha256, size, detected


def _measure(uploaded_file) -> tuple[str, int]:
    limit = upload.max_bytes()
    if isinstance(uploaded_file, upload.HashedTemporaryUploadedFile) and uploaded_file.sha256:
        # Hashed while it streamed in (EvidenceUploadHandler): no second pass over the file.
        size = uploaded_file.received_bytes
        if size > limit:
            raise upload.RejectedFile(upload.too_large_message(uploaded_file.name))
        return uploaded_file.sha256, size
    return upload.digest(uploaded_file, limit)


def _check_replaceable(item, assessment, question):
    if item.assessment_id != assessment.pk or item.question_id != question.pk:
        raise EvidenceError(_("Data dukung yang akan diganti bukan milik pertanyaan ini."))
    if item.is_deleted:
        raise EvidenceError(_("Data dukung yang sudah dihapus tidak dapat diganti."))
    if not item.is_file:
        raise EvidenceError(
            _(
                "Tautan tidak dapat diganti dengan berkas; tambahkan berkas sebagai data dukung baru."
            )
        )


def _check_duplicate(assessment, question, sha256, name, replaces):
    if replaces is not None:
        current = replaces.current_version
        if current is not None and current.sha256 == sha256:
            raise EvidenceError(
                _("Berkas pengganti “%(name)s” sama persis dengan versi saat ini.") % {"name": name}
            )
        return
    twin = (
        EvidenceItem.objects.filter(
            assessment=assessment,
            question=question,
            deleted_at__isnull=True,
            current_version__sha256=sha256,
        )
        .values_list("title", flat=True)
        .first()
    )
    if twin is not None:
        raise EvidenceError(
            _(
                "Berkas “%(name)s” sama persis dengan data dukung “%(twin)s” yang sudah ada untuk pertanyaan ini."
            )
            % {"name": name, "twin": twin}
        )


# --- links ---------------------------------------------------------------------------------


def clean_url(raw) -> str:
    url = (raw or "").strip() if isinstance(raw, str) else ""
    message = _("Tautan harus berupa alamat web yang sah yang diawali http:// atau https://.")
    if not url or len(url) > MAX_URL_LENGTH or any(ord(c) < 32 or ord(c) == 127 for c in url):
        raise EvidenceError(message)
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError as exc:
        raise EvidenceError(message) from exc
    return url


def add_link(*, assessment, question, url, title, by) -> EvidenceItem:
    """Adds a web address (the unit's website, a social-media post) as evidence; http/https only."""
    require_permission(by, "evidence.upload_evidence", assessment, unit_action=True)
    _check_question(assessment, question)
    url = clean_url(url)
    title = " ".join((title or "").split())[:300] or urlsplit(url).hostname or url[:300]
    if any(unicodedata.category(c)[0] == "C" for c in title):
        raise EvidenceError(_("Judul tautan memuat karakter yang tidak diizinkan."))
    if EvidenceItem.objects.filter(
        assessment=assessment, question=question, url=url, deleted_at__isnull=True
    ).exists():
        raise EvidenceError(_("Tautan ini sudah tercatat sebagai data dukung pertanyaan ini."))
    with transaction.atomic():
        item = EvidenceItem(
            assessment=assessment,
            question=question,
            kind=EvidenceItem.Kind.LINK,
            title=title,
            url=url,
            created_by=by,
        )
        _save(item, by)
        _event(item, EvidenceEvent.Action.LINKED, by, status=Status.PENDING, note=url[:300])
    return item


# --- delete and restore --------------------------------------------------------------------


def soft_delete(*, item, by) -> EvidenceItem:
    """Hides an item from the unit; its files and history stay and the Inspektorat can restore it."""
    require_permission(by, "evidence.delete_evidence", item, unit_action=True)
    with transaction.atomic():
        item = _locked(item)
        if item.is_deleted:
            raise EvidenceError(_("Data dukung ini sudah dihapus."))
        item.deleted_at, item.deleted_by = timezone.now(), by
        _save(item, by)
        _event(item, EvidenceEvent.Action.DELETED, by, version=item.current_version)
    return item


def restore(*, item, by) -> EvidenceItem:
    """Brings a deleted item back, as it was; only the Inspektorat may."""
    require_permission(by, "evidence.restore_evidence", item)
    with transaction.atomic():
        item = _locked(item)
        if not item.is_deleted:
            raise EvidenceError(_("Data dukung ini tidak dalam keadaan terhapus."))
        item.deleted_at, item.deleted_by = None, None
        _save(item, by)
        _event(item, EvidenceEvent.Action.RESTORED, by, version=item.current_version)
    return item


def _locked(item) -> EvidenceItem:
    # of=("self",): PostgreSQL refuses FOR UPDATE on the nullable side of the current_version join.
    return (
        EvidenceItem.objects.select_for_update(of=("self",))
        .select_related("assessment__unit", "current_version")
        .get(pk=item.pk)
    )


# --- review and comments -------------------------------------------------------------------


def review(*, item, by, status, comment) -> EvidenceItem:
    """An evaluator's decision on an item: accepted, needs revision or rejected (the last two with
    a reason). Allowed in any stage, never on the evaluator's own unit."""
    require_permission(by, "evidence.review_evidence", item)
    try:
        status = Status(status)
    except ValueError:
        status = None
    if status not in REVIEW_DECISIONS:
        raise EvidenceError(
            _("Pilih hasil reviu: diterima, perlu perbaikan atau ditolak."), field="status"
        )
    text = (comment or "").strip()
    if status != Status.ACCEPTED and not text:
        raise EvidenceError(
            _("Tuliskan alasan atau perbaikan yang diminta untuk hasil reviu ini."), field="comment"
        )
    if len(text) > MAX_COMMENT_LENGTH:
        raise EvidenceError(
            _("Komentar terlalu panjang (maksimal %(max)d karakter).")
            % {"max": MAX_COMMENT_LENGTH},
            field="comment",
        )
    with transaction.atomic():
        item = _locked(item)
        if item.is_deleted:
            raise EvidenceError(_("Data dukung yang dihapus tidak dapat direviu; pulihkan dahulu."))
        item.status, item.reviewed_by, item.reviewed_at = status, by, timezone.now()
        _save(item, by)
        if text:
            _comment(item, by, EvidenceComment.Side.TPI, text, review_status=status)
        _event(
            item,
            EvidenceEvent.Action.REVIEWED,
            by,
            version=item.current_version,
            status=status,
            note=text[:300],
        )
        evidence_reviewed.send(sender=EvidenceItem, item=item, by=by, status=status, comment=text)
    return item


def comment(*, item, by, text) -> EvidenceComment:
    """A message in the item's thread: evaluators ask, the unit answers."""
    require_permission(by, "evidence.comment_evidence", item)
    text = (text or "").strip()
    if not text:
        raise EvidenceError(_("Komentar tidak boleh kosong."))
    if len(text) > MAX_COMMENT_LENGTH:
        raise EvidenceError(
            _("Komentar terlalu panjang (maksimal %(max)d karakter).") % {"max": MAX_COMMENT_LENGTH}
        )
    if item.is_deleted:
        raise EvidenceError(_("Data dukung ini sudah dihapus."))
    side = EvidenceComment.Side.UNIT if is_unit_member.test(by, item) else EvidenceComment.Side.TPI
    with transaction.atomic():
        note = _comment(item, by, side, text)
        _event(item, EvidenceEvent.Action.COMMENTED, by, note=text[:300])
        evidence_commented.send(sender=EvidenceItem, item=item, by=by, side=side, text=text)
    return note


def _comment(item, by, side, text, review_status=""):
    note = EvidenceComment(
        item=item,
        author=by,
        side=side,
        text=text,
        review_status=review_status,
        version=item.current_version,
    )
    note._history_user = by  # type: ignore[attr-defined]  # read by simple-history
    note.save()
    return note


# --- verified reading ----------------------------------------------------------------------


class VerifyingReader:
    """Reads a stored file while hashing it, and holds back the last chunk until the hash matches,
    so a file that changed after the check is never delivered whole."""

    def __init__(self, fileobj, expected: str, label: str, chunk_size: int = upload.CHUNK_SIZE):
        self._file, self._expected, self._label, self._chunk = fileobj, expected, label, chunk_size
        self._sha = hashlib.sha256()
        self._pending = None

    def read(self, size=-1):
        if self._pending is None:
            self._pending = self._next()
        if self._pending == b"":
            return b""
        following = self._next()
        if following == b"":
            self._verify()
        out, self._pending = self._pending, following
        return out

    def _next(self):
        chunk = self._file.read(self._chunk)
        self._sha.update(chunk)
        return chunk

    def _verify(self):
        if self._sha.hexdigest() != self._expected:
            _log_mismatch(self._label, self._expected, self._sha.hexdigest())
            raise EvidenceIntegrityError(_integrity_message())

    def close(self):
        self._file.close()


def _integrity_message():
    return _(
        "Berkas tersimpan tidak cocok dengan checksum saat diunggah (kemungkinan rusak atau diubah di "
        "luar aplikasi). Unduhan dibatalkan dan kejadian ini telah dicatat; hubungi admin Inspektorat."
    )


def _log_mismatch(label, expected, actual):
    logger.error(
        "Evidence checksum mismatch for %s: expected %s, found %s", label, expected, actual
    )


def stored_digest(name: str) -> str | None:
    """SHA-256 of a stored file, read chunk by chunk; None when the file is missing."""
    sha = hashlib.sha256()
    try:
        with default_storage.open(name, "rb") as fh:
            for chunk in iter(lambda: fh.read(upload.CHUNK_SIZE), b""):
                sha.update(chunk)
    except (FileNotFoundError, OSError):
        return None
    return sha.hexdigest()


def open_verified(version: EvidenceVersion) -> VerifyingReader:
    """Opens a version for download after checking its SHA-256 (EvidenceIntegrityError, logged, if it
    does not match or the file is gone); the reader checks once more while it streams."""
    label = f"version {version.pk} ({version.file.name})"
    return open_verified_file(version.file.name, version.sha256, label)


def open_verified_file(name: str, expected: str, label: str) -> VerifyingReader:
    """open_verified for any stored file with a recorded SHA-256 (the dossier's scans too)."""
    actual = stored_digest(name)
    if actual != expected:
        _log_mismatch(label, expected, actual or "missing file")
        raise EvidenceIntegrityError(_integrity_message())
    return VerifyingReader(default_storage.open(name, "rb"), expected, label)


# --- archives ------------------------------------------------------------------------------


def request_archive(*, assessment, by) -> EvidenceArchive:
    """Queues a zip of the unit-year's evidence for the Inspektorat. An archive already queued or
    running, or a ready one newer than the last evidence change, is returned instead of a new one."""
    require_permission(by, "evidence.download_archive", assessment)
    with transaction.atomic():
        busy = (
            EvidenceArchive.objects.select_for_update()
            .filter(
                assessment=assessment,
                status__in=[EvidenceArchive.State.QUEUED, EvidenceArchive.State.RUNNING],
            )
            .first()
        )
        if busy:
            return busy
        ready = EvidenceArchive.objects.filter(
            assessment=assessment, status=EvidenceArchive.State.READY
        ).first()
        changed = EvidenceEvent.objects.filter(item__assessment=assessment).aggregate(at=Max("at"))[
            "at"
        ]
        if ready and (changed is None or ready.created_at > changed):
            return ready
        archive = EvidenceArchive.objects.create(assessment=assessment, requested_by=by)
        from .tasks import build_evidence_archive

        transaction.on_commit(lambda: build_evidence_archive.delay(archive.pk))
    return archive


def build_archive(*, archive: EvidenceArchive) -> EvidenceArchive:
    """Writes the zip of the current, not deleted evidence of the archive's assessment with a manifest.

    Idempotent: a ready archive whose file exists is left alone; anything else is built afresh.
    A file that fails its checksum is left out, listed in the manifest and logged."""
    archive = EvidenceArchive.objects.select_related("assessment__unit").get(pk=archive.pk)
    if (
        archive.status == EvidenceArchive.State.READY
        and archive.file
        and default_storage.exists(archive.file.name)
    ):
        return archive
    EvidenceArchive.objects.filter(pk=archive.pk).update(
        status=EvidenceArchive.State.RUNNING, progress=0, error="", started_at=timezone.now()
    )
    try:
        name, count, size, problems = _write_archive(archive)
    except Exception as exc:  # recorded for the person waiting on the progress page
        logger.exception("Evidence archive %s failed", archive.pk)
        EvidenceArchive.objects.filter(pk=archive.pk).update(
            status=EvidenceArchive.State.FAILED,
            error=_("Arsip gagal dibuat: %(error)s") % {"error": exc},
            finished_at=timezone.now(),
        )
    else:
        error = ""
        if problems:
            error = _(
                "%(n)d berkas tidak disertakan karena tidak cocok dengan checksum atau hilang: %(names)s"
            ) % {"n": len(problems), "names": ", ".join(problems)}
        EvidenceArchive.objects.filter(pk=archive.pk).update(
            status=EvidenceArchive.State.READY,
            progress=100,
            file=name,
            file_count=count,
            size=size,
            error=error,
            finished_at=timezone.now(),
        )
    archive.refresh_from_db()
    return archive


def _write_archive(archive):
    assessment = archive.assessment
    items = list(
        EvidenceItem.objects.filter(assessment=assessment, deleted_at__isnull=True)
        .select_related("question", "current_version", "created_by", "current_version__uploaded_by")
        .order_by("question__order", "pk")
    )
    total_files = sum(1 for i in items if i.is_file and i.current_version_id) or 1
    problems: list[str] = []  # names of files that could not be read
    rows, done, included, shown = [], 0, 0, 0
    with tempfile.TemporaryFile() as out:
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
            for item in items:
                row, stored = _manifest_row(item, zf, problems)
                rows.append(row)
                if not (item.is_file and item.current_version_id):
                    continue
                done, included = done + 1, included + stored
                percent = 99 * done // total_files  # 100 only once the zip is saved
                if percent != shown:  # one UPDATE per percent, not per file
                    EvidenceArchive.objects.filter(pk=archive.pk).update(progress=percent)
                    shown = percent
            zf.writestr("DAFTAR-DATA-DUKUNG.csv", _manifest_csv(rows))
        size = out.tell()
        out.seek(0)
        pemda_id, unit_id = assessment.zi_scope()
        name = default_storage.save(
            f"evidence-archives/{pemda_id}/{unit_id}/{assessment.year}/{uuid.uuid4().hex}.zip",
            File(out),
        )
    return name, included, size, problems


MANIFEST_HEADER = [
    "kode_pertanyaan",
    "jenis",
    "judul",
    "versi",
    "ukuran_byte",
    "sha256",
    "status_reviu",
    "diunggah_oleh",
    "diunggah_pada",
    "tautan",
    "berkas_dalam_arsip",
    "keterangan",
]


def _manifest_row(item, zf, problems) -> tuple[list, bool]:
    """The manifest line of one item; for a file, also copies it into the zip (True when copied)."""
    version = item.current_version
    base = [item.question.code, item.get_kind_display(), item.title]
    if not item.is_file or version is None:
        return [
            *base,
            "",
            "",
            "",
            item.get_status_display(),
            item.created_by.display_name,
            timezone.localtime(item.created_at).strftime("%Y-%m-%d %H:%M"),
            item.url,
            "",
            "",
        ], False
    arcname = f"{item.question.code}/{item.pk}-v{version.number}-{upload.served_name(version)}"
    stored = _add_verified(zf, version, arcname)
    if not stored:
        problems.append(version.original_name)
    note = "" if stored else _("TIDAK DISERTAKAN: checksum tidak cocok atau berkas hilang")
    return [
        *base,
        version.number,
        version.size,
        version.sha256,
        item.get_status_display(),
        version.uploaded_by.display_name,
        timezone.localtime(version.uploaded_at).strftime("%Y-%m-%d %H:%M"),
        "",
        arcname if stored else "",
        note,
    ], stored


def _add_verified(zf, version, arcname) -> bool:
    """Copies one stored file into the zip only if its SHA-256 matches (one read of the storage)."""
    sha = hashlib.sha256()
    with tempfile.TemporaryFile() as spool:
        try:
            with default_storage.open(version.file.name, "rb") as src:
                for chunk in iter(lambda: src.read(upload.CHUNK_SIZE), b""):
                    sha.update(chunk)
                    spool.write(chunk)
        except (FileNotFoundError, OSError):
            _log_mismatch(
                f"version {version.pk} ({version.file.name})", version.sha256, "missing file"
            )
            return False
        if sha.hexdigest() != version.sha256:
            _log_mismatch(
                f"version {version.pk} ({version.file.name})", version.sha256, sha.hexdigest()
            )
            return False
        spool.seek(0)
        info = zipfile.ZipInfo(
            arcname, date_time=timezone.localtime(version.uploaded_at).timetuple()[:6]
        )
        ext = version.file.name.rsplit(".", 1)[-1]
        info.compress_type = (
            zipfile.ZIP_STORED if ext in ALREADY_COMPRESSED else zipfile.ZIP_DEFLATED
        )
        with zf.open(info, "w", force_zip64=version.size > 2**31) as dst:
            shutil.copyfileobj(spool, dst, upload.CHUNK_SIZE)
    return True


def _manifest_csv(rows) -> str:
    # Titles, names and links are typed by people: never a formula when Excel opens the list.
    neutral = ([spreadsheets.csv_field(value) for value in row] for row in rows)
    return spreadsheets.excel_csv([MANIFEST_HEADER, *neutral])


# --- document dates (issue 18) -------------------------------------------------------------------


def set_document_dates(*, item, by, document_date=None, document_year=None, valid_until=None):
    """The unit records when an evidence document was made (a date, or only its year) and until
    when it holds; a date given wins over a year that disagrees with it."""
    if not by.has_perm("evidence.upload_evidence", item):
        raise PermissionDenied(_("Anda tidak berwenang mengubah data dukung ini."))
    if document_date is not None:
        document_year = document_date.year
    if valid_until is not None and document_date is not None and valid_until < document_date:
        raise EvidenceError(_("Tanggal berlaku sampai tidak boleh sebelum tanggal dokumen."))
    item.document_date, item.document_year, item.valid_until = (
        document_date,
        document_year,
        valid_until,
    )
    item.save(update_fields=["document_date", "document_year", "valid_until", "updated_at"])
    return item
