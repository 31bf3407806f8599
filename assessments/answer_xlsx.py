"""One assessment's LKE as xlsx, the answer side: the sheet layout (shared with the export,
reports.xlsx) and the import of one track's column back. The import is all-or-nothing with a
structured error per row (assessments.xlsx_reader.SheetError); answers are saved through
services.save_answer (permissions, locks, history)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from zi_portal.downloads import XLSX_CONTENT_TYPE

from . import scoring
from .models import Question, Track
from .services import ANSWER_PERMISSION, AnswerError, normalize_value, save_answer
from .xlsx_reader import (
    ANSWER,
    COLUMNS_MISSING,
    DUPLICATE,
    NOT_ALLOWED,
    REQUIRED,
    TOO_MANY_ROWS,
    UNKNOWN,
    WRONG_FILE,
    SheetError,
    load_upload,
)

SHEET = "LKE"
HEADER_ROW = 4
TRACK_COLUMN = {Track.SELF: "mandiri", Track.TPI: "tpi", Track.TPN: "tpn"}
HEADER = [
    "kode",
    "area",
    "indikator",
    "pertanyaan",
    "jenis_jawaban",
    "pilihan",
    "mandiri",
    "tpi",
    "tpn",
    "skor_mandiri",
    "skor_tpi",
    "skor_tpn",
    "data_dukung",
]
MAX_ROWS = 2000

__all__ = [
    "HEADER",
    "HEADER_ROW",
    "SHEET",
    "TRACK_COLUMN",
    "XLSX_CONTENT_TYPE",
    "ImportReport",
    "import_lke",
]


@dataclass
class ImportReport:
    track: str
    errors: list[SheetError] = field(default_factory=list)
    saved: int = 0
    unchanged: int = 0
    checked: int = 0
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def import_lke(*, assessment, track, fileobj, by, dry_run: bool = False) -> ImportReport:
    """Reads one track's column of an exported LKE and saves the answers. Every row is checked
    first; if any row is bad nothing is saved and every problem is listed by row and column."""
    track = Track(track)
    report = ImportReport(track=track.value, dry_run=dry_run)
    column = TRACK_COLUMN[track]
    if not by.has_perm(ANSWER_PERMISSION[track], assessment):
        report.errors.append(
            SheetError(
                "",
                None,
                "",
                _(
                    "Anda tidak dapat mengisi jawaban %(track)s untuk penilaian ini (peran atau tahap tidak sesuai)."
                )
                % {"track": track.label},
                NOT_ALLOWED,
            )
        )
        return report
    rows, errors = _read(fileobj, assessment, column)
    report.errors += errors
    if errors:
        return report
    instrument = assessment.instrument.parsed()
    questions = {q.code: q for q in Question.objects.filter(instrument=assessment.instrument)}
    computed = {
        code for code, q in instrument.questions.items() if q.answer_type.kind == scoring.COMPUTED
    }
    pending = []
    seen: dict[str, int] = {}
    for line, code, raw in rows:
        if code in seen:
            report.errors.append(
                SheetError(
                    SHEET,
                    line,
                    "kode",
                    _("Kode %(code)s sudah ada di baris %(row)d.")
                    % {"code": code, "row": seen[code]},
                    DUPLICATE,
                )
            )
            continue
        seen[code] = line
        if code not in questions:
            report.errors.append(
                SheetError(
                    SHEET,
                    line,
                    "kode",
                    _("Kode %(code)s tidak ada di LKE penilaian ini.") % {"code": code},
                    UNKNOWN,
                )
            )
            continue
        if code in computed or raw == "":
            continue  # percentages follow from their Jumlah rows; an empty cell leaves the answer as it is
        try:
            normalize_value(instrument, code, raw)
        except AnswerError as exc:
            report.errors.append(SheetError(SHEET, line, column, f"{code}: {exc}", ANSWER))
            continue
        pending.append((line, questions[code], raw))
    report.checked = len(pending)
    if report.errors or dry_run:
        return report
    try:
        with transaction.atomic():
            for line, question, raw in pending:
                try:
                    saved = save_answer(
                        assessment=assessment, question=question, track=track, by=by, value=raw
                    )
                except (AnswerError, PermissionDenied) as exc:
                    report.errors.append(
                        SheetError(SHEET, line, column, f"{question.code}: {exc}", ANSWER)
                    )
                    raise _Abort from exc
                report.saved += saved.changed
                report.unchanged += not saved.changed
    except _Abort:
        report.saved = report.unchanged = 0
    return report


class _Abort(Exception):
    pass


def _read(fileobj, assessment, column) -> tuple[list[tuple[int, str, str]], list[SheetError]]:
    """[(spreadsheet line, code, raw text)] of the track's column, or file-level errors."""

    def fail(message, code, row=None):
        return [], [SheetError(SHEET if row else "", row, "", message, code)]

    wb, errors = load_upload(
        fileobj,
        formulas=False,
        wrong_type=_("Format berkas tidak didukung. Unggah berkas .xlsx hasil unduhan LKE."),
    )
    if errors:
        return [], errors
    if SHEET not in wb.sheetnames:
        return fail(
            _("Lembar '%(sheet)s' tidak ditemukan. Gunakan berkas hasil unduhan LKE.")
            % {"sheet": SHEET},
            WRONG_FILE,
        )
    ws = wb[SHEET]
    top = [
        list(r)
        for r in ws.iter_rows(
            min_row=1, max_row=HEADER_ROW, max_col=len(HEADER) + 5, values_only=True
        )
    ]
    meta = top[1] if len(top) > 1 else []
    instrument = assessment.instrument
    if (
        len(meta) < 4
        or str(meta[2] or "") != instrument.code
        or _text(meta[3]) != str(instrument.version)
    ):
        return fail(
            _("Berkas ini bukan LKE %(code)s versi %(version)s yang dipakai penilaian ini.")
            % {"code": instrument.code, "version": instrument.version},
            WRONG_FILE,
            2,
        )
    header = [
        (_text(v) or "").lower() for v in (top[HEADER_ROW - 1] if len(top) >= HEADER_ROW else [])
    ]
    missing = [c for c in ("kode", column) if c not in header]
    if missing:
        return fail(
            _("Kolom %(cols)s tidak ditemukan di baris judul.") % {"cols": ", ".join(missing)},
            COLUMNS_MISSING,
            HEADER_ROW,
        )
    code_at, value_at = header.index("kode"), header.index(column)
    rows, errors = [], []
    for line, values in enumerate(
        ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True), HEADER_ROW + 1
    ):
        if line - HEADER_ROW > MAX_ROWS:
            return fail(
                _("Terlalu banyak baris (maksimal %(n)d).") % {"n": MAX_ROWS}, TOO_MANY_ROWS
            )
        cells = list(values)
        code = _text(cells[code_at] if code_at < len(cells) else None)
        value = _text(cells[value_at] if value_at < len(cells) else None)
        if not code:
            if value:
                errors.append(
                    SheetError(
                        SHEET,
                        line,
                        "kode",
                        _("Baris berisi jawaban tetapi kodenya kosong."),
                        REQUIRED,
                    )
                )
            continue
        rows.append((line, code, value))
    return rows, errors


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # 10 typed in Excel arrives as 10.0
    return str(value).strip()
