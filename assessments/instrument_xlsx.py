"""The LKE instrument as an xlsx workbook: Inspektorat admins export a version, edit it in a
spreadsheet program and import it back as a new version.

Layout, one sheet per part of the canonical JSON (assessments/instruments/lke-2024.json);
row 1 holds the column names, data start on row 2:

  Instrumen      kunci | nilai — format, kode, nama, dasar hukum, tahun, desimal,
                 bulatkan indikator (ya/tidak), alternatif pecahan, catatan
  Jenis Jawaban  kode, label, jenis (pilihan/hitung/jumlah/nilai), opsi ("A=1; B=0,67; C=0,33"),
                 alternatif ("exact_thirds: B=2/3; C=1/3", one per line), min, maks
  Area           kode, nama, urutan
  Komponen       kode komponen, nama komponen, bobot komponen, kode bagian, nama bagian,
                 bobot bagian — one row per bagian, the komponen columns repeated
  Pertanyaan     one row per question: kode indikator, bagian, area, nama indikator,
                 bobot indikator, kode pertanyaan, label, pertanyaan, kriteria, jenis jawaban,
                 pembilang, penyebut ("+REF-SDM-03.j1 -REF-SDM-03.j2"), survei, petunjuk,
                 data dukung (one per line); optional: pilihan ("A. teks" per line), koreksi
                 (one per line), sumber
  Ambang         predikat, kode gerbang, jenis (simpul/porsi area/predikat sebelumnya), node,
                 minimal, syarat predikat, label — one row per gate
  Pengusulan     kunci | nilai | jenis (teks/angka/ya-tidak/daftar/json): the "nomination" block
  Lainnya        kunci | nilai | jenis: every other top-level block (e.g. "calendar")
A first sheet "Petunjuk" explains this to whoever edits the file; the reader ignores it.

Canonical form, which is what makes ``read_instrument_xlsx(export_instrument(spec)) == spec``:
- indicator and question ``order`` are the row order (1, 2, …), so rows can be moved to reorder;
  the rows of one indicator (one komponen, one predikat) must be consecutive;
- a count question (jenis "jumlah") whose kriteria/petunjuk/data dukung are empty carries none
  of those keys; every other question carries all three, empty or not;
- numbers keep their exact text ("2.50" stays "2.50"): weights are written as number cells
  whose format shows those decimals, and read back with at least those decimals. Numbers typed
  as text may use a decimal comma ("0,5") or a fraction ("2/3").
The export proves this on every file it writes and refuses a spec it could not give back whole,
because a later import of that file would silently drop the missing part.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal

import openpyxl
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.worksheet.datavalidation import DataValidation

from units.services import MAX_IMPORT_BYTES
from zi_portal import spreadsheets

from . import scoring
from .instrument_io import checksum
from .models import Instrument
from .services import import_instrument

SHEET_HELP = "Petunjuk"
SHEET_INFO = "Instrumen"
SHEET_TYPES = "Jenis Jawaban"
SHEET_AREAS = "Area"
SHEET_COMPONENTS = "Komponen"
SHEET_QUESTIONS = "Pertanyaan"
SHEET_THRESHOLDS = "Ambang"
SHEET_NOMINATION = "Pengusulan"
SHEET_OTHER = "Lainnya"

KV_COLUMNS = ["kunci", "nilai"]
TYPED_KV_COLUMNS = ["kunci", "nilai", "jenis"]
TYPE_COLUMNS = ["kode", "label", "jenis", "opsi", "alternatif", "min", "maks"]
AREA_COLUMNS = ["kode", "nama", "urutan"]
COMPONENT_COLUMNS = ["kode komponen", "nama komponen", "bobot komponen", "kode bagian", "nama bagian",
                     "bobot bagian"]
QUESTION_COLUMNS = ["kode indikator", "bagian", "area", "nama indikator", "bobot indikator",
                    "kode pertanyaan", "label", "pertanyaan", "kriteria", "jenis jawaban", "pembilang",
                    "penyebut", "survei", "petunjuk", "data dukung"]
QUESTION_OPTIONAL = ["pilihan", "koreksi", "sumber"]
THRESHOLD_COLUMNS = ["predikat", "kode gerbang", "jenis", "node", "minimal", "syarat predikat", "label"]

# Instrumen sheet: key -> path in the spec and the kind of value it holds.
INFO_KEYS = {
    "format": (("format",), "int"),
    "kode": (("code",), "text"),
    "nama": (("name",), "text"),
    "dasar hukum": (("regulation",), "text"),
    "tahun": (("year",), "int"),
    "desimal": (("scoring", "decimals"), "int"),
    "bulatkan indikator": (("scoring", "round_indicators"), "bool"),
    "alternatif pecahan": (("scoring", "fraction_alternative"), "optional"),
    "catatan": (("scoring", "notes"), "text"),
}
REQUIRED_INFO = ("kode", "nama", "tahun")
ANSWER_KINDS = ("pilihan", "hitung", "jumlah", "nilai")
GATE_KINDS = {"simpul": "node", "porsi area": "each_area_share", "predikat sebelumnya": "prior_designation"}
VALUE_KINDS = ("teks", "angka", "ya/tidak", "daftar", "json")
# Blocks that have sheets of their own; any other top-level key goes to "Lainnya".
KNOWN_KEYS = {path[0] for path, _kind in INFO_KEYS.values()} | {
    "answer_types", "areas", "components", "indicators", "thresholds", "nomination"}

MAX_ROWS = 5000  # a real LKE has ~150 questions; this stops a crafted file from eating memory
MAX_COLUMNS = 40
NUMBER = re.compile(r"\d+(?:\.\d+)?|\d+/[1-9]\d*")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class SheetError:
    """One problem of an uploaded workbook: where it is (sheet, spreadsheet row, column) and what."""

    sheet: str  # "" = the file as a whole
    row: int | None
    column: str
    message: str

    def __str__(self):
        where = self.sheet
        if self.row:
            where += " " + _("baris %(row)d") % {"row": self.row}
        if self.column:
            where += (", " if where else "") + _("kolom '%(column)s'") % {"column": self.column}
        return f"{where}: {self.message}" if where else self.message


class XlsxLayoutError(ValueError):
    """The instrument holds data the xlsx layout cannot carry; exporting it would lose data."""


# --- export -------------------------------------------------------------------------------

def export_instrument(spec: dict) -> bytes:
    """The workbook (xlsx bytes) of an instrument spec; reading it back gives the same spec."""
    try:
        data = _write_workbook(spec)
    except (IllegalCharacterError, KeyError, TypeError, AttributeError) as exc:
        raise XlsxLayoutError(_("Instrumen tidak dapat diekspor ke xlsx: %(error)s") % {"error": exc}) from None
    back, _index, errors = _assemble(_open(data))
    if errors or back != spec:
        where = ", ".join(list(_differences(spec, back or {}))[:5])
        raise XlsxLayoutError(
            _("Instrumen ini memuat data yang tidak dapat dinyatakan dalam format xlsx (%(where)s); "
              "ekspor dibatalkan agar impor berikutnya tidak kehilangan data.") % {"where": where or errors[0]}
        )
    return data


def _write_workbook(spec: dict) -> bytes:
    wb = openpyxl.Workbook()
    wb.active.title = SHEET_HELP
    _write_help(wb.active, spec)

    scoring_spec = spec.get("scoring", {})
    info_rows = []
    for key, (path, kind) in INFO_KEYS.items():
        holder = scoring_spec if path[0] == "scoring" else spec
        if path[-1] in holder and (path[0] != "scoring" or "scoring" in spec):
            value = holder[path[-1]]
            info_rows.append([key, _yes_no(value) if kind == "bool" else value])
    _table(wb, SHEET_INFO, KV_COLUMNS, info_rows, widths=[22, 100], wrap=["nilai"])

    type_rows = []
    for code, atype in spec["answer_types"].items():
        kind = ("pilihan" if "options" in atype else "hitung" if atype.get("computed") is True
                else "jumlah" if atype.get("scored") is False else "nilai")
        options = "; ".join(f"{o['value']}={_comma(o['fraction'])}" for o in atype.get("options", []))
        alternatives = "\n".join(
            f"{name}: " + "; ".join(f"{k}={_comma(v)}" for k, v in values.items())
            for name, values in atype.get("alternatives", {}).items()
        )
        type_rows.append([code, atype.get("label"), kind, options, alternatives,
                          _Num(atype["min"]) if "min" in atype else None,
                          _Num(atype["max"]) if "max" in atype else None])
    types_ws = _table(wb, SHEET_TYPES, TYPE_COLUMNS, type_rows, widths=[14, 16, 10, 40, 34, 8, 8],
                      wrap=["alternatif"])
    _choice_list(types_ws, "C", ANSWER_KINDS)

    area_rows = [[a["code"], a["name"], a.get("order")] for a in spec["areas"]]
    _table(wb, SHEET_AREAS, AREA_COLUMNS, area_rows, widths=[10, 45, 8])

    component_rows = []
    for c in spec["components"]:
        head = [c["code"], c["name"], _Num(c["weight"])]
        for s in c["sections"] or [None]:
            component_rows.append(head + ([s["code"], s["name"], _Num(s["weight"])] if s else [None] * 3))
    _table(wb, SHEET_COMPONENTS, COMPONENT_COLUMNS, component_rows, widths=[16, 22, 10, 16, 40, 10])

    question_rows = []
    for ind in spec["indicators"]:
        head = [ind["code"], ind["section"], ind.get("area"), ind["name"], _Num(ind["weight"])]
        for q in ind["questions"] or [None]:
            if q is None:
                question_rows.append(head + [None] * (len(QUESTION_COLUMNS) + len(QUESTION_OPTIONAL) - 5))
                continue
            formula = q.get("formula") or {}
            question_rows.append(head + [
                q["code"], q.get("label"), q.get("text"), q.get("criteria"), q["answer_type"],
                _formula_text(formula.get("numerator")), _formula_text(formula.get("denominator")),
                q.get("survey"), q.get("guidance"), "\n".join(q.get("evidence", [])),
                "\n".join(f"{c['value']}. {c['text']}" for c in q.get("choices", [])),
                "\n".join(q.get("corrections", [])), q.get("source"),
            ])
    questions_ws = _table(
        wb, SHEET_QUESTIONS, QUESTION_COLUMNS + QUESTION_OPTIONAL, question_rows,
        widths=[14, 12, 7, 32, 9, 16, 8, 50, 50, 12, 22, 22, 8, 45, 40, 45, 30, 22],
        wrap=["nama indikator", "pertanyaan", "kriteria", "petunjuk", "data dukung", "pilihan", "koreksi"],
    )
    questions_ws.freeze_panes = "G2"  # keep the codes in view while scrolling the long texts
    _choice_list(questions_ws, "J", None, source=f"'{SHEET_TYPES}'!$A$2:$A${len(type_rows) + 50}")

    gate_names = {v: k for k, v in GATE_KINDS.items()}
    gate_rows = []
    for t in spec["thresholds"]:
        for g in t["gates"] or [None]:
            if g is None:
                gate_rows.append([t["designation"]] + [None] * 6)
                continue
            gate_rows.append([t["designation"], g["code"], gate_names.get(g["kind"], g["kind"]), g.get("node"),
                              _Num(g["min"]) if "min" in g else None, g.get("requires"), g.get("label")])
    gates_ws = _table(wb, SHEET_THRESHOLDS, THRESHOLD_COLUMNS, gate_rows, widths=[10, 14, 18, 16, 9, 14, 55])
    _choice_list(gates_ws, "C", tuple(GATE_KINDS))

    if "nomination" in spec:
        rows = [_typed_row(k, v) for k, v in spec["nomination"].items()]
        _choice_list(_table(wb, SHEET_NOMINATION, TYPED_KV_COLUMNS, rows, widths=[28, 60, 10], wrap=["nilai"]),
                     "C", VALUE_KINDS)
    others = {k: v for k, v in spec.items() if k not in KNOWN_KEYS}
    if others:
        rows = [_typed_row(k, v) for k, v in others.items()]
        _choice_list(_table(wb, SHEET_OTHER, TYPED_KV_COLUMNS, rows, widths=[28, 80, 10], wrap=["nilai"]),
                     "C", VALUE_KINDS)

    return spreadsheets.workbook_bytes(wb)


@dataclass(frozen=True)
class _Num:
    """A number kept as text in the spec ("2.50"), written as a number cell when that is lossless."""

    text: str


HEADER_FILL = PatternFill("solid", fgColor="DDE6EE")


def _table(wb, title, columns, rows, *, widths, wrap=()):
    ws = wb.create_sheet(title)
    ws.append(columns)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    wrapped = {columns.index(c) for c in wrap}
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values):
            cell = ws.cell(row=r, column=c + 1)
            _put(cell, value)
            if c in wrapped:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            else:
                cell.alignment = Alignment(vertical="top")
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(len(rows) + 1, 2)}"
    return ws


def _put(cell, value):
    if value is None or value == "":
        return
    if isinstance(value, _Num):
        as_number = _number_cell(value.text) if isinstance(value.text, str) else None
        if as_number:
            cell.value, cell.number_format = as_number
            return
        value = value.text  # e.g. "2/3"; a non-text number is caught by the export's round-trip check
    if isinstance(value, bool):
        value = _yes_no(value)
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # openpyxl would store it as an Excel formula


def _number_cell(text: str):
    """(value, number format) for a lossless number cell, or None to keep the text as it is."""
    match = re.fullmatch(r"(0|[1-9]\d{0,12})(?:\.(\d{1,6}))?", text)
    if not match:
        return None  # a fraction such as "2/3", or a form a number cell would not keep
    decimals = len(match.group(2) or "")
    if not decimals:
        return int(text), "General"
    fmt = "0." + "0" * decimals + "#" * (6 - decimals)
    value = float(text)
    return ((value, fmt) if _number_text(value, fmt) == text else None)


def _choice_list(ws, column, choices, *, source=None):
    """A drop-down on one column, so a typo is caught while typing rather than at import."""
    formula = source or '"' + ",".join(choices) + '"'
    validation = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=False)
    ws.add_data_validation(validation)
    validation.add(f"{column}2:{column}{MAX_ROWS}")


def _typed_row(key, value):
    if isinstance(value, bool):
        return [key, _yes_no(value), "ya/tidak"]
    if isinstance(value, (int, float)):
        return [key, value, "angka"]
    if isinstance(value, str):
        return [key, value, "teks"]
    if (isinstance(value, list) and value and all(isinstance(v, str) and v.strip() == v and v and "\n" not in v
                                                  for v in value)):
        return [key, "\n".join(value), "daftar"]
    return [key, json.dumps(value, ensure_ascii=False, indent=1), "json"]


def _write_help(ws, spec):
    lines = [
        _("Instrumen LKE %(code)s — %(name)s") % {"code": spec.get("code", ""), "name": spec.get("name", "")},
        "",
        _("Cara mengubah instrumen:"),
        _("1. Ubah isi lembar Instrumen, Jenis Jawaban, Area, Komponen, Pertanyaan dan Ambang. "
          "Jangan mengubah nama lembar atau judul kolom (baris 1)."),
        _("2. Satu baris lembar Pertanyaan = satu pertanyaan. Baris satu indikator harus berurutan; kolom "
          "indikator (bagian, area, nama, bobot) harus sama di semua barisnya."),
        _("3. Urutan indikator dan pertanyaan mengikuti urutan baris."),
        _("4. Angka boleh ditulis dengan koma desimal (0,5) atau pecahan (2/3). Bobot bagian harus sama dengan "
          "jumlah bobot indikatornya, bobot komponen dengan jumlah bobot bagiannya, dan total komponen 100."),
        _("5. Opsi jenis jawaban ditulis seperti A=1; B=0,67; C=0,33; D=0. Pembilang dan penyebut "
          "pertanyaan % berisi kode pertanyaan Jumlah dengan tanda, mis. +REF-SDM-03.j1 -REF-SDM-03.j2."),
        _("6. Data dukung, koreksi dan pilihan: satu per baris dalam sel (Alt+Enter)."),
        _("7. Impor berkas ini di ZI Portal (menu Instrumen LKE → Impor). Berkas diperiksa lebih dahulu; "
          "jika ada kesalahan, tidak ada yang disimpan. Impor selalu membuat versi baru: versi yang sudah "
          "dipakai penilaian tidak pernah berubah."),
    ]
    for line in lines:
        ws.append([line])
    ws["A1"].font = Font(bold=True, size=13)
    ws.column_dimensions["A"].width = 130
    for row in ws.iter_rows():
        row[0].alignment = Alignment(wrap_text=True, vertical="top")


def _yes_no(value):
    return "ya" if value else "tidak"


def _comma(text: str) -> str:
    return str(text).replace(".", ",")  # Indonesian decimal comma, as admins read numbers


def _formula_text(items) -> str:
    return " ".join(f"{sign}{ref}" for sign, ref in items or [])


def _differences(a, b, path=""):
    """Paths at which two JSON-like values differ (to name what an export could not carry)."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in list(a) + [k for k in b if k not in a]:
            if key not in a or key not in b:
                yield f"{path}.{key}".lstrip(".")
            else:
                yield from _differences(a[key], b[key], f"{path}.{key}")
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            yield from _differences(x, y, f"{path}[{i}]")
    elif a != b or type(a) is not type(b):
        yield path.lstrip(".") or "(instrumen)"


