"""Backup and restore of the whole portal: the database (as Django fixtures, so a backup made on
PostgreSQL restores on SQLite and back) and every stored file (evidence, reports), in one
.tar.gz with a manifest of checksums.

A restore replaces everything, and either all of it or nothing: it first checks the whole archive
(format, schema, every entry's name and type, the database's and every file's SHA-256 against the
manifest), then copies the files into a staging prefix of the storage, then — in one database
transaction — loads the database and swaps the files into place, putting the previous files back
if anything fails. A refused or failed restore leaves the database and the files as they were.
"""

import hashlib
import io
import json
import logging
import os
import shutil
import tarfile
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.core.cache import cache
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

# 2: the manifest also holds database.json's SHA-256 (format 1 did not; such archives are refused,
# since an edited database in them could not be told from the real one).
FORMAT = 2
MANIFEST, DATABASE, MEDIA = "manifest.json", "database.json", "media/"
# Where a restore stages the archive's files, and keeps the previous ones until it has committed;
# never part of a backup.
STAGING = "restore-staging"
# Derived or transient tables: rebuilt by migrate, or worthless after a restore.
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "axes", "admin.logentry"]
CHUNK = 1024 * 1024


logger = logging.getLogger(__name__)


class BackupError(Exception):
    """A backup archive that cannot be restored here; the message says why, in Indonesian."""


@dataclass(frozen=True)
class Summary:
    path: Path
    objects: int
    files: int
    bytes: int


def _storage_files(directory=""):
    """Every file name in the default storage (local folder or S3 bucket), recursively."""
    try:
        dirs, files = default_storage.listdir(directory)
    except FileNotFoundError:  # a local media folder not made yet: nothing was ever stored
        if directory:
            raise
        return
    for name in files:
        yield f"{directory}/{name}" if directory else name
    for name in dirs:
        if not directory and name == STAGING:
            continue  # a restore's working area, not the portal's files
        yield from _storage_files(f"{directory}/{name}" if directory else name)


