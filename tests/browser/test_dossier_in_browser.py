"""The dossier in a real browser: the TPI opens the package, the operator uploads the signed
SPTJM, a bad video link is answered next to its field."""

import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Title (SPTJM) >> endobj\n%%EOF\n"


def test_tpi_opens_the_package_and_the_operator_uploads_the_signed_sptjm(
    pemda_world, new_page, log_in
):
    from dossier.models import Dossier, DossierPolicy, DossierScan

    DossierPolicy.objects.create(pemda=pemda_world["pemda"], required_items=["sptjm", "video"])
    assessment = pemda_world["assessments"][0]
    url = f"/paket-usulan/{assessment.pk}/"

    page = new_page()
    log_in(page, "evaluator.uji")
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Paket usulan")
    page.get_by_role("button", name="Buka paket usulan").click()
    expect(page.locator("#checklist")).to_contain_text("2 kelengkapan wajib belum tersedia")
    page.get_by_label("Tautan video profil unit").fill("https://www.youtube.com/@pemkab")
    page.get_by_label("Rekomendasi TPI", exact=False).fill("Perkuat monev rencana aksi.")
    page.get_by_role("button", name="Simpan", exact=True).click()
    expect(page.locator(".field.has-error")).to_contain_text("menunjuk satu video")
    expect(page.get_by_label("Rekomendasi TPI", exact=False)).to_have_value(
        "Perkuat monev rencana aksi."
    )
    page.get_by_label("Tautan video profil unit").fill("https://youtu.be/aBcDeFgHiJk")
    page.get_by_role("button", name="Simpan", exact=True).click()
    expect(page.locator("#item-video")).to_contain_text("https://youtu.be/aBcDeFgHiJk")
    assert Dossier.objects.get(assessment=assessment).recommendations == (
        "Perkuat monev rencana aksi."
    )

    page = new_page()
    log_in(page, "operator.uji")
    page.goto(url)
    page.locator("#scan-sptjm").set_input_files(
        files=[{"name": "SPTJM bertanda tangan.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.locator("form.upload-scan", has=page.locator("#scan-sptjm")).locator(
        "button[type=submit]"
    ).click()
    expect(page.locator("#item-sptjm")).to_contain_text("SPTJM bertanda tangan.pdf")
    expect(page.locator("#checklist")).to_contain_text("Seluruh kelengkapan wajib tersedia")
    assert DossierScan.objects.get().item == "sptjm"