# --- import: reading -------------------------------------------------------------------------

def read_instrument_xlsx(fileobj) -> tuple[dict | None, list[SheetError]]:
    """The instrument spec in an uploaded workbook and every problem found, each located at its
    sheet, row and column. The spec is None unless the file is error-free and scoring accepts it."""
    workbook, errors = _load(fileobj)
    if errors:
        return None, errors
    spec, index, errors = _assemble(workbook)
    if errors:
        return None, errors
    errors = [_locate(message, index) for message in scoring.validate_instrument(spec)]
    return (None, errors) if errors else (spec, [])


def _load(fileobj):
    """The workbook, or a file-level error in the words of the unit import (read_spreadsheet)."""
    def fail(message):
        return None, [SheetError("", None, "", message)]

    name = (getattr(fileobj, "name", "") or "").lower()
    if name and not name.endswith(".xlsx"):
        return fail(_("Format berkas tidak didukung. Unggah berkas .xlsx (hasil unduhan instrumen)."))
    raw = fileobj.read(MAX_IMPORT_BYTES + 1)
    if len(raw) > MAX_IMPORT_BYTES:
        return fail(_("Berkas terlalu besar (maksimal 5 MB)."))
    if not raw:
        return fail(_("Berkas kosong."))
    try:
        return _open(raw), []
    except spreadsheets.SpreadsheetRefused as exc:
        return fail(str(exc))
    except Exception:  # noqa: BLE001 — openpyxl raises many kinds for a file that is not a workbook
        return fail(_("Berkas tidak dapat dibaca sebagai spreadsheet .xlsx. Periksa isinya."))


