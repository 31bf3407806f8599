"""Reading an uploaded xlsx workbook, shared by the instrument import (assessments.instrument_xlsx)
and the LKE answer import (assessments.answer_xlsx): the upload checks, the one call that opens a
workbook, typed cells and rows, and structured errors.

A problem is a SheetError: where (sheet, spreadsheet row, column), a stable ``code`` for code that
needs to know which rule failed, and a message in Indonesian for people. Code reads the fields,
never the wording of the message.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from units.services import MAX_IMPORT_BYTES
from zi_portal import spreadsheets

MAX_ROWS = 5000  # a real LKE has ~150 questions; this stops a crafted file from eating memory
MAX_COLUMNS = 40
NUMBER = re.compile(r"\d+(?:\.\d+)?|\d+/[1-9]\d*")

# SheetError codes: which rule failed, independent of the message's wording.
FILE_TYPE = "file_type"  # not an .xlsx name
FILE_TOO_LARGE = "file_too_large"
FILE_EMPTY = "file_empty"
FILE_UNREADABLE = "file_unreadable"  # not a workbook
FILE_REFUSED = "file_refused"  # a workbook over the bounds of zi_portal.spreadsheets (a bomb)
WRONG_FILE = "wrong_file"  # a workbook, but not the one expected (no LKE sheet, another version)
SHEET_MISSING = "sheet_missing"
COLUMNS_MISSING = "columns_missing"
TOO_MANY_ROWS = "too_many_rows"
REQUIRED = "required"
NOT_A_NUMBER = "not_a_number"
NOT_AN_INTEGER = "not_an_integer"
FORMULA = "formula"  # an Excel formula where a number belongs
DATE = "date"  # a fraction Excel turned into a date
DUPLICATE = "duplicate"
UNKNOWN = "unknown"
MISMATCH = "mismatch"  # rows of one group disagree
INVALID = "invalid"  # any other malformed cell
INSTRUMENT = "instrument"  # a rule of the instrument data (scoring.instrument_problems)
NOT_ALLOWED = "not_allowed"  # the person may not import this (role or stage)
ANSWER = "answer"  # a value the answer rules refuse (services.normalize_value / save_answer)


@dataclass(frozen=True)
class SheetError:
    """One problem of an uploaded workbook: where it is (sheet, spreadsheet row, column), which rule
    (``code``) and what, in words. Equality compares the place and the message."""

    sheet: str  # "" = the file as a whole
    row: int | None
    column: str
    message: str
    code: str = field(default=INVALID, compare=False)

    @property
    def kind(self) -> str:
        """ "file", "sheet" (a sheet as a whole) or "cell" (a row, maybe a column)."""
        return "file" if not self.sheet else "sheet" if not self.row else "cell"

    def __str__(self) -> str:
        where = self.sheet
        if self.row:
            where += " " + _("baris %(row)d") % {"row": self.row}
        if self.column:
            where += (", " if where else "") + _("kolom '%(column)s'") % {"column": self.column}
        return f"{where}: {self.message}" if where else self.message


def open_workbook(raw: bytes, *, formulas: bool):
    """The one place an uploaded workbook is opened: read-only, within the bounds of
    zi_portal.spreadsheets (a decompression bomb is refused before it is inflated). ``formulas``: a
    formula cell gives its text ("=+REF-X") rather than its cached value. Raises SpreadsheetRefused."""
    return spreadsheets.open_xlsx(raw, data_only=not formulas)


def load_upload(fileobj, *, formulas: bool, wrong_type: str) -> tuple[Any, list[SheetError]]:
    """(workbook, []) of an uploaded .xlsx, or (None, [the file-level error]); ``wrong_type`` is the
    message for a file whose name is not .xlsx. The words match the unit import's."""

    def fail(message, code):
        return None, [SheetError("", None, "", message, code)]

    name = (getattr(fileobj, "name", "") or "").lower()
    if name and not name.endswith(".xlsx"):
        return fail(wrong_type, FILE_TYPE)
    raw = fileobj.read(MAX_IMPORT_BYTES + 1)
    if len(raw) > MAX_IMPORT_BYTES:
        return fail(_("Berkas terlalu besar (maksimal 5 MB)."), FILE_TOO_LARGE)
    if not raw:
        return fail(_("Berkas kosong."), FILE_EMPTY)
    try:
        return open_workbook(raw, formulas=formulas), []
    except spreadsheets.SpreadsheetRefused as exc:
        # A file that is not a workbook, or one over the bounds (exc.code says which).
        return fail(
            str(exc), FILE_UNREADABLE if exc.code in ("not_xlsx", "unreadable") else FILE_REFUSED
        )


def yes_no(value) -> str:
    return "ya" if value else "tidak"


@dataclass
class Cell:
    value: object = None
    fmt: str = "General"
    formula: bool = False

    @property
    def empty(self):
        return self.value is None or (isinstance(self.value, str) and not self.value.strip())


