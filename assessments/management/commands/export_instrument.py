import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.instrument_xlsx import XlsxLayoutError, export_instrument
from assessments.models import Instrument
from assessments.services import current_instrument


class Command(BaseCommand):
    help = (
        "Writes an LKE instrument version as an editable .xlsx (the layout the import page reads). "
        "Default: the newest active national version."
    )

    def add_arguments(self, parser):
        parser.add_argument("output", help="Path of the .xlsx to write.")
        source = parser.add_mutually_exclusive_group()
        source.add_argument(
            "--id", type=int, help="Instrument id (see the admin or the Instrumen LKE page)."
        )
        source.add_argument(
            "--json",
            dest="json_path",
            help="An instrument JSON file instead of a stored version, "
            "e.g. assessments/instruments/lke-2024.json.",
        )

    def handle(self, output, id, json_path, **options):
        spec = self._spec(id, json_path)
        try:
            data = export_instrument(spec)
        except XlsxLayoutError as exc:
            raise CommandError(str(exc)) from None
        Path(output).write_bytes(data)
        self.stdout.write(
            self.style.SUCCESS(f"{spec['code']} ditulis ke {output} ({len(data)} bita).")
        )

    def _spec(self, pk, path):
        if path:
            try:
                return json.loads(Path(path).read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise CommandError(f"Tidak dapat membaca {path}: {exc}") from None
        instrument = Instrument.objects.filter(pk=pk).first() if pk else current_instrument(None)
        if instrument is None:
            raise CommandError(
                f"Instrumen {pk} tidak ditemukan." if pk else "Belum ada instrumen nasional aktif."
            )
        return instrument.spec