def _open(raw: bytes):
    # Formulas are read as text (data_only=False): "+REF-X" typed in Excel becomes "=+REF-X".
    return spreadsheets.open_xlsx(raw, data_only=False)


@dataclass
class _Cell:
    value: object = None
    fmt: str = "General"
    formula: bool = False

    @property
    def empty(self):
        return self.value is None or (isinstance(self.value, str) and not self.value.strip())


class _Row:
    def __init__(self, table, line, cells):
        self.table, self.line, self.cells = table, line, cells  # line: the spreadsheet row number

    def cell(self, column) -> _Cell:
        index = self.table.columns.get(column)
        return self.cells[index] if index is not None and index < len(self.cells) else _Cell()

    def empty(self, column) -> bool:
        return self.cell(column).empty

    def fail(self, column, message):
        self.table.errors.append(SheetError(self.table.name, self.line, column, message))

    def text(self, column, *, required=False) -> str:
        cell = self.cell(column)
        value = cell.value
        if value is None:
            text = ""
        elif isinstance(value, str):
            text = value[1:] if cell.formula and value.startswith("=") else value
        elif isinstance(value, bool):
            text = _yes_no(value)
        elif isinstance(value, (int, float)):
            text = _number_text(value, cell.fmt)
        elif hasattr(value, "isoformat"):
            text = value.isoformat()
        else:
            text = str(value)
        text = text.replace("\r\n", "\n").strip()
        if required and not text:
            self.fail(column, _("wajib diisi"))
        return text

    def optional(self, column) -> str | None:
        return self.text(column) or None

    def number(self, column, *, required=True) -> str | None:
        """A number as the exact text the spec keeps ("0.5", "2/3"), or None after an error."""
        cell = self.cell(column)
        if cell.empty:
            if required:
                self.fail(column, _("wajib diisi"))
            return None
        if cell.formula:
            self.fail(column, _("berisi rumus Excel (%(value)s); isi dengan angkanya") % {"value": cell.value})
            return None
        if hasattr(cell.value, "year"):  # Excel turns a typed 2/3 into a date
            self.fail(column, _("terbaca sebagai tanggal (%(value)s); awali pecahan dengan tanda petik "
                                    "agar terbaca sebagai teks, mis. '2/3")
                      % {"value": self.text(column)})
            return None
        raw = self.text(column)
        text = _decimal_text(raw) if not isinstance(cell.value, bool) else None
        if text is None:
            self.fail(column, _("'%(value)s' bukan angka") % {"value": raw})
        return text

    def integer(self, column, *, required=True) -> int | None:
        cell = self.cell(column)
        if cell.empty:
            if required:
                self.fail(column, _("wajib diisi"))
            return None
        raw = self.text(column)
        if isinstance(cell.value, bool) or not re.fullmatch(r"-?\d+", raw):
            self.fail(column, _("'%(value)s' bukan bilangan bulat") % {"value": raw})
            return None
        return int(raw)

    def lines(self, column) -> list[str]:
        return [line.strip() for line in self.text(column).split("\n") if line.strip()]


