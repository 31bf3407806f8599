"""Previews: rendered PNG pages of PDFs and images, in a limited child process; never the upload."""

import io

import pytest
from django.urls import reverse
from PIL import Image

from review.models import Preview
from tests.factories import png_file, upload_evidence


def _real_pdf() -> bytes:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    pdf.new_page(595, 842)
    pdf.new_page(595, 842)
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()


@pytest.fixture
def pdf_item(zi):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from evidence import services

    q = zi["assessment"].instrument.questions.order_by("order").first()
    return services.upload_file(
        assessment=zi["assessment"],
        question=q,
        uploaded_file=SimpleUploadedFile("SK Tim.pdf", _real_pdf(), "application/pdf"),
        by=zi["users"]["unit_operator"],
    )


def test_pdf_preview_is_rendered_as_png_pages_and_served_as_image(
    zi, login, pdf_item, django_capture_on_commit_callbacks
):
    client = login(zi["users"]["evaluator"])
    version = pdf_item.current_version
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("review:preview", args=[version.pk]))
    assert response.status_code == 200
    preview = Preview.objects.get(version=version)
    assert preview.state == Preview.State.READY, preview.error
    assert len(preview.pages) == 2
    page = client.get(reverse("review:preview_page", args=[version.pk, 1]))
    assert page["Content-Type"] == "image/png"
    assert page["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in page["Content-Security-Policy"]
    image = Image.open(io.BytesIO(b"".join(page.streaming_content)))
    assert image.format == "PNG" and max(image.size) <= 1400


def test_image_is_re_encoded(zi, login, django_capture_on_commit_callbacks):
    from evidence import services

    q = zi["assessment"].instrument.questions.order_by("order").first()
    item = services.upload_file(
        assessment=zi["assessment"],
        question=q,
        uploaded_file=png_file(),
        by=zi["users"]["unit_operator"],
    )
    client = login(zi["users"]["evaluator"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("review:preview", args=[item.current_version.pk]))
    assert Preview.objects.get(version=item.current_version).state == Preview.State.READY


def test_a_broken_pdf_fails_cleanly_with_a_reason(zi, login, django_capture_on_commit_callbacks):
    q = zi["assessment"].instrument.questions.order_by("order").first()
    item = upload_evidence(zi["assessment"], q, zi["users"]["unit_operator"])  # a stub, not a PDF
    client = login(zi["users"]["evaluator"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("review:preview", args=[item.current_version.pk]))
    preview = Preview.objects.get(version=item.current_version)
    assert preview.state == Preview.State.FAILED
    page = client.get(reverse("review:preview", args=[item.current_version.pk]))
    assert "tidak dapat dibaca" in page.content.decode()


def test_preview_of_another_pemda_is_404(zi, world, login, pdf_item):
    client = login(world["users"]["foreign_admin"])
    assert (
        client.post(reverse("review:preview", args=[pdf_item.current_version.pk])).status_code
        == 404
    )


def test_an_image_above_the_pixel_cap_is_refused_not_decoded(
    zi, login, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from evidence import services

    buf = io.BytesIO()
    Image.new("L", (7000, 7000)).save(buf, "PNG")  # 49 MP, a few KB on disk
    q = zi["assessment"].instrument.questions.order_by("order").first()
    item = services.upload_file(
        assessment=zi["assessment"],
        question=q,
        uploaded_file=SimpleUploadedFile("bom.png", buf.getvalue(), "image/png"),
        by=zi["users"]["unit_operator"],
    )
    client = login(zi["users"]["evaluator"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("review:preview", args=[item.current_version.pk]))
    preview = Preview.objects.get(version=item.current_version)
    assert preview.state == Preview.State.FAILED and preview.pages == []
