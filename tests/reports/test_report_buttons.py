from django.urls import reverse


def test_assessment_page_offers_scorecard_charter_and_lke_xlsx(rz, login):
    page = login(rz["users"]["unit_operator"]).get(
        reverse("assessments:detail", args=[rz["assessment"].pk])
    )
    text = page.content.decode()
    assert "Unduh kartu skor PDF" in text and "Cetak Piagam" in text
    assert reverse("reports:lke_xlsx", args=[rz["assessment"].pk]) in text
    assert reverse("reports:list") in text  # the "Laporan" link in the navigation


def test_unit_page_offers_the_pact(rz, login):
    page = login(rz["users"]["unit_head"]).get(reverse("units:detail", args=[rz["unit"].pk]))
    assert "Cetak Pakta Integritas" in page.content.decode()
