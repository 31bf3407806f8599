"""LKE of one assessment as xlsx: export (questions, answers per track, scores, evidence links) and
import of one track back from the same layout. Import is all-or-nothing with a row-level error
report; answers are saved through assessments.services.save_answer (permissions, locks, history)."""

from dataclasses import dataclass, field

import openpyxl
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from assessments import scoring
from assessments.instrument_xlsx import SheetError
from assessments.models import Question, Track
from assessments.services import (
    ANSWER_PERMISSION, AnswerError, answers_by_track, normalize_value, prior_designation, save_answer,
    score_assessment,
)
from evidence.models import EvidenceItem
from zi_portal import spreadsheets

SHEET = "LKE"
HEADER_ROW = 4
TRACK_COLUMN = {Track.SELF: "mandiri", Track.TPI: "tpi", Track.TPN: "tpn"}
HEADER = ["kode", "area", "indikator", "pertanyaan", "jenis_jawaban", "pilihan",
          "mandiri", "tpi", "tpn", "skor_mandiri", "skor_tpi", "skor_tpn", "data_dukung"]
WIDTHS = [16, 12, 30, 60, 14, 14, 10, 10, 10, 11, 11, 11, 50]
MAX_ROWS = 2000
MAX_BYTES = 5 * 1024 * 1024
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- export -------------------------------------------------------------------------------

def export_lke(assessment) -> bytes:
    spec = assessment.instrument.spec
    answers = answers_by_track([assessment.pk]).get(assessment.pk, {})
    results = score_assessment(assessment, answers, prior_designation(assessment))
    links = _evidence_links(assessment)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    unit = assessment.unit
    ws.append([_("LKE Zona Integritas"), f"{unit.name} — {unit.pemda.name}", assessment.year])
    ws.append(["penilaian", assessment.pk, assessment.instrument.code, assessment.instrument.version])
    ws.append([_("Isi kolom mandiri (atau tpi/tpn sesuai peran) lalu impor kembali. Baris % dihitung otomatis dari "
                 "baris Jumlah; kolom skor dan data dukung hanya informasi.")])
    ws.append(HEADER)
    for cell in ws[HEADER_ROW]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE7F5")
    ws["A1"].font = Font(bold=True, size=13)
    ws["A3"].font = Font(italic=True, color="666666")
    types = spec["answer_types"]
    for ind in spec["indicators"]:
        for q in ind["questions"]:
            atype = types[q["answer_type"]]
            code = q["code"]
            row = [code, ind.get("area") or ind["section"], f"{ind['code']} {ind['name']}", q["text"],
                   q["answer_type"], "/".join(o["value"] for o in atype.get("options", []))]
            for track in Track:
                row.append(answers.get(track.value, {}).get(code, ""))
            for track in Track:
                result = results[track.value][0].questions.get(code)
                scored = result is not None and result.scored and result.answered
                row.append(float(result.score) if scored else None)
            row.append("\n".join(links.get(code, [])))
            ws.append(row)
    for i, width in enumerate(WIDTHS, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    for row in ws.iter_rows(min_row=HEADER_ROW + 1):
        row[3].alignment = Alignment(wrap_text=True, vertical="top")
        for cell in row[6:9]:
            cell.number_format = "@"  # answers are text: "3,60" and "A" come back exactly as typed
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=2)
    return spreadsheets.workbook_bytes(wb)


def _evidence_links(assessment) -> dict:
    """{question code: [title — link]}: external links as they are, files as their portal download path."""
    result = {}
    items = (EvidenceItem.objects.filter(assessment=assessment, deleted_at__isnull=True)
             .select_related("question").order_by("question__order", "pk"))
    for item in items:
        if item.is_file and item.current_version_id:
            where = reverse("evidence:download", args=[item.current_version_id])
        else:
            where = item.url
        result.setdefault(item.question.code, []).append(f"{item.title} — {where}")
    return result


# --- import -------------------------------------------------------------------------------

@dataclass
class ImportReport:
    track: str
    errors: list = field(default_factory=list)  # SheetError
    saved: int = 0
    unchanged: int = 0
    checked: int = 0
    dry_run: bool = False

    @property
    def ok(self):
        return not self.errors


