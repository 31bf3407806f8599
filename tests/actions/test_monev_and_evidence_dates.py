"""Quarterly monev (unit reports, Inspektorat comments, the PDF and xlsx), evidence dates, and the
reminders of items due soon or overdue."""

import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.urls import reverse

from actions import selectors, services
from actions.models import MonevEntry
from assessments.models import Question
from notifications.models import Notification
from reports.models import Kind, ReportJob, Status
from reports.services import request_report
from tests.factories import action_item, upload_evidence
from tests.reports.helpers import pdf_text


@pytest.fixture
def item(act):
    return action_item(
        act["unit"],
        act["operator"],
        title="Pembentukan agen perubahan per bidang",
        start=datetime.date(2026, 1, 10),
        due=datetime.date(2026, 12, 20),
    )


def test_the_unit_reports_a_quarter_and_the_inspektorat_comments(act, item, login):
    url = reverse("actions:plan", args=[act["unit"].pk, 2026]) + "?triwulan=1"
    response = login(act["operator"]).post(
        url,
        {
            "action": "monev",
            f"progress-{item.pk}": "30",
            f"narrative-{item.pk}": "SK agen perubahan ditandatangani; sosialisasi bidang I.",
        },
    )
    assert response.status_code == 302
    entry = MonevEntry.objects.get()
    assert (entry.quarter, entry.progress, entry.reported_by) == (1, 30, act["operator"])
    item.refresh_from_db()
    assert item.progress == 30
    with pytest.raises(PermissionDenied):
        services.comment_monev(entry=entry, by=act["operator"], comment="Bagus")
    with pytest.raises(PermissionDenied):
        services.report_monev(item=item, quarter=2, by=act["evaluator"], progress=40, narrative="x")
    login(act["evaluator"]).post(
        item.get_absolute_url(),
        {"action": "comment", "entry": entry.pk, "comment": "Lampirkan daftar hadir sosialisasi."},
    )
    entry.refresh_from_db()
    assert (entry.comment, entry.commented_by) == (
        "Lampirkan daftar hadir sosialisasi.",
        act["evaluator"],
    )


