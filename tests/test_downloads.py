from django.core.files.base import ContentFile

from zi_portal.downloads import protected_download


def _headers(response):
    return {
        k: response[k]
        for k in ("X-Content-Type-Options", "Cache-Control", "Content-Security-Policy")
    }


PROTECTED = {
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "private, no-store",
    "Content-Security-Policy": "sandbox",
}


def test_bytes_are_an_attachment_that_is_never_sniffed_or_cached():
    response = protected_download(b"data", 'laporan "x".xlsx', content_type="application/zip")
    assert _headers(response) == PROTECTED
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content == b"data"


def test_a_file_is_streamed_with_its_size():
    response = protected_download(
        ContentFile(b"abc", name="a.pdf"), "a.pdf", content_type="application/pdf", size=3
    )
    assert _headers(response) == PROTECTED
    assert response["Content-Disposition"] == 'attachment; filename="a.pdf"'
    assert response["Content-Length"] == "3"
    assert b"".join(response.streaming_content) == b"abc"