class _Table:
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
            errors.append(SheetError(name, None, "", _(
                "kolom wajib tidak ada: %(missing)s. Baris pertama harus berisi judul kolom: %(columns)s."
            ) % {"missing": ", ".join(missing), "columns": ", ".join(required + list(optional))}))
            self.ok = False
            return
        self.ok = True
        for number, cells in enumerate(rows, start=2):
            # Blank rows (a sheet formatted far down) are skipped, but only up to a point.
            if len(self.rows) >= MAX_ROWS or number > 20 * MAX_ROWS:
                errors.append(SheetError(name, None, "", _("terlalu banyak baris (maksimal %(max)d)")
                                         % {"max": MAX_ROWS}))
                self.ok = False
                return
            row = _Row(self, number, [_Cell(c.value, getattr(c, "number_format", None) or "General",
                                            getattr(c, "data_type", "") == "f") for c in cells])
            if not all(c.empty for c in row.cells):
                self.rows.append(row)


def _number_text(value, fmt) -> str:
    """The shortest text of a number cell, padded to the decimals its format shows ("0.00" → 2.50)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return str(value)
    text = str(value) if isinstance(value, int) else format(Decimal(repr(value)), "f")
    whole, _dot, fraction = text.partition(".")
    shown = re.search(r"\.(0+)", fmt or "")
    fraction = fraction.rstrip("0").ljust(len(shown.group(1)) if shown else 0, "0")
    return whole + ("." + fraction if fraction else "")


def _decimal_text(raw: str) -> str | None:
    text = raw.strip()
    if "," in text and "." not in text:
        text = text.replace(",", ".")  # decimal comma, as Indonesian spreadsheets write numbers
    return text if NUMBER.fullmatch(text) else None


def _sheets(workbook):
    return {" ".join(name.split()).lower(): name for name in workbook.sheetnames}


class _Assembler:
    """Builds the spec from the sheets, recording each code's rows so scoring's messages,
    which name codes, can be shown at the row that holds the code."""

    def __init__(self, workbook):
        self.workbook, self.errors = workbook, []
        self.names = _sheets(workbook)
        self.index: dict = {}  # (kind, code) -> [(sheet, row)]

    def note(self, kind, code, row):
        self.index.setdefault((kind, code), []).append((row.table.name, row.line))

    def table(self, name, required, optional=(), *, needed=True):
        actual = self.names.get(name.lower())
        if actual is None:
            if needed:
                self.errors.append(SheetError(name, None, "", _("lembar '%(sheet)s' tidak ada di berkas")
                                              % {"sheet": name}))
            return None
        table = _Table(name, self.workbook[actual], required, optional, self.errors)
        return table if table.ok else None

    def build(self) -> dict | None:
        tables = {
            SHEET_INFO: self.table(SHEET_INFO, KV_COLUMNS),
            SHEET_TYPES: self.table(SHEET_TYPES, TYPE_COLUMNS),
            SHEET_AREAS: self.table(SHEET_AREAS, AREA_COLUMNS),
            SHEET_COMPONENTS: self.table(SHEET_COMPONENTS, COMPONENT_COLUMNS),
            SHEET_QUESTIONS: self.table(SHEET_QUESTIONS, QUESTION_COLUMNS, QUESTION_OPTIONAL),
            SHEET_THRESHOLDS: self.table(SHEET_THRESHOLDS, THRESHOLD_COLUMNS),
        }
        nomination = self.table(SHEET_NOMINATION, TYPED_KV_COLUMNS, needed=False)
        others = self.table(SHEET_OTHER, TYPED_KV_COLUMNS, needed=False)
        if self.errors:
            return None  # a sheet or column is missing: row-level checks would only add noise
        spec = self.info(tables[SHEET_INFO])
        spec["answer_types"] = self.answer_types(tables[SHEET_TYPES])
        spec["areas"] = self.areas(tables[SHEET_AREAS])
        spec["components"] = self.components(tables[SHEET_COMPONENTS])
        counts = {code for code, t in spec["answer_types"].items() if t.get("scored") is False}
        spec["indicators"] = self.indicators(tables[SHEET_QUESTIONS], counts)
        spec["thresholds"] = self.thresholds(tables[SHEET_THRESHOLDS])
        if nomination is not None:
            spec["nomination"] = self.typed(nomination)
        if others is not None:
            for key, (value, row) in self.typed(others, rows=True).items():
                if key in KNOWN_KEYS:
                    row.fail("kunci", _("kunci '%(key)s' diatur di lembar lain") % {"key": key})
                else:
                    spec[key] = value
        return spec

    # --- sheets ---

    def keyed(self, table, key_column="kunci"):
        rows = {}
        for row in table.rows:
            key = " ".join(row.text(key_column, required=True).split()).lower()
            if not key:
                continue
            if key in rows:
                row.fail(key_column, _("kunci '%(key)s' ganda: sudah ada di baris %(row)d")
                         % {"key": key, "row": rows[key].line})
                continue
            rows[key] = row
        return rows

    def info(self, table) -> dict:
        spec = {"format": 1}
        rows = self.keyed(table)
        for key, row in rows.items():
            if key not in INFO_KEYS:
                row.fail("kunci", _("kunci '%(key)s' tidak dikenal (yang dikenal: %(known)s)")
                         % {"key": key, "known": ", ".join(INFO_KEYS)})
                continue
            path, kind = INFO_KEYS[key]
            self.note("Kunci", key, row)
            if kind == "int":
                value = row.integer("nilai")
            elif kind == "bool":
                value = self.yes_no(row, "nilai")
            elif kind == "optional":
                value = row.optional("nilai")
            else:
                value = row.text("nilai", required=key in REQUIRED_INFO)
            holder = spec.setdefault("scoring", {}) if path[0] == "scoring" else spec
            holder[path[-1]] = value
        for key in REQUIRED_INFO:
            if key not in rows:
                self.errors.append(SheetError(SHEET_INFO, None, "kunci", _("baris '%(key)s' wajib ada")
                                              % {"key": key}))
        return spec

    def yes_no(self, row, column):
        cell = row.cell(column)
        if isinstance(cell.value, bool):
            return cell.value
        text = row.text(column).lower()
        if text in ("ya", "true", "benar", "1"):
            return True
        if text in ("tidak", "false", "salah", "0"):
            return False
        row.fail(column, _("'%(value)s' harus 'ya' atau 'tidak'") % {"value": text})
        return False

    def answer_types(self, table) -> dict:
        types, first = {}, {}
        for row in table.rows:
            code = row.text("kode", required=True)
            if not code:
                continue
            if code in first:
                row.fail("kode", _("kode '%(code)s' ganda: sudah dipakai di baris %(row)d")
                         % {"code": code, "row": first[code]})
                continue
            first[code] = row.line
            self.note("Jenis jawaban", code, row)
            kind = row.text("jenis", required=True).lower()
            atype = {}
            if row.text("label"):
                atype["label"] = row.text("label")
            if kind and kind not in ANSWER_KINDS:
                row.fail("jenis", _("jenis '%(kind)s' tidak dikenal (pilihan, hitung, jumlah, nilai)")
                         % {"kind": kind})
            for column, used_by in (("opsi", "pilihan"), ("alternatif", "pilihan"), ("min", "nilai"),
                                    ("maks", "nilai")):
                if kind in ANSWER_KINDS and kind != used_by and not row.empty(column):
                    row.fail(column, _("hanya dipakai untuk jenis '%(kind)s'") % {"kind": used_by})
            if kind == "pilihan":
                atype["options"] = [{"value": v, "fraction": f} for v, f in self.pairs(row, "opsi", required=True)]
                alternatives = {}
                for line in row.lines("alternatif"):
                    name, colon, rest = line.partition(":")
                    if not colon or not name.strip():
                        row.fail("alternatif", _("'%(line)s' harus berbentuk nama: B=2/3; C=1/3") % {"line": line})
                        continue
                    alternatives[name.strip()] = dict(self.pairs(row, "alternatif", text=rest))
                if alternatives:
                    atype["alternatives"] = alternatives
            elif kind == "hitung":
                atype["computed"] = True
            elif kind == "jumlah":
                atype["scored"] = False
            elif kind == "nilai":
                atype["min"], atype["max"] = row.number("min"), row.number("maks")
            types[code] = atype
        return types

    def pairs(self, row, column, *, text=None, required=False):
        """[(value, fraction)] from "A=1; B=0,67; C=2/3"."""
        text = row.text(column) if text is None else text
        result, seen = [], set()
        for part in (p.strip() for p in text.split(";")):
            if not part:
                continue
            value, equals, raw = (s.strip() for s in part.partition("="))
            fraction = _decimal_text(raw) if equals and value else None
            if fraction is None:
                row.fail(column, _("'%(part)s' harus berbentuk pilihan=pecahan, mis. B=0,5 atau B=2/3")
                         % {"part": part})
            elif value in seen:
                row.fail(column, _("pilihan '%(value)s' ganda") % {"value": value})
            else:
                seen.add(value)
                result.append((value, fraction))
        if required and not result and not text.strip():
            row.fail(column, _("wajib diisi untuk jenis pilihan, mis. A=1; B=0,5; C=0"))
        return result

    def areas(self, table) -> list:
        areas = []
        for row in table.rows:
            code = row.text("kode", required=True)
            self.note("Area", code, row)
            area = {"code": code, "name": row.text("nama", required=True)}
            order = row.integer("urutan", required=False)
            if order is not None:
                area["order"] = order
            areas.append(area)
        return areas

    def groups(self, table, column, what):
        """Consecutive rows sharing a code; a code that comes back later is a duplicate."""
        groups, first = [], {}
        for row in table.rows:
            code = row.text(column, required=True)
            if not code:
                continue
            if groups and groups[-1][0] == code:
                groups[-1][1].append(row)
            elif code in first:
                row.fail(column, _("kode %(what)s '%(code)s' ganda: sudah dipakai di baris %(row)d "
                                   "(baris satu %(what)s harus berurutan)")
                         % {"what": what, "code": code, "row": first[code]})
            else:
                first[code] = row.line
                groups.append((code, [row]))
        return groups

    def shared(self, rows, column, read, what):
        """A value every row of a group repeats; an empty cell repeats the first row's value."""
        value = read(rows[0])
        for row in rows[1:]:
            if row.empty(column):
                continue
            other = read(row)
            # An empty first cell is a value too (an indicator without area), unless it failed to read.
            if other is not None and other != value and (value is not None or rows[0].empty(column)):
                row.fail(column, _("'%(value)s' berbeda dengan baris %(row)d ('%(first)s'): satu %(what)s "
                                   "harus sama di semua barisnya")
                         % {"value": _comma(other) if column.startswith("bobot") else other,
                            "row": rows[0].line,
                            "first": _comma(value) if column.startswith("bobot") else value, "what": what})
        return value

    def components(self, table) -> list:
        components = []
        for code, rows in self.groups(table, "kode komponen", "komponen"):
            for row in rows:
                self.note("Komponen", code, row)
            component = {
                "code": code,
                "name": self.shared(rows, "nama komponen", lambda r: r.text("nama komponen", required=True),
                                    "komponen"),
                "weight": self.shared(rows, "bobot komponen", lambda r: r.number("bobot komponen"), "komponen"),
                "sections": [],
            }
            for row in rows:
                if row.empty("kode bagian") and len(rows) == 1:
                    break  # a komponen without bagian
                section = row.text("kode bagian", required=True)
                self.note("Bagian", section, row)
                component["sections"].append({"code": section, "name": row.text("nama bagian", required=True),
                                              "weight": row.number("bobot bagian")})
            components.append(component)
        return components

    def indicators(self, table, counts: set) -> list:
        indicators, first_question = [], {}
        for order, (code, rows) in enumerate(self.groups(table, "kode indikator", "indikator"), start=1):
            for row in rows:
                self.note("Indikator", code, row)

            def same(column, read, rows=rows):
                return self.shared(rows, column, read, "indikator")

            indicator = {
                "code": code,
                "section": same("bagian", lambda r: r.text("bagian", required=True)),
                "area": same("area", lambda r: r.optional("area")),
                "name": same("nama indikator", lambda r: r.text("nama indikator", required=True)),
                "weight": same("bobot indikator", lambda r: r.number("bobot indikator")),
                "order": order,
                "questions": [],
            }
            for row in rows:
                if row.empty("kode pertanyaan") and len(rows) == 1:
                    break  # an indicator without questions (scoring decides whether that is allowed)
                question = self.question(row, counts, len(indicator["questions"]) + 1)
                if question is None:
                    continue
                if question["code"] in first_question:
                    row.fail("kode pertanyaan", _("kode pertanyaan '%(code)s' ganda: sudah dipakai di baris %(row)d")
                             % {"code": question["code"], "row": first_question[question["code"]]})
                    continue
                first_question[question["code"]] = row.line
                indicator["questions"].append(question)
            indicators.append(indicator)
        return indicators

    def question(self, row, counts, order) -> dict | None:
        code = row.text("kode pertanyaan", required=True)
        if not code:
            return None
        self.note("Pertanyaan", code, row)
        self.index[("Rumus", code)] = {c: row.text(c) for c in ("pembilang", "penyebut")}
        answer_type = row.text("jenis jawaban", required=True)
        question = {"code": code, "label": row.text("label"), "answer_type": answer_type,
                    "text": row.text("pertanyaan", required=True), "order": order}
        is_count = answer_type in counts  # a count feeding a % has no criteria of its own
        for column, key in (("kriteria", "criteria"), ("petunjuk", "guidance")):
            if row.text(column) or not is_count:
                question[key] = row.text(column)
        if row.lines("data dukung") or not is_count:
            question["evidence"] = row.lines("data dukung")
        choices = self.choices(row)
        if choices:
            question["choices"] = choices
        if row.lines("koreksi"):
            question["corrections"] = row.lines("koreksi")
        numerator, denominator = self.formula(row, "pembilang"), self.formula(row, "penyebut")
        if numerator or denominator:
            question["formula"] = {"numerator": numerator, "denominator": denominator}
        for column, key in (("survei", "survey"), ("sumber", "source")):
            if row.text(column):
                question[key] = row.text(column)
        return question

    def choices(self, row) -> list:
        """"A. teks" per line; a line without that start continues the previous choice."""
        choices = []
        for line in row.text("pilihan").split("\n"):
            match = re.fullmatch(r"([^\s.]{1,20})\.(?: (.*))?", line.strip())
            if match:
                choices.append({"value": match.group(1), "text": (match.group(2) or "").strip()})
            elif choices and line.strip():
                choices[-1]["text"] += "\n" + line.strip()
            elif line.strip():
                row.fail("pilihan", _("baris '%(line)s' harus diawali nilai pilihan, mis. 'A. Jika ...'")
                         % {"line": line.strip()})
        return choices

    def formula(self, row, column) -> list:
        """[[sign, code]] from "+REF-SDM-03.j1 -REF-SDM-03.j2" (a term without a sign adds)."""
        items, sign = [], None
        for token in row.text(column).split():
            if token in ("+", "-"):
                sign = token
                continue
            if token[0] in "+-":
                sign, token = token[0], token[1:]
            items.append([sign or "+", token])
            sign = None
        if sign:
            row.fail(column, _("tanda '%(sign)s' tanpa kode pertanyaan") % {"sign": sign})
        return items

    def thresholds(self, table) -> list:
        thresholds = []
        for name, rows in self.groups(table, "predikat", "predikat"):
            gates = []
            for row in rows:
                self.note("Predikat", name, row)
                if row.empty("kode gerbang") and len(rows) == 1:
                    break
                gate = self.gate(row)
                if gate:
                    self.note("Gerbang", (name, gate["code"]), row)
                    gates.append(gate)
            thresholds.append({"designation": name, "gates": gates})
        return thresholds

    def gate(self, row) -> dict | None:
        code = row.text("kode gerbang", required=True)
        raw_kind = " ".join(row.text("jenis", required=True).split()).lower()
        kind = GATE_KINDS.get(raw_kind, raw_kind if raw_kind in GATE_KINDS.values() else None)
        if raw_kind and kind is None:
            row.fail("jenis", _("jenis '%(kind)s' tidak dikenal (%(known)s)")
                     % {"kind": raw_kind, "known": ", ".join(GATE_KINDS)})
        gate = {"code": code, "kind": kind or raw_kind}
        if row.text("node"):
            gate["node"] = row.text("node")
        if not row.empty("minimal"):
            gate["min"] = row.number("minimal")
        if row.text("syarat predikat"):
            gate["requires"] = row.text("syarat predikat")
        if row.text("label"):
            gate["label"] = row.text("label")
        needs = {"node": ("node", "minimal"), "each_area_share": ("minimal",),
                 "prior_designation": ("syarat predikat",)}.get(kind, ())
        for column in needs:
            if row.empty(column):
                row.fail(column, _("wajib diisi untuk jenis '%(kind)s'") % {"kind": raw_kind})
        return gate if code and kind else None

    def typed(self, table, *, rows=False) -> dict:
        result = {}
        for key, row in self.keyed_raw(table).items():
            kind = row.text("jenis").lower() or "teks"
            cell = row.cell("nilai")
            if kind == "teks":
                value = row.text("nilai")
            elif kind == "angka":
                value = cell.value if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool) \
                    else self.parse_number(row)
            elif kind == "ya/tidak":
                value = self.yes_no(row, "nilai")
            elif kind == "daftar":
                value = row.lines("nilai")
            elif kind == "json":
                try:
                    value = json.loads(row.text("nilai") or "null")
                except ValueError as exc:
                    row.fail("nilai", _("JSON tidak valid: %(error)s") % {"error": exc})
                    continue
            else:
                row.fail("jenis", _("jenis '%(kind)s' tidak dikenal (%(known)s)")
                         % {"kind": kind, "known": ", ".join(VALUE_KINDS)})
                continue
            result[key] = (value, row) if rows else value
        return result

    def keyed_raw(self, table):
        """Keys exactly as written (they are JSON keys), each once."""
        found = {}
        for row in table.rows:
            key = row.text("kunci", required=True)
            if not key:
                continue
            if key in found:
                row.fail("kunci", _("kunci '%(key)s' ganda: sudah ada di baris %(row)d")
                         % {"key": key, "row": found[key].line})
                continue
            found[key] = row
        return found

    def parse_number(self, row):
        text = _decimal_text(row.text("nilai"))
        if text is None or "/" in text:
            row.fail("nilai", _("'%(value)s' bukan angka") % {"value": row.text("nilai")})
            return None
        return int(text) if "." not in text else float(text)