def _sha256_file(path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _applied_migrations() -> list[str]:
    return sorted(
        f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations()
    )


class _HashingReader(io.RawIOBase):
    """Feeds tarfile from storage in chunks while computing SHA-256: one read of each file."""

    def __init__(self, handle):
        self.handle, self.sha256 = handle, hashlib.sha256()

    def readable(self):
        return True

    def readinto(self, buffer):
        data = self.handle.read(len(buffer))
        self.sha256.update(data)
        buffer[: len(data)] = data
        return len(data)


def create_backup(path) -> Summary:
    path = Path(path)
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / DATABASE
        call_command(
            "dumpdata", natural_foreign=True, exclude=EXCLUDED, output=str(dump), verbosity=0
        )
        objects = len(json.loads(dump.read_text(encoding="utf-8")))
        files, total = [], 0
        with tarfile.open(path, "w:gz") as tar:
            tar.add(dump, arcname=DATABASE)
            database = {"size": dump.stat().st_size, "sha256": _sha256_file(dump)}
            for name in sorted(_storage_files()):
                size = default_storage.size(name)
                info = tarfile.TarInfo(MEDIA + name)
                info.size, info.mtime = size, int(timezone.now().timestamp())
                with default_storage.open(name, "rb") as handle:
                    reader = _HashingReader(handle)
                    tar.addfile(info, io.BufferedReader(reader, CHUNK))
                files.append({"name": name, "size": size, "sha256": reader.sha256.hexdigest()})
                total += size
            manifest = {
                "format": FORMAT,
                "created_at": timezone.now().isoformat(),
                "database_vendor": connection.vendor,
                "migrations": _applied_migrations(),
                "objects": objects,
                "database": database,
                "files": files,
            }
            data = json.dumps(manifest, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return Summary(path, objects, len(files), total)


def read_manifest(tar) -> dict:
    try:
        manifest = json.load(tar.extractfile(MANIFEST))
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        raise BackupError(
            "Berkas ini bukan cadangan ZI Portal (manifest tidak ada atau rusak)."
        ) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        got = manifest.get("format") if isinstance(manifest, dict) else None
        raise BackupError(f"Format cadangan {got} tidak dikenal (yang dikenal: {FORMAT}).")
    unknown = sorted(set(manifest.get("migrations", [])) - set(_applied_migrations()))
    if unknown:
        raise BackupError(
            "Cadangan dibuat dengan versi aplikasi yang lebih baru; migrasi berikut belum ada di sini: "
            + ", ".join(unknown[:5])
            + (" …" if len(unknown) > 5 else "")
        )
    database, files = manifest.get("database"), manifest.get("files")
    if (
        not isinstance(database, dict)
        or not isinstance(database.get("sha256"), str)
        or not isinstance(files, list)
    ):
        raise BackupError(
            "Manifest cadangan tidak lengkap (checksum basis data atau daftar berkas tidak ada)."
        )
    return manifest


def _media_name(name) -> str:
    """A stored file's name as it may appear in an archive: relative, inside the storage, plain."""
    if (
        not isinstance(name, str)
        or not name
        or name.startswith("/")
        or "\\" in name
        or "\x00" in name
        or any(part in ("", ".", "..") for part in name.split("/"))
        or name.split("/")[0] == STAGING
    ):
        raise BackupError(
            f"Nama berkas tidak sah dalam cadangan: {name!r}; pemulihan ditolak, tidak ada yang diubah."
        )
    return name


def _check_entries(tar, manifest):
    """Every entry of the archive, before anything is touched: only the manifest, the database and
    regular files under media/ that the manifest lists, each once, with a safe name."""
    seen = set()
    media = {}
    for member in tar.getmembers():
        if member.name in seen:
            raise BackupError(f"Entri ganda dalam cadangan: {member.name!r}; pemulihan ditolak.")
        seen.add(member.name)
        if not member.isfile():
            raise BackupError(
                f"Entri {member.name!r} bukan berkas biasa (tautan, folder atau perangkat); "
                "pemulihan ditolak."
            )
        if member.name in (MANIFEST, DATABASE):
            continue
        if not member.name.startswith(MEDIA):
            raise BackupError(f"Entri {member.name!r} berada di luar media/; pemulihan ditolak.")
        media[_media_name(member.name[len(MEDIA) :])] = member
    if DATABASE not in seen:
        raise BackupError("Cadangan tidak memuat basis data (database.json).")
    listed = {}
    for entry in manifest["files"]:
        name = _media_name(entry.get("name") if isinstance(entry, dict) else None)
        if name in listed:
            raise BackupError(f"Berkas {name} tercantum dua kali di manifest; pemulihan ditolak.")
        listed[name] = entry
    missing = sorted(set(listed) - set(media))
    if missing:
        raise BackupError(
            f"Berkas {missing[0]} tercantum di manifest tetapi tidak ada dalam cadangan."
        )
    extra = sorted(set(media) - set(listed))
    if extra:
        raise BackupError(
            f"Berkas {extra[0]} ada dalam cadangan tetapi tidak tercantum di manifest; pemulihan ditolak."
        )
    return media


def _copy_checked(source, target, expected_sha256, label):
    digest = hashlib.sha256()
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        target.write(chunk)
    if digest.hexdigest() != expected_sha256:
        raise BackupError(
            f"{label} dalam cadangan rusak atau diubah (checksum SHA-256 tidak cocok); "
            "pemulihan ditolak, tidak ada yang diubah."
        )


def restore_backup(path) -> Summary:
    path = Path(path)
    try:
        tar = tarfile.open(path, "r:gz")
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"Berkas cadangan tidak dapat dibuka: {exc}") from exc
    with tar, tempfile.TemporaryDirectory() as tmp:
        # 1. The whole archive is checked; nothing has been touched yet.
        try:
            manifest = read_manifest(tar)
            members = _check_entries(tar, manifest)
            dump = Path(tmp) / DATABASE
            with tar.extractfile(DATABASE) as source, dump.open("wb") as target:
                _copy_checked(
                    source, target, manifest["database"]["sha256"], "Basis data (database.json)"
                )
            for entry in manifest["files"]:
                with tar.extractfile(members[entry["name"]]) as source:
                    _copy_checked(source, _Discard(), entry["sha256"], f"Berkas {entry['name']}")
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise BackupError(f"Berkas cadangan rusak: {exc}") from exc
        # 2. Files into the staging area of the storage; 3. database and swap in one transaction.
        stage = f"{STAGING}/{uuid.uuid4().hex}"
        staged = []
        try:
            for entry in manifest["files"]:
                staged.append(
                    _stage_file(tar, members[entry["name"]], entry, f"{stage}/new/{entry['name']}")
                )
            total = sum(entry["size"] for entry in manifest["files"])
            with transaction.atomic():
                call_command("flush", interactive=False, verbosity=0)
                call_command("loaddata", str(dump), verbosity=0)
                _swap_files(stage, [entry["name"] for entry in manifest["files"]])
        finally:
            _remove_tree(stage)
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()
        # Cached pages are keyed by the largest primary keys; restored data may reuse them.
        cache.clear()
    return Summary(path, manifest["objects"], len(manifest["files"]), total)


class _Discard:
    def write(self, data):
        pass


def _stage_file(tar, member, entry, staged_name) -> str:
    with (
        tar.extractfile(member) as source,
        tempfile.SpooledTemporaryFile(max_size=8 * CHUNK) as spool,
    ):
        _copy_checked(source, spool, entry["sha256"], f"Berkas {entry['name']}")
        spool.seek(0)
        saved = default_storage.save(staged_name, File(spool, name=staged_name))
    if saved != staged_name:
        raise BackupError(
            f"Berkas {entry['name']} tersimpan dengan nama lain ({saved}); pemulihan dihentikan."
        )
    return saved


def _move(source, target):
    """Renames a stored file: a rename on a local folder, copy and delete elsewhere (S3)."""
    try:
        source_path, target_path = default_storage.path(source), default_storage.path(target)
    except NotImplementedError:
        with default_storage.open(source, "rb") as handle:
            saved = default_storage.save(target, File(handle, name=target))
        if saved != target:
            default_storage.delete(saved)
            raise BackupError(
                f"Berkas {target} tidak dapat ditempatkan (nama sudah dipakai); pemulihan dibatalkan."
            ) from None
        default_storage.delete(source)
        return
    if os.path.exists(target_path):
        raise BackupError(
            f"Berkas {target} tidak dapat ditempatkan (nama sudah dipakai); pemulihan dibatalkan."
        )
    os.makedirs(os.path.dirname(target_path), exist_ok=True)
    os.replace(source_path, target_path)


def _swap_files(stage, names):
    """The previous files go aside into the stage, the restored ones into place. On any failure the
    moves are undone in reverse order and the error raised, so the transaction around it rolls the
    database back too: files and database stay as they were."""
    done = []
    try:
        for name in sorted(_storage_files()):
            _move(name, f"{stage}/old/{name}")
            done.append((name, f"{stage}/old/{name}"))
        for name in names:
            _move(f"{stage}/new/{name}", name)
            done.append((f"{stage}/new/{name}", name))
    except BaseException:
        for source, target in reversed(done):
            try:
                _move(target, source)
            except Exception:  # noqa: BLE001 - keep undoing the rest; say which file is left over
                logger.exception("Restore: could not move %s back to %s", target, source)
        raise


def _remove_tree(directory):
    """Deletes the stage (after success: the previous files; after a failure: the staged copies)."""
    try:
        try:
            shutil.rmtree(default_storage.path(directory), ignore_errors=True)  # a local folder
        except NotImplementedError:
            for name in list(_walk(directory)):
                default_storage.delete(name)
    except Exception:  # noqa: BLE001 - leftovers in the stage are harmless and never backed up
        logger.exception("Restore: could not clean up %s", directory)


def _walk(directory):
    try:
        dirs, files = default_storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{directory}/{name}"
    for name in dirs:
        yield from _walk(f"{directory}/{name}")
