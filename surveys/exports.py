"""Documents of a period: the xlsx of raw responses and the survey report's context."""

from __future__ import annotations

import openpyxl
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.styles import Font

from reports import charts
from zi_portal import spreadsheets

from . import scoring, selectors
from .models import Response

PROFILE_HEADERS = ("service_type", "age_band", "gender", "education", "occupation")


def _text(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _naive(moment):
    # xlsx has no time zones: the Jakarta wall-clock time people saw.
    return timezone.make_naive(timezone.localtime(moment))


def responses_rows(period, *, moment=_text) -> tuple[list[str], list[list]]:
    """Header and one row per response (voided ones too, marked): what the xlsx and the API export.
    ``moment`` writes the times (text for the API, datetimes for the xlsx)."""
    spec = period.questionnaire.spec
    codes = [i["code"] for i in scoring.items(spec)]
    header = [
        "no",
        "dikirim",
        "jenis_layanan",
        "usia",
        "jenis_kelamin",
        "pendidikan",
        "pekerjaan",
        *codes,
        "dibatalkan",
        "alasan_pembatalan",
    ]
    rows = []
    qs = Response.objects.filter(period=period).order_by("submitted_at", "pk")
    for number, r in enumerate(qs.iterator(chunk_size=2000), start=1):
        rows.append(
            [
                number,
                moment(r.submitted_at),
                *(getattr(r, f) for f in PROFILE_HEADERS),
                *(r.answers.get(c) for c in codes),
                moment(r.voided_at) if r.voided_at else "",
                r.void_reason,
            ]
        )
    return header, rows


def responses_xlsx(period) -> bytes:
    # The sheet holds moments as dates (sortable, shown in the reader's locale); the API's rows
    # keep their ISO-like text.
    header, rows = responses_rows(period, moment=_naive)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Respons"
    ws.append([_("Respons survei"), period.unit.name, period.name])
    ws.append(header)
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(row)
    spreadsheets.number_formats(
        ws,
        {2: spreadsheets.DATETIME_FORMAT, len(header) - 1: spreadsheets.DATETIME_FORMAT},
        first_row=3,
    )
    items = wb.create_sheet("Butir")
    items.append(["kode", "survei", "aspek", "pertanyaan"])
    for item in scoring.items(period.questionnaire.spec):
        items.append([item["code"], item["index"], item.get("aspect", ""), item["text"]])
    return spreadsheets.workbook_bytes(wb)


def report_context(period) -> dict:
    """The survey report PDF: method, sample, profile, per-item means with a chart, the indices
    against the WBK/WBBM thresholds."""
    results = selectors.period_results(period)
    spec = results["spec"]
    high = int(spec["scale"]["max"])
    item_text = {i["code"]: i for i in scoring.items(spec)}
    sections = []
    for result in results["indices"].values():
        wbk = result["thresholds"].get("WBK")
        chart = charts.bars_against_weights(
            [(f"{row['code']} {row['aspect']}", row["mean"] or 0, high) for row in result["items"]],
            title=result["name"],
            threshold=(float(wbk) / high) if wbk else None,
        )
        sections.append(
            {**result, "chart": chart, "rows": [(r, item_text[r["code"]]) for r in result["items"]]}
        )
    return {
        "period": period,
        "unit": period.unit,
        "pemda": period.unit.pemda,
        "results": results,
        "sections": sections,
        "printed_on": timezone.localdate(),
    }
