"""The Inspektorat records a pencanangan with structured witnesses in a real browser, prints the
Piagam, and anyone (logged out) checks it on the verification page by its short code."""

import re

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_proclamation_with_witness_rows_then_public_verification_of_the_charter(
    pemda_world, new_page, log_in
):
    from accounts.models import Role
    from reports.models import VerifiedDocument
    from tests.factories import WorkUnitFactory, person

    pemda = pemda_world["pemda"]
    unit = WorkUnitFactory(pemda=pemda, name="Dinas Kesehatan", code="P-09")
    person(Role.INSPEKTORAT_ADMIN, pemda=pemda, username="inspektur.uji", full_name="Inspektur")

    page = new_page()
    log_in(page, "inspektur.uji")
    page.goto(f"/penilaian/unit/{unit.pk}/pencanangan/")
    page.locator("#id_place").fill("Pendopo Kabupaten Peramban")
    page.locator("#id_target").select_option("WBBM")
    page.locator("#id_signatory_name").fill("dr. Kepala Dinas, M.Kes.")
    page.locator("#id_signatory_nip").fill("1970010119980310")  # two digits short
    page.locator("#id_saksi-0-name").fill("Ir. Bambang Wicaksono, M.T.")
    page.locator("#id_saksi-0-position").fill("Inspektur Daerah")
    page.get_by_role("button", name="Simpan pencanangan").click()
    # Refused next to the field, everything typed still there.
    assert "NIP harus 18 angka" in page.locator(".field.has-error").inner_text()
    assert page.locator("#id_saksi-0-name").input_value() == "Ir. Bambang Wicaksono, M.T."
    page.locator("#id_signatory_nip").fill("19700101 199803 1 001")
    page.get_by_role("button", name="Simpan pencanangan").click()
    page.wait_for_url(re.compile(r"/penilaian/\d+/$"))
    body = page.locator("main").inner_text()
    assert "Ir. Bambang Wicaksono, M.T." in body and "WBBM" in body

    page.get_by_role("button", name="Cetak Piagam").click()
    page.wait_for_url(re.compile(r"/laporan/"))
    record = VerifiedDocument.objects.get(unit=unit)

    visitor = new_page()  # not logged in
    visitor.goto("/verifikasi/")
    visitor.locator("#kode").fill(record.display_code.lower())
    visitor.get_by_role("button", name="Periksa").click()
    text = visitor.locator("main").inner_text()
    assert "versi yang berlaku" in text and "Piagam Pencanangan" in text
    assert record.sha256 in text