def _assemble(workbook) -> tuple[dict | None, dict, list[SheetError]]:
    """(spec, where each code sits, errors): the spec as the sheets state it, not yet validated."""
    assembler = _Assembler(workbook)
    try:
        spec = assembler.build()
    finally:
        workbook.close()
    if assembler.errors:
        return None, {}, sorted(assembler.errors, key=_error_order)
    return spec, assembler.index, []


SHEET_ORDER = [SHEET_INFO, SHEET_TYPES, SHEET_AREAS, SHEET_COMPONENTS, SHEET_QUESTIONS, SHEET_THRESHOLDS,
               SHEET_NOMINATION, SHEET_OTHER]


def _error_order(error: SheetError):
    sheet = SHEET_ORDER.index(error.sheet) if error.sheet in SHEET_ORDER else -1
    return sheet, error.row or 0


# --- import: scoring's messages at their rows ------------------------------------------------

_CODED = re.compile(r"^(Area|Komponen|Bagian|Indikator|Pertanyaan|Jenis jawaban) (.+?): (.*)$", re.DOTALL)
_GATE = re.compile(r"^Ambang (.+?), gerbang (.+?): (.*)$", re.DOTALL)
_DESIGNATION = re.compile(r"^Ambang: predikat '(.*?)' ")


def _locate(message: str, index: dict) -> SheetError:
    """Puts one validate_instrument message at the row holding the code it names (else: general)."""
    def at(kind, code, column):
        places = index.get((kind, code), [])
        if "kode ganda" in message and kind in ("Area", "Bagian") and len(places) > 1:
            places = places[1:]  # one row per code: the later occurrence is the one to rename
        if not places:
            return SheetError("", None, "", message)
        sheet, row = places[0]
        return SheetError(sheet, row, column, message)

    if match := _CODED.match(message):
        kind, code, rest = match.groups()
        return at(kind, code, _column_for(kind, code, rest, index))
    if match := _GATE.match(message):
        designation, gate, rest = match.groups()
        column = ("node" if "simpul" in rest else "minimal" if "batas minimum" in rest
                  else "syarat predikat" if "prasyarat" in rest else "jenis")
        return at("Gerbang", (designation, gate), column)
    if match := _DESIGNATION.match(message):
        return at("Predikat", match.group(1), "predikat")
    if message.startswith("Total bobot komponen"):
        return SheetError(SHEET_COMPONENTS, None, "bobot komponen", message)
    if message.startswith("Penilaian: jumlah desimal"):
        return at("Kunci", "desimal", "nilai")
    if message.startswith("Penilaian: alternatif pecahan"):
        return at("Kunci", "alternatif pecahan", "nilai")
    if message.startswith("Instrumen: format"):
        return at("Kunci", "format", "nilai")
    return SheetError("", None, "", message)


