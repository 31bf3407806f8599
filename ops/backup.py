"""Backup and restore of the whole portal: the database (as Django fixtures, so a backup made on
PostgreSQL restores on SQLite and back) and every stored file (evidence, reports), in one
.tar.gz with a manifest of checksums.

A restore replaces everything: it refuses an archive whose schema this code does not know, loads
the database in one transaction (a failure leaves the current data untouched) and only then writes
the files, checking each against the manifest.
"""

import hashlib
import io
import json
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.core.cache import cache
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1
MANIFEST, DATABASE, MEDIA = "manifest.json", "database.json", "media/"
# Derived or transient tables: rebuilt by migrate, or worthless after a restore.
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "axes", "admin.logentry"]
CHUNK = 1024 * 1024


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
    except FileNotFoundError:  # local storage before the first upload: no media folder yet
        return
    for name in files:
        yield f"{directory}/{name}" if directory else name
    for name in dirs:
        yield from _storage_files(f"{directory}/{name}" if directory else name)


def _applied_migrations() -> list[str]:
    return sorted(f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations())


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
        call_command("dumpdata", natural_foreign=True, exclude=EXCLUDED, output=str(dump), verbosity=0)
        objects = len(json.loads(dump.read_text(encoding="utf-8")))
        files, total = [], 0
        with tarfile.open(path, "w:gz") as tar:
            tar.add(dump, arcname=DATABASE)
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
    except (KeyError, ValueError, TypeError) as exc:
        raise BackupError("Berkas ini bukan cadangan ZI Portal (manifest tidak ada atau rusak).") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Format cadangan {manifest.get('format')} tidak dikenal (yang dikenal: {FORMAT}).")
    unknown = sorted(set(manifest.get("migrations", [])) - set(_applied_migrations()))
    if unknown:
        raise BackupError(
            "Cadangan dibuat dengan versi aplikasi yang lebih baru; migrasi berikut belum ada di sini: "
            + ", ".join(unknown[:5]) + (" …" if len(unknown) > 5 else "")
        )
    return manifest


def restore_backup(path) -> Summary:
    path = Path(path)
    try:
        tar = tarfile.open(path, "r:gz")
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"Berkas cadangan tidak dapat dibuka: {exc}") from exc
    with tar, tempfile.TemporaryDirectory() as tmp:
        manifest = read_manifest(tar)
        _verify_files(tar, manifest)  # before anything is replaced: a damaged archive changes nothing
        member = tar.getmember(DATABASE)
        dump = Path(tmp) / DATABASE
        with tar.extractfile(member) as source, dump.open("wb") as target:
            while chunk := source.read(CHUNK):
                target.write(chunk)
        with transaction.atomic():
            call_command("flush", interactive=False, verbosity=0)
            call_command("loaddata", str(dump), verbosity=0)
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()
        # Cached pages are keyed by the largest primary keys; restored data may reuse them.
        cache.clear()
        for name in _storage_files():
            default_storage.delete(name)
        total = 0
        for entry in manifest["files"]:
            total += _restore_file(tar, entry)
    return Summary(path, manifest["objects"], len(manifest["files"]), total)


def _verify_files(tar, manifest):
    for entry in manifest["files"]:
        try:
            source = tar.extractfile(MEDIA + entry["name"])
        except KeyError as exc:
            raise BackupError(f"Berkas {entry['name']} tercantum di manifest tetapi tidak ada dalam cadangan.") from exc
        digest = hashlib.sha256()
        while chunk := source.read(CHUNK):
            digest.update(chunk)
        if digest.hexdigest() != entry["sha256"]:
            raise BackupError(f"Berkas {entry['name']} dalam cadangan rusak (checksum SHA-256 tidak cocok).")


def _restore_file(tar, entry) -> int:
    name = entry["name"]
    source = tar.extractfile(MEDIA + name)
    digest = hashlib.sha256()
    with tempfile.SpooledTemporaryFile(max_size=8 * CHUNK) as spool:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            spool.write(chunk)
        if digest.hexdigest() != entry["sha256"]:
            raise BackupError(f"Berkas {name} dalam cadangan rusak (checksum SHA-256 tidak cocok).")
        spool.seek(0)
        saved = default_storage.save(name, File(spool, name=name))
    if saved != name:
        raise BackupError(f"Berkas {name} tersimpan dengan nama lain ({saved}); pemulihan dihentikan.")
    return entry["size"]
