"""The one way the portal hands out a stored or generated file: as an attachment that a browser
must not render or sniff from the portal's origin, and that no cache keeps. Every download view
checks permission first, then returns protected_download(...)."""

from __future__ import annotations

from typing import IO

from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def protected_download(
    content: bytes | IO[bytes],
    filename: str,
    *,
    content_type: str | None = None,
    size: int | None = None,
) -> HttpResponse:
    """``content`` (bytes, or an open binary file that is streamed and closed) as an attachment named
    ``filename``: nosniff, ``private, no-store`` and a sandboxing CSP, in case a browser opens it anyway."""
    if isinstance(content, bytes):
        response: HttpResponse = HttpResponse(
            content, content_type=content_type or "application/octet-stream"
        )
        response["Content-Disposition"] = content_disposition_header(True, filename)
    else:
        response = FileResponse(
            content, as_attachment=True, filename=filename, content_type=content_type
        )
        if size is not None:
            response["Content-Length"] = str(size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "sandbox"
    return response
