"""Reading an instrument workbook back into a spec: the sheets assembled into the canonical JSON,
scoring's checks placed at the rows they concern, and the import that stores a new version."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from .. import scoring
from ..instrument_io import checksum
from ..models import Instrument
from ..services import fixed_structure_changes, import_instrument
from ..xlsx_reader import (
    DUPLICATE,
    INSTRUMENT,
    MISMATCH,
    NOT_A_NUMBER,
    REQUIRED,
    SHEET_MISSING,
    UNKNOWN,
    SheetError,
    Table,
    decimal_text,
    load_upload,
    sheet_names,
)
from .layout import (
    ANSWER_KINDS,
    AREA_COLUMNS,
    AREA_OPTIONAL,
    COMPONENT_COLUMNS,
    GATE_KINDS,
    INFO_KEYS,
    KNOWN_KEYS,
    KV_COLUMNS,
    QUESTION_COLUMNS,
    QUESTION_OPTIONAL,
    REQUIRED_INFO,
    SHEET_AREAS,
    SHEET_COMPONENTS,
    SHEET_INFO,
    SHEET_NOMINATION,
    SHEET_ORDER,
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


def read_instrument_xlsx(fileobj) -> tuple[dict | None, list[SheetError]]:
    """The instrument spec in an uploaded workbook and every problem found, each located at its
    sheet, row and column. The spec is None unless the file is error-free and scoring accepts it."""
    workbook, errors = load_upload(
        fileobj,
        formulas=True,  # "+REF-X" typed in Excel becomes "=+REF-X": read it as text
        wrong_type=_(
            "Format berkas tidak didukung. Unggah berkas .xlsx (hasil unduhan instrumen)."
        ),
    )
    if errors:
        return None, errors
    spec, index, errors = assemble(workbook)
    if errors:
        return None, errors
    errors = [_locate(problem, index) for problem in scoring.instrument_problems(spec)]
    return (None, errors) if errors else (spec, [])


class _Assembler:
    """Builds the spec from the sheets, recording each code's rows so that scoring's problems,
    which carry the code they concern, can be shown at the row that holds it."""

    def __init__(self, workbook):
        self.workbook, self.errors = workbook, []
        self.names = sheet_names(workbook)
        self.index: dict = {}  # (kind, code) -> [(sheet, row)]

    def note(self, kind, code, row):
        self.index.setdefault((kind, code), []).append((row.table.name, row.line))

    def table(self, name, required, optional=(), *, needed=True):
        actual = self.names.get(name.lower())
        if actual is None:
            if needed:
                self.errors.append(
                    SheetError(
                        name,
                        None,
                        "",
                        _("lembar '%(sheet)s' tidak ada di berkas") % {"sheet": name},
                        SHEET_MISSING,
                    )
                )
            return None
        table = Table(name, self.workbook[actual], required, optional, self.errors)
        return table if table.ok else None

    def build(self) -> dict | None:
        tables = {
            SHEET_INFO: self.table(SHEET_INFO, KV_COLUMNS),
            SHEET_TYPES: self.table(SHEET_TYPES, TYPE_COLUMNS),
            SHEET_AREAS: self.table(SHEET_AREAS, AREA_COLUMNS, AREA_OPTIONAL),
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
        counts = {
            code
            for code, t in spec["answer_types"].items()
            if scoring.answer_kind(t) == scoring.COUNT
        }
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
                row.fail(
                    key_column,
                    _("kunci '%(key)s' ganda: sudah ada di baris %(row)d")
                    % {"key": key, "row": rows[key].line},
                    DUPLICATE,
                )
                continue
            rows[key] = row
        return rows

    def info(self, table) -> dict:
        spec = {"format": 1}
        rows = self.keyed(table)
        for key, row in rows.items():
            if key not in INFO_KEYS:
                row.fail(
                    "kunci",
                    _("kunci '%(key)s' tidak dikenal (yang dikenal: %(known)s)")
                    % {"key": key, "known": ", ".join(INFO_KEYS)},
                    UNKNOWN,
                )
                continue
            path, kind = INFO_KEYS[key]
            self.note("key", key, row)
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
                self.errors.append(
                    SheetError(
                        SHEET_INFO,
                        None,
                        "kunci",
                        _("baris '%(key)s' wajib ada") % {"key": key},
                        REQUIRED,
                    )
                )
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
                row.fail(
                    "kode",
                    _("kode '%(code)s' ganda: sudah dipakai di baris %(row)d")
                    % {"code": code, "row": first[code]},
                    DUPLICATE,
                )
                continue
            first[code] = row.line
            self.note("answer_type", code, row)
            kind = row.text("jenis", required=True).lower()
            atype = {}
            if row.text("label"):
                atype["label"] = row.text("label")
            if kind and kind not in ANSWER_KINDS:
                row.fail(
                    "jenis",
                    _("jenis '%(kind)s' tidak dikenal (pilihan, hitung, jumlah, nilai)")
                    % {"kind": kind},
                    UNKNOWN,
                )
            for column, used_by in (
                ("opsi", "pilihan"),
                ("alternatif", "pilihan"),
                ("min", "nilai"),
                ("maks", "nilai"),
            ):
                if kind in ANSWER_KINDS and kind != used_by and not row.empty(column):
                    row.fail(column, _("hanya dipakai untuk jenis '%(kind)s'") % {"kind": used_by})
            if kind == "pilihan":
                atype["options"] = [
                    {"value": v, "fraction": f} for v, f in self.pairs(row, "opsi", required=True)
                ]
                alternatives = {}
                for line in row.lines("alternatif"):
                    name, colon, rest = line.partition(":")
                    if not colon or not name.strip():
                        row.fail(
                            "alternatif",
                            _("'%(line)s' harus berbentuk nama: B=2/3; C=1/3") % {"line": line},
                        )
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
            fraction = decimal_text(raw) if equals and value else None
            if fraction is None:
                row.fail(
                    column,
                    _("'%(part)s' harus berbentuk pilihan=pecahan, mis. B=0,5 atau B=2/3")
                    % {"part": part},
                )
            elif value in seen:
                row.fail(column, _("pilihan '%(value)s' ganda") % {"value": value}, DUPLICATE)
            else:
                seen.add(value)
                result.append((value, fraction))
        if required and not result and not text.strip():
            row.fail(column, _("wajib diisi untuk jenis pilihan, mis. A=1; B=0,5; C=0"), REQUIRED)
        return result

    def areas(self, table) -> list:
        areas = []
        for row in table.rows:
            code = row.text("kode", required=True)
            self.note("area", code, row)
            area = {"code": code, "name": row.text("nama", required=True)}
            order = row.integer("urutan", required=False)
            if order is not None:
                area["order"] = order
            weights = self.area_weights(row)
            if weights:
                area["weights"] = weights
            areas.append(area)
        return areas

    def area_weights(self, row) -> dict:
        """ "PEMENUHAN=4; REFORM=3,5" → {"PEMENUHAN": "4", "REFORM": "3.5"}."""
        weights = {}
        for part in row.text("bobot per bagian").split(";"):
            if not part.strip():
                continue
            section, _sep, raw = part.partition("=")
            number = decimal_text(raw)
            if not section.strip() or number is None:
                row.fail(
                    "bobot per bagian",
                    _("'%(part)s' harus berbentuk KODE_BAGIAN=angka, mis. PEMENUHAN=4")
                    % {"part": part.strip()},
                    NOT_A_NUMBER,
                )
                continue
            weights[section.strip()] = number
        return weights

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
                row.fail(
                    column,
                    _(
                        "kode %(what)s '%(code)s' ganda: sudah dipakai di baris %(row)d "
                        "(baris satu %(what)s harus berurutan)"
                    )
                    % {"what": what, "code": code, "row": first[code]},
                    DUPLICATE,
                )
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
            if (
                other is not None
                and other != value
                and (value is not None or rows[0].empty(column))
            ):
                row.fail(
                    column,
                    _(
                        "'%(value)s' berbeda dengan baris %(row)d ('%(first)s'): satu %(what)s "
                        "harus sama di semua barisnya"
                    )
                    % {
                        "value": comma(other) if column.startswith("bobot") else other,
                        "row": rows[0].line,
                        "first": comma(value) if column.startswith("bobot") else value,
                        "what": what,
                    },
                    MISMATCH,
                )
        return value

    def components(self, table) -> list:
        components = []
        for code, rows in self.groups(table, "kode komponen", "komponen"):
            for row in rows:
                self.note("component", code, row)
            component = {
                "code": code,
                "name": self.shared(
                    rows,
                    "nama komponen",
                    lambda r: r.text("nama komponen", required=True),
                    "komponen",
                ),
                "weight": self.shared(
                    rows, "bobot komponen", lambda r: r.number("bobot komponen"), "komponen"
                ),
                "sections": [],
            }
            for row in rows:
                if row.empty("kode bagian") and len(rows) == 1:
                    break  # a komponen without bagian
                section = row.text("kode bagian", required=True)
                self.note("section", section, row)
                component["sections"].append(
                    {
                        "code": section,
                        "name": row.text("nama bagian", required=True),
                        "weight": row.number("bobot bagian"),
                    }
                )
            components.append(component)
        return components

    def indicators(self, table, counts: set) -> list:
        indicators, first_question = [], {}
        for order, (code, rows) in enumerate(
            self.groups(table, "kode indikator", "indikator"), start=1
        ):
            for row in rows:
                self.note("indicator", code, row)

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
                    row.fail(
                        "kode pertanyaan",
                        _("kode pertanyaan '%(code)s' ganda: sudah dipakai di baris %(row)d")
                        % {"code": question["code"], "row": first_question[question["code"]]},
                        DUPLICATE,
                    )
                    continue
                first_question[question["code"]] = row.line
                indicator["questions"].append(question)
            indicators.append(indicator)
        return indicators

    def question(self, row, counts, order) -> dict | None:
        code = row.text("kode pertanyaan", required=True)
        if not code:
            return None
        self.note("question", code, row)
        answer_type = row.text("jenis jawaban", required=True)
        question = {
            "code": code,
            "label": row.text("label"),
            "answer_type": answer_type,
            "text": row.text("pertanyaan", required=True),
            "order": order,
        }
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
        for column, key in (
            ("survei", "survey"),
            ("sumber", "source"),
            ("penyebut nol", "zero_denominator"),
            ("alasan penyebut nol", "zero_denominator_reason"),
        ):
            if row.text(column):
                question[key] = row.text(column)
        return question

    def choices(self, row) -> list:
        """ "A. teks" per line; a line without that start continues the previous choice."""
        choices = []
        for line in row.text("pilihan").split("\n"):
            match = re.fullmatch(r"([^\s.]{1,20})\.(?: (.*))?", line.strip())
            if match:
                choices.append({"value": match.group(1), "text": (match.group(2) or "").strip()})
            elif choices and line.strip():
                choices[-1]["text"] += "\n" + line.strip()
            elif line.strip():
                row.fail(
                    "pilihan",
                    _("baris '%(line)s' harus diawali nilai pilihan, mis. 'A. Jika ...'")
                    % {"line": line.strip()},
                )
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
                self.note("designation", name, row)
                if row.empty("kode gerbang") and len(rows) == 1:
                    break
                gate = self.gate(row)
                if gate:
                    self.note("gate", (name, gate["code"]), row)
                    gates.append(gate)
            thresholds.append({"designation": name, "gates": gates})
        return thresholds

    def gate(self, row) -> dict | None:
        code = row.text("kode gerbang", required=True)
        raw_kind = " ".join(row.text("jenis", required=True).split()).lower()
        kind = GATE_KINDS.get(raw_kind, raw_kind if raw_kind in GATE_KINDS.values() else None)
        if raw_kind and kind is None:
            row.fail(
                "jenis",
                _("jenis '%(kind)s' tidak dikenal (%(known)s)")
                % {"kind": raw_kind, "known": ", ".join(GATE_KINDS)},
                UNKNOWN,
            )
        gate = {"code": code, "kind": kind or raw_kind}
        if row.text("node"):
            gate["node"] = row.text("node")
        if not row.empty("minimal"):
            gate["min"] = row.number("minimal")
        if row.text("syarat predikat"):
            gate["requires"] = row.text("syarat predikat")
        if row.text("label"):
            gate["label"] = row.text("label")
        needs = {
            "node": ("node", "minimal"),
            "each_area_share": ("minimal",),
            "prior_designation": ("syarat predikat",),
        }.get(kind, ())
        for column in needs:
            if row.empty(column):
                row.fail(
                    column, _("wajib diisi untuk jenis '%(kind)s'") % {"kind": raw_kind}, REQUIRED
                )
        return gate if code and kind else None

    def typed(self, table, *, rows=False) -> dict:
        result = {}
        for key, row in self.keyed_raw(table).items():
            kind = row.text("jenis").lower() or "teks"
            cell = row.cell("nilai")
            if kind == "teks":
                value = row.text("nilai")
            elif kind == "angka":
                value = (
                    cell.value
                    if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool)
                    else self.parse_number(row)
                )
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
                row.fail(
                    "jenis",
                    _("jenis '%(kind)s' tidak dikenal (%(known)s)")
                    % {"kind": kind, "known": ", ".join(VALUE_KINDS)},
                    UNKNOWN,
                )
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
                row.fail(
                    "kunci",
                    _("kunci '%(key)s' ganda: sudah ada di baris %(row)d")
                    % {"key": key, "row": found[key].line},
                    DUPLICATE,
                )
                continue
            found[key] = row
        return found

    def parse_number(self, row):
        text = decimal_text(row.text("nilai"))
        if text is None or "/" in text:
            row.fail(
                "nilai", _("'%(value)s' bukan angka") % {"value": row.text("nilai")}, NOT_A_NUMBER
            )
            return None
        return int(text) if "." not in text else float(text)


def assemble(workbook) -> tuple[dict | None, dict, list[SheetError]]:
    """(spec, where each code sits, errors): the spec as the sheets state it, not yet validated."""
    assembler = _Assembler(workbook)
    try:
        spec = assembler.build()
    finally:
        workbook.close()
    if assembler.errors:
        return None, {}, sorted(assembler.errors, key=_error_order)
    return spec, assembler.index, []


def _error_order(error: SheetError):
    sheet = SHEET_ORDER.index(error.sheet) if error.sheet in SHEET_ORDER else -1
    return sheet, error.row or 0


# --- import: scoring's problems at their rows --------------------------------------------------

# (scoring.Problem kind, field) -> the column holding that field. The row is the one noted for the
# problem's code while assembling.
PROBLEM_COLUMNS = {
    ("area", "code"): "kode",
    ("area", "weights"): "bobot per bagian",
    ("component", "code"): "kode komponen",
    ("component", "weight"): "bobot komponen",
    ("section", "code"): "kode bagian",
    ("section", "weight"): "bobot bagian",
    ("indicator", "code"): "kode indikator",
    ("indicator", "section"): "bagian",
    ("indicator", "area"): "area",
    ("indicator", "weight"): "bobot indikator",
    ("indicator", "questions"): "jenis jawaban",
    ("question", "code"): "kode pertanyaan",
    ("question", "answer_type"): "jenis jawaban",
    ("question", "formula"): "pembilang",
    ("question", "formula.numerator"): "pembilang",
    ("question", "formula.denominator"): "penyebut",
    ("question", "zero_denominator"): "penyebut nol",
    ("answer_type", "code"): "kode",
    ("answer_type", "kind"): "jenis",
    ("answer_type", "options"): "opsi",
    ("answer_type", "alternatives"): "alternatif",
    ("answer_type", "min"): "min",
    ("answer_type", "max"): "maks",
    ("designation", "designation"): "predikat",
    ("gate", "kind"): "jenis",
    ("gate", "node"): "node",
    ("gate", "min"): "minimal",
    ("gate", "requires"): "syarat predikat",
}
# Problems of the whole instrument or its scoring block sit on a key of the Instrumen sheet.
INFO_KEY_OF = {
    (path[0] if len(path) > 1 else "instrument", path[-1]): key
    for key, (path, _kind) in INFO_KEYS.items()
}


def _locate(problem: scoring.Problem, index: dict) -> SheetError:
    """Puts one scoring problem at the row holding the code it concerns (else: the file as a whole)."""

    def at(kind, code, column):
        places = index.get((kind, code), [])
        if problem.field == "code" and kind in ("area", "section") and len(places) > 1:
            places = places[1:]  # one row per code: the later occurrence is the one to rename
        if not places:
            return SheetError("", None, "", problem.message, INSTRUMENT)
        sheet, row = places[0]
        return SheetError(sheet, row, column, problem.message, INSTRUMENT)

    if (problem.kind, problem.field) in INFO_KEY_OF:
        return at("key", INFO_KEY_OF[problem.kind, problem.field], "nilai")
    if problem.kind == "total":
        return SheetError(SHEET_COMPONENTS, None, "bobot komponen", problem.message, INSTRUMENT)
    if (problem.kind, problem.field) in PROBLEM_COLUMNS:
        return at(problem.kind, problem.code, PROBLEM_COLUMNS[problem.kind, problem.field])
    return SheetError("", None, "", problem.message, INSTRUMENT)


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


def import_xlsx(
    *, fileobj, pemda, by=None, source_name: str = "", dry_run: bool = False
) -> XlsxImport:
    """Reads an edited workbook and stores it as a new instrument version of ``pemda`` (None: national).

    Any error saves nothing. Content identical to a version the Pemda can already use (its own or a
    national one) gives that version back instead of a copy. ``by`` must hold
    ``assessments.manage_instruments`` on the Pemda (None: an operator's management command)."""
    if by is not None and not by.has_perm("assessments.manage_instruments", pemda):
        raise PermissionDenied(_("Anda tidak berwenang mengimpor instrumen untuk Pemda ini."))
    spec, errors = read_instrument_xlsx(fileobj)
    if errors:
        return XlsxImport(errors=errors)
    if pemda is not None:
        # The regulation's structure is not the Pemda's to change (superuser only).
        refused = fixed_structure_changes(spec, year=spec["year"], by=by)
        if refused:
            return XlsxImport(errors=[SheetError("", None, "", m, INSTRUMENT) for m in refused])
    existing = (
        Instrument.objects.filter(code=spec["code"], checksum=checksum(spec))
        .filter(Q(pemda=pemda) | Q(pemda__isnull=True))
        .defer("spec")
        .order_by("-version")
        .first()
    )
    if existing or dry_run:
        return XlsxImport(spec=spec, instrument=existing)
    try:
        instrument = import_instrument(spec=spec, by=by, pemda=pemda, source_name=source_name[:200])
    except scoring.InstrumentError as exc:  # validated above; kept so a rule change cannot 500
        return XlsxImport(errors=[SheetError("", None, "", m, INSTRUMENT) for m in exc.errors])
    return XlsxImport(spec=spec, instrument=instrument, created=True)
