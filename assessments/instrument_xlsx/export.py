"""Writing an instrument spec as the workbook described in the package docstring."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import openpyxl
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.worksheet.datavalidation import DataValidation

from zi_portal import spreadsheets

from .. import scoring
from ..xlsx_reader import MAX_ROWS, number_text, open_workbook, yes_no
from .assemble import assemble
from .layout import (
    ANSWER_KINDS,
    AREA_COLUMNS,
    AREA_OPTIONAL,
    COMPONENT_COLUMNS,
    GATE_KINDS,
    INFO_KEYS,
    KIND_NAMES,
    KNOWN_KEYS,
    KV_COLUMNS,
    QUESTION_COLUMNS,
    QUESTION_OPTIONAL,
    SHEET_AREAS,
    SHEET_COMPONENTS,
    SHEET_HELP,
    SHEET_INFO,
    SHEET_NOMINATION,
    SHEET_OTHER,
    SHEET_QUESTIONS,
    SHEET_THRESHOLDS,
    SHEET_TYPES,
    THRESHOLD_COLUMNS,
    TYPE_COLUMNS,
    TYPED_KV_COLUMNS,
    VALUE_KINDS,
    comma,
)


class XlsxLayoutError(ValueError):
    """The instrument holds data the xlsx layout cannot carry; exporting it would lose data."""


def export_instrument(spec: dict) -> bytes:
    """The workbook (xlsx bytes) of an instrument spec; reading it back gives the same spec."""
    try:
        data = _write_workbook(spec)
    except (IllegalCharacterError, KeyError, TypeError, AttributeError) as exc:
        raise XlsxLayoutError(
            _("Instrumen tidak dapat diekspor ke xlsx: %(error)s") % {"error": exc}
        ) from None
    back, _index, errors = assemble(open_workbook(data, formulas=True))
    if errors or back != spec:
        where = ", ".join(list(_differences(spec, back or {}))[:5])
        raise XlsxLayoutError(
            _(
                "Instrumen ini memuat data yang tidak dapat dinyatakan dalam format xlsx (%(where)s); "
                "ekspor dibatalkan agar impor berikutnya tidak kehilangan data."
            )
            % {"where": where or errors[0]}
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
            info_rows.append([key, yes_no(value) if kind == "bool" else value])
    _table(wb, SHEET_INFO, KV_COLUMNS, info_rows, widths=[22, 100], wrap=["nilai"])

    type_rows = []
    for code, atype in spec["answer_types"].items():
        kind = KIND_NAMES.get(scoring.answer_kind(atype), "nilai")
        options = "; ".join(
            f"{o['value']}={comma(o['fraction'])}" for o in atype.get("options", [])
        )
        alternatives = "\n".join(
            f"{name}: " + "; ".join(f"{k}={comma(v)}" for k, v in values.items())
            for name, values in atype.get("alternatives", {}).items()
        )
        type_rows.append(
            [
                code,
                atype.get("label"),
                kind,
                options,
                alternatives,
                _Num(atype["min"]) if "min" in atype else None,
                _Num(atype["max"]) if "max" in atype else None,
            ]
        )
    types_ws = _table(
        wb,
        SHEET_TYPES,
        TYPE_COLUMNS,
        type_rows,
        widths=[14, 16, 10, 40, 34, 8, 8],
        wrap=["alternatif"],
    )
    _choice_list(types_ws, "C", ANSWER_KINDS)

    area_rows = [
        [
            a["code"],
            a["name"],
            a.get("order"),
            "; ".join(f"{k}={comma(v)}" for k, v in a["weights"].items())
            if "weights" in a
            else None,
        ]
        for a in spec["areas"]
    ]
    _table(wb, SHEET_AREAS, AREA_COLUMNS + AREA_OPTIONAL, area_rows, widths=[10, 45, 8, 30])

    component_rows = []
    for c in spec["components"]:
        head = [c["code"], c["name"], _Num(c["weight"])]
        for s in c["sections"] or [None]:
            component_rows.append(
                head + ([s["code"], s["name"], _Num(s["weight"])] if s else [None] * 3)
            )
    _table(wb, SHEET_COMPONENTS, COMPONENT_COLUMNS, component_rows, widths=[16, 22, 10, 16, 40, 10])

    question_rows = []
    for ind in spec["indicators"]:
        head = [ind["code"], ind["section"], ind.get("area"), ind["name"], _Num(ind["weight"])]
        for q in ind["questions"] or [None]:
            if q is None:
                question_rows.append(
                    head + [None] * (len(QUESTION_COLUMNS) + len(QUESTION_OPTIONAL) - 5)
                )
                continue
            formula = q.get("formula") or {}
            question_rows.append(
                head
                + [
                    q["code"],
                    q.get("label"),
                    q.get("text"),
                    q.get("criteria"),
                    q["answer_type"],
                    _formula_text(formula.get("numerator")),
                    _formula_text(formula.get("denominator")),
                    q.get("survey"),
                    q.get("guidance"),
                    "\n".join(q.get("evidence", [])),
                    "\n".join(f"{c['value']}. {c['text']}" for c in q.get("choices", [])),
                    "\n".join(q.get("corrections", [])),
                    q.get("source"),
                    q.get("zero_denominator"),
                    q.get("zero_denominator_reason"),
                ]
            )
    questions_ws = _table(
        wb,
        SHEET_QUESTIONS,
        QUESTION_COLUMNS + QUESTION_OPTIONAL,
        question_rows,
        widths=[14, 12, 7, 32, 9, 16, 8, 50, 50, 12, 22, 22, 8, 45, 40, 45, 30, 22, 14, 40],
        wrap=[
            "nama indikator",
            "pertanyaan",
            "kriteria",
            "petunjuk",
            "data dukung",
            "pilihan",
            "koreksi",
            "alasan penyebut nol",
        ],
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
            gate_rows.append(
                [
                    t["designation"],
                    g["code"],
                    gate_names.get(g["kind"], g["kind"]),
                    g.get("node"),
                    _Num(g["min"]) if "min" in g else None,
                    g.get("requires"),
                    g.get("label"),
                ]
            )
    gates_ws = _table(
        wb, SHEET_THRESHOLDS, THRESHOLD_COLUMNS, gate_rows, widths=[10, 14, 18, 16, 9, 14, 55]
    )
    _choice_list(gates_ws, "C", tuple(GATE_KINDS))

    if "nomination" in spec:
        rows = [_typed_row(k, v) for k, v in spec["nomination"].items()]
        _choice_list(
            _table(
                wb, SHEET_NOMINATION, TYPED_KV_COLUMNS, rows, widths=[28, 60, 10], wrap=["nilai"]
            ),
            "C",
            VALUE_KINDS,
        )
    others = {k: v for k, v in spec.items() if k not in KNOWN_KEYS}
    if others:
        rows = [_typed_row(k, v) for k, v in others.items()]
        _choice_list(
            _table(wb, SHEET_OTHER, TYPED_KV_COLUMNS, rows, widths=[28, 80, 10], wrap=["nilai"]),
            "C",
            VALUE_KINDS,
        )

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
        value = (
            value.text
        )  # e.g. "2/3"; a non-text number is caught by the export's round-trip check
    if isinstance(value, bool):
        value = yes_no(value)
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
    return (value, fmt) if number_text(value, fmt) == text else None


def _choice_list(ws, column, choices, *, source=None):
    """A drop-down on one column, so a typo is caught while typing rather than at import."""
    formula = source or '"' + ",".join(choices) + '"'
    validation = DataValidation(
        type="list", formula1=formula, allow_blank=True, showErrorMessage=False
    )
    ws.add_data_validation(validation)
    validation.add(f"{column}2:{column}{MAX_ROWS}")


def _typed_row(key, value):
    if isinstance(value, bool):
        return [key, yes_no(value), "ya/tidak"]
    if isinstance(value, (int, float)):
        return [key, value, "angka"]
    if isinstance(value, str):
        return [key, value, "teks"]
    if (
        isinstance(value, list)
        and value
        and all(isinstance(v, str) and v.strip() == v and v and "\n" not in v for v in value)
    ):
        return [key, "\n".join(value), "daftar"]
    return [key, json.dumps(value, ensure_ascii=False, indent=1), "json"]


def _write_help(ws, spec):
    lines = [
        _("Instrumen LKE %(code)s — %(name)s")
        % {"code": spec.get("code", ""), "name": spec.get("name", "")},
        "",
        _("Cara mengubah instrumen:"),
        _(
            "1. Ubah isi lembar Instrumen, Jenis Jawaban, Area, Komponen, Pertanyaan dan Ambang. "
            "Jangan mengubah nama lembar atau judul kolom (baris 1)."
        ),
        _(
            "2. Satu baris lembar Pertanyaan = satu pertanyaan. Baris satu indikator harus berurutan; kolom "
            "indikator (bagian, area, nama, bobot) harus sama di semua barisnya."
        ),
        _("3. Urutan indikator dan pertanyaan mengikuti urutan baris."),
        _(
            "4. Angka boleh ditulis dengan koma desimal (0,5) atau pecahan (2/3). Bobot bagian harus sama dengan "
            "jumlah bobot indikatornya, bobot komponen dengan jumlah bobot bagiannya, dan total komponen 100."
        ),
        _(
            "5. Opsi jenis jawaban ditulis seperti A=1; B=0,67; C=0,33; D=0. Pembilang dan penyebut "
            "pertanyaan % berisi kode pertanyaan Jumlah dengan tanda, mis. +REF-SDM-03.j1 -REF-SDM-03.j2."
        ),
        _("6. Data dukung, koreksi dan pilihan: satu per baris dalam sel (Alt+Enter)."),
        _(
            "7. Impor berkas ini di ZI Portal (menu Instrumen LKE → Impor). Berkas diperiksa lebih dahulu; "
            "jika ada kesalahan, tidak ada yang disimpan. Impor selalu membuat versi baru: versi yang sudah "
            "dipakai penilaian tidak pernah berubah."
        ),
    ]
    for line in lines:
        ws.append([line])
    ws["A1"].font = Font(bold=True, size=13)
    ws.column_dimensions["A"].width = 130
    for row in ws.iter_rows():
        row[0].alignment = Alignment(wrap_text=True, vertical="top")


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
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            yield from _differences(x, y, f"{path}[{i}]")
    elif a != b or type(a) is not type(b):
        yield path.lstrip(".") or "(instrumen)"
