"""Factories and builders for every test package: Pemda, units, people, the instruments (the shipped
LKE 2024 and a tiny one), assessments, answers and evidence, and sample files. The shared ``world``
of tests/conftest.py is built from these."""

import datetime
import io
import zipfile

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Role, User
from accounts.services import grant_role
from assessments.instrument_io import create_instrument, load_shipped_spec
from assessments.models import Answer, Assessment, Designation, Instrument, Question, Stage
from units.models import Pemda, UnitType, WorkUnit

PASSWORD = "rahasia-uji-123"


class PemdaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pemda
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"99.{n:02d}")
    name = factory.Sequence(lambda n: f"Kabupaten Uji {n}")
    kind = Pemda.Kind.KABUPATEN
    seat = "Kota Uji"
    head_name = "Bupati Uji"


class WorkUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkUnit

    pemda = factory.SubFactory(PemdaFactory)
    code = factory.Sequence(lambda n: f"U-{n:04d}")
    name = factory.Sequence(lambda n: f"Dinas Uji {n}")
    type = UnitType.DINAS
    head_name = "Kepala Uji"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Pengguna Uji {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def person(role: Role, *, unit=None, pemda=None, **kwargs) -> User:
    """A user holding one role: Pemda-wide roles take ``pemda``, unit roles take ``unit``."""
    user = UserFactory(**kwargs)
    grant_role(user=user, role=role, pemda=pemda, unit=unit)
    return user


# --- instruments ------------------------------------------------------------------------------


def shipped_instrument() -> Instrument:
    """The national LKE 2024 the data migration loads (loaded again if a transactional test's flush
    removed it)."""
    found = (
        Instrument.objects.filter(code="LKE-ZI-2024", pemda__isnull=True)
        .order_by("version")
        .first()
    )
    return found or create_instrument(
        Instrument, Question, load_shipped_spec(), pemda=None, source_name="lke-2024.json"
    )


# Two change areas (MP with two questions, PP with a % question and the Jumlah row feeding it)
# and one Hasil question without an area.
TINY_SPEC = {
    "code": "LKE-UJI-DATA-DUKUNG",
    "name": "LKE uji data dukung",
    "year": 2026,
    "indicators": [
        {
            "code": "PEM-MP-01",
            "section": "PEMENUHAN",
            "area": "MP",
            "questions": [
                {
                    "code": "PEM-MP-01.a",
                    "answer_type": "YA_TIDAK",
                    "text": "Unit kerja telah membentuk tim kerja ZI",
                    "evidence": ["SK Penetapan Tim Kerja ZI", "Uraian tugas tim"],
                },
                {
                    "code": "PEM-MP-01.b",
                    "answer_type": "ABC",
                    "text": "Anggota tim dipilih melalui prosedur yang jelas",
                },
            ],
        },
        {
            "code": "PEM-PP-01",
            "section": "PEMENUHAN",
            "area": "PP",
            "questions": [
                {
                    "code": "PEM-PP-01.a",
                    "answer_type": "PERSEN",
                    "text": "Persentase layanan yang dipermudah",
                },
                {
                    "code": "PEM-PP-01.a.1",
                    "answer_type": "JUMLAH",
                    "text": "Jumlah layanan yang dipermudah",
                },
            ],
        },
        {
            "code": "HSL-BERSIH-01",
            "section": "BERSIH",
            "area": "",
            "questions": [
                {
                    "code": "HSL-BERSIH-01.a",
                    "answer_type": "NILAI_0_4",
                    "text": "Nilai survei persepsi korupsi",
                },
            ],
        },
    ],
}


def tiny_instrument() -> Instrument:
    """A new version of the tiny instrument above (each call makes one)."""
    return create_instrument(Instrument, Question, TINY_SPEC)


make_instrument = tiny_instrument  # the name the evidence tests know


# --- assessments and answers --------------------------------------------------------------------


class AssessmentFactory(factory.django.DjangoModelFactory):
    """A unit's 2026 assessment in development (default: on the shipped LKE, target WBK)."""

    class Meta:
        model = Assessment

    unit = factory.SubFactory(WorkUnitFactory)
    year = 2026
    instrument = factory.LazyFunction(shipped_instrument)
    stage = Stage.DEVELOPMENT
    target = Designation.WBK
    proclaimed_on = factory.LazyAttribute(lambda a: datetime.date(a.year, 2, 5))
    proclaimed_at = "Jepara"
    signatory_name = "Kepala Uji"
    signatory_title = "Kepala Dinas Uji"


def make_assessment(
    unit, *, year=2026, stage=Stage.DEVELOPMENT, target=Designation.WBK
) -> Assessment:
    return AssessmentFactory(unit=unit, year=year, stage=stage, target=target)


def best_answers(instrument, *, ipak="3.60", capaian="B", ipkp="3.20") -> dict:
    """Every Pengungkit question at its best value (ZI.md boundary example for the Hasil part)."""
    from assessments.scoring import CHOICE, COUNT, answer_kind

    spec = instrument.spec
    values = {}
    for indicator in spec["indicators"]:
        for q in indicator["questions"]:
            atype = spec["answer_types"][q["answer_type"]]
            if answer_kind(atype) == CHOICE:
                values[q["code"]] = atype["options"][0]["value"]
            elif answer_kind(atype) == COUNT:
                values[q["code"]] = "10"
    for indicator in spec["indicators"]:
        for q in indicator["questions"]:
            for sign, code in (q.get("formula") or {}).get("numerator", []):
                if sign == "-":
                    values[code] = "0"  # e.g. violations this year: none
            if q.get("survey") == "IPAK":
                values[q["code"]] = ipak
            elif q.get("survey") == "IPKP":
                values[q["code"]] = ipkp
    capaian_code = next(
        q["code"]
        for ind in spec["indicators"]
        if ind["section"] == "BERSIH"
        for q in ind["questions"]
        if "options" in spec["answer_types"][q["answer_type"]]
    )
    values[capaian_code] = capaian
    return values


def fill(assessment, track, values, by=None) -> list[Answer]:
    """Test setup shortcut: writes answers directly (the save service is tested on its own)."""
    questions = {q.code: q for q in Question.objects.filter(instrument=assessment.instrument)}
    return Answer.objects.bulk_create(
        [
            Answer(
                assessment=assessment,
                question=questions[code],
                track=track,
                value=value,
                updated_by=by,
                revision=1,
            )
            for code, value in values.items()
        ]
    )


# --- evidence ---------------------------------------------------------------------------------


def upload_evidence(
    assessment, question, by, *, name="SK Tim Kerja ZI.pdf", text="Surat Keputusan Tim Kerja ZI"
):
    """An evidence item with one uploaded PDF, through the upload service."""
    from evidence import services

    return services.upload_file(
        assessment=assessment, question=question, uploaded_file=pdf_file(name, text), by=by
    )


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
MZ = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"
    + b"\x00" * 50
    + b"PE\x00\x00"
    + b"\x00" * 200
)


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
    return client.post(
        upload_url(assessment, question, replaces), {"files": list(files)}, HTTP_HX_REQUEST="true"
    )


