import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from assessments import lifecycle
from assessments.models import Assessment, PemdaYear, Stage, Track, Transition
from tests.factories import best_answers, evaluation_done, fill, make_assessment


def _ready_for_nomination(zi, **hasil):
    fill(zi["assessment"], Track.TPI, best_answers(zi["instrument"], **hasil))
    return evaluation_done(zi["assessment"], zi["users"]["evaluator"])


def test_proclaim_opens_a_year_and_records_who(zi):
    admin = zi["users"]["inspektorat_admin"]
    a = lifecycle.proclaim(
        unit=zi["other_unit"],
        year=2026,
        proclaimed_on=datetime.date(2026, 2, 5),
        place="Pendopo Kabupaten",
        signatory_name="Drs. Kepala",
        signatory_title="Kepala Dinas",
        witnesses=[
            {"name": "Bupati", "title": "Bupati Uji"},
            {"name": "  ", "title": "kosong dibuang"},
        ],
        by=admin,
    )
    assert a.stage == Stage.PROCLAIMED
    assert [(w.name, w.position) for w in a.witnesses.all()] == [("Bupati", "Bupati Uji")]
    t = a.transitions.get()
    assert (t.source, t.target, t.by) == ("", Stage.PROCLAIMED, admin)


def test_second_proclamation_in_the_same_year_is_refused(zi):
    with pytest.raises(lifecycle.TransitionError, match="sudah memiliki penilaian ZI tahun 2026"):
        lifecycle.proclaim(
            unit=zi["unit"],
            year=2026,
            proclaimed_on=datetime.date(2026, 2, 5),
            place="X",
            signatory_name="Y",
            signatory_title="Z",
            by=zi["users"]["inspektorat_admin"],
        )


def test_operator_cannot_proclaim(zi):
    with pytest.raises(PermissionDenied):
        lifecycle.proclaim(
            unit=zi["unit"],
            year=2027,
            proclaimed_on=datetime.date(2027, 2, 5),
            place="X",
            signatory_name="Y",
            signatory_title="Z",
            by=zi["users"]["unit_operator"],
        )


@pytest.mark.parametrize(
    "year", [lifecycle.PROCLAMATION_YEARS[0] - 1, lifecycle.PROCLAMATION_YEARS[-1] + 1]
)
def test_proclamation_year_outside_the_bounds_is_refused_by_the_service(zi, year):
    with pytest.raises(lifecycle.TransitionError, match="Tahun ZI harus antara 2015 dan 2100"):
        lifecycle.proclaim(
            unit=zi["other_unit"],
            year=year,
            proclaimed_on=datetime.date(2026, 2, 5),
            place="X",
            signatory_name="Y",
            signatory_title="Z",
            by=zi["users"]["inspektorat_admin"],
        )


def test_every_step_is_taken_through_the_one_dispatch(zi):
    a = make_assessment(zi["other_unit"], stage=Stage.PROCLAIMED)
    lifecycle.take_step(
        "start_development", assessment=a, by=zi["users"]["evaluator"], note="mulai"
    )
    assert a.stage == Stage.DEVELOPMENT
    with pytest.raises(lifecycle.TransitionError, match="alasan penarikan"):
        lifecycle.take_step("withdraw", assessment=a, by=zi["users"]["inspektorat_admin"])
    assert a.transitions.filter(name="start_development", note="mulai").exists()


def test_unit_head_starts_development(zi):
    a = make_assessment(zi["other_unit"], stage=Stage.PROCLAIMED)
    with pytest.raises(PermissionDenied):
        lifecycle.start_development(
            assessment=a, by=zi["users"]["unit_head"]
        )  # head of another unit
    lifecycle.start_development(assessment=a, by=zi["users"]["evaluator"])
    assert a.stage == Stage.DEVELOPMENT


def test_nomination_with_complete_tpi_meeting_wbk_succeeds_and_locks_unit(zi):
    a = _ready_for_nomination(zi)
    op = zi["users"]["unit_operator"]
    assert op.has_perm("assessments.answer_self", a)
    lifecycle.nominate(
        assessment=a, by=zi["users"]["inspektorat_admin"], target="WBK", note="Usulan 2026"
    )
    assert a.stage == Stage.NOMINATED
    fresh = Assessment.objects.get(pk=a.pk)
    assert not op.has_perm("assessments.answer_self", fresh)
    assert not zi["users"]["evaluator"].has_perm("assessments.answer_tpi", fresh)
    t = a.transitions.last()
    assert (t.name, t.source, t.target, t.note) == (
        "nominate",
        Stage.DEVELOPMENT,
        Stage.NOMINATED,
        "Usulan 2026",
    )


