"""Write-side rules for Pemda and units."""

import csv
import io
from dataclasses import dataclass, field

import tablib
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from zi_portal import spreadsheets

from .models import Pemda
from .resources import WorkUnitResource

MAX_IMPORT_BYTES = 5 * 1024 * 1024
SPREADSHEET_FORMATS = {".xlsx": "xlsx", ".csv": "csv"}


@dataclass
class RowError:
    row: int  # the spreadsheet line number, header being line 1
    column: str
    messages: list


@dataclass
class ImportReport:
    errors: list = field(default_factory=list)  # file-level errors
    row_errors: list = field(default_factory=list)
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    saved: bool = False

    @property
    def ok(self):
        return not self.errors and not self.row_errors


class ImportFileError(ValueError):
    pass


def read_spreadsheet(uploaded, *, required_columns) -> tablib.Dataset:
    """Loads an uploaded .xlsx or .csv into a Dataset, or raises ImportFileError in Indonesian."""
    name = (getattr(uploaded, "name", "") or "").lower()
    ext = next((e for e in SPREADSHEET_FORMATS if name.endswith(e)), None)
    if ext is None:
        raise ImportFileError(_("Format berkas tidak didukung. Unggah berkas .xlsx atau .csv."))
    if uploaded.size > MAX_IMPORT_BYTES:
        raise ImportFileError(_("Berkas terlalu besar (maksimal 5 MB)."))
    raw = uploaded.read()
    if not raw:
        raise ImportFileError(_("Berkas kosong."))
    try:
        if ext == ".csv":
            text = raw.decode("utf-8-sig")
            dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;\t")
            dataset = tablib.Dataset().load(text, format="csv", delimiter=dialect.delimiter)
        else:
            # Bounded streaming read first (zip bomb, huge cells); tablib then reads the same sheets.
            spreadsheets.open_xlsx(raw, data_only=True).close()
            dataset = tablib.Dataset().load(io.BytesIO(raw), format="xlsx")
    except spreadsheets.SpreadsheetRefused as exc:
        raise ImportFileError(str(exc)) from None
    except UnicodeDecodeError:
        raise ImportFileError(_("Berkas CSV harus berenkode UTF-8.")) from None
    except Exception:  # tablib/openpyxl raise many kinds for a broken file
        raise ImportFileError(
            _("Berkas tidak dapat dibaca sebagai spreadsheet. Periksa isinya.")
        ) from None
    headers = [str(h or "").strip().lower() for h in (dataset.headers or [])]
    missing = [c for c in required_columns if c not in headers]
    if missing:
        raise ImportFileError(
            _(
                "Kolom wajib tidak ada: %(missing)s. Baris pertama harus berisi judul kolom: %(cols)s."
            )
            % {"missing": ", ".join(missing), "cols": ", ".join(required_columns)}
        )
    dataset.headers = headers
    return dataset


def import_units(*, pemda: Pemda, uploaded, by, dry_run: bool = False) -> ImportReport:
    """Imports a unit list into one Pemda: every row valid or nothing is saved.

    Rows are matched on ``kode`` within the Pemda (existing units are updated).
    """
    if not by.has_perm("units.import_units", pemda):
        raise PermissionDenied(_("Anda tidak berwenang mengimpor unit kerja untuk Pemda ini."))
    report = ImportReport()
    try:
        dataset = read_spreadsheet(uploaded, required_columns=["kode", "nama", "jenis"])
    except ImportFileError as exc:
        report.errors.append(str(exc))
        return report
    if len(dataset) == 0:
        report.errors.append(_("Berkas tidak berisi baris data."))
        return report

    report.row_errors = _duplicate_codes(dataset)
    if report.row_errors:
        return report

    resource = WorkUnitResource(pemda)
    with transaction.atomic():
        result = resource.import_data(
            dataset,
            dry_run=dry_run,
            use_transactions=True,
            rollback_on_validation_errors=True,
            raise_errors=False,
        )
    report.row_errors = _row_errors(resource, result)
    report.new = result.totals.get("new", 0)
    report.updated = result.totals.get("update", 0)
    report.unchanged = result.totals.get("skip", 0)
    report.saved = report.ok and not dry_run
    return report


def _duplicate_codes(dataset):
    seen: dict[str, int] = {}
    errors = []
    for index, code in enumerate(dataset["kode"], start=2):
        key = str(code or "").strip()
        if key and key in seen:
            errors.append(
                RowError(
                    index,
                    "kode",
                    [
                        _("Kode '%(code)s' sudah dipakai di baris %(row)d.")
                        % {"code": key, "row": seen[key]}
                    ],
                )
            )
        seen.setdefault(key, index)
    return errors


def _row_errors(resource, result):
    column_of = {f.attribute: f.column_name for f in resource.fields.values()}
    errors = []
    for invalid in result.invalid_rows:
        for attribute, messages in invalid.error_dict.items():
            column = column_of.get(attribute, "" if attribute == "__all__" else attribute)
            errors.append(RowError(invalid.number + 1, column, list(messages)))
    for number, row_errors in result.row_errors():
        for err in row_errors:
            errors.append(RowError(number + 1, "", [str(err.error)]))
    return sorted(errors, key=lambda e: (e.row, e.column))
