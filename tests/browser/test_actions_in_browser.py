"""Rekomendasi to monev in a real browser: the TPI adds a recommendation, the unit turns it into an
action item and reports Triwulan I progress, the Inspektorat sees it on the monitoring page, and
the monev PDF downloads with that item."""

import io
import re

import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
expect.set_options(timeout=15_000)

TEXT = "Bentuk agen perubahan di setiap bidang pelayanan perizinan."


def test_recommendation_to_action_item_to_monev_pdf(pemda_world, new_page, log_in):
    from pypdf import PdfReader

    from accounts.models import Role
    from tests.factories import person

    assessment = pemda_world["assessments"][0]
    unit = pemda_world["units"][0]
    person(Role.INSPEKTORAT_ADMIN, pemda=pemda_world["pemda"], username="inspektur.uji")

    # --- the TPI adds a recommendation ----------------------------------------------------------
    tpi = new_page()
    log_in(tpi, "evaluator.uji")
    tpi.goto(f"/rencana-aksi/penilaian/{assessment.pk}/rekomendasi/")
    tpi.locator("#id_text").fill(TEXT)
    tpi.locator("#id_due_on").fill("2026-12-20")
    tpi.get_by_role("button", name="Simpan rekomendasi").click()
    expect(tpi.locator(".rec-text")).to_have_text(TEXT)

    # --- the unit creates an action item from it and reports Triwulan I -------------------------
    op = new_page()
    log_in(op, "operator.uji")
    op.goto(f"/rencana-aksi/penilaian/{assessment.pk}/rekomendasi/")
    op.get_by_role("button", name="Buat rencana aksi").click()
    expect(op.locator("h1")).to_contain_text("Tindak lanjut rekomendasi TPI")
    op.get_by_role("link", name=re.compile("Rencana aksi 2026")).click()
    op.get_by_role("link", name="Triwulan I", exact=True).click()
    row = op.locator("#plan-items tbody tr").first
    row.get_by_label("Kemajuan (%)").fill("30")
    row.get_by_label("Uraian kemajuan").fill("SK agen perubahan sedang diparaf.")
    op.get_by_role("button", name="Simpan monev Triwulan I").click()
    expect(op.locator(".msg-success")).to_contain_text("Monev Triwulan I tersimpan")

    # --- the Inspektorat sees it on the monitoring page -----------------------------------------
    ins = new_page()
    log_in(ins, "inspektur.uji")
    ins.goto("/dasbor/inspektorat/?year=2026")
    block = ins.locator("#actions-monitoring")
    expect(block).to_contain_text(unit.name)
    expect(block).to_contain_text("Kegiatan terbuka")
    block.get_by_role("link", name=unit.name).click()
    ins.get_by_role("link", name="Triwulan I", exact=True).click()
    expect(ins.locator("#plan-items")).to_contain_text("SK agen perubahan sedang diparaf.")

    # --- the monev PDF downloads with that item -------------------------------------------------
    ins.get_by_role("button", name="Laporan monev Triwulan I (PDF)").click()
    link = ins.get_by_role("link", name="Unduh PDF").first
    expect(link).to_be_visible()
    with ins.expect_download() as download:
        link.click()
    raw = open(download.value.path(), "rb").read()
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(raw)).pages)
    text = re.sub(r"\s+", " ", text)
    assert "Laporan Monev Pembangunan ZI" in text
    assert "Tindak lanjut rekomendasi TPI" in text
    assert "SK agen perubahan sedang diparaf." in text