def test_nomination_refused_lists_every_reason(zi):
    a = zi["assessment"]
    values = best_answers(zi["instrument"], ipkp="3.00")  # IPKP 3.00 → 13.13 < 14.00
    del values["HSL-BERSIH-02.a"]  # one TPI answer missing
    fill(a, Track.TPI, values)
    PemdaYear.objects.filter(pemda=zi["pemda"]).update(bpk_opinion="WDP", sakip_grade="C")
    with pytest.raises(lifecycle.TransitionError) as err:
        lifecycle.nominate(assessment=a, by=zi["users"]["inspektorat_admin"], target="WBK")
    text = " | ".join(err.value.reasons)
    assert "Evaluasi TPI belum lengkap" in text
    assert "IPKP" in text or "Pelayanan" in text
    assert "Opini BPK Pemda (WDP)" in text
    assert "Nilai SAKIP Pemda (C) di bawah minimal B" in text
    a.refresh_from_db()
    assert a.stage == Stage.DEVELOPMENT
    assert not a.transitions.filter(name="nominate").exists()


def test_nomination_needs_recorded_pemda_prerequisites(zi):
    a = _ready_for_nomination(zi)
    PemdaYear.objects.filter(pemda=zi["pemda"]).delete()
    with pytest.raises(lifecycle.TransitionError, match="Prasyarat Pemda tahun 2026"):
        lifecycle.nominate(assessment=a, by=zi["users"]["inspektorat_admin"])


def test_wbbm_nomination_requires_a_prior_wbk(zi):
    a = _ready_for_nomination(zi, ipak="3.80", capaian="A", ipkp="3.80")
    with pytest.raises(lifecycle.TransitionError, match="harus sudah berpredikat WBK"):
        lifecycle.nominate(assessment=a, by=zi["users"]["inspektorat_admin"], target="WBBM")
    make_assessment(zi["unit"], year=2024, stage=Stage.DESIGNATED_WBK)
    lifecycle.nominate(assessment=a, by=zi["users"]["inspektorat_admin"], target="WBBM")
    assert a.target == "WBBM"


def test_only_inspektorat_admin_nominates(zi):
    a = _ready_for_nomination(zi)
    for role in ("evaluator", "unit_head", "leadership", "foreign_admin"):
        with pytest.raises(PermissionDenied):
            lifecycle.nominate(assessment=a, by=zi["users"][role])


def test_nomination_quota_is_enforced(zi):
    PemdaYear.objects.filter(pemda=zi["pemda"]).update(nomination_quota=1)
    make_assessment(zi["other_unit"], stage=Stage.NOMINATED)
    a = _ready_for_nomination(zi)
    with pytest.raises(lifecycle.TransitionError, match="Kuota usulan"):
        lifecycle.nominate(assessment=a, by=zi["users"]["inspektorat_admin"])


def test_full_road_to_wbk_then_revocation_blocks_renomination(zi):
    admin = zi["users"]["inspektorat_admin"]
    a = _ready_for_nomination(zi)
    lifecycle.nominate(assessment=a, by=admin)
    lifecycle.start_tpn_review(assessment=a, by=admin)
    assert admin.has_perm("assessments.answer_tpn", Assessment.objects.get(pk=a.pk))
    with pytest.raises(lifecycle.TransitionError, match="diusulkan untuk WBK"):
        lifecycle.designate(assessment=a, by=admin, result="WBBM", decree_number="SK/1/2026")
    lifecycle.designate(
        assessment=a, by=admin, result="WBK", note="SK MenPANRB", decree_number="SK/1/2026"
    )
    assert a.stage == Stage.DESIGNATED_WBK
    with pytest.raises(lifecycle.TransitionError, match="Alasan pencabutan wajib"):
        lifecycle.revoke(assessment=a, by=admin, reason=" ")
    lifecycle.revoke(
        assessment=a,
        by=admin,
        reason="Pegawai unit ditetapkan tersangka korupsi",
        decree_number="KEP/2/2026",
    )
    assert a.stage == Stage.REVOKED and a.revoked_reason.startswith("Pegawai")
    assert [t.target for t in a.transitions.all()] == [
        Stage.NOMINATED,
        Stage.TPN_REVIEW,
        Stage.DESIGNATED_WBK,
        Stage.REVOKED,
    ]

    nxt = make_assessment(zi["unit"], year=2027)
    PemdaYear.objects.create(pemda=zi["pemda"], year=2027, bpk_opinion="WTP", sakip_grade="A")
    fill(nxt, Track.TPI, best_answers(zi["instrument"]))
    with pytest.raises(lifecycle.TransitionError, match="dapat diusulkan lagi mulai"):
        lifecycle.nominate(assessment=nxt, by=admin, override_reason="Uji masa jeda")


