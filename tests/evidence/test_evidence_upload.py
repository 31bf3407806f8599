import hashlib
import io
import re

import pytest
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evidence import services
from evidence.models import EvidenceEvent, EvidenceItem, EvidenceVersion, Status
from evidence.upload import EvidenceUploadHandler
from tests.factories import (
    ELF,
    MZ,
    image_bytes,
    ooxml_bytes,
    pdf_bytes,
    pdf_file,
    plain_zip_bytes,
    png_file,
    post_files,
    xlsx_bytes,
)

STORED_NAME = re.compile(r"^evidence/\d+/\d+/2026/[0-9a-f]{32}\.(pdf|png|jpg|webp|xlsx|docx|pptx)$")


def _html(response):
    return response.content.decode()


# --- accepted files ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,content,type_key,content_type",
    [
        ("SK Tim Kerja ZI.pdf", pdf_bytes(), "pdf", "application/pdf"),
        ("Foto maklumat.png", image_bytes("PNG"), "png", "image/png"),
        ("Foto apel pagi.jpeg", image_bytes("JPEG"), "jpg", "image/jpeg"),
        ("Banner.webp", image_bytes("WEBP"), "webp", "image/webp"),
        (
            "Rekap layanan.xlsx",
            xlsx_bytes(),
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            "Notula rapat.docx",
            ooxml_bytes("word"),
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "Paparan.pptx",
            ooxml_bytes("ppt"),
            "pptx",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
    ],
)
def test_operator_uploads_allowed_types_through_the_streaming_view(
    world, login, q1, name, content, type_key, content_type, stored_files
):
    client = login(world["users"]["unit_operator"])
    response = post_files(
        client, world["assessments"]["own"], q1, SimpleUploadedFile(name, content)
    )
    assert response.status_code == 200, _html(response)
    assert "1 berkas berhasil diunggah" in _html(response)
    item = EvidenceItem.objects.get()
    version = item.current_version
    assert (item.title, version.original_name, version.number) == (name, name, 1)
    assert STORED_NAME.match(version.file.name) and version.file.name.endswith("." + type_key)
    assert version.sha256 == hashlib.sha256(content).hexdigest()
    assert version.size == len(content)
    assert version.content_type == content_type
    assert item.status == Status.PENDING
    assert [p.read_bytes() for p in stored_files()] == [content]
    assert EvidenceEvent.objects.get().action == EvidenceEvent.Action.UPLOADED


def test_several_files_in_one_request_become_several_items(world, login, q1):
    client = login(world["users"]["unit_head"])
    response = post_files(
        client,
        world["assessments"]["own"],
        q1,
        pdf_file("a.pdf", "A"),
        pdf_file("b.pdf", "B"),
        png_file("c.png"),
    )
    assert "3 berkas berhasil diunggah" in _html(response)
    assert sorted(EvidenceItem.objects.values_list("title", flat=True)) == [
        "a.pdf",
        "b.pdf",
        "c.png",
    ]


def test_one_bad_file_does_not_stop_the_good_ones(world, login, q1, stored_files):
    client = login(world["users"]["unit_operator"])
    response = post_files(
        client,
        world["assessments"]["own"],
        q1,
        pdf_file("baik.pdf"),
        SimpleUploadedFile("laporan.pdf", ELF),
    )
    html = _html(response)
    assert response.status_code == 200
    assert "1 berkas berhasil diunggah" in html and "berisi program (executable)" in html
    assert list(EvidenceItem.objects.values_list("title", flat=True)) == ["baik.pdf"]
    assert len(stored_files()) == 1


def test_service_accepts_any_django_file_and_hashes_it_in_chunks(world, q1):
    content = pdf_bytes(pad=300_000)  # several 64 KB chunks
    item = services.upload_file(
        assessment=world["assessments"]["own"],
        question=q1,
        uploaded_file=File(io.BytesIO(content), name="Laporan monev.pdf"),
        by=world["users"]["unit_operator"],
    )
    assert item.current_version.sha256 == hashlib.sha256(content).hexdigest()
    assert item.current_version.size == len(content)


def test_upload_handler_hashes_while_streaming_and_skips_a_file_past_the_limit():
    from django.core.files.uploadhandler import SkipFile

    handler = EvidenceUploadHandler(limit=100)
    handler.new_file("files", "a.pdf", "application/pdf", 150)
    handler.receive_data_chunk(b"x" * 60, 0)
    with pytest.raises(SkipFile):
        handler.receive_data_chunk(b"x" * 60, 60)
    assert handler.too_large == "a.pdf"

    handler = EvidenceUploadHandler(limit=1000)
    handler.new_file("files", "b.pdf", "application/pdf", 120)
    for start in (0, 60):
        handler.receive_data_chunk(b"y" * 60, start)
    uploaded = handler.file_complete(120)
    assert uploaded.sha256 == hashlib.sha256(b"y" * 120).hexdigest()
    assert uploaded.received_bytes == 120
    uploaded.close()


