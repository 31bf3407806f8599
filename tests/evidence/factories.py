"""Builders for evidence tests: a tiny LKE instrument, assessments, and sample files."""

import datetime
import io
import zipfile

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.instrument_io import create_instrument
from assessments.models import Assessment, Instrument, Question, Stage
from tests.factories import WorkUnitFactory

# Two change areas (MP with two questions, PP with a % question and the Jumlah row feeding it)
# and one Hasil question without an area.
TINY_SPEC = {
    "code": "LKE-UJI-DATA-DUKUNG",
    "name": "LKE uji data dukung",
    "year": 2026,
    "indicators": [
        {"code": "PEM-MP-01", "section": "PEMENUHAN", "area": "MP", "questions": [
            {"code": "PEM-MP-01.a", "answer_type": "YA_TIDAK", "text": "Unit kerja telah membentuk tim kerja ZI",
             "evidence": ["SK Penetapan Tim Kerja ZI", "Uraian tugas tim"]},
            {"code": "PEM-MP-01.b", "answer_type": "ABC", "text": "Anggota tim dipilih melalui prosedur yang jelas"},
        ]},
        {"code": "PEM-PP-01", "section": "PEMENUHAN", "area": "PP", "questions": [
            {"code": "PEM-PP-01.a", "answer_type": "PERSEN", "text": "Persentase layanan yang dipermudah"},
            {"code": "PEM-PP-01.a.1", "answer_type": "JUMLAH", "text": "Jumlah layanan yang dipermudah"},
        ]},
        {"code": "HSL-BERSIH-01", "section": "BERSIH", "area": "", "questions": [
            {"code": "HSL-BERSIH-01.a", "answer_type": "NILAI_0_4", "text": "Nilai survei persepsi korupsi"},
        ]},
    ],
}


def make_instrument() -> Instrument:
    return create_instrument(Instrument, Question, TINY_SPEC)


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    unit = factory.SubFactory(WorkUnitFactory)
    year = 2026
    instrument = factory.LazyFunction(make_instrument)
    stage = Stage.DEVELOPMENT
    proclaimed_on = datetime.date(2026, 2, 5)
    proclaimed_at = "Jepara"
    signatory_name = "Kepala Uji"
    signatory_title = "Kepala Dinas Uji"


# --- sample files ---------------------------------------------------------------------------

def pdf_bytes(text="Surat Keputusan Tim Kerja ZI", pad=0) -> bytes:
    body = f"1 0 obj << /Title ({text}) >> endobj\n".encode()
    return b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + body + b"0" * pad + b"\n%%EOF\n"


def image_bytes(fmt="PNG", colour="red") -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(buf, fmt)
    return buf.getvalue()


def xlsx_bytes() -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["Layanan", "Jumlah"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def ooxml_bytes(kind="word", first="_rels/.rels") -> bytes:
    """A docx/pptx-like package whose first entry is not [Content_Types].xml: libmagic says only "zip"."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(first, "<Relationships/>")
        zf.writestr(f"{kind}/document.xml", "<document/>")
        zf.writestr("[Content_Types].xml", "<Types/>")
    return buf.getvalue()


def plain_zip_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("virus.exe", b"MZ" + b"\0" * 100)
    return buf.getvalue()


ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 200
MZ = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 50 + b"PE\x00\x00" + b"\x00" * 200


def pdf_file(name="SK Tim Kerja ZI.pdf", text="Surat Keputusan Tim Kerja ZI", pad=0):
    return SimpleUploadedFile(name, pdf_bytes(text, pad), content_type="application/pdf")


def png_file(name="Foto maklumat pelayanan.png", colour="red"):
    return SimpleUploadedFile(name, image_bytes("PNG", colour), content_type="image/png")


# --- requests ------------------------------------------------------------------------------

def upload_url(assessment, question, replaces=None):
    url = reverse("evidence:upload", args=[assessment.pk, question.pk])
    return f"{url}?replaces={replaces.pk}" if replaces is not None else url


def post_files(client, assessment, question, *files, replaces=None):
    """Posts files through the real upload view (streaming handler), as the browser script does."""
    return client.post(upload_url(assessment, question, replaces), {"files": list(files)}, HTTP_HX_REQUEST="true")
