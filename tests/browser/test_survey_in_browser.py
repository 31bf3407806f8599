"""A respondent on a phone: open the link (no QR scan needed) → answer → thanks; a second try from
the same browser is refused."""

import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 360, "height": 740}  # a cheap Android phone


def test_respondent_on_a_phone_submits_once(new_page):
    from accounts.models import Role
    from surveys.models import Response
    from tests.factories import PemdaFactory, WorkUnitFactory, person, survey_period

    unit = WorkUnitFactory(pemda=PemdaFactory(name="Kabupaten Peramban"), name="Disdukcapil Uji")
    period = survey_period(unit, person(Role.UNIT_HEAD, unit=unit))

    page = new_page(viewport=PHONE)
    page.goto(period.public_path())
    expect(page.get_by_role("heading", level=1)).to_contain_text("Survei Kualitas Pelayanan")
    # fits the phone: no sideways scrolling
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # a second tab of the same browser, opened before the first one submits
    second = page.context.new_page()
    second.goto(period.public_path())

    fill_and_send(page, period)
    expect(page.get_by_role("heading", level=1)).to_have_text("Terima kasih")
    assert Response.objects.filter(period=period).count() == 1
    stored = Response.objects.get()
    assert stored.age_band == "30–39 tahun" and set(stored.answers.values()) == {4}

    fill_and_send(second, period)
    expect(second.get_by_role("alert")).to_contain_text("Perangkat ini sudah mengirim jawaban")
    assert Response.objects.filter(period=period).count() == 1

    # opening the link again says so instead of showing the form
    page.goto(period.public_path())
    expect(page.get_by_role("status")).to_contain_text("sudah mengirim jawaban")
    expect(page.get_by_role("button", name="Kirim jawaban")).to_have_count(0)


def fill_and_send(page, period):
    from surveys.scoring import items

    page.get_by_label("Jenis layanan yang Saudara terima").select_option("Perizinan")
    page.get_by_label("Usia").select_option("30–39 tahun")
    page.get_by_label("Jenis kelamin").select_option("Perempuan")
    page.get_by_label("Pendidikan terakhir").select_option("SMA/SMK atau sederajat")
    page.get_by_label("Pekerjaan").select_option("Wiraswasta/pedagang")
    for item in items(period.questionnaire.spec):
        # tap the label text of the best option (a large target), as a thumb would
        page.locator(f"#q-{item['code']} label.opt").nth(3).click()
    page.get_by_role("button", name="Kirim jawaban").click()
