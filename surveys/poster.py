"""The A4 poster for the service counter: QR code and short link of a period's public form."""

import io

from django.conf import settings
from django.utils import timezone

from reports import pdf


def qr_svg(url: str, scale: int = 10) -> str:
    """An inline SVG QR code (medium error correction: survives a worn, taped-up print).
    Branch docs adds a shared helper (reports/qr.py); this one call is kept here until they meet."""
    import segno

    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", xmldecl=False, scale=scale, border=2)
    return out.getvalue().decode()


def public_url(period, base: str = "") -> str:
    """The absolute short link; ``base`` from the request, else PORTAL_BASE_URL."""
    base = (base or getattr(settings, "PORTAL_BASE_URL", "") or "").rstrip("/")
    return f"{base}{period.public_path()}"


def poster_pdf(period, base: str = "") -> bytes:
    url = public_url(period, base)
    return pdf.render_pdf(
        "surveys/pdf/poster.html",
        {
            "period": period,
            "unit": period.unit,
            "url": url,
            "short": url.split("://", 1)[-1],
            "qr": qr_svg(url),
            "printed_on": timezone.localdate(),
        },
    )
