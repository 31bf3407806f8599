"""Demo evidence: a few generated PDFs, photos and links for the open demo assessments, with
reviews and a comment thread. Everything goes through evidence.services, as real users would."""

import io

from django.core.files.base import ContentFile
from django.db import transaction

from accounts.models import Role, User

from . import services
from .models import EvidenceItem, Status
from .selectors import question_guidance, unscored_types

DEMO_UNITS = ("OPD-22", "OPD-17")  # DPMPTSP and Disdukcapil: their operators have demo logins
QUESTIONS_PER_ASSESSMENT = 8


def seed(pemda):
    """Adds evidence to the demo Pemda's open assessments, if there are any; safe to run again."""
    try:
        from assessments.models import OPEN_FOR_UNIT, Assessment
    except ImportError:
        return
    evaluator = User.objects.filter(
        memberships__pemda=pemda, memberships__role=Role.EVALUATOR
    ).first()
    assessments = (
        Assessment.objects.filter(
            unit__pemda=pemda, unit__code__in=DEMO_UNITS, stage__in=OPEN_FOR_UNIT
        )
        .select_related("unit", "instrument")
        .order_by("unit__code", "-year")
    )
    for assessment in assessments:
        if EvidenceItem.objects.filter(assessment=assessment).exists():
            continue  # already seeded: keep what people did in the demo
        operator = User.objects.filter(
            memberships__unit=assessment.unit, memberships__role=Role.UNIT_OPERATOR
        ).first()
        if operator is None:
            continue
        with transaction.atomic():
            _seed_assessment(assessment, operator, evaluator)


def _seed_assessment(assessment, operator, evaluator):
    unit = assessment.unit
    expected = question_guidance(assessment.instrument)
    unscored = unscored_types(assessment.instrument)
    questions = [
        q
        for q in assessment.instrument.questions.order_by("order")
        if q.answer_type not in unscored and expected.get(q.code)
    ][:QUESTIONS_PER_ASSESSMENT]
    items = []
    for n, question in enumerate(questions):
        documents = expected[question.code][: 2 if n % 3 == 0 else 1]
        for title in documents:
            if "foto" in title.lower() or "dokumentasi" in title.lower():
                upload = ContentFile(_png(title, unit.name), name=f"{_file_stem(title)}.png")
            else:
                upload = ContentFile(
                    _pdf(title, unit, assessment.year),
                    name=f"{_file_stem(title)} {assessment.year}.pdf",
                )
            items.append(
                services.upload_file(
                    assessment=assessment, question=question, uploaded_file=upload, by=operator
                )
            )
    if questions:
        services.add_link(
            assessment=assessment,
            question=questions[-1],
            by=operator,
            url="https://jepara.go.id/",
            title=f"Publikasi {unit.short_name or unit.name} di situs Pemkab",
        )
    if evaluator is None or len(items) < 4:
        return
    for item in items[:3]:
        services.review(item=item, by=evaluator, status=Status.ACCEPTED, comment="")
    asked = items[3]
    services.review(
        item=asked,
        by=evaluator,
        status=Status.REVISION,
        comment="Dokumen belum ditandatangani kepala unit. Mohon unggah versi yang sudah ditandatangani "
        "dan dicap.",
    )
    services.comment(
        item=asked, by=operator, text="Baik, versi bertanda tangan sedang kami siapkan."
    )
    if len(items) > 5:
        services.review(
            item=items[5],
            by=evaluator,
            status=Status.REJECTED,
            comment="Dokumen ini untuk tahun sebelumnya; unggah dokumen tahun berjalan.",
        )
    if len(items) > 6:
        services.soft_delete(item=items[6], by=operator)


def _file_stem(title):
    keep = "".join(c if c.isalnum() or c in " -_&" else " " for c in title)
    return " ".join(keep.split())[:80]


def _pdf(title, unit, year) -> bytes:
    """A small, valid one-page PDF (Helvetica text), enough to open in any viewer."""
    lines = [
        f"PEMERINTAH {unit.pemda.name.upper()}",
        unit.name.upper(),
        "",
        title,
        f"Tahun {year}",
        "",
        "Dokumen contoh untuk demo ZI Portal: data dukung pembangunan Zona Integritas.",
        f"Ditetapkan di {unit.pemda.seat or unit.pemda.name}",
        f"Kepala {unit.short_name or unit.name}",
        "",
        unit.head_name or "",
    ]
    ops = [f"BT /F1 15 Tf 72 770 Td ({_pdf_text(lines[0])}) Tj ET"]
    ops += [
        f"BT /F1 11 Tf 72 {748 - 18 * i} Td ({_pdf_text(text)}) Tj ET"
        for i, text in enumerate(lines[1:])
    ]
    content = "\n".join(ops).encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _pdf_text(text):
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _png(title, unit_name) -> bytes:
    """A small "photo": a coloured board with the title, like a picture of a notice on a wall."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 400), (11, 83, 148))
    draw = ImageDraw.Draw(image)
    draw.rectangle((30, 30, 610, 370), fill=(250, 250, 245), outline=(240, 165, 0), width=6)
    draw.text((60, 70), "MAKLUMAT / DOKUMENTASI", fill=(11, 83, 148))
    draw.text((60, 120), title[:70], fill=(27, 36, 48))
    draw.text((60, 160), unit_name[:70], fill=(85, 96, 112))
    draw.text((60, 320), "Foto contoh untuk demo ZI Portal", fill=(85, 96, 112))
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return buf.getvalue()