def _column_for(kind, code, rest, index) -> str:
    if "kode ganda" in rest:
        return {"Area": "kode", "Komponen": "kode komponen", "Bagian": "kode bagian",
                "Indikator": "kode indikator", "Pertanyaan": "kode pertanyaan", "Jenis jawaban": "kode"}[kind]
    if kind == "Komponen":
        return "bobot komponen"
    if kind == "Bagian":
        return "bobot bagian"
    if kind == "Indikator":
        if "tidak memiliki pertanyaan" in rest:
            return "jenis jawaban"
        return "bagian" if rest.startswith("bagian") else "area" if rest.startswith("area") else "bobot indikator"
    if kind == "Pertanyaan":
        if "rumus" not in rest:
            return "jenis jawaban"
        cells = index.get(("Rumus", code), {})
        ref = re.search(r"'(.+?)'", rest)

        def refs(column):
            return {token.lstrip("+-") for token in cells.get(column, "").split()}

        if ref and ref.group(1) in refs("penyebut") - refs("pembilang"):
            return "penyebut"
        return "pembilang"
    if kind == "Jenis jawaban":
        if "alternatif" in rest or re.search(r"pecahan \S+\.", rest):
            return "alternatif"
        if "pecahan" in rest or "pilihan" in rest:
            return "opsi"
        if rest.startswith(("min", "max")):
            return "min"
        return "jenis"
    return ""