def test_link_is_stored_as_evidence(world, login, q1):
    client = login(world["users"]["unit_operator"])
    url = reverse("evidence:add_link", args=[world["assessments"]["own"].pk, q1.pk])
    response = client.post(
        url,
        {"url": "https://instagram.com/dpmptsp.jepara", "title": "Akun Instagram"},
        HTTP_HX_REQUEST="true",
    )
    assert "Tautan ditambahkan" in _html(response)
    item = EvidenceItem.objects.get()
    assert (item.kind, item.url, item.title, item.current_version) == (
        "link",
        "https://instagram.com/dpmptsp.jepara",
        "Akun Instagram",
        None,
    )
    assert 'rel="noopener noreferrer nofollow"' in _html(response)


def test_link_without_title_is_named_after_its_host(world, q1):
    item = services.add_link(
        assessment=world["assessments"]["own"],
        question=q1,
        url="https://jepara.go.id/zi",
        title="",
        by=world["users"]["unit_operator"],
    )
    assert item.title == "jepara.go.id"


# --- refused files: a clear Indonesian message and nothing stored --------------------------

LIMIT = 4096

BAD_FILES = [
    ("disguised_elf", "laporan.pdf", ELF, "berisi program (executable)"),
    ("disguised_mz", "laporan.pdf", MZ, "berisi program (executable)"),
    ("empty", "kosong.pdf", b"", "kosong (0 byte)"),
    ("over_limit", "besar.pdf", pdf_bytes(pad=LIMIT * 2), "melebihi batas ukuran 4 KB"),
    ("gif", "animasi.gif", image_bytes("GIF"), "tidak didukung"),
    ("html", "halaman.pdf", b"<html><script>alert(1)</script></html>", "tidak didukung"),
    ("plain_zip_named_docx", "notula.docx", plain_zip_bytes(), "tidak didukung"),
    ("png_named_pdf", "laporan.pdf", image_bytes("PNG"), "tidak sesuai dengan ekstensinya"),
    ("odd_characters", "lap<or>an?.pdf", pdf_bytes(), "karakter yang tidak diizinkan"),
    ("backslash_path", "..\\..\\windows\\laporan.pdf", pdf_bytes(), "bagian path"),
    ("too_long", "a" * 200 + ".pdf", pdf_bytes(), "terlalu panjang"),
]


@pytest.mark.parametrize("case,name,content,message", BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_bad_file_is_refused_by_the_service_and_nothing_is_stored(
    world, settings, q1, stored_files, case, name, content, message
):
    settings.EVIDENCE_MAX_BYTES = LIMIT
    with pytest.raises(services.EvidenceError, match=re.escape(message)):
        services.upload_file(
            assessment=world["assessments"]["own"],
            question=q1,
            uploaded_file=ContentFile(content, name=name),
            by=world["users"]["unit_operator"],
        )
    assert not EvidenceItem.objects.exists() and not EvidenceVersion.objects.exists()
    assert stored_files() == []


@pytest.mark.parametrize(
    "case,name,content,message",
    [c for c in BAD_FILES if c[0] != "backslash_path"],
    ids=[c[0] for c in BAD_FILES if c[0] != "backslash_path"],
)
def test_bad_file_is_refused_by_the_upload_view_and_nothing_is_stored(
    world, settings, login, q1, stored_files, case, name, content, message
):
    # Django strips path parts from multipart names before any view runs, so that case is only
    # reachable through the service (API, tests): see above.
    settings.EVIDENCE_MAX_BYTES = LIMIT
    client = login(world["users"]["unit_operator"])
    response = post_files(
        client, world["assessments"]["own"], q1, SimpleUploadedFile(name, content)
    )
    assert response.status_code == 400
    assert message in response.content.decode().replace("&lt;", "<").replace("&gt;", ">")
    assert not EvidenceItem.objects.exists()
    assert stored_files() == []


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/laporan.pdf",
        "/tmp/laporan.pdf",
        "sub/dir/laporan.pdf",
        "C:\\Users\\op\\laporan.pdf",
        "..",
        "\x00\u202e",
        "lap\ue000oran.pdf",
    ],
)
def test_names_with_path_parts_or_odd_characters_are_refused(world, q1, stored_files, name):
    # Control and bidi characters are removed (tests/security/test_hostile_files.py); a name left
    # empty by that, or holding other non-printing characters (private use), is refused.
    with pytest.raises(services.EvidenceError) as error:
        services.upload_file(
            assessment=world["assessments"]["own"],
            question=q1,
            uploaded_file=File(io.BytesIO(pdf_bytes()), name=name),
            by=world["users"]["unit_operator"],
        )
    assert any(
        m in str(error.value)
        for m in ("bagian path", "karakter yang tidak diizinkan", "Nama berkas kosong")
    )
    assert not EvidenceItem.objects.exists() and stored_files() == []


