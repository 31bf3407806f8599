from django.core.management.base import BaseCommand, CommandError

from ops import objectstore


class Command(BaseCommand):
    help = (
        "Creates the storage bucket (AWS_STORAGE_BUCKET_NAME) and any other bucket named (e.g. for "
        "backups) when missing, without public access. Safe to run at every start."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "extra", nargs="*", help="other buckets to create, e.g. zi-portal-backups"
        )

    def handle(self, *args, extra=(), **options):
        try:
            done = objectstore.ensure_buckets(*extra)
        except objectstore.ObjectStoreError as exc:
            raise CommandError(str(exc)) from exc
        for name, created in done:
            self.stdout.write(f"Bucket {name}: {'dibuat' if created else 'sudah ada'}.")
