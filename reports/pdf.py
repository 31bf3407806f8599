"""HTML template → PDF bytes with WeasyPrint. Fonts come from the system (fonts-dejavu-core), so
Indonesian text and symbols render without downloading anything; no network fetches happen."""

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
