import time

from django.core.management.base import BaseCommand, CommandError

from assessments import services
from units.models import Pemda


class Command(BaseCommand):
    help = "Recomputes and stores the scores of every assessment (or of one Pemda, or given ids)."

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int, help="Assessment ids (default: all).")
        parser.add_argument("--pemda", help="Only this Pemda (its code, e.g. 33.20).")

    def handle(self, ids, pemda, **options):
        target = None
        if pemda:
            target = Pemda.objects.filter(code=pemda).first()
            if target is None:
                raise CommandError(f"Pemda dengan kode {pemda} tidak ditemukan.")
        started = time.perf_counter()
        count = services.compute_scores(ids or None, pemda=target)
        self.stdout.write(
            self.style.SUCCESS(
                f"{count} penilaian dihitung ulang dalam {time.perf_counter() - started:.2f} detik."
            )
        )
