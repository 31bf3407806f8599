"""TPN stages as data: seleksi administrasi → evaluasi desk → (sanggah) → evaluasi lapangan /
wawancara → penetapan, recorded by the Admin Inspektorat and seen on the timeline."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from assessments import lifecycle
from assessments.models import Stage, TpnPhase, TpnResult, TpnStage
from tests.factories import make_assessment

D = datetime.date
PASSED, FAILED = TpnResult.PASSED, TpnResult.FAILED


@pytest.fixture
def review(zi):
    return make_assessment(zi["unit"], year=2025, stage=Stage.TPN_REVIEW, target="WBK")


def _record(zi, a, phase, result, on, by="inspektorat_admin", note=""):
    return lifecycle.record_tpn_stage(
        assessment=a, phase=phase, result=result, on=on, note=note, by=zi["users"][by]
    )


def test_the_stages_are_recorded_in_order_and_designation_closes_them(zi, review):
    _record(zi, review, TpnPhase.ADMINISTRATION, PASSED, D(2025, 6, 20))
    _record(zi, review, TpnPhase.DESK, PASSED, D(2025, 8, 15), note="Nilai desk 86,10")
    _record(zi, review, TpnPhase.FIELD, PASSED, D(2025, 10, 8), note="Wawancara dan video profil")
    lifecycle.designate(
        assessment=review,
        by=zi["users"]["inspektorat_admin"],
        result="WBK",
        on=D(2025, 12, 9),
        decree_number="SK MenPANRB 1123/2025",
    )
    stages = list(review.tpn_stages.values_list("phase", "result", "on"))
    assert stages == [
        (TpnPhase.ADMINISTRATION, PASSED, D(2025, 6, 20)),
        (TpnPhase.DESK, PASSED, D(2025, 8, 15)),
        (TpnPhase.FIELD, PASSED, D(2025, 10, 8)),
        (TpnPhase.DESIGNATION, PASSED, D(2025, 12, 9)),
    ]


@pytest.mark.parametrize(
    "recorded,phase,message",
    [
        ([], TpnPhase.DESK, "setelah unit lolos seleksi administrasi"),
        ([(TpnPhase.ADMINISTRATION, FAILED)], TpnPhase.DESK, "setelah unit lolos seleksi"),
        ([(TpnPhase.ADMINISTRATION, PASSED)], TpnPhase.FIELD, "setelah unit lolos evaluasi desk"),
        (
            [(TpnPhase.ADMINISTRATION, PASSED), (TpnPhase.DESK, PASSED)],
            TpnPhase.APPEAL,
            "setelah unit tidak lolos evaluasi desk",
        ),
        ([(TpnPhase.ADMINISTRATION, PASSED)], TpnPhase.ADMINISTRATION, "sudah dicatat"),
    ],
)
def test_a_stage_out_of_order_is_refused(zi, review, recorded, phase, message):
    for i, (done, result) in enumerate(recorded):
        _record(zi, review, done, result, D(2025, 6, 20 + i))
    with pytest.raises(lifecycle.TransitionError, match=message):
        _record(zi, review, phase, PASSED, D(2025, 9, 1))


def test_a_won_sanggah_after_the_desk_stage_leads_to_the_field_stage(zi, review):
    _record(zi, review, TpnPhase.ADMINISTRATION, PASSED, D(2025, 6, 20))
    _record(zi, review, TpnPhase.DESK, FAILED, D(2025, 8, 15))
    _record(zi, review, TpnPhase.APPEAL, PASSED, D(2025, 8, 25), note="Data dukung SOP diterima")
    _record(zi, review, TpnPhase.FIELD, PASSED, D(2025, 10, 8))
    lifecycle.designate(
        assessment=review,
        by=zi["users"]["inspektorat_admin"],
        result="WBK",
        on=D(2025, 12, 9),
        decree_number="SK/1",
    )
    assert review.stage == Stage.DESIGNATED_WBK


def test_a_unit_that_lost_its_sanggah_is_not_designated(zi, review):
    _record(zi, review, TpnPhase.ADMINISTRATION, PASSED, D(2025, 6, 20))
    _record(zi, review, TpnPhase.DESK, FAILED, D(2025, 8, 15))
    _record(zi, review, TpnPhase.APPEAL, FAILED, D(2025, 8, 25))
    with pytest.raises(lifecycle.TransitionError, match="tidak lolos sanggah TPN"):
        lifecycle.designate(
            assessment=review,
            by=zi["users"]["inspektorat_admin"],
            result="WBK",
            on=D(2025, 12, 9),
            decree_number="SK/1",
        )
    lifecycle.designate(assessment=review, by=zi["users"]["inspektorat_admin"], result="NONE")
    assert review.stage == Stage.NOT_DESIGNATED


def test_a_stage_dated_before_the_previous_one_is_refused(zi, review):
    _record(zi, review, TpnPhase.ADMINISTRATION, PASSED, D(2025, 6, 20))
    with pytest.raises(lifecycle.TransitionError, match="sebelum tahap seleksi administrasi"):
        _record(zi, review, TpnPhase.DESK, PASSED, D(2025, 6, 1))


def test_stages_are_recorded_only_during_tpn_review(zi):
    a = make_assessment(zi["unit"], year=2025, stage=Stage.NOMINATED)
    with pytest.raises(lifecycle.TransitionError, match="selama reviu TPN"):
        _record(zi, a, TpnPhase.ADMINISTRATION, PASSED, D(2025, 6, 20))


@pytest.mark.parametrize(
    "role",
    ["evaluator", "leadership", "tpn_observer", "unit_head", "unit_operator", "foreign_admin"],
)
def test_only_the_admin_inspektorat_of_the_pemda_records_stages(zi, review, role):
    with pytest.raises(PermissionDenied):
        _record(zi, review, TpnPhase.ADMINISTRATION, PASSED, D(2025, 6, 20), by=role)
    assert not TpnStage.objects.exists()


@pytest.mark.parametrize("role", ["unit_head", "unit_operator", "leadership"])
def test_unit_and_leadership_see_the_stages_on_the_timeline(zi, review, client, login, role):
    _record(zi, review, TpnPhase.ADMINISTRATION, PASSED, D(2025, 6, 20))
    _record(zi, review, TpnPhase.DESK, FAILED, D(2025, 8, 15), note="Nilai desk 71,20")
    login(zi["users"][role])
    html = client.get(review.get_absolute_url()).content.decode()
    timeline = html.split("Jejak tahapan", 1)[1]
    assert "TPN · Seleksi administrasi</strong>: Lolos" in timeline
    assert (
        "TPN · Evaluasi desk</strong>: Tidak lolos" in timeline and "Nilai desk 71,20" in timeline
    )
    assert "15 Agustus 2025" in timeline
    assert "Catat hasil tahapan TPN" not in html  # only the Admin Inspektorat records


def test_the_admin_records_a_stage_on_the_page_and_a_refusal_keeps_the_input(
    zi, review, client, login
):
    login(zi["users"]["inspektorat_admin"])
    url = reverse("assessments:tpn_stage", args=[review.pk])
    refused = client.post(
        url,
        {
            "tpn-phase": "desk",
            "tpn-result": "lolos",
            "tpn-on": "2025-08-15",
            "tpn-note": "Nilai 86",
        },
    )
    assert refused.status_code == 409
    html = refused.content.decode()
    assert "setelah unit lolos seleksi administrasi" in html and "Nilai 86" in html
    done = client.post(
        url, {"tpn-phase": "administrasi", "tpn-result": "lolos", "tpn-on": "2025-06-20"}
    )
    assert done.status_code == 302
    assert review.tpn_stages.get().on == D(2025, 6, 20)


def test_the_api_lists_and_records_stages(zi, review, api):
    url = reverse("api:assessment-tpn-stages", args=[review.pk])
    admin = api(zi["users"]["inspektorat_admin"])
    created = admin.post(
        url, {"phase": "administrasi", "result": "lolos", "on": "2025-06-20"}, format="json"
    )
    assert created.status_code == 201, created.json()
    assert created.json()[0]["phase"] == "administrasi"
    refused = admin.post(url, {"phase": "lapangan", "result": "lolos"}, format="json")
    assert refused.status_code == 409 and "evaluasi desk" in refused.json()["detail"]
    assert refused.json()["field"] == "phase"
    assert api(zi["users"]["leadership"]).get(url).json()[0]["on"] == "2025-06-20"
    assert (
        api(zi["users"]["evaluator"])
        .post(url, {"phase": "desk", "result": "lolos"}, format="json")
        .status_code
        == 403
    )
    assert api(zi["users"]["foreign_admin"]).get(url).status_code == 404


def test_the_timeline_reads_in_constant_queries(
    zi, review, client, login, django_assert_max_num_queries
):
    login(zi["users"]["leadership"])

    def queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(review.get_absolute_url()).status_code == 200
        return len(ctx.captured_queries)

    _record(zi, review, TpnPhase.ADMINISTRATION, PASSED, D(2025, 6, 20))
    few = queries()
    _record(zi, review, TpnPhase.DESK, FAILED, D(2025, 8, 15))
    _record(zi, review, TpnPhase.APPEAL, PASSED, D(2025, 8, 25))
    _record(zi, review, TpnPhase.FIELD, PASSED, D(2025, 10, 8))
    assert queries() == few
