"""The TPI evaluation loop in a real browser: the evaluator asks for a fix, the operator answers with
a new file, the evaluator previews and accepts it and closes the request, the member submits, the
ketua tim signs off, and the Admin Inspektorat can nominate."""

import io
import re

import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
expect.set_options(timeout=15_000)


def _pdf() -> bytes:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    pdf.new_page(595, 842)
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()


def test_revision_request_to_sign_off_to_nomination(pemda_world, new_page, log_in):
    from accounts.models import Role
    from assessments.models import Question, Stage, Track
    from review import services
    from tests.factories import accepted_evidence, best_answers, fill, person

    assessment, question = pemda_world["assessments"][0], pemda_world["question"]
    pemda = pemda_world["pemda"]
    admin = person(Role.INSPEKTORAT_ADMIN, pemda=pemda, username="inspektur.uji")
    ketua = person(Role.EVALUATOR, pemda=pemda, username="ketua.uji", full_name="Ketua Uji")
    evaluator = pemda_world["evaluator"]
    fill(assessment, Track.TPI, best_answers(assessment.instrument))
    others = Question.objects.filter(instrument=assessment.instrument).exclude(pk=question.pk)
    accepted_evidence(assessment, evaluator, list(others))
    services.assign(assessment=assessment, user=evaluator, role="anggota", by=admin)
    services.assign(assessment=assessment, user=ketua, role="ketua", by=admin)

    # --- evaluator opens a revision request from the TPI worksheet row ---------------------------
    page = new_page()
    log_in(page, "evaluator.uji")
    page.goto(f"/penilaian/{assessment.pk}/lke/tpi/")
    row = page.locator(f"#q-{question.pk}")
    row.get_by_text("Minta perbaikan ke unit").click()
    row.get_by_label("Catatan untuk unit").fill("Unggah SK yang sudah ditandatangani.")
    row.get_by_role("button", name="Kirim permintaan perbaikan").click()
    expect(page.locator("#rr-status")).to_have_text("Terbuka")
    request_url = page.url

    # --- operator sees it on the workspace, uploads a new file and answers -------------------------
    op = new_page()
    log_in(op, "operator.uji")
    expect(op.locator("#revisions-title")).to_be_visible()
    op.get_by_role("link", name=re.compile(question.code)).first.click()
    op.get_by_role("link", name="Data dukung", exact=True).click()
    op.locator(f"#ev-files-{question.pk}").set_input_files(
        files=[{"name": "SK Tim Kerja ZI ttd.pdf", "mimeType": "application/pdf", "buffer": _pdf()}]
    )
    expect(op.locator(f"#ev-q-{question.pk}")).to_contain_text("berhasil diunggah")
    op.goto(request_url)
    op.get_by_label("Jawaban untuk TPI").fill("SK bertanda tangan sudah diunggah.")
    op.get_by_role("button", name="Kirim jawaban").click()
    expect(op.locator("#rr-status")).to_have_text("Dijawab unit")

    # --- evaluator: the queue shows the reply and the file; preview, accept, close ---------------
    page.goto("/reviu/")
    expect(page.locator("#q-replies")).to_contain_text("1 jawaban atas permintaan perbaikan")
    expect(page.locator("#q-evidence")).to_contain_text("1 data dukung menunggu reviu")
    page.get_by_role("button", name="Pratinjau").first.click()
    expect(page.locator("img.preview-img").first).to_be_visible()
    page.locator("#bulk-form input[name=item]").first.check()
    page.get_by_role("button", name="Terima yang dipilih").click()
    expect(page.locator(".messages")).to_contain_text("1 data dukung diterima")
    page.goto(request_url)
    page.get_by_role("button", name="Tutup permintaan").click()
    expect(page.locator("#rr-status")).to_have_text("Selesai")

    # --- the member submits, the ketua tim signs off ----------------------------------------------
    page.goto(f"/penilaian/{assessment.pk}/")
    page.get_by_role("button", name="Kirim evaluasi TPI").click()
    expect(page.locator("#evaluasi-tpi")).to_contain_text("Menunggu pengesahan")
    lead = new_page()
    log_in(lead, "ketua.uji")
    lead.goto(f"/penilaian/{assessment.pk}/")
    lead.get_by_role("button", name="Sahkan evaluasi TPI").click()
    expect(lead.locator("#evaluasi-tpi")).to_contain_text("Disahkan")

    # --- the Admin Inspektorat nominates ----------------------------------------------------------
    boss = new_page()
    log_in(boss, "inspektur.uji")
    boss.goto(f"/penilaian/{assessment.pk}/")
    boss.locator("form.step-form", has_text="Usulkan ke KemenPANRB").get_by_role(
        "button", name="Usulkan ke KemenPANRB"
    ).click()
    expect(boss.locator("#stage-badge")).to_have_text("Diusulkan")
    assessment.refresh_from_db()
    assert assessment.stage == Stage.NOMINATED