def import_lke(*, assessment, track, fileobj, by, dry_run=False) -> ImportReport:
    """Reads one track's column of an exported LKE and saves the answers. Every row is checked
    first; if any row is bad nothing is saved and every problem is listed by row and column."""
    track = Track(track)
    report = ImportReport(track=track.value, dry_run=dry_run)
    column = TRACK_COLUMN[track]
    if not by.has_perm(ANSWER_PERMISSION[track], assessment):
        report.errors.append(SheetError("", None, "", _(
            "Anda tidak dapat mengisi jawaban %(track)s untuk penilaian ini (peran atau tahap tidak sesuai).")
            % {"track": track.label}))
        return report
    rows, errors = _read(fileobj, assessment, column)
    report.errors += errors
    if errors:
        return report
    instrument = assessment.instrument.parsed()
    questions = {q.code: q for q in Question.objects.filter(instrument=assessment.instrument)}
    computed = {code for code, q in instrument.questions.items() if q.answer_type.kind == scoring.COMPUTED}
    pending = []
    seen = {}
    for line, code, raw in rows:
        if code in seen:
            report.errors.append(SheetError(SHEET, line, "kode", _("Kode %(code)s sudah ada di baris %(row)d.")
                                            % {"code": code, "row": seen[code]}))
            continue
        seen[code] = line
        if code not in questions:
            report.errors.append(SheetError(SHEET, line, "kode", _("Kode %(code)s tidak ada di LKE penilaian ini.")
                                            % {"code": code}))
            continue
        if code in computed or raw == "":
            continue  # percentages follow from their Jumlah rows; an empty cell leaves the answer as it is
        try:
            normalize_value(instrument, code, raw)
        except AnswerError as exc:
            report.errors.append(SheetError(SHEET, line, column, f"{code}: {exc}"))
            continue
        pending.append((line, questions[code], raw))
    report.checked = len(pending)
    if report.errors or dry_run:
        return report
    try:
        with transaction.atomic():
            for line, question, raw in pending:
                try:
                    saved = save_answer(assessment=assessment, question=question, track=track, by=by, value=raw)
                except (AnswerError, PermissionDenied) as exc:
                    report.errors.append(SheetError(SHEET, line, column, f"{question.code}: {exc}"))
                    raise _Abort from exc
                report.saved += saved.changed
                report.unchanged += not saved.changed
    except _Abort:
        report.saved = report.unchanged = 0
    return report


class _Abort(Exception):
    pass


def _read(fileobj, assessment, column):
    """[(spreadsheet line, code, raw text)] of the track's column, or file-level errors."""
    def fail(message, row=None, col=""):
        return [], [SheetError(SHEET if row else "", row, col, message)]

    name = (getattr(fileobj, "name", "") or "").lower()
    if name and not name.endswith(".xlsx"):
        return fail(_("Format berkas tidak didukung. Unggah berkas .xlsx hasil unduhan LKE."))
    raw = fileobj.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        return fail(_("Berkas terlalu besar (maksimal 5 MB)."))
    if not raw:
        return fail(_("Berkas kosong."))
    try:
        wb = spreadsheets.open_xlsx(raw, data_only=True)
    except spreadsheets.SpreadsheetRefused as exc:
        return fail(str(exc))
    if SHEET not in wb.sheetnames:
        return fail(_("Lembar '%(sheet)s' tidak ditemukan. Gunakan berkas hasil unduhan LKE.") % {"sheet": SHEET})
    ws = wb[SHEET]
    top = [list(r) for r in ws.iter_rows(min_row=1, max_row=HEADER_ROW, max_col=len(HEADER) + 5, values_only=True)]
    meta = top[1] if len(top) > 1 else []
    instrument = assessment.instrument
    if len(meta) < 4 or str(meta[2] or "") != instrument.code or _text(meta[3]) != str(instrument.version):
        return fail(_("Berkas ini bukan LKE %(code)s versi %(version)s yang dipakai penilaian ini.")
                    % {"code": instrument.code, "version": instrument.version}, 2, "")
    header = [(_text(v) or "").lower() for v in (top[HEADER_ROW - 1] if len(top) >= HEADER_ROW else [])]
    missing = [c for c in ("kode", column) if c not in header]
    if missing:
        return fail(_("Kolom %(cols)s tidak ditemukan di baris judul.") % {"cols": ", ".join(missing)}, HEADER_ROW)
    code_at, value_at = header.index("kode"), header.index(column)
    rows, errors = [], []
    for line, values in enumerate(ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True), HEADER_ROW + 1):
        if line - HEADER_ROW > MAX_ROWS:
            return fail(_("Terlalu banyak baris (maksimal %(n)d).") % {"n": MAX_ROWS})
        values = list(values)
        code = _text(values[code_at] if code_at < len(values) else None)
        value = _text(values[value_at] if value_at < len(values) else None)
        if not code:
            if value:
                errors.append(SheetError(SHEET, line, "kode", _("Baris berisi jawaban tetapi kodenya kosong.")))
            continue
        rows.append((line, code, value))
    return rows, errors


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # 10 typed in Excel arrives as 10.0
    return str(value).strip()