# --- import: storing -------------------------------------------------------------------------

@dataclass
class XlsxImport:
    errors: list = field(default_factory=list)
    spec: dict | None = None
    instrument: object = None  # the stored (or identical existing) version
    created: bool = False

    @property
    def ok(self):
        return not self.errors


def import_xlsx(*, fileobj, pemda, by=None, source_name: str = "", dry_run: bool = False) -> XlsxImport:
    """Reads an edited workbook and stores it as a new instrument version of ``pemda`` (None: national).

    Any error saves nothing. Content identical to a version the Pemda can already use (its own or a
    national one) gives that version back instead of a copy. ``by`` must hold
    ``assessments.manage_instruments`` on the Pemda (None: an operator's management command)."""
    if by is not None and not by.has_perm("assessments.manage_instruments", pemda):
        raise PermissionDenied(_("Anda tidak berwenang mengimpor instrumen untuk Pemda ini."))
    spec, errors = read_instrument_xlsx(fileobj)
    if errors:
        return XlsxImport(errors=errors)
    existing = (
        Instrument.objects.filter(code=spec["code"], checksum=checksum(spec))
        .filter(Q(pemda=pemda) | Q(pemda__isnull=True))
        .defer("spec").order_by("-version").first()
    )
    if existing or dry_run:
        return XlsxImport(spec=spec, instrument=existing)
    try:
        instrument = import_instrument(spec=spec, by=by, pemda=pemda, source_name=source_name[:200])
    except scoring.InstrumentError as exc:  # validated above; kept so a rule change cannot 500
        return XlsxImport(errors=[SheetError("", None, "", m) for m in exc.errors])
    return XlsxImport(spec=spec, instrument=instrument, created=True)