# --- surveys (SPAK/SPKP) --------------------------------------------------------------------------


def survey_period(unit, by, *, year=2026, population=150, services=("Perizinan", "Non-perizinan")):
    """An open survey period of ``unit`` on the national default questionnaire, opened by ``by``."""
    from surveys.services import open_period

    return open_period(
        unit=unit,
        year=year,
        name=f"Semester I {year}",
        population=population,
        service_types=list(services),
        starts_on=datetime.date(year, 1, 2),
        by=by,
    )


def survey_post(period, *, spak=4, spkp=4, service=None, **profile) -> dict:
    """A complete public-form submission: every SPAK item ``spak``, every SPKP item ``spkp``
    (an int, or a list with one value per item)."""
    from surveys.scoring import items

    spec = period.questionnaire.spec
    data = {
        "service_type": service or period.service_types[0],
        "age_band": spec["profile"]["age_band"][1],
        "gender": spec["profile"]["gender"][1],
        "education": spec["profile"]["education"][2],
        "occupation": spec["profile"]["occupation"][2],
        **profile,
    }
    counters = {"IPAK": 0, "IPKP": 0}
    for item in items(spec):
        given = spak if item["index"] == "IPAK" else spkp
        if isinstance(given, list | tuple):
            value = given[counters[item["index"]]]
            counters[item["index"]] += 1
        else:
            value = given
        data[item["code"]] = str(value)
    return data


