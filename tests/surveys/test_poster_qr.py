"""The counter poster's QR code opens the period's public form (read back from the rendered PDF)."""

import pypdfium2
import pytest
import zxingcpp

from surveys import poster
from tests.factories import survey_period


@pytest.mark.django_db
def test_the_poster_qr_code_opens_the_public_form(world):
    period = survey_period(world["own"], world["users"]["unit_operator"])
    content = poster.poster_pdf(period, "https://zi.example.go.id")
    document = pypdfium2.PdfDocument(content)
    try:
        image = document[0].render(scale=2).to_pil()
    finally:
        document.close()
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [
        f"https://zi.example.go.id/s/{period.code}/"
    ]
