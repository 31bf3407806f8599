"""Verifiable documents: every PDF the portal renders carries a QR code and a short code that open
a public page (no login) with the document's title, subject, date, the SHA-256 of the file and
whether it is still the current version. Nothing on that page goes beyond what the paper shows.

Other documents get this by going through ``render_verified`` (``services.build_document`` does for
every report kind)."""

import hashlib
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from . import pdf, qr
from .models import VerifiedDocument

# Crockford's base32: no I, L, O, U, so a code read off paper cannot be mistyped into another one.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12  # 60 random bits: not guessable, not enumerable, still short enough to type
TYPO = str.maketrans({"O": "0", "I": "1", "L": "1"})


@dataclass(frozen=True)
class DocumentInfo:
    """What the verification page says about a document; all of it is printed on the document."""

    title: str
    subject: str
    pemda: object
    unit: object
    document_date: date
    key: str  # the same document rendered again has the same key and supersedes the older file


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """What someone typed (lower case, dashes, spaces, O for 0) → the stored form."""
    cleaned = "".join(c for c in (text or "").upper() if c.isalnum()).translate(TYPO)
    return cleaned if len(cleaned) == CODE_LENGTH and all(c in ALPHABET for c in cleaned) else ""


def verify_url(code: str) -> str:
    path = reverse("verify:document", args=[code])
    base = (getattr(settings, "PORTAL_BASE_URL", "") or "").rstrip("/")
    return f"{base}{path}" if base else path


def stamp(code: str) -> dict:
    """Template context for the QR block (``reports/pdf/_verification.html``)."""
    url = verify_url(code)
    return {
        "code": code,
        "display_code": "-".join(code[i : i + 4] for i in range(0, len(code), 4)),
        "url": url,
        "qr": qr.qr_svg_data_uri(url, scale=3, border=1),
    }


def render_verified(
    template: str,
    context: dict,
    *,
    info: DocumentInfo,
    job=None,
    parts: Callable[[dict], Sequence[dict]] | None = None,
) -> bytes:
    """Renders ``template`` to PDF with a new verification code printed on every page, records the
    file's SHA-256 under that code and marks earlier renderings of the same document superseded.
    ``parts`` splits a long document's context into parts rendered one at a time
    (``pdf.render_pdf_in_parts``)."""
    code = new_code()
    context = {**context, "verification": stamp(code)}
    if parts:
        content = pdf.render_pdf_in_parts(template, parts(context))
    else:
        content = pdf.render_pdf(template, context)
    record = VerifiedDocument(
        code=code,
        key=info.key,
        job=job,
        pemda=info.pemda,
        unit=info.unit,
        title=info.title[:200],
        subject=info.subject[:300],
        document_date=info.document_date,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
    )
    with transaction.atomic():
        record.save()
        VerifiedDocument.objects.filter(key=info.key, superseded_at__isnull=True).exclude(
            pk=record.pk
        ).update(superseded_at=timezone.now())
    return content


def find(code: str) -> VerifiedDocument | None:
    code = normalise_code(code)
    if not code:
        return None
    return VerifiedDocument.objects.select_related("pemda", "unit").filter(code=code).first()
