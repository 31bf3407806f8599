import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ops import objectstore
from ops.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Replaces the database and all stored files with the content of a backup archive "
        "(a local path or s3://bucket/name.tar.gz in the object store)."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, archive, yes=False, **options):
        if not yes:
            answer = input(
                "Semua data dan berkas saat ini akan DIGANTI isi cadangan. Lanjutkan? [ketik: ya] "
            )
            if answer.strip().lower() != "ya":
                raise CommandError("Dibatalkan; tidak ada yang diubah.")
        try:
            if objectstore.is_remote(archive):
                with tempfile.TemporaryDirectory() as tmp:
                    local = Path(tmp) / "zi-portal.tar.gz"
                    objectstore.download_archive(archive, local)
                    summary = restore_backup(local)
            else:
                summary = restore_backup(archive)
        except (BackupError, objectstore.ObjectStoreError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Dipulihkan dari {archive}: {summary.objects} objek basis data, {summary.files} berkas."
            )
        )
