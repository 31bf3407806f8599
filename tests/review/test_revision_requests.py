"""Revision requests: every state change allowed and refused, by role; thread, counter, locks."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from assessments.models import Stage
from notifications.models import Notification
from review import services
from review.models import RevisionMessage, RevisionStatus


def _open(tpi, by="evaluator", note="Lampirkan SK yang ditandatangani"):
    return services.open_revision(
        assessment=tpi["assessment"], question=tpi["q"], by=tpi["users"][by], note=note
    )


@pytest.mark.parametrize("role", ["evaluator", "inspektorat_admin"])
def test_inspektorat_opens_a_request_and_the_unit_is_notified(tpi, role):
    rr = _open(tpi, by=role)
    assert rr.status == RevisionStatus.OPEN and rr.rounds == 1
    assert Notification.objects.filter(
        user=tpi["users"]["unit_operator"], url=rr.get_absolute_url()
    ).exists()


@pytest.mark.parametrize(
    "role", ["unit_operator", "unit_head", "leadership", "tpn_observer", "other_operator"]
)
def test_others_cannot_open_a_request(tpi, role):
    with pytest.raises(PermissionDenied):
        _open(tpi, by=role)


def test_request_without_note_is_refused_with_a_message(tpi):
    with pytest.raises(services.ReviewError, match="Tuliskan perbaikan"):
        _open(tpi, note="  ")


def test_second_live_request_on_the_same_question_is_refused(tpi):
    _open(tpi)
    with pytest.raises(services.ReviewError, match="belum selesai"):
        _open(tpi, by="inspektorat_admin")


def test_unit_replies_then_evaluator_closes_and_reopens_counting_rounds(tpi):
    rr = _open(tpi)
    rr = services.reply_revision(
        request=rr, by=tpi["users"]["unit_operator"], text="SK sudah diunggah ulang"
    )
    assert rr.status == RevisionStatus.ANSWERED
    assert Notification.objects.filter(user=tpi["users"]["evaluator"]).exists()
    rr = services.close_revision(request=rr, by=tpi["users"]["evaluator"])
    assert rr.status == RevisionStatus.CLOSED
    rr = services.reopen_revision(
        request=rr, by=tpi["users"]["evaluator"], note="Tanda tangan belum ada"
    )
    assert (rr.status, rr.rounds) == (RevisionStatus.OPEN, 2)
    thread = list(rr.messages.values_list("action", "author__username"))
    assert [a for a, _ in thread] == [
        RevisionMessage.Action.OPENED,
        RevisionMessage.Action.REPLIED,
        RevisionMessage.Action.CLOSED,
        RevisionMessage.Action.REOPENED,
    ]


@pytest.mark.parametrize("role", ["evaluator", "leadership", "other_operator", "tpn_observer"])
def test_only_the_unit_replies(tpi, role):
    rr = _open(tpi)
    with pytest.raises(PermissionDenied):
        services.reply_revision(request=rr, by=tpi["users"][role], text="jawab")


@pytest.mark.parametrize("role", ["unit_operator", "unit_head", "leadership"])
def test_only_the_tpi_closes(tpi, role):
    rr = _open(tpi)
    with pytest.raises(PermissionDenied):
        services.close_revision(request=rr, by=tpi["users"][role])


def test_reopen_needs_a_closed_request_and_a_reason(tpi):
    rr = _open(tpi)
    with pytest.raises(services.ReviewError, match="masih berjalan"):
        services.reopen_revision(request=rr, by=tpi["users"]["evaluator"], note="x")
    services.close_revision(request=rr, by=tpi["users"]["evaluator"])
    with pytest.raises(services.ReviewError, match="alasan"):
        services.reopen_revision(request=rr, by=tpi["users"]["evaluator"], note="")
    with pytest.raises(PermissionDenied):
        services.reopen_revision(request=rr, by=tpi["users"]["unit_operator"], note="lagi")


def test_locked_stage_still_locks_the_unit_and_new_requests(tpi):
    rr = _open(tpi)
    a = tpi["assessment"]
    a.stage = Stage.NOMINATED
    a.save()
    rr.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.reply_revision(request=rr, by=tpi["users"]["unit_operator"], text="terlambat")
    with pytest.raises(PermissionDenied):
        _open(tpi, by="inspektorat_admin")


def test_reply_page_keeps_the_text_next_to_the_error(tpi, login):
    rr = _open(tpi)
    services.close_revision(request=rr, by=tpi["users"]["evaluator"])
    client = login(tpi["users"]["evaluator"])
    response = client.post(reverse("review:request_action", args=[rr.pk, "buka"]), {"text": ""})
    assert response.status_code == 400
    assert "Tuliskan alasan membuka kembali" in response.content.decode()


def test_unit_sees_open_requests_in_the_worksheet_row_and_on_its_workspace(tpi, login):
    rr = _open(tpi, note="Mohon lampirkan notula rapat")
    client = login(tpi["users"]["unit_operator"])
    sheet = client.get(reverse("assessments:worksheet", args=[tpi["assessment"].pk, "self"]))
    assert rr.get_absolute_url() in sheet.content.decode()
    home = client.get(reverse("dashboards:unit", args=[tpi["unit"].pk]))
    assert "Mohon lampirkan notula rapat" in home.content.decode()


def test_request_of_another_pemda_is_404(tpi, world, login):
    rr = _open(tpi)
    client = login(world["users"]["foreign_admin"])
    assert client.get(rr.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("role", ["unit_operator", "unit_head"])
def test_unit_head_and_operator_may_reply(tpi, role):
    rr = _open(tpi)
    assert (
        services.reply_revision(request=rr, by=tpi["users"][role], text="Sudah diperbaiki").status
        == RevisionStatus.ANSWERED
    )


@pytest.mark.parametrize("role", ["foreign_admin", "foreign_evaluator"])
def test_another_pemdas_inspektorat_can_neither_open_nor_close(tpi, world, role):
    with pytest.raises(PermissionDenied):
        services.open_revision(
            assessment=tpi["assessment"], question=tpi["q"], by=world["users"][role], note="x"
        )
    rr = _open(tpi)
    with pytest.raises(PermissionDenied):
        services.close_revision(request=rr, by=world["users"][role])


def test_closing_twice_is_refused_with_a_message(tpi):
    rr = _open(tpi)
    services.close_revision(request=rr, by=tpi["users"]["evaluator"])
    with pytest.raises(services.ReviewError, match="sudah ditutup"):
        services.close_revision(request=rr, by=tpi["users"]["evaluator"])
    with pytest.raises(services.ReviewError, match="sudah ditutup"):
        services.reply_revision(request=rr, by=tpi["users"]["unit_operator"], text="telat")
