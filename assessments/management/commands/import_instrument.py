from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from assessments.instrument_xlsx import import_xlsx
from units.models import Pemda


class Command(BaseCommand):
    help = (
        "Imports an LKE instrument .xlsx as a new version (for one Pemda, or national without --pemda). "
        "Every problem is printed with its sheet, row and column; with any problem nothing is saved "
        "and the exit code is 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The .xlsx file (layout of export_instrument).")
        parser.add_argument(
            "--pemda",
            help="Code of the Pemda that owns the new version (e.g. 33.20); "
            "without it the version is national.",
        )
        parser.add_argument("--check", action="store_true", help="Validate only; save nothing.")
        parser.add_argument(
            "--user",
            help="Import as this user (recorded as the importer; their "
            "permission on the Pemda is checked). Without it: as the system.",
        )

    def handle(self, path, pemda, check, user, **options):
        target = None
        if pemda:
            target = Pemda.objects.filter(code=pemda).first()
            if target is None:
                raise CommandError(f"Pemda dengan kode {pemda} tidak ditemukan.")
        by = None
        if user:
            by = get_user_model().objects.filter(username=user).first()
            if by is None:
                raise CommandError(f"Pengguna {user} tidak ditemukan.")
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"Berkas {path} tidak ada.")
        with file.open("rb") as handle:
            try:
                result = import_xlsx(
                    fileobj=handle, pemda=target, by=by, source_name=file.name, dry_run=check
                )
            except PermissionDenied as exc:
                raise CommandError(str(exc)) from None
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(result.errors)} kesalahan; tidak ada yang disimpan.")
        if result.instrument and not result.created:
            self.stdout.write(
                f"Sama persis dengan {result.instrument} (id {result.instrument.pk}); "
                "tidak ada versi baru."
            )
        elif check:
            self.stdout.write(
                self.style.SUCCESS("Berkas valid; tidak ada yang disimpan (--check).")
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(f"Tersimpan: {result.instrument} (id {result.instrument.pk}).")
            )
