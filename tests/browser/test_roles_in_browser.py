"""Each role walks its main path in a real browser (Playwright + Debian's headless Chromium)."""

import re

import pytest
from playwright.sync_api import expect

# The live server needs committed data; serialized rollback brings the shipped LKE back after each flush.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
expect.set_options(
    timeout=15_000
)  # a save recomputes scores in-process (eager Celery) before answering

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Title (SK Tim Kerja ZI) >> endobj\n%%EOF\n"


def test_operator_fills_lke_and_uploads_evidence_then_evaluator_reviews_and_scores(
    pemda_world, new_page, log_in
):
    from evidence.models import EvidenceItem

    unit, assessment, question = (
        pemda_world["units"][0],
        pemda_world["assessments"][0],
        pemda_world["question"],
    )

    # --- operator: home is the unit workspace -------------------------------------------------
    page = new_page()
    log_in(page, "operator.uji")
    expect(page).to_have_url(re.compile(rf"/dasbor/unit/{unit.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(unit.name)
    expect(page.get_by_role("heading", name="Penilaian ZI 2026")).to_be_visible()

    page.get_by_role("link", name="Isi LKE penilaian mandiri").click()
    row = page.locator(f"#q-{question.pk}")
    row.locator("label.opt").first.click()
    expect(page.locator(f"#q-{question.pk} .state")).to_contain_text("Tersimpan")

    page.goto(f"/dasbor/unit/{unit.pk}/")
    page.get_by_role("link", name="Unggah data dukung").click()
    page.locator(f"#ev-files-{question.pk}").set_input_files(
        files=[{"name": "SK Tim Kerja ZI.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    panel = page.locator(f"#ev-q-{question.pk}")
    expect(panel).to_contain_text("berhasil diunggah")
    expect(panel).to_contain_text("SK Tim Kerja ZI.pdf")
    assert EvidenceItem.objects.filter(assessment=assessment, question=question).count() == 1

    # --- evaluator: the dashboard lists the new evidence; review it, then score the TPI track ----
    page = new_page()
    log_in(page, "evaluator.uji")
    expect(page).to_have_url(re.compile(r"/dasbor/inspektorat/$"))
    attention = page.locator(
        "section", has=page.get_by_role("heading", name="Perlu perhatian evaluator")
    )
    expect(attention).to_contain_text("1 data dukung menunggu reviu")
    attention.get_by_role("link", name="SK Tim Kerja ZI.pdf").click()
    panel = page.locator(f"#ev-q-{question.pk}")
    panel.locator("summary", has_text="Reviu").click()
    panel.get_by_role("radio", name="Perlu perbaikan").check()
    panel.locator("textarea[name=comment]").fill("Lampirkan SK yang sudah ditandatangani.")
    panel.get_by_role("button", name=re.compile("Simpan")).first.click()
    expect(page.locator(f"#ev-q-{question.pk}")).to_contain_text("Hasil reviu disimpan")
    item = EvidenceItem.objects.get(assessment=assessment, question=question)
    assert item.status == "revision"

    page.goto(f"/penilaian/{assessment.pk}/lke/tpi/")
    page.locator(f"#q-{question.pk} label.opt").first.click()
    expect(page.locator(f"#q-{question.pk} .state")).to_contain_text("Tersimpan")
    page.goto("/dasbor/inspektorat/?q=Penanaman")
    row = page.locator("table.monitoring tbody tr", has_text=unit.name)
    expect(row.locator("td[data-label='Nilai TPI']")).not_to_have_text("—")
    expect(row.locator("td[data-label='Reviu terbuka']")).to_contain_text("1 perlu perbaikan")

    # --- back to the operator: the review arrived as a notification ---------------------------
    page = new_page()
    log_in(page, "operator.uji")
    expect(page.locator("#bell-count")).to_contain_text("1")
    expect(
        page.locator(
            "section", has=page.get_by_role("heading", name="Catatan reviu yang perlu ditanggapi")
        )
    ).to_contain_text("SK Tim Kerja ZI.pdf")
    page.get_by_role("link", name=re.compile("Notifikasi")).click()
    expect(page.locator(".notif").first).to_contain_text("perlu perbaikan")


def test_leadership_opens_readiness_and_requests_the_recap_pdf(pemda_world, new_page, log_in):
    scored = pemda_world["units"][1]
    page = new_page()
    log_in(page, "bupati.uji")
    expect(page).to_have_url(re.compile(r"/dasbor/pimpinan/$"))
    ranking = page.locator("table.readiness")
    expect(ranking).to_contain_text(scored.name)
    expect(ranking).to_contain_text("Evaluasi TPI belum lengkap")
    page.get_by_role("button", name=re.compile("Unduh rekap daerah 2026")).click()
    expect(page).to_have_url(re.compile(r"/laporan/"))
    expect(page.locator("main")).to_contain_text("Rekap daerah")
    expect(page.locator("main")).to_contain_text(
        re.compile("Siap diunduh|Dalam antrean|Sedang dibuat")
    )
    page.goto("/dasbor/pimpinan/")
    expect(page.locator("#recap-jobs")).to_contain_text(
        re.compile("Siap diunduh|Dalam antrean|Sedang dibuat")
    )


def test_pages_fit_a_phone_and_dashboards_work_with_the_keyboard(pemda_world, new_page, log_in):
    from reports.models import Kind, ReportJob

    # A report waiting in the list: its table is the widest on /laporan/.
    ReportJob.objects.create(
        kind=Kind.PACT,
        pemda=pemda_world["pemda"],
        unit=pemda_world["units"][0],
        assessment=pemda_world["assessments"][0],
        requested_by=pemda_world["evaluator"],
    )
    page = new_page(viewport={"width": 390, "height": 844})
    log_in(page, "evaluator.uji")
    for url in [
        "/dasbor/inspektorat/",
        "/dasbor/pimpinan/",
        f"/dasbor/unit/{pemda_world['units'][0].pk}/",
        "/laporan/",
        "/penilaian/instrumen/",  # tables with a hidden caption
        # question texts such as "... telah dilaksanakan/diimplementasikan", one word to a browser
        f"/data-dukung/penilaian/{pemda_world['assessments'][0].pk}/",
    ]:
        page.goto(url)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{url} scrolls sideways by {overflow}px on a phone"
    page.goto("/dasbor/inspektorat/")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.locator("#id_q").focus()
    page.keyboard.type("Kecamatan")
    expect(page.locator("#unit-rows")).to_contain_text("1 unit kerja")
    expect(page.locator("#unit-rows")).to_contain_text("Kecamatan Kota")
