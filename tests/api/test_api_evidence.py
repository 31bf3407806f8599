import hashlib

from django.urls import reverse

from evidence.models import EvidenceItem, Status
from tests.factories import ELF, pdf_bytes, pdf_file


def _upload(client, assessment, question="PEM-MP-01.b", **fields):
    return client.post(
        reverse("api:evidence-list"),
        {"assessment": assessment.pk, "question": question, **fields},
        format="multipart",
    )


def test_operator_uploads_a_file_through_multipart(w, api):
    assessment = w["assessments"]["own"]
    response = _upload(
        api(w["users"]["unit_operator"]),
        assessment,
        file=pdf_file("Notulen rapat.pdf", text="notulen"),
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (
        body["question"] == "PEM-MP-01.b" and body["kind"] == "file" and body["status"] == "pending"
    )
    version = body["current_version"]
    assert version["original_name"] == "Notulen rapat.pdf"
    assert version["sha256"] == hashlib.sha256(pdf_bytes("notulen")).hexdigest()
    assert version["content_type"] == "application/pdf"
    assert [v["number"] for v in body["versions"]] == [1]


def test_executable_is_refused_with_an_indonesian_message(w, api):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = _upload(
        api(w["users"]["unit_operator"]),
        w["assessments"]["own"],
        file=SimpleUploadedFile("laporan.pdf", ELF, content_type="application/pdf"),
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_evidence"
    assert "berisi program (executable)" in body["detail"]
    assert not EvidenceItem.objects.filter(question__code="PEM-MP-01.b").exists()


def test_empty_and_missing_files_are_400(w, api):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = api(w["users"]["unit_operator"])
    empty = _upload(client, w["assessments"]["own"], file=SimpleUploadedFile("kosong.pdf", b""))
    assert empty.status_code == 400 and "kosong (0 byte)" in empty.json()["detail"]
    nothing = _upload(client, w["assessments"]["own"])
    assert (
        nothing.status_code == 400 and "berkas (file) atau tautan (url)" in nothing.json()["detail"]
    )


def test_file_over_the_limit_is_stopped_while_streaming(w, api, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    response = _upload(
        api(w["users"]["unit_operator"]), w["assessments"]["own"], file=pdf_file(pad=5000)
    )
    assert response.status_code == 400
    assert "melebihi batas ukuran 1 KB" in response.json()["detail"]


def test_link_is_added_with_json(w, api):
    client = api(w["users"]["unit_head"])
    response = client.post(
        reverse("api:evidence-list"),
        {
            "assessment": w["assessments"]["own"].pk,
            "question": "PEM-MP-01.b",
            "url": "https://dpmptsp.example.go.id/sop",
            "title": "SOP layanan",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert (
        response.json()["kind"] == "link"
        and response.json()["url"] == "https://dpmptsp.example.go.id/sop"
    )
    bad = client.post(
        reverse("api:evidence-list"),
        {
            "assessment": w["assessments"]["own"].pk,
            "question": "PEM-MP-01.b",
            "url": "javascript:alert(1)",
        },
        format="json",
    )
    assert bad.status_code == 400 and "http:// atau https://" in bad.json()["detail"]


def test_replacement_adds_a_version(w, api):
    item = w["items"]["own"]
    response = _upload(
        api(w["users"]["unit_operator"]),
        w["assessments"]["own"],
        question="PEM-MP-01.a",
        file=pdf_file(text="SK revisi"),
        replaces=item.pk,
    )
    assert response.status_code == 201, response.json()
    assert response.json()["id"] == item.pk
    assert [v["number"] for v in response.json()["versions"]] == [2, 1]


def test_download_is_the_stored_file_with_matching_checksum(w, api):
    item = w["items"]["own"]
    response = api(w["users"]["evaluator"]).get(reverse("api:evidence-download", args=[item.pk]))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert hashlib.sha256(content).hexdigest() == item.current_version.sha256
    assert response["Content-Disposition"] == 'attachment; filename="SK Tim Kerja ZI.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(item.current_version.size)


def test_download_of_an_older_version_and_of_a_missing_one(w, api):
    item = w["items"]["own"]
    client = api(w["users"]["unit_operator"])
    _upload(
        client,
        w["assessments"]["own"],
        question="PEM-MP-01.a",
        file=pdf_file(text="SK revisi"),
        replaces=item.pk,
    )
    first = client.get(reverse("api:evidence-download", args=[item.pk]), {"version": 1})
    assert b"".join(first.streaming_content) == pdf_bytes("SK own")
    assert (
        client.get(reverse("api:evidence-download", args=[item.pk]), {"version": 9}).status_code
        == 404
    )
    assert (
        client.get(reverse("api:evidence-download", args=[item.pk]), {"version": "x"}).status_code
        == 400
    )


def test_corrupted_file_is_a_409_not_a_download(w, api):
    version = w["items"]["own"].current_version
    with open(version.file.path, "wb") as fh:
        fh.write(b"%PDF-1.4 diubah di luar aplikasi")
    response = api(w["users"]["evaluator"]).get(
        reverse("api:evidence-download", args=[w["items"]["own"].pk])
    )
    assert response.status_code == 409
    assert "tidak cocok dengan checksum" in response.json()["detail"]


def test_review_delete_and_restore(w, api):
    item = w["items"]["own"]
    evaluator, operator = api(w["users"]["evaluator"]), api(w["users"]["unit_operator"])
    no_reason = evaluator.post(
        reverse("api:evidence-review", args=[item.pk]), {"status": "revision"}, format="json"
    )
    assert no_reason.status_code == 400 and "Tuliskan alasan" in no_reason.json()["detail"]
    reviewed = evaluator.post(
        reverse("api:evidence-review", args=[item.pk]),
        {"status": "revision", "comment": "Lampirkan tanda tangan"},
        format="json",
    )
    assert reviewed.status_code == 200 and reviewed.json()["status"] == Status.REVISION
    comment = operator.post(
        reverse("api:evidence-comments", args=[item.pk]), {"text": "Siap"}, format="json"
    )
    assert comment.status_code == 201 and comment.json()["side"] == "unit"

    assert operator.delete(reverse("api:evidence-detail", args=[item.pk])).status_code == 204
    # Gone for the unit, still visible (marked deleted) to the Inspektorat, who restores it.
    assert operator.get(reverse("api:evidence-detail", args=[item.pk])).status_code == 404
    assert evaluator.get(reverse("api:evidence-detail", args=[item.pk])).json()["deleted"] is True
    assert operator.post(reverse("api:evidence-restore", args=[item.pk])).status_code == 404
    restored = evaluator.post(reverse("api:evidence-restore", args=[item.pk]))
    assert restored.status_code == 200 and restored.json()["deleted"] is False
    again = evaluator.post(reverse("api:evidence-restore", args=[item.pk]))
    assert again.status_code == 400 and "tidak dalam keadaan terhapus" in again.json()["detail"]


def test_session_login_works_with_csrf(w, client):
    """The browser uses its session; a write without the CSRF token is refused as JSON."""
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(w["users"]["unit_operator"])
    assert browser.get(reverse("api:evidence-list")).status_code == 200
    response = browser.delete(reverse("api:evidence-detail", args=[w["items"]["own"].pk]))
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]
