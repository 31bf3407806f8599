from django.core.management.base import BaseCommand
from django.utils import timezone

from ops.backup import create_backup


class Command(BaseCommand):
    help = "Writes a .tar.gz backup of the database and all stored files (evidence, reports)."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="archive path (default: zi-portal-<timestamp>.tar.gz)")

    def handle(self, *args, output=None, **options):
        output = output or f"zi-portal-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz"
        summary = create_backup(output)
        self.stdout.write(self.style.SUCCESS(
            f"Cadangan tersimpan: {summary.path} ({summary.objects} objek basis data, "
            f"{summary.files} berkas, {summary.bytes} bita)."
        ))
