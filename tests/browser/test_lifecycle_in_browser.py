"""The Admin Inspektorat records TPN stages in a real browser; a refused one keeps what was typed."""

import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_admin_records_a_tpn_stage_and_a_refused_one_is_marked_at_its_field(new_page, log_in):
    from accounts.models import Role
    from assessments.models import Stage
    from tests.factories import (
        PemdaFactory,
        WorkUnitFactory,
        make_assessment,
        person,
        shipped_instrument,
    )

    shipped_instrument()
    pemda = PemdaFactory(name="Kabupaten Peramban")
    unit = WorkUnitFactory(pemda=pemda, name="Dinas Peramban")
    person(Role.INSPEKTORAT_ADMIN, pemda=pemda, username="admin.peramban")
    a = make_assessment(unit, year=2025, stage=Stage.TPN_REVIEW)

    page = new_page()
    log_in(page, "admin.peramban")
    page.goto(a.get_absolute_url())
    form = page.locator("form", has_text="Catat hasil tahapan TPN")
    form.get_by_label("Tahap TPN").select_option("administrasi")
    form.get_by_label("Tanggal kejadian").fill("2025-06-20")
    form.get_by_role("button", name="Catat hasil tahapan").click()
    expect(page.locator(".timeline")).to_contain_text("20 Juni 2025 — TPN · Seleksi administrasi")

    form = page.locator("form", has_text="Catat hasil tahapan TPN")
    form.get_by_label("Tahap TPN").select_option("desk")
    form.get_by_label("Tanggal kejadian").fill("2025-06-01")
    form.get_by_label("Catatan").fill("Catatan evaluasi desk yang panjang")
    form.get_by_role("button", name="Catat hasil tahapan").click()
    form = page.locator("form", has_text="Catat hasil tahapan TPN")
    date_field = form.locator(".field", has=page.get_by_label("Tanggal kejadian"))
    expect(date_field.locator(".error")).to_contain_text("sebelum tahap seleksi administrasi")
    expect(form.get_by_label("Catatan")).to_have_value("Catatan evaluasi desk yang panjang")