def test_view_keeps_only_the_base_name_of_a_path_sent_by_a_client(world, login, q1):
    client = login(world["users"]["unit_operator"])
    post_files(
        client,
        world["assessments"]["own"],
        q1,
        SimpleUploadedFile("..\\..\\laporan.pdf", pdf_bytes()),
    )
    version = EvidenceVersion.objects.get()
    assert version.original_name == "laporan.pdf"
    assert STORED_NAME.match(version.file.name)


def test_over_limit_upload_is_stopped_while_streaming(world, settings, login, q1, stored_files):
    settings.EVIDENCE_MAX_BYTES = 64 * 1024
    client = login(world["users"]["unit_operator"])
    response = post_files(
        client, world["assessments"]["own"], q1, pdf_file("besar.pdf", pad=300 * 1024)
    )
    assert response.status_code == 400
    assert "Berkas “besar.pdf” melebihi batas ukuran 64 KB" in response.content.decode()
    assert stored_files() == [] and not EvidenceItem.objects.exists()


def test_allowed_types_come_from_settings(world, settings, q1):
    settings.EVIDENCE_ALLOWED_TYPES = ["pdf"]
    with pytest.raises(services.EvidenceError, match="Jenis yang diterima: PDF"):
        services.upload_file(
            assessment=world["assessments"]["own"],
            question=q1,
            uploaded_file=png_file(),
            by=world["users"]["unit_operator"],
        )


def test_same_file_twice_for_one_question_is_refused(world, q1):
    operator = world["users"]["unit_operator"]
    services.upload_file(
        assessment=world["assessments"]["own"],
        question=q1,
        uploaded_file=pdf_file("a.pdf"),
        by=operator,
    )
    with pytest.raises(services.EvidenceError, match="sama persis"):
        services.upload_file(
            assessment=world["assessments"]["own"],
            question=q1,
            uploaded_file=pdf_file("b.pdf"),
            by=operator,
        )


def test_question_of_another_instrument_is_refused(world, q1):
    from tests.factories import make_instrument

    stranger = make_instrument().questions.first()
    with pytest.raises(services.EvidenceError, match="bukan bagian dari LKE"):
        services.upload_file(
            assessment=world["assessments"]["own"],
            question=stranger,
            uploaded_file=pdf_file(),
            by=world["users"]["unit_operator"],
        )


def test_no_file_selected_gets_a_message(world, login, q1):
    client = login(world["users"]["unit_operator"])
    response = post_files(client, world["assessments"]["own"], q1)
    assert "Pilih berkas yang akan diunggah" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://files.example.org/sk.pdf",
        "file:///etc/passwd",
        "jepara.go.id",
        "https://",
        "http://exa mple.org",
        "https://example.org/\x00",
    ],
)
def test_bad_link_is_refused_and_nothing_stored(world, login, q1, url):
    client = login(world["users"]["unit_operator"])
    response = client.post(
        reverse("evidence:add_link", args=[world["assessments"]["own"].pk, q1.pk]),
        {"url": url, "title": "Tautan"},
        HTTP_HX_REQUEST="true",
    )
    assert (
        "Tautan harus berupa alamat web yang sah yang diawali http:// atau https://"
        in response.content.decode()
    )
    assert not EvidenceItem.objects.exists()
    with pytest.raises(services.EvidenceError):
        services.add_link(
            assessment=world["assessments"]["own"],
            question=q1,
            url=url,
            title="",
            by=world["users"]["unit_operator"],
        )


def test_plain_form_post_without_javascript_redirects_back_with_a_message(world, login, q1):
    client = login(world["users"]["unit_operator"])
    assessment = world["assessments"]["own"]
    response = client.post(
        reverse("evidence:upload", args=[assessment.pk, q1.pk]),
        {"files": [pdf_file()]},
        follow=True,
    )
    assert response.redirect_chain[-1][0].startswith(
        reverse("evidence:assessment_list", args=[assessment.pk])
    )
    assert "1 berkas berhasil diunggah" in response.content.decode()


def test_upload_requires_the_csrf_token(world, q1):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world["users"]["unit_operator"])
    response = post_files(client, world["assessments"]["own"], q1, pdf_file())
    assert response.status_code == 403
    assert not EvidenceItem.objects.exists()