def test_a_progress_over_100_is_refused_next_to_the_field(act, item, login):
    response = login(act["operator"]).post(
        item.get_absolute_url(),
        {"action": "monev", "quarter": "2", "progress": "120", "narrative": "Lebih dari target"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Lebih dari target" in html
    assert "100" in html and 'class="field has-error"' in html
    assert not MonevEntry.objects.exists()


def test_the_monev_pdf_lists_the_item_with_its_quarter_report(
    act, item, django_capture_on_commit_callbacks
):
    services.report_monev(
        item=item, quarter=1, by=act["operator"], progress=25, narrative="Rapat pembentukan tim."
    )
    with django_capture_on_commit_callbacks(execute=True):
        job = request_report(
            kind=Kind.MONEV, by=act["admin"], unit=act["unit"], year=2026, params={"quarter": 1}
        )
    job.refresh_from_db()
    assert job.status == Status.READY, job.error
    text = pdf_text(job)
    assert "Laporan Monev Pembangunan ZI" in text
    assert "Pembentukan agen perubahan per bidang" in text
    assert "Rapat pembentukan tim." in text and "Triwulan I" in text


def test_a_monev_report_needs_a_quarter(act):
    from reports.services import ReportError

    with pytest.raises(ReportError, match="triwulan"):
        request_report(kind=Kind.MONEV, by=act["admin"], unit=act["unit"], year=2026)


def test_the_action_plan_xlsx_keeps_formula_like_text_as_text(
    act, django_capture_on_commit_callbacks
):
    action_item(act["unit"], act["operator"], title='=HYPERLINK("http://x")')
    with django_capture_on_commit_callbacks(execute=True):
        job = request_report(
            kind=Kind.ACTION_PLAN_XLSX, by=act["operator"], unit=act["unit"], year=2026
        )
    job.refresh_from_db()
    assert job.status == Status.READY, job.error
    with default_storage.open(job.file.name, "rb") as fh:
        ws = openpyxl.load_workbook(io.BytesIO(fh.read())).active
    cell = ws.cell(row=3, column=4)
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://x")', "s")


def test_another_unit_cannot_request_this_units_monev(act):
    with pytest.raises(PermissionDenied):
        request_report(
            kind=Kind.MONEV,
            by=act["other_operator"],
            unit=act["unit"],
            year=2026,
            params={"quarter": 1},
        )
    assert not ReportJob.objects.exists()


def test_evidence_of_another_year_is_warned_about_and_expired_evidence_listed(act, login):
    from evidence.services import set_document_dates

    a = act["assessment"]
    q = Question.objects.get(instrument=a.instrument, code="PEM-MP-01.a")
    old = upload_evidence(a, q, act["operator"], name="SK Tim 2024.pdf")
    fresh = upload_evidence(a, q, act["operator"], name="SK Tim 2026.pdf", text="SK 2026")
    set_document_dates(
        item=old,
        by=act["operator"],
        document_date=datetime.date(2024, 3, 1),
        valid_until=datetime.date(2025, 12, 31),
    )
    set_document_dates(item=fresh, by=act["operator"], document_year=2026)
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert "2024" in selectors.evidence_year_warning(old, a)
    assert selectors.evidence_year_warning(fresh, a) == ""
    assert list(selectors.expired_evidence(assessment=a, today=datetime.date(2026, 6, 1))) == [old]
    html = login(act["operator"]).get(reverse("actions:carried", args=[a.pk])).content.decode()
    assert "Dokumen bertahun 2024, bukan tahun penilaian 2026" in html
    assert "1 data dukung sudah kedaluwarsa." in html


def test_reminders_for_items_due_in_seven_days_and_overdue_are_sent_once(act):
    soon = action_item(
        act["unit"], act["operator"], start=datetime.date(2026, 1, 1), due=datetime.date(2026, 6, 5)
    )
    late = action_item(
        act["unit"],
        act["operator"],
        start=datetime.date(2026, 1, 1),
        due=datetime.date(2026, 5, 20),
    )
    action_item(
        act["unit"], act["operator"], start=datetime.date(2026, 1, 1), due=datetime.date(2026, 9, 1)
    )
    today = datetime.date(2026, 6, 1)
    created = services.item_reminders(today=today)
    assert created == 4  # operator (responsible) and head, for two items
    assert services.item_reminders(today=today) == 0
    texts = list(Notification.objects.filter(user=act["head"]).values_list("text", "url"))
    assert any("terlambat" in t and u == late.get_absolute_url() for t, u in texts)
    assert any("jatuh tempo" in t and u == soon.get_absolute_url() for t, u in texts)


def test_the_action_plan_xlsx_holds_dates_and_progress_as_numbers_with_a_format(
    act, django_capture_on_commit_callbacks
):
    action_item(act["unit"], act["operator"], progress=40)
    with django_capture_on_commit_callbacks(execute=True):
        job = request_report(
            kind=Kind.ACTION_PLAN_XLSX, by=act["operator"], unit=act["unit"], year=2026
        )
    job.refresh_from_db()
    with default_storage.open(job.file.name, "rb") as fh:
        ws = openpyxl.load_workbook(io.BytesIO(fh.read())).active
    start, due, progress = ws.cell(row=3, column=7), ws.cell(row=3, column=8), ws.cell(3, 10)
    # sortable dates and a figure, shown by Excel/LibreOffice in the reader's locale
    assert start.is_date and start.value.date() == datetime.date(2026, 1, 15)
    assert start.number_format == due.number_format == "[$-421]d mmm yyyy"
    assert (progress.value, progress.data_type, progress.number_format) == (40, "n", '0"%"')
