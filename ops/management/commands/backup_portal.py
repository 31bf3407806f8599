import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ops import objectstore
from ops.backup import create_backup


class Command(BaseCommand):
    help = (
        "Writes a .tar.gz backup of the database and all stored files (evidence, reports), "
        "to a local path or into the object store (s3://bucket/name.tar.gz)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            "-o",
            help="archive path or s3://bucket/key (default: zi-portal-<timestamp>.tar.gz)",
        )

    def handle(self, *args, output=None, **options):
        output = output or f"zi-portal-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz"
        try:
            if objectstore.is_remote(output):
                objectstore.check_url(output)  # refused before the work, not after
                # Written locally first (TMPDIR), then uploaded: tar.gz needs a seekable file.
                with tempfile.TemporaryDirectory() as tmp:
                    summary = create_backup(Path(tmp) / "zi-portal.tar.gz")
                    objectstore.upload_archive(summary.path, output)
            else:
                summary = create_backup(output)
        except objectstore.ObjectStoreError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Cadangan tersimpan: {output if objectstore.is_remote(output) else summary.path} "
                f"({summary.objects} objek basis data, {summary.files} berkas, {summary.bytes} bita)."
            )
        )