@pytest.mark.parametrize(
    "stage,step",
    [
        (Stage.PROCLAIMED, "nominate"),
        (Stage.DEVELOPMENT, "start_tpn_review"),
        (Stage.NOMINATED, "designate"),
        (Stage.DESIGNATED_WBK, "start_development"),
        (Stage.NOT_DESIGNATED, "revoke"),
        (Stage.REVOKED, "nominate"),
        (Stage.DEVELOPMENT, "withdraw"),
        (Stage.TPN_REVIEW, "start_development"),
    ],
)
def test_illegal_steps_are_refused_with_the_current_stage_named(zi, stage, step):
    a = zi["assessment"]
    Assessment.objects.filter(pk=a.pk).update(stage=stage)
    call = {
        "nominate": lambda: lifecycle.nominate(assessment=a, by=zi["users"]["inspektorat_admin"]),
        "start_tpn_review": lambda: lifecycle.start_tpn_review(
            assessment=a, by=zi["users"]["inspektorat_admin"]
        ),
        "designate": lambda: lifecycle.designate(
            assessment=a, by=zi["users"]["inspektorat_admin"], result="WBK", decree_number="SK/1"
        ),
        "start_development": lambda: lifecycle.start_development(
            assessment=a, by=zi["users"]["inspektorat_admin"]
        ),
        "revoke": lambda: lifecycle.revoke(
            assessment=a, by=zi["users"]["inspektorat_admin"], reason="x", decree_number="KEP/1"
        ),
        "withdraw": lambda: lifecycle.withdraw(
            assessment=a, by=zi["users"]["inspektorat_admin"], note="x"
        ),
    }[step]
    with pytest.raises(lifecycle.TransitionError, match="berada pada tahap"):
        call()
    assert Assessment.objects.get(pk=a.pk).stage == stage
    assert not Transition.objects.filter(assessment=a).exists()


def test_withdraw_returns_to_development_and_unlocks(zi):
    a = _ready_for_nomination(zi)
    lifecycle.nominate(assessment=a, by=zi["users"]["inspektorat_admin"])
    lifecycle.withdraw(
        assessment=a, by=zi["users"]["inspektorat_admin"], note="Perbaikan data dukung"
    )
    assert a.stage == Stage.DEVELOPMENT
    assert zi["users"]["unit_operator"].has_perm(
        "assessments.answer_self", Assessment.objects.get(pk=a.pk)
    )


def test_step_page_shows_refusal_reasons(zi, client):
    client.force_login(zi["users"]["inspektorat_admin"])
    response = client.post(
        reverse("assessments:step", args=[zi["assessment"].pk, "nominate"]),
        {"target": "WBK"},
        follow=True,
    )
    html = response.content.decode()
    assert "Langkah tidak dapat dilakukan" in html
    assert "Evaluasi TPI belum lengkap" in html


def test_unit_timeline_lists_years_and_steps(zi, client):
    make_assessment(zi["unit"], year=2024, stage=Stage.DESIGNATED_WBK)
    admin = zi["users"]["inspektorat_admin"]
    a = _ready_for_nomination(zi)
    lifecycle.nominate(assessment=a, by=admin, note="Usulan tahun ini")
    client.force_login(zi["users"]["unit_operator"])
    html = client.get(reverse("units:detail", args=[zi["unit"].pk])).content.decode()
    assert "ZI 2026" in html and "ZI 2024" in html
    assert "Ditetapkan WBK" in html and "Usulan tahun ini" in html
