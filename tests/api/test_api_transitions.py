"""Lifecycle steps through the API: the same guarded functions as the portal's buttons."""

import pytest
from django.urls import reverse

from accounts.models import Role
from assessments.models import Assessment, PemdaYear, Stage, Track, Transition
from tests.factories import best_answers, evaluation_done, fill, person


def _url(assessment):
    return reverse("api:assessment-transitions", args=[assessment.pk])


def test_available_steps_follow_stage_and_role(w, api):
    assessment = w["assessments"]["own"]
    admin = api(w["users"]["inspektorat_admin"]).get(_url(assessment)).json()
    assert admin["stage"] == "development"
    assert [s["step"] for s in admin["available_steps"]] == ["nominate"]
    assert api(w["users"]["leadership"]).get(_url(assessment)).json()["available_steps"] == []
    detail = (
        api(w["users"]["inspektorat_admin"])
        .get(reverse("api:assessment-detail", args=[assessment.pk]))
        .json()
    )
    assert [s["step"] for s in detail["available_steps"]] == ["nominate"]


def test_unit_head_starts_development(w, api):
    assessment = w["assessments"]["own"]
    Assessment.objects.filter(pk=assessment.pk).update(stage=Stage.PROCLAIMED)
    response = api(w["users"]["unit_head"]).post(
        _url(assessment), {"step": "start_development", "note": "Mulai"}, format="json"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["stage"] == "development"
    assert body["history"][-1]["step"] == "start_development"
    assert body["history"][-1]["by"] == w["users"]["unit_head"].display_name
    assert body["history"][-1]["note"] == "Mulai"


def test_refused_nomination_is_409_listing_every_unmet_condition(w, api):
    assessment = w["assessments"]["own"]
    response = api(w["users"]["inspektorat_admin"]).post(
        _url(assessment), {"step": "nominate", "target": "WBK"}, format="json"
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "transition_refused"
    assert any("Evaluasi TPI belum lengkap" in r for r in body["reasons"])
    assert any("Prasyarat Pemda tahun 2026" in r for r in body["reasons"])
    assert body["detail"].startswith("Langkah tidak dapat dilakukan")
    assert Assessment.objects.get(pk=assessment.pk).stage == Stage.DEVELOPMENT
    assert not Transition.objects.filter(assessment=assessment, name="nominate").exists()


def test_step_from_the_wrong_stage_is_409(w, api):
    response = api(w["users"]["inspektorat_admin"]).post(
        _url(w["assessments"]["own"]), {"step": "start_tpn_review"}, format="json"
    )
    assert response.status_code == 409
    assert "tahap Pembangunan" in response.json()["detail"]


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"step": "terbang"}, "step"),
        ({"step": "withdraw"}, "note"),
        ({"step": "revoke", "note": "   "}, "note"),
        ({"step": "designate"}, "result"),
        ({"step": "nominate", "target": "WBKK"}, "target"),
        ({}, "step"),
    ],
)
def test_bad_step_requests_are_400(w, api, payload, field):
    response = api(w["users"]["inspektorat_admin"]).post(
        _url(w["assessments"]["own"]), payload, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_role_without_the_step_is_403_whatever_the_stage(w, api):
    response = api(w["users"]["evaluator"]).post(
        _url(w["assessments"]["own"]), {"step": "nominate"}, format="json"
    )
    assert response.status_code == 403
    assert "tidak berwenang" in response.json()["detail"]


def test_full_road_to_designation(w, api):
    assessment = w["assessments"]["own"]
    PemdaYear.objects.create(
        pemda=w["pemda"]["own"], year=2026, bpk_opinion="WTP", sakip_grade="BB"
    )
    fill(assessment, Track.TPI, best_answers(assessment.instrument))
    evaluation_done(assessment, w["users"]["evaluator"])
    admin = api(w["users"]["inspektorat_admin"])
    for payload, stage in [
        ({"step": "nominate", "target": "WBK"}, "nominated"),
        ({"step": "start_tpn_review"}, "tpn_review"),
        (
            {
                "step": "designate",
                "result": "WBK",
                "note": "Keputusan MenPANRB",
                "decree_number": "SK/1/2026",
            },
            "designated_wbk",
        ),
        ({"step": "revoke", "note": "Pungli terbukti", "decree_number": "KEP/1/2026"}, "revoked"),
    ]:
        response = admin.post(_url(assessment), payload, format="json")
        assert response.status_code == 200, (payload, response.json())
        assert response.json()["stage"] == stage
    assert Assessment.objects.get(pk=assessment.pk).revoked_reason == "Pungli terbukti"


def test_proclaim_opens_a_new_year(w, api):
    unit = w["units"]["own"]
    payload = {
        "unit": unit.pk,
        "year": 2025,
        "proclaimed_on": "2025-02-01",
        "place": "Jepara",
        "signatory_name": "Kepala Uji",
        "signatory_title": "Kepala Dinas",
        "witnesses": [{"name": "Bupati Uji", "title": "Bupati"}],
    }
    response = api(w["users"]["unit_head"]).post(
        reverse("api:assessment-list"), payload, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["stage"] == "proclaimed" and response.json()["year"] == 2025
    # The same year again is refused by the lifecycle guard; the operator may not proclaim at all.
    again = api(w["users"]["unit_head"]).post(
        reverse("api:assessment-list"), payload, format="json"
    )
    assert (
        again.status_code == 409
        and "sudah memiliki penilaian ZI tahun 2025" in again.json()["detail"]
    )
    operator = api(w["users"]["unit_operator"]).post(
        reverse("api:assessment-list"), {**payload, "year": 2024}, format="json"
    )
    assert operator.status_code == 403
    other = api(w["users"]["other_operator"]).post(
        reverse("api:assessment-list"), {**payload, "year": 2024}, format="json"
    )
    assert other.status_code == 400 and "unit" in other.json()["errors"]


def test_foreign_admin_cannot_touch_another_pemda(w, api):
    foreign_head = person(Role.UNIT_HEAD, unit=w["units"]["foreign"])
    response = api(foreign_head).post(
        _url(w["assessments"]["own"]), {"step": "nominate"}, format="json"
    )
    assert response.status_code == 404
