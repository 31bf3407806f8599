import logging

import pytest
from django.urls import reverse

from evidence import services
from tests.factories import pdf_bytes, pdf_file


def _corrupt(version, data=b"%PDF-1.4 diubah di luar aplikasi"):
    with open(version.file.path, "wb") as fh:
        fh.write(data)


def test_download_streams_the_file_as_an_attachment(world, login, own_item):
    version = own_item.current_version
    response = login(world["users"]["evaluator"]).get(
        reverse("evidence:download", args=[version.pk])
    )
    assert response.status_code == 200
    assert response.streaming
    assert b"".join(response.streaming_content) == pdf_bytes()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="SK Tim Kerja ZI.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Length"] == str(version.size)
    assert "no-store" in response["Cache-Control"]


def test_non_ascii_name_is_encoded_in_the_header(world, login, q1):
    item = services.upload_file(
        assessment=world["assessments"]["own"],
        question=q1,
        uploaded_file=pdf_file("Notula rapat – Januari ü.pdf"),
        by=world["users"]["unit_operator"],
    )
    response = login(world["users"]["unit_operator"]).get(
        reverse("evidence:download", args=[item.current_version_id])
    )
    assert (
        "filename*=utf-8''Notula%20rapat%20%E2%80%93%20Januari%20%C3%BC.pdf"
        in response["Content-Disposition"]
    )


def test_corrupted_file_is_refused_with_a_clear_message_and_logged(world, login, own_item, caplog):
    version = own_item.current_version
    _corrupt(version)
    with caplog.at_level(logging.ERROR, logger="evidence"):
        response = login(world["users"]["unit_operator"]).get(
            reverse("evidence:download", args=[version.pk])
        )
    assert response.status_code == 409
    assert "tidak cocok dengan checksum" in response.content.decode()
    assert any(
        "checksum mismatch" in r.getMessage() and version.sha256 in r.getMessage()
        for r in caplog.records
    )


def test_missing_file_is_refused_like_a_corrupted_one(world, login, own_item):
    version = own_item.current_version
    version.file.storage.delete(version.file.name)
    response = login(world["users"]["evaluator"]).get(
        reverse("evidence:download", args=[version.pk])
    )
    assert response.status_code == 409


def test_file_changed_while_streaming_is_not_delivered_whole(world, own_item):
    """The reader holds back the last chunk until the whole file hashed to the recorded value."""
    version = own_item.current_version
    reader = services.open_verified(version)
    _corrupt(version, pdf_bytes("diganti diam-diam"))
    with pytest.raises(services.EvidenceIntegrityError):
        while reader.read():
            pass
    reader.close()


def test_verifying_reader_returns_every_byte_of_a_good_file(world, q1):
    content = pdf_bytes(pad=200_000)
    item = services.upload_file(
        assessment=world["assessments"]["own"],
        question=q1,
        uploaded_file=pdf_file("besar.pdf", pad=200_000),
        by=world["users"]["unit_operator"],
    )
    reader = services.open_verified(item.current_version)
    received = b"".join(iter(lambda: reader.read(8192), b""))
    reader.close()
    assert received == content


def test_media_url_is_not_served(world, client, own_item):
    from django.conf import settings

    response = client.get(settings.MEDIA_URL + own_item.current_version.file.name)
    assert response.status_code == 404
