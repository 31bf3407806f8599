"""The A4 poster for the service counter: QR code and short link of a period's public form."""

from django.conf import settings
from django.utils import timezone

from reports import pdf
from reports.qr import qr_svg_data_uri


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
            "qr": qr_svg_data_uri(url, scale=10),
            "printed_on": timezone.localdate(),
        },
    )