def survey_submit(period, n=1, *, address=None, **answers) -> list:
    """``n`` stored responses from ``n`` devices (through the service, as the public form does),
    each from its own address unless one is given."""
    import uuid

    from surveys.services import submit_response

    return [
        submit_response(
            period=period,
            data=survey_post(period, **answers),
            device=uuid.uuid4().hex,
            address=address or f"10.1.{i // 250}.{i % 250}",
        )
        for i in range(n)
    ]


# --- dossier (paket usulan) ------------------------------------------------------------------------

YOUTUBE_VIDEO = "https://www.youtube.com/watch?v=aBcDeFgHiJk"


def complete_dossier(
    assessment, *, admin, operator, target="WBK", recommendations="Perkuat monev rencana aksi ZI."
):
    """A dossier with every item, through the services: opened, video link and recommendations
    saved, surat usulan and LHE rendered (eager Celery), the three signed scans uploaded."""
    from dossier import services
    from reports.models import Kind
    from reports.services import render_job

    dossier = services.open_dossier(assessment=assessment, target=target, by=admin)
    services.update_details(
        dossier=dossier, by=admin, video_url=YOUTUBE_VIDEO, recommendations=recommendations
    )
    for kind in (Kind.SURAT_USULAN, Kind.LHE):
        # Rendered here: the queued task runs only after a commit, which a test never makes.
        render_job(services.request_document(assessment=assessment, kind=kind, by=admin))
    for item in ("sptjm", "piagam", "pakta"):
        services.upload_scan(
            assessment=assessment,
            item=item,
            uploaded_file=pdf_file(f"{item} bertanda tangan.pdf", f"Pindaian {item}"),
            by=operator,
        )
    dossier.refresh_from_db()
    return dossier


# --- TPI evaluation workflow (review) -----------------------------------------------------------


def accepted_evidence(assessment, by, questions=None) -> list:
    """Test setup shortcut: an accepted link for each question (default: every question of the LKE),
    so the evidence rule of the nomination guard is met."""
    from django.utils import timezone

    from evidence.models import EvidenceItem, Status

    questions = (
        questions
        if questions is not None
        else list(Question.objects.filter(instrument=assessment.instrument))
    )
    return EvidenceItem.objects.bulk_create(
        [
            EvidenceItem(
                assessment=assessment,
                question=q,
                kind=EvidenceItem.Kind.LINK,
                title=f"Dokumen {q.code}",
                url="https://jdih.jepara.go.id/dokumen",
                status=Status.ACCEPTED,
                reviewed_by=by,
                reviewed_at=timezone.now(),
                created_by=by,
            )
            for q in questions
        ]
    )


def signed_off_evaluation(assessment):
    """Test setup shortcut: the TPI evaluation signed off by every tier."""
    from review.models import Evaluation, EvaluationState

    evaluation, _ = Evaluation.objects.update_or_create(
        assessment=assessment,
        defaults={"state": EvaluationState.SIGNED_OFF, "tiers": ["ketua"], "tier": 1},
    )
    return evaluation


def evaluation_done(assessment, by):
    """What the nomination guard asks of the TPI workflow: sign-off and accepted evidence."""
    signed_off_evaluation(assessment)
    accepted_evidence(assessment, by)
    return assessment


# --- actions: rencana aksi (issue 18) -----------------------------------------------------------


def action_item(
    unit, by, *, year=2026, start=None, due=None, title="Sosialisasi maklumat pelayanan", **kw
):
    """One action item written directly (the create service is tested on its own)."""
    from actions.models import ActionItem

    start = start or datetime.date(year, 1, 15)
    return ActionItem.objects.create(
        unit=unit,
        year=year,
        area_code=kw.pop("area_code", "MP"),
        title=title,
        expected_output=kw.pop("expected_output", "Berita acara sosialisasi"),
        responsible=kw.pop("responsible", by),
        start_on=start,
        due_on=due or start + datetime.timedelta(days=60),
        created_by=by,
        **kw,
    )
