import hashlib

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from evidence import services
from evidence.models import EvidenceEvent, EvidenceItem, Status
from tests.factories import pdf_bytes, pdf_file, png_file, post_files


def _events(item):
    return list(
        EvidenceEvent.objects.filter(item=item)
        .order_by("at", "pk")
        .values_list("action", flat=True)
    )


def test_replacing_keeps_every_earlier_version(world, login, own_item, q1, stored_files):
    client = login(world["users"]["unit_head"])
    first = own_item.current_version
    response = post_files(
        client,
        world["assessments"]["own"],
        q1,
        pdf_file("SK Tim (ttd).pdf", "bertanda tangan"),
        replaces=own_item,
    )
    assert "Versi sebelumnya tetap tersimpan" in response.content.decode()
    own_item.refresh_from_db()
    versions = list(own_item.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0] == first and own_item.current_version == versions[1]
    assert own_item.title == "SK Tim (ttd).pdf"
    assert versions[1].sha256 == hashlib.sha256(pdf_bytes("bertanda tangan")).hexdigest()
    assert len(stored_files()) == 2  # the first file is still there
    assert first.file.storage.exists(first.file.name)
    assert _events(own_item) == ["uploaded", "replaced"]
    assert own_item.history.count() >= 2 and own_item.versions.first().history.exists()