class Row:
    def __init__(self, table, line, cells):
        self.table, self.line, self.cells = table, line, cells  # line: the spreadsheet row number

    def cell(self, column) -> Cell:
        index = self.table.columns.get(column)
        return self.cells[index] if index is not None and index < len(self.cells) else Cell()

    def empty(self, column) -> bool:
        return self.cell(column).empty

    def fail(self, column: str, message: str, code: str = INVALID) -> None:
        self.table.errors.append(SheetError(self.table.name, self.line, column, message, code))

    def text(self, column, *, required=False) -> str:
        cell = self.cell(column)
        value = cell.value
        if value is None:
            text = ""
        elif isinstance(value, str):
            text = value[1:] if cell.formula and value.startswith("=") else value
        elif isinstance(value, bool):
            text = yes_no(value)
        elif isinstance(value, (int, float)):
            text = number_text(value, cell.fmt)
        elif hasattr(value, "isoformat"):
            text = value.isoformat()
        else:
            text = str(value)
        text = text.replace("\r\n", "\n").strip()
        if required and not text:
            self.fail(column, _("wajib diisi"), REQUIRED)
        return text

    def optional(self, column) -> str | None:
        return self.text(column) or None

    def number(self, column, *, required=True) -> str | None:
        """A number as the exact text the spec keeps ("0.5", "2/3"), or None after an error."""
        cell = self.cell(column)
        if cell.empty:
            if required:
                self.fail(column, _("wajib diisi"), REQUIRED)
            return None
        if cell.formula:
            self.fail(
                column,
                _("berisi rumus Excel (%(value)s); isi dengan angkanya") % {"value": cell.value},
                FORMULA,
            )
            return None
        if hasattr(cell.value, "year"):  # Excel turns a typed 2/3 into a date
            self.fail(
                column,
                _(
                    "terbaca sebagai tanggal (%(value)s); awali pecahan dengan tanda petik "
                    "agar terbaca sebagai teks, mis. '2/3"
                )
                % {"value": self.text(column)},
                DATE,
            )
            return None
        raw = self.text(column)
        text = decimal_text(raw) if not isinstance(cell.value, bool) else None
        if text is None:
            self.fail(column, _("'%(value)s' bukan angka") % {"value": raw}, NOT_A_NUMBER)
        return text

    def integer(self, column, *, required=True) -> int | None:
        cell = self.cell(column)
        if cell.empty:
            if required:
                self.fail(column, _("wajib diisi"), REQUIRED)
            return None
        raw = self.text(column)
        if isinstance(cell.value, bool) or not re.fullmatch(r"-?\d+", raw):
            self.fail(
                column, _("'%(value)s' bukan bilangan bulat") % {"value": raw}, NOT_AN_INTEGER
            )
            return None
        return int(raw)

    def lines(self, column) -> list[str]:
        return [line.strip() for line in self.text(column).split("\n") if line.strip()]


class Table:
    def __init__(self, name, worksheet, required, optional, errors):
        self.name, self.errors, self.rows, self.columns = name, errors, [], {}
        rows = worksheet.iter_rows(max_col=MAX_COLUMNS)
        header = next(rows, ())
        for index, cell in enumerate(header):
            title = " ".join(str(cell.value or "").split()).lower()
            if title and title not in self.columns:
                self.columns[title] = index
        missing = [c for c in required if c not in self.columns]
        if missing:
            errors.append(
                SheetError(
                    name,
                    None,
                    "",
                    _(
                        "kolom wajib tidak ada: %(missing)s. Baris pertama harus berisi judul kolom: %(columns)s."
                    )
                    % {
                        "missing": ", ".join(missing),
                        "columns": ", ".join(required + list(optional)),
                    },
                    COLUMNS_MISSING,
                )
            )
            self.ok = False
            return
        self.ok = True
        for number, cells in enumerate(rows, start=2):
            # Blank rows (a sheet formatted far down) are skipped, but only up to a point.
            if len(self.rows) >= MAX_ROWS or number > 20 * MAX_ROWS:
                errors.append(
                    SheetError(
                        name,
                        None,
                        "",
                        _("terlalu banyak baris (maksimal %(max)d)") % {"max": MAX_ROWS},
                        TOO_MANY_ROWS,
                    )
                )
                self.ok = False
                return
            row = Row(
                self,
                number,
                [
                    Cell(
                        c.value,
                        getattr(c, "number_format", None) or "General",
                        getattr(c, "data_type", "") == "f",
                    )
                    for c in cells
                ],
            )
            if not all(c.empty for c in row.cells):
                self.rows.append(row)


def number_text(value, fmt) -> str:
    """The shortest text of a number cell, padded to the decimals its format shows ("0.00" → 2.50)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return str(value)
    text = str(value) if isinstance(value, int) else format(Decimal(repr(value)), "f")
    whole, _dot, fraction = text.partition(".")
    shown = re.search(r"\.(0+)", fmt or "")
    fraction = fraction.rstrip("0").ljust(len(shown.group(1)) if shown else 0, "0")
    return whole + ("." + fraction if fraction else "")


def decimal_text(raw: str) -> str | None:
    text = raw.strip()
    if "," in text and "." not in text:
        text = text.replace(",", ".")  # decimal comma, as Indonesian spreadsheets write numbers
    return text if NUMBER.fullmatch(text) else None


def sheet_names(workbook):
    return {" ".join(name.split()).lower(): name for name in workbook.sheetnames}
