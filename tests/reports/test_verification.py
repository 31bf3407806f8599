"""Every generated PDF carries a QR code and a short code that open a public page saying what the
document is and whether it is still the current version (issue 17)."""

import hashlib
import io
import re
from urllib.parse import urlsplit

import pypdfium2 as pdfium
import pytest
import zxingcpp
from django.core.files.storage import default_storage
from django.urls import reverse

from reports import services, verification
from reports.models import Kind, Status, VerifiedDocument
from tests.reports.helpers import pdf_text


def _render(kind, by, capture, **target):
    with capture(execute=True):
        job = services.request_report(kind=kind, by=by, **target)
    job.refresh_from_db()
    assert job.status == Status.READY, job.error
    return job


def _file(job) -> bytes:
    with default_storage.open(job.file.name, "rb") as fh:
        return fh.read()


def _qr_url(content: bytes, page=0) -> str:
    """The text of the QR code printed on a page, read from the rendered image as a phone would."""
    doc = pdfium.PdfDocument(io.BytesIO(content))
    try:
        image = doc[page].render(scale=3).to_pil()
    finally:
        doc.close()
    found = zxingcpp.read_barcodes(image)
    assert [b.format for b in found] == [zxingcpp.BarcodeFormat.QRCode]
    return found[0].text


def _rerender(job, by, capture):
    with capture(execute=True):
        services.rerender(job=job, by=by)
    job.refresh_from_db()
    assert job.status == Status.READY, job.error
    return job


@pytest.mark.parametrize("kind", [Kind.CHARTER, Kind.PACT, Kind.SCORECARD, Kind.RECAP])
def test_the_qr_code_of_every_pdf_opens_its_public_verification_page(
    rz, client, settings, django_capture_on_commit_callbacks, kind
):
    settings.PORTAL_BASE_URL = "https://zi.example.go.id"
    target = {
        Kind.CHARTER: {"assessment": rz["assessment"]},
        Kind.PACT: {"unit": rz["unit"]},
        Kind.SCORECARD: {"assessment": rz["assessment"]},
        Kind.RECAP: {"pemda": rz["pemda"]},
    }[kind]
    job = _render(
        kind, rz["users"]["inspektorat_admin"], django_capture_on_commit_callbacks, **target
    )
    content = _file(job)
    url = _qr_url(content)
    assert url.startswith("https://zi.example.go.id/verifikasi/")
    record = VerifiedDocument.objects.get(job=job)
    assert record.display_code in pdf_text(job)  # the short code is printed beside the QR code

    page = client.get(urlsplit(url).path)  # anonymous: no login
    assert page.status_code == 200
    html = page.content.decode()
    assert str(Kind(kind).label) in html
    assert hashlib.sha256(content).hexdigest() in html
    assert "versi yang berlaku" in html
    subject = rz["pemda"].name if kind == Kind.RECAP else rz["unit"].name
    assert subject in html


def test_the_short_code_typed_by_hand_finds_the_same_page(
    rz, client, django_capture_on_commit_callbacks
):
    job = _render(
        Kind.CHARTER,
        rz["users"]["unit_head"],
        django_capture_on_commit_callbacks,
        assessment=rz["assessment"],
    )
    record = VerifiedDocument.objects.get(job=job)
    typed = record.display_code.lower().replace("0", "o")  # lower case, O for zero, dashes
    response = client.get(reverse("verify:lookup"), {"kode": typed})
    assert response.status_code == 302
    assert response.url == reverse("verify:document", args=[record.code])
    assert "5 Februari 2026" in client.get(response.url).content.decode()


def test_a_rendered_again_document_says_on_its_old_code_that_it_is_superseded(
    rz, client, django_capture_on_commit_callbacks
):
    by = rz["users"]["inspektorat_admin"]
    job = _render(Kind.CHARTER, by, django_capture_on_commit_callbacks, assessment=rz["assessment"])
    first_url = urlsplit(_qr_url(_file(job))).path
    job = _rerender(job, by, django_capture_on_commit_callbacks)
    second_url = urlsplit(_qr_url(_file(job))).path
    assert first_url != second_url

    old = client.get(first_url).content.decode()
    assert "sudah digantikan" in old and "tidak berlaku lagi" in old
    new = client.get(second_url).content.decode()
    assert "versi yang berlaku" in new and "digantikan" not in new
    # A new request for the same document (not only Buat ulang) supersedes as well.
    _render(Kind.CHARTER, by, django_capture_on_commit_callbacks, assessment=rz["assessment"])
    assert "sudah digantikan" in client.get(second_url).content.decode()


def test_another_document_does_not_supersede(rz, client, django_capture_on_commit_callbacks):
    by = rz["users"]["inspektorat_admin"]
    charter = _render(
        Kind.CHARTER, by, django_capture_on_commit_callbacks, assessment=rz["assessment"]
    )
    _render(Kind.PACT, by, django_capture_on_commit_callbacks, unit=rz["unit"])
    _render(Kind.CHARTER, by, django_capture_on_commit_callbacks, assessment=rz["other_assessment"])
    assert VerifiedDocument.objects.get(job=charter).current


def test_the_page_shows_nothing_the_document_does_not(
    rz, client, django_capture_on_commit_callbacks
):
    by = rz["users"]["inspektorat_admin"]
    job = _render(Kind.CHARTER, by, django_capture_on_commit_callbacks, assessment=rz["assessment"])
    record = VerifiedDocument.objects.get(job=job)
    html = client.get(reverse("verify:document", args=[record.code])).content.decode()
    main = re.search(r"<main.*</main>", html, re.S).group(0)
    download = reverse("reports:download", args=[job.pk])
    for private in (by.username, by.display_name, job.file.name, download, "Saksi"):
        assert private not in main
    # What it shows is printed on the document itself: title, subject, date and code.
    text = pdf_text(job)
    assert record.display_code in text and "5 Februari 2026" in text


@pytest.mark.parametrize("code", ["AAAAAAAAAAAA", "123", "xxxx-xxxx-xxxx-xxxx", "%00"])
def test_an_unknown_or_malformed_code_finds_nothing(db, client, code):
    response = client.get(reverse("verify:lookup"), {"kode": code}, follow=True)
    assert response.status_code == 404
    assert "tidak dikenal" in response.content.decode()


def test_codes_are_long_random_and_unambiguous():
    codes = {verification.new_code() for _ in range(2000)}
    assert len(codes) == 2000  # 60 random bits each
    assert all(len(c) == 12 and not set(c) & set("ILOU") for c in codes)
