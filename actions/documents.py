"""The documents of the action plan, rendered by report jobs (reports.services.build_document):
the Laporan Monev Pembangunan ZI of one unit and quarter (PDF) and the plan as xlsx."""

from __future__ import annotations

import openpyxl
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.styles import Font, PatternFill

from zi_portal import spreadsheets

from . import selectors
from .models import QUARTERS, ItemStatus, item_status


def resolve_params(kind, params) -> dict:
    """The job's params: the monev quarter (1–4); the xlsx has none."""
    from reports.models import Kind
    from reports.services import ReportError

    if kind != Kind.MONEV:
        return {}
    try:
        quarter = int(params.get("quarter"))
    except (TypeError, ValueError):
        quarter = 0
    if quarter not in dict(QUARTERS):
        raise ReportError(_("Pilih triwulan I–IV untuk laporan monev."))
    return {"quarter": quarter}


def quarter_end(year: int, quarter: int):
    import datetime

    month = quarter * 3
    next_first = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return next_first - datetime.timedelta(days=1)


def monev_context(unit, year: int, quarter: int) -> dict:
    """Plain data of the monev report: every item of the plan with its status at the end of the
    quarter (or today, if earlier) and the quarter's report and comment."""
    today = timezone.localdate()
    on = min(quarter_end(year, quarter), today)
    rows = []
    for item in selectors.plan_items(unit=unit, year=year):
        entry = next((m for m in item.monev.all() if m.quarter == quarter), None)
        status = item_status(
            start_on=item.start_on,
            due_on=item.due_on,
            completed_on=item.completed_on
            if item.completed_on and item.completed_on <= on
            else None,
            today=on,
        )
        rows.append({"item": item, "entry": entry, "status": ItemStatus(status).label})
    reported = sum(1 for r in rows if r["entry"])
    return {
        "unit": unit,
        "pemda": unit.pemda,
        "year": year,
        "quarter": quarter,
        "quarter_label": dict(QUARTERS)[quarter],
        "rows": rows,
        "reported": reported,
        "on": today,
        "printed_on": today,
    }


HEADER = [
    "no",
    "area",
    "indikator",
    "kegiatan",
    "keluaran",
    "penanggung_jawab",
    "mulai",
    "batas_waktu",
    "status",
    "kemajuan_persen",
    "tw1",
    "tw2",
    "tw3",
    "tw4",
    "asal",
]


def plan_xlsx(unit, year: int) -> bytes:
    """The unit's action plan of a year as one sheet; text cells go through
    zi_portal.spreadsheets.workbook_bytes, so nothing typed becomes a formula."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "rencana_aksi"
    ws.append([_("Rencana Aksi Pembangunan ZI"), f"{unit.name} — {unit.pemda.name}", year])
    ws.append(HEADER)
    ws["A1"].font = Font(bold=True, size=13)
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE7F5")
    for n, item in enumerate(selectors.plan_items(unit=unit, year=year), start=1):
        monev = {m.quarter: m for m in item.monev.all()}
        origin = (
            _("rekomendasi")
            if item.recommendation_id
            else _("permintaan perbaikan")
            if item.revision_request_id
            else _("syarat %(code)s") % {"code": item.gate_code}
            if item.gate_code
            else ""
        )
        ws.append(
            [
                n,
                item.area_code,
                item.indicator_code,
                item.title,
                item.expected_output,
                item.responsible.display_name,
                item.start_on,
                item.due_on,
                str(item.status_label),
                item.progress,
                *[
                    f"{monev[q].progress}% — {monev[q].narrative}" if q in monev else ""
                    for q in (1, 2, 3, 4)
                ],
                origin,
            ]
        )
    spreadsheets.number_formats(
        ws,
        {
            7: spreadsheets.DATE_FORMAT,
            8: spreadsheets.DATE_FORMAT,
            10: spreadsheets.WHOLE_PERCENT_FORMAT,
        },
        first_row=3,
    )
    for column, width in zip(
        "ABCDEFGHIJKLMNO", [5, 8, 10, 50, 40, 24, 12, 12, 14, 10, 40, 40, 40, 40, 24], strict=True
    ):
        ws.column_dimensions[column].width = width
    return spreadsheets.workbook_bytes(wb)