def test_earlier_version_can_still_be_downloaded(world, login, own_item, q1):
    services.upload_file(
        assessment=world["assessments"]["own"],
        question=q1,
        uploaded_file=pdf_file("v2.pdf", "v2"),
        by=world["users"]["unit_operator"],
        replaces=own_item,
    )
    first = own_item.versions.get(number=1)
    response = login(world["users"]["evaluator"]).get(reverse("evidence:download", args=[first.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()


def test_replacement_after_needs_revision_goes_back_to_pending(world, own_item, q1):
    services.review(
        item=own_item,
        by=world["users"]["evaluator"],
        status=Status.REVISION,
        comment="Belum ditandatangani.",
    )
    own_item.refresh_from_db()
    assert own_item.status == Status.REVISION
    item = services.upload_file(
        assessment=world["assessments"]["own"],
        question=q1,
        uploaded_file=pdf_file("v2.pdf", "v2"),
        by=world["users"]["unit_operator"],
        replaces=own_item,
    )
    assert item.status == Status.PENDING and item.reviewed_by is None
    assert _events(item) == ["uploaded", "reviewed", "replaced"]


def test_identical_replacement_is_refused(world, own_item, q1):
    with pytest.raises(services.EvidenceError, match="sama persis dengan versi saat ini"):
        services.upload_file(
            assessment=world["assessments"]["own"],
            question=q1,
            uploaded_file=pdf_file(),
            by=world["users"]["unit_operator"],
            replaces=own_item,
        )


def test_more_than_one_file_cannot_replace_one_item(world, login, own_item, q1):
    response = post_files(
        login(world["users"]["unit_operator"]),
        world["assessments"]["own"],
        q1,
        pdf_file("a.pdf", "a"),
        png_file(),
        replaces=own_item,
    )
    assert "Pilih satu berkas" in response.content.decode()
    assert own_item.versions.count() == 1


def test_replacing_an_item_of_another_question_is_refused(world, own_item):
    q2 = world["q"]["PEM-MP-01.b"]
    with pytest.raises(services.EvidenceError, match="bukan milik pertanyaan ini"):
        services.upload_file(
            assessment=world["assessments"]["own"],
            question=q2,
            uploaded_file=pdf_file("x.pdf", "x"),
            by=world["users"]["unit_operator"],
            replaces=own_item,
        )


# --- soft delete and restore ---------------------------------------------------------------


def test_deleted_item_is_hidden_from_the_unit_and_seen_by_the_inspektorat(
    world, login, own_item, stored_files
):
    assessment = world["assessments"]["own"]
    services.soft_delete(item=own_item, by=world["users"]["unit_operator"])
    list_url = reverse("evidence:assessment_list", args=[assessment.pk])
    download_url = reverse("evidence:download", args=[own_item.current_version_id])

    unit = login(world["users"]["unit_head"])
    assert own_item.title not in unit.get(list_url).content.decode()
    assert unit.get(download_url).status_code == 403
    for reader in ("leadership", "tpn_observer"):
        assert own_item.title not in login(world["users"][reader]).get(list_url).content.decode()

    inspektorat = login(world["users"]["evaluator"])
    html = inspektorat.get(list_url).content.decode()
    assert own_item.title in html and "Dihapus" in html and "Pulihkan" in html
    assert inspektorat.get(download_url).status_code == 200
    assert own_item.title in inspektorat.get(list_url + "?status=deleted").content.decode()
    assert len(stored_files()) == 1  # a soft delete never removes the file


def test_inspektorat_restores_a_deleted_item(world, login, own_item):
    services.soft_delete(item=own_item, by=world["users"]["unit_operator"])
    response = login(world["users"]["inspektorat_admin"]).post(
        reverse("evidence:restore", args=[own_item.pk]), HTTP_HX_REQUEST="true"
    )
    assert "Data dukung dipulihkan" in response.content.decode()
    own_item.refresh_from_db()
    assert not own_item.is_deleted
    assert _events(own_item) == ["uploaded", "deleted", "restored"]
    html = (
        login(world["users"]["unit_operator"])
        .get(reverse("evidence:assessment_list", args=[world["assessments"]["own"].pk]))
        .content.decode()
    )
    assert own_item.title in html


def test_unit_cannot_restore(world, own_item):
    services.soft_delete(item=own_item, by=world["users"]["unit_operator"])
    with pytest.raises(PermissionDenied):
        services.restore(item=own_item, by=world["users"]["unit_operator"])


def test_deleting_twice_is_a_clear_error(world, own_item):
    services.soft_delete(item=own_item, by=world["users"]["unit_operator"])
    with pytest.raises(services.EvidenceError, match="sudah dihapus"):
        services.soft_delete(item=own_item, by=world["users"]["unit_head"])


def test_history_records_who_did_what(world, own_item):
    services.soft_delete(item=own_item, by=world["users"]["unit_operator"])
    services.restore(item=own_item, by=world["users"]["inspektorat_admin"])
    records = list(
        own_item.history.order_by("history_date").values_list(
            "history_user__username", "deleted_at"
        )
    )
    assert records[-2][1] is not None and records[-1][1] is None
    assert [r[0] for r in records[-2:]] == [
        world["users"]["unit_operator"].username,
        world["users"]["inspektorat_admin"].username,
    ]


# --- review and comments -------------------------------------------------------------------


def test_review_comment_is_shown_to_the_unit_and_the_unit_answers(world, login, own_item):
    evaluator = login(world["users"]["evaluator"])
    response = evaluator.post(
        reverse("evidence:review", args=[own_item.pk]),
        {"status": "revision", "comment": "Lampirkan daftar hadir rapat."},
        HTTP_HX_REQUEST="true",
    )
    assert "Hasil reviu disimpan" in response.content.decode()
    own_item.refresh_from_db()
    assert (
        own_item.status == Status.REVISION and own_item.reviewed_by == world["users"]["evaluator"]
    )

    unit = login(world["users"]["unit_operator"])
    panel = unit.get(
        reverse(
            "evidence:question_panel", args=[world["assessments"]["own"].pk, own_item.question_id]
        )
    )
    html = panel.content.decode()
    assert "Lampirkan daftar hadir rapat." in html and "Perlu perbaikan" in html
    unit.post(
        reverse("evidence:comment", args=[own_item.pk]),
        {"text": "Sudah kami lengkapi."},
        HTTP_HX_REQUEST="true",
    )
    thread = list(own_item.comments.values_list("side", "review_status", "text"))
    assert thread == [
        ("tpi", "revision", "Lampirkan daftar hadir rapat."),
        ("unit", "", "Sudah kami lengkapi."),
    ]


@pytest.mark.parametrize("status", [Status.REVISION, Status.REJECTED])
def test_revision_or_rejection_needs_a_reason(world, own_item, status):
    with pytest.raises(services.EvidenceError, match="Tuliskan alasan"):
        services.review(item=own_item, by=world["users"]["evaluator"], status=status, comment="  ")


def test_review_status_must_be_a_decision(world, own_item):
    with pytest.raises(services.EvidenceError, match="Pilih hasil reviu"):
        services.review(item=own_item, by=world["users"]["evaluator"], status="pending", comment="")


def test_empty_comment_is_refused(world, own_item):
    with pytest.raises(services.EvidenceError, match="tidak boleh kosong"):
        services.comment(item=own_item, by=world["users"]["unit_operator"], text="   ")


def test_deleted_item_cannot_be_reviewed(world, own_item):
    services.soft_delete(item=own_item, by=world["users"]["unit_operator"])
    with pytest.raises(services.EvidenceError, match="pulihkan dahulu"):
        services.review(
            item=own_item, by=world["users"]["evaluator"], status=Status.ACCEPTED, comment=""
        )


def test_history_is_shown_in_the_panel(world, login, own_item, q1):
    services.upload_file(
        assessment=world["assessments"]["own"],
        question=q1,
        uploaded_file=pdf_file("v2.pdf", "v2"),
        by=world["users"]["unit_operator"],
        replaces=own_item,
    )
    services.review(
        item=EvidenceItem.objects.get(),
        by=world["users"]["evaluator"],
        status=Status.ACCEPTED,
        comment="",
    )
    html = (
        login(world["users"]["unit_operator"])
        .get(reverse("evidence:question_panel", args=[world["assessments"]["own"].pk, q1.pk]))
        .content.decode()
    )
    assert "Riwayat (3)" in html
    assert "mengunggah berkas" in html and "mengganti berkas" in html and "mereviu" in html
    assert "v1 — SK Tim Kerja ZI.pdf" in html
