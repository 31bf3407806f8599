"""LKE of one assessment as xlsx: the export (questions, answers per track, scores, evidence links),
rendered as a report job. Its layout and the import of one track back live in
assessments.answer_xlsx."""

import openpyxl
from django.urls import reverse
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from assessments.answer_xlsx import HEADER, HEADER_ROW, SHEET
from assessments.models import Track
from assessments.services import answers_by_track, prior_designation, score_assessment
from evidence.models import EvidenceItem
from zi_portal import spreadsheets

WIDTHS = [16, 12, 30, 60, 14, 14, 10, 10, 10, 11, 11, 11, 50]


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
    ws.append(
        ["penilaian", assessment.pk, assessment.instrument.code, assessment.instrument.version]
    )
    ws.append(
        [
            _(
                "Isi kolom mandiri (atau tpi/tpn sesuai peran) lalu impor kembali. Baris % dihitung otomatis dari "
                "baris Jumlah; kolom skor dan data dukung hanya informasi."
            )
        ]
    )
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
            row = [
                code,
                ind.get("area") or ind["section"],
                f"{ind['code']} {ind['name']}",
                q["text"],
                q["answer_type"],
                "/".join(o["value"] for o in atype.get("options", [])),
            ]
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
        for cell in row[9:12]:
            cell.number_format = spreadsheets.SCORE_FORMAT
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=2)
    return spreadsheets.workbook_bytes(wb)


def _evidence_links(assessment) -> dict:
    """{question code: [title — link]}: external links as they are, files as their portal download path."""
    result = {}
    items = (
        EvidenceItem.objects.filter(assessment=assessment, deleted_at__isnull=True)
        .select_related("question")
        .order_by("question__order", "pk")
    )
    for item in items:
        if item.is_file and item.current_version_id:
            where = reverse("evidence:download", args=[item.current_version_id])
        else:
            where = item.url
        result.setdefault(item.question.code, []).append(f"{item.title} — {where}")
    return result


RECAP_HEADER = [
    "Peringkat",
    "Kode",
    "Unit kerja",
    "Jenis",
    "Tahap",
    "Target",
    "Nilai mandiri",
    "Nilai TPI",
    "Prediksi",
    "Data dukung (%)",
]


def export_recap(context: dict) -> bytes:
    """The regional recap as xlsx: the same rows and figures as the PDF (recap_context), every unit
    on its own row (a spreadsheet is for sorting and filtering), plus the counts by stage."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Rekap"
    pemda, year = context["pemda"], context["year"]
    ws.append([_("Rekap Zona Integritas"), pemda.name, year])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([])
    ws.append(RECAP_HEADER)
    for cell in ws[3]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE7F5")
    for r in context["rows"]:
        unit = r["unit"]
        ws.append(
            [
                r.get("rank"),
                unit.code,
                unit.name,
                unit.get_type_display(),
                str(r["stage_label"]),
                r["target"] or None,
                float(r["self"]) if r["self"] is not None else None,
                float(r["tpi"]) if r["tpi"] is not None else None,
                r["predicted"] or None,
                r["evidence"],
            ]
        )
    spreadsheets.number_formats(
        ws,
        {
            7: spreadsheets.SCORE_FORMAT,
            8: spreadsheets.SCORE_FORMAT,
            10: spreadsheets.WHOLE_PERCENT_FORMAT,
        },
        first_row=4,
    )
    for i, width in enumerate([10, 10, 48, 14, 20, 8, 13, 11, 10, 15], 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "C4"
    stages = wb.create_sheet("Per tahap")
    stages.append([_("Tahap"), _("Jumlah unit")])
    for label, count in context["stage_rows"]:
        stages.append([str(label), count])
    stages.column_dimensions["A"].width = 28
    return spreadsheets.workbook_bytes(wb)
