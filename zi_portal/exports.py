"""Lists downloaded as spreadsheets: the monitoring table, Kesiapan and the review queue each hand
their rows (from their own selector) to ``table_download``, which writes the xlsx or the CSV.

Values keep their type: a score is a Decimal, a count an int, a date a date; the writer alone
decides how each looks. In the xlsx they stay numbers and dates with formats that Excel and
LibreOffice show in the reader's locale (``0.00`` reads 74,50 in Indonesian Excel), so people
can sum and sort them. Text typed by people never becomes a formula (zi_portal.spreadsheets).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import openpyxl
from django.http import HttpResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from zi_portal import spreadsheets
from zi_portal.downloads import XLSX_CONTENT_TYPE, protected_download

FORMATS = ("xlsx", "csv")
TEXT, INT, DECIMAL, DATE = "text", "int", "decimal", "date"
# Cell formats are stored locale-free in the file; the program shows them with the reader's own
# separators. The same formats as every other xlsx of the portal (zi_portal.spreadsheets).
XLSX_FORMATS = {
    INT: spreadsheets.COUNT_FORMAT,
    DECIMAL: spreadsheets.SCORE_FORMAT,
    DATE: spreadsheets.DATE_FORMAT,
}
WIDTHS = {TEXT: 18, INT: 10, DECIMAL: 11, DATE: 16}


@dataclass(frozen=True)
class Column:
    title: str  # as the page's column header says it (translated)
    kind: str = TEXT
    width: int | None = None  # characters; by kind when None


def filename(stem: str, pemda, fmt: str, today: datetime.date | None = None) -> str:
    """pemantauan-kabupaten-jepara-2026-11-30.xlsx: what, whose, when."""
    today = today or timezone.localdate()
    return f"{stem}-{slugify(pemda.name)}-{today.isoformat()}.{fmt}"


def about(pemda, *, year=None, form=None) -> list[tuple[str, str]]:
    """The xlsx's "Keterangan" sheet: whose list, which year, the filters applied, when."""
    lines = [(_("Pemda"), pemda.name)]
    if year is not None:
        lines.append((_("Tahun"), str(year)))
    for name, value in getattr(form, "cleaned_data", {}).items() if form is not None else ():
        if value in (None, "") or name == "year":
            continue
        field = form.fields[name]
        shown = dict(getattr(field, "choices", [])).get(value, value)
        lines.append((str(field.label), str(shown)))
    lines.append((_("Diunduh"), date_format(timezone.localtime(), "j F Y, H.i")))
    return lines


def table_download(
    *,
    fmt: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence],
    name: str,
    title: str,
    about: Sequence[tuple[str, str]] = (),
) -> HttpResponse:
    """The rows as an xlsx or CSV attachment named ``name``. ``title`` and ``about`` (label, value
    pairs: Pemda, year, filters, when exported) go to the xlsx's second sheet; the CSV holds only
    the table so that it opens as one."""
    if fmt == "csv":
        return protected_download(
            csv_bytes(columns, rows), name, content_type="text/csv; charset=utf-8"
        )
    return protected_download(
        xlsx_bytes(columns, rows, title=title, about=about), name, content_type=XLSX_CONTENT_TYPE
    )


def xlsx_bytes(columns, rows, *, title: str, about=()) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append([c.title for c in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        ws.append([_xlsx_value(v) for v in row])
    for i, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = column.width or WIDTHS[column.kind]
    spreadsheets.number_formats(
        ws,
        {i: XLSX_FORMATS[c.kind] for i, c in enumerate(columns, start=1) if c.kind in XLSX_FORMATS},
        first_row=2,
    )
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    # Printed from Excel as the pages print: landscape, one page wide, the header on every page.
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    info = wb.create_sheet("Keterangan")
    info.append([title])
    info["A1"].font = Font(bold=True)
    for label, value in about:
        info.append([label, value])
    info.column_dimensions["A"].width = 24
    info.column_dimensions["B"].width = 60
    wb.properties.title = title
    return spreadsheets.workbook_bytes(wb)


def _xlsx_value(value):
    if isinstance(value, Promise):  # a lazy label (choices, NOT_PROCLAIMED_LABEL)
        return str(value)
    if isinstance(value, datetime.datetime):
        # Excel has no time zones: the Jakarta wall-clock time people see on the pages.
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    return value


def csv_bytes(columns, rows) -> bytes:
    """UTF-8 with a BOM, ';' between fields, decimal comma. Excel set to Indonesian (decimal comma,
    list separator ';') opens a plain comma CSV as one column per line and reads "74.50" as text
    or a date; with ';' and "74,50" every field lands in its column as a number, and the BOM makes
    it read the names as UTF-8 instead of the ANSI code page. LibreOffice detects all three.
    Dates are ISO (2026-02-05), which every Excel reads as a date whatever its locale."""
    lines = [[c.title for c in columns]]
    lines += ([_csv_value(v, c.kind) for v, c in zip(row, columns, strict=True)] for row in rows)
    return spreadsheets.excel_csv(lines).encode("utf-8")


def _csv_value(value, kind=TEXT):
    if value is None:
        return ""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, Decimal | float):
        d = Decimal(str(value))
        if kind == DECIMAL:  # two places like the pages (93,50), half-up like the stored scores
            d = d.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        # Whatever the person's UI language: the file is for Indonesian Excel. No thousands dot.
        return f"{d:f}".replace(".", ",")
    if isinstance(value, datetime.datetime):
        return _xlsx_value(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return spreadsheets.csv_field(value)
