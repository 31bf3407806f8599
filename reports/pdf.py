"""HTML template → PDF bytes with WeasyPrint. Fonts come from the system (fonts-dejavu-core), so
Indonesian text and symbols render without downloading anything; no network fetches happen."""

import io
from collections.abc import Sequence

from django.conf import settings
from django.template.loader import render_to_string

from zi_portal import formats


def _no_fetch():
    """WeasyPrint's own fetcher told to refuse every protocol but ``data:``: reports embed everything
    they draw (SVG inline), so a URL in a template (or in text someone typed) is skipped with a
    warning, never fetched — no http(s), no file:// from the server's disk."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"}, allow_redirects=False, timeout=1)


def render_html(template: str, context: dict) -> str:
    # Official documents are Indonesian even for someone using the English UI.
    with formats.document_language():
        return render_to_string(template, context)


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported lazily: a heavy import that the web pages never need

    return HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=_no_fetch()).write_pdf()


def render_pdf(template: str, context: dict) -> bytes:
    return html_to_pdf(render_html(template, context))


def render_pdf_in_parts(template: str, parts: Sequence[dict]) -> bytes:
    """One document rendered part by part and joined, for documents too long to lay out at once:
    WeasyPrint keeps every laid-out page of a document in memory until it writes the PDF (about
    170 MB for the 1,000-unit recap's 30 pages), so a worker's memory grows with the document. Here
    only one part is laid out at a time. The parts are rendered without page numbers
    (``numbered_later``); "Halaman X dari Y" is printed over the joined pages afterwards, in the
    same margin box and type as a document rendered whole."""
    from pypdf import PdfReader, PdfWriter

    if len(parts) == 1:
        return render_pdf(template, parts[0])
    writer = PdfWriter()
    for context in parts:
        part = PdfReader(io.BytesIO(render_pdf(template, {**context, "numbered_later": True})))
        if not writer.pages and part.metadata:
            writer.add_metadata(part.metadata)  # title and dates, as WeasyPrint wrote them
        writer.append(part)
    numbers = PdfReader(
        io.BytesIO(render_pdf("reports/pdf/page_numbers.html", {"pages": range(len(writer.pages))}))
    )
    for page, number in zip(writer.pages, numbers.pages, strict=True):
        page.merge_page(number)
        page.compress_content_streams()  # merging leaves the page's content uncompressed (10× larger)
    writer.compress_identical_objects()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
