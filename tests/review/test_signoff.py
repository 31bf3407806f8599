"""Assignments and the tiered sign-off: each step allowed and refused by role, send back, the
nomination guard, and what a Pemda reader sees."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.models import Role
from assessments import lifecycle
from assessments.models import Stage, Track
from review import services
from review.models import EvaluationState, EvaluationStep, ReviewPolicy
from tests.factories import accepted_evidence, best_answers, fill, person


def _ready(tpi):
    fill(tpi["assessment"], Track.TPI, best_answers(tpi["instrument"]))
    accepted_evidence(tpi["assessment"], tpi["users"]["evaluator"])
    return tpi["assessment"]


def test_member_submits_and_ketua_signs_off_then_nomination_passes(tpi):
    a = _ready(tpi)
    admin = tpi["users"]["inspektorat_admin"]
    with pytest.raises(lifecycle.TransitionError, match="Evaluasi TPI belum disahkan"):
        lifecycle.nominate(assessment=a, by=admin)
    ev = services.submit_evaluation(assessment=a, by=tpi["users"]["evaluator"])
    assert (ev.state, ev.waiting_for) == (EvaluationState.SUBMITTED, "ketua")
    ev = services.sign_off(assessment=a, by=tpi["users"]["ketua"])
    assert ev.state == EvaluationState.SIGNED_OFF
    assert list(ev.steps.values_list("action", "role")) == [
        (EvaluationStep.Action.SUBMITTED, "anggota"),
        (EvaluationStep.Action.SIGNED, "ketua"),
    ]
    lifecycle.nominate(assessment=a, by=admin)
    assert a.stage == Stage.NOMINATED


@pytest.mark.parametrize(
    "role", ["ketua", "inspektorat_admin", "unit_operator", "unit_head", "leadership"]
)
def test_only_the_assigned_member_submits(tpi, role):
    with pytest.raises(PermissionDenied):
        services.submit_evaluation(assessment=tpi["assessment"], by=tpi["users"][role])


@pytest.mark.parametrize("role", ["evaluator", "inspektorat_admin", "unit_head"])
def test_only_the_ketua_signs_off(tpi, role):
    services.submit_evaluation(assessment=tpi["assessment"], by=tpi["users"]["evaluator"])
    with pytest.raises(PermissionDenied):
        services.sign_off(assessment=tpi["assessment"], by=tpi["users"][role])


def test_sign_off_before_submission_is_refused(tpi):
    with pytest.raises(services.ReviewError, match="belum dikirim"):
        services.sign_off(assessment=tpi["assessment"], by=tpi["users"]["ketua"])


def test_ketua_sends_back_with_a_reason_and_the_member_submits_again(tpi):
    a = tpi["assessment"]
    services.submit_evaluation(assessment=a, by=tpi["users"]["evaluator"])
    with pytest.raises(services.ReviewError, match="alasan"):
        services.send_back(assessment=a, by=tpi["users"]["ketua"], reason="")
    with pytest.raises(PermissionDenied):
        services.send_back(assessment=a, by=tpi["users"]["evaluator"], reason="sendiri")
    ev = services.send_back(
        assessment=a, by=tpi["users"]["ketua"], reason="Nilai area SDM terlalu tinggi"
    )
    assert ev.state == EvaluationState.DRAFT
    assert ev.steps.last().note == "Nilai area SDM terlalu tinggi"
    services.submit_evaluation(assessment=a, by=tpi["users"]["evaluator"])


def test_three_tiers_from_the_pemda_policy(tpi):
    ReviewPolicy.objects.create(pemda=tpi["pemda"], tiers=["ketua", "pengendali"])
    pt = person(Role.EVALUATOR, pemda=tpi["pemda"], first_name="Pengendali")
    a = tpi["assessment"]
    services.assign(assessment=a, user=pt, role="pengendali", by=tpi["users"]["inspektorat_admin"])
    services.submit_evaluation(assessment=a, by=tpi["users"]["evaluator"])
    ev = services.sign_off(assessment=a, by=tpi["users"]["ketua"])
    assert (ev.state, ev.waiting_for) == (EvaluationState.SUBMITTED, "pengendali")
    with pytest.raises(PermissionDenied):
        services.sign_off(assessment=a, by=tpi["users"]["ketua"])
    assert services.sign_off(assessment=a, by=pt).state == EvaluationState.SIGNED_OFF


def test_submission_waits_for_open_revision_requests(tpi):
    services.open_revision(
        assessment=tpi["assessment"], question=tpi["q"], by=tpi["users"]["evaluator"], note="x"
    )
    with pytest.raises(services.ReviewError, match="belum ditutup"):
        services.submit_evaluation(assessment=tpi["assessment"], by=tpi["users"]["evaluator"])


@pytest.mark.parametrize("role", ["evaluator", "unit_head", "leadership"])
def test_only_the_admin_assigns(tpi, role):
    with pytest.raises(PermissionDenied):
        services.assign(
            assessment=tpi["assessment"],
            user=tpi["users"]["evaluator"],
            role="anggota",
            by=tpi["users"][role],
        )


def test_a_unit_member_cannot_be_assigned(tpi):
    with pytest.raises(services.ReviewError, match="bukan anggota Inspektorat"):
        services.assign(
            assessment=tpi["assessment"],
            user=tpi["users"]["unit_operator"],
            role="anggota",
            by=tpi["users"]["inspektorat_admin"],
        )


@pytest.mark.parametrize("role", ["leadership", "tpn_observer", "evaluator"])
def test_pemda_reader_sees_who_evaluates_what_and_how_far(tpi, login, role):
    services.submit_evaluation(assessment=tpi["assessment"], by=tpi["users"]["evaluator"])
    page = login(tpi["users"][role]).get(reverse("review:assignments") + "?tahun=2026")
    body = page.content.decode()
    assert page.status_code == 200
    assert "Ketua tim" in body and "Menunggu pengesahan" in body and "menunggu Ketua tim" in body
    assert "Tugaskan anggota TPI" not in body  # only the admin assigns


def test_unit_member_cannot_open_the_assignments(tpi, login):
    assert (
        login(tpi["users"]["unit_operator"]).get(reverse("review:assignments")).status_code == 403
    )


def test_sign_off_steps_show_on_the_assessment_page(tpi, login):
    services.submit_evaluation(
        assessment=tpi["assessment"], by=tpi["users"]["evaluator"], note="Siap disahkan"
    )
    page = login(tpi["users"]["ketua"]).get(tpi["assessment"].get_absolute_url())
    body = page.content.decode()
    assert "mengirim evaluasi" in body and "Siap disahkan" in body and "Sahkan evaluasi TPI" in body
    assert "tpi-step" in body  # on the assessment timeline too


@pytest.mark.parametrize("n", [3, 9])
def test_assignments_page_runs_a_constant_number_of_queries(
    tpi, login, django_assert_max_num_queries, n
):
    from tests.factories import AssessmentFactory, WorkUnitFactory

    admin = tpi["users"]["inspektorat_admin"]
    for _ in range(n):
        a = AssessmentFactory(unit=WorkUnitFactory(pemda=tpi["pemda"]))
        services.assign(assessment=a, user=tpi["users"]["evaluator"], role="anggota", by=admin)
    client = login(tpi["users"]["leadership"])
    client.get(reverse("review:assignments"))
    with django_assert_max_num_queries(9):
        response = client.get(reverse("review:assignments") + "?tahun=2026")
    assert response.content.decode().count("Anggota tim:") == n + 1
