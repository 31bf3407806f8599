"""Issue 16: the lifecycle checked against the rules — the defects found, event dates, the
nomination window, decree numbers, instrument versions per ZI year and the fixed structure."""

import copy
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from assessments import lifecycle, scoring, services
from assessments.models import (
    Assessment,
    CalendarPhase,
    Instrument,
    PemdaYear,
    Stage,
    Track,
    Transition,
)
from assessments.templatetags.zi import num
from tests.factories import best_answers, evaluation_done, fill, make_assessment

D = datetime.date


def _transitions_url(assessment):
    return reverse("api:assessment-transitions", args=[assessment.pk])


def _prerequisites(pemda, year):
    PemdaYear.objects.get_or_create(
        pemda=pemda, year=year, defaults={"bpk_opinion": "WTP", "sakip_grade": "BB"}
    )


# --- the defects of the issue -------------------------------------------------------------------


def test_a_unit_whose_wbk_was_revoked_during_tpn_review_is_not_designated_wbbm(zi, api):
    """WBK 2025; its WBBM nomination of 2026 is in TPN review when the WBK is revoked."""
    admin = api(zi["users"]["inspektorat_admin"])
    wbk = make_assessment(zi["unit"], year=2025, stage=Stage.DESIGNATED_WBK)
    wbbm = zi["assessment"]
    Assessment.objects.filter(pk=wbbm.pk).update(stage=Stage.TPN_REVIEW, target="WBBM")
    revoked = admin.post(
        _transitions_url(wbk),
        {"step": "revoke", "note": "Kepala unit tersangka pungli", "decree_number": "KEP/7/2026"},
        format="json",
    )
    assert revoked.status_code == 200, revoked.json()

    response = admin.post(
        _transitions_url(wbbm),
        {"step": "designate", "result": "WBBM", "decree_number": "SK MenPANRB 900/2026"},
        format="json",
    )

    assert response.status_code == 409
    assert "WBK-nya dicabut tidak dapat ditetapkan WBBM" in response.json()["detail"]
    assert Assessment.objects.get(pk=wbbm.pk).stage == Stage.TPN_REVIEW


def test_a_wbk_revoked_before_the_wbbm_nomination_also_blocks_the_designation(zi):
    admin = zi["users"]["inspektorat_admin"]
    wbk = make_assessment(zi["unit"], year=2024, stage=Stage.DESIGNATED_WBK)
    lifecycle.revoke(assessment=wbk, by=admin, reason="Maladministrasi", decree_number="KEP/1/2025")
    wbbm = zi["assessment"]
    Assessment.objects.filter(pk=wbbm.pk).update(stage=Stage.TPN_REVIEW, target="WBBM")
    with pytest.raises(lifecycle.TransitionError, match="tidak dapat ditetapkan WBBM"):
        lifecycle.designate(assessment=wbbm, by=admin, result="WBBM", decree_number="SK/9")
    # WBK (or no designation) remains possible.
    lifecycle.designate(assessment=wbbm, by=admin, result="NONE")
    assert Assessment.objects.get(pk=wbbm.pk).stage == Stage.NOT_DESIGNATED


def test_a_wbk_revoked_from_before_a_standing_wbbm_designation_waits_for_that_wbbm(zi):
    """Recorded the other way round: WBBM designated 9 December 2025, then the WBK revoked by a
    decree effective 1 November 2025. The WBBM must be revoked first, then the WBK."""
    admin = zi["users"]["inspektorat_admin"]
    wbk = make_assessment(zi["unit"], year=2024, stage=Stage.DESIGNATED_WBK)
    wbbm = make_assessment(zi["unit"], year=2025, stage=Stage.TPN_REVIEW, target="WBBM")
    lifecycle.designate(
        assessment=wbbm, by=admin, result="WBBM", on=D(2025, 12, 9), decree_number="SK/WBBM/2025"
    )
    with pytest.raises(
        lifecycle.TransitionError, match="cabut predikat WBBM tersebut lebih dahulu"
    ):
        lifecycle.revoke(
            assessment=wbk, by=admin, reason="Pungli", on=D(2025, 11, 1), decree_number="KEP/4"
        )
    lifecycle.revoke(
        assessment=wbbm, by=admin, reason="Pungli", on=D(2026, 1, 15), decree_number="KEP/5"
    )
    lifecycle.revoke(
        assessment=wbk, by=admin, reason="Pungli", on=D(2025, 11, 1), decree_number="KEP/4"
    )
    assert Assessment.objects.get(pk=wbk.pk).stage == Stage.REVOKED


def test_the_cooldown_runs_two_years_from_the_decree_not_from_the_calendar_year(zi, api):
    """Revoked by a decree effective 3 February 2022: nominating in May 2024 is allowed."""
    admin = api(zi["users"]["inspektorat_admin"])
    revoked = make_assessment(zi["unit"], year=2021, stage=Stage.DESIGNATED_WBK)
    response = admin.post(
        _transitions_url(revoked),
        {
            "step": "revoke",
            "note": "Pungli terbukti",
            "on": "2022-02-03",
            "decree_number": "KEP/3/2022",
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    _prerequisites(zi["pemda"], 2024)
    a = make_assessment(zi["unit"], year=2024)
    fill(a, Track.TPI, best_answers(zi["instrument"]))
    evaluation_done(a, zi["users"]["inspektorat_admin"])

    response = admin.post(
        _transitions_url(a), {"step": "nominate", "on": "2024-05-20"}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert Assessment.objects.get(pk=a.pk).stage == Stage.NOMINATED


def test_a_nomination_inside_the_cooldown_names_the_day_it_ends(zi):
    admin = zi["users"]["inspektorat_admin"]
    revoked = make_assessment(zi["unit"], year=2021, stage=Stage.DESIGNATED_WBK)
    lifecycle.revoke(
        assessment=revoked, by=admin, reason="Pungli", on=D(2022, 2, 3), decree_number="KEP/3"
    )
    _prerequisites(zi["pemda"], 2024)
    a = make_assessment(zi["unit"], year=2024)
    fill(a, Track.TPI, best_answers(zi["instrument"]))
    evaluation_done(a, zi["users"]["inspektorat_admin"])
    with pytest.raises(lifecycle.TransitionError) as refused:
        lifecycle.nominate(assessment=a, by=admin, on=D(2024, 2, 2))
    assert refused.value.reasons == [
        "Predikat unit ini dicabut berlaku 3 Februari 2022 (KEP/3); unit baru dapat diusulkan lagi "
        "mulai 3 Februari 2024."
    ]


def test_the_timeline_shows_when_the_designation_happened_not_when_it_was_typed(zi, client, login):
    admin = zi["users"]["inspektorat_admin"]
    a = make_assessment(zi["unit"], year=2024, stage=Stage.TPN_REVIEW)
    lifecycle.designate(
        assessment=a,
        by=admin,
        result="WBK",
        on=D(2024, 12, 9),
        decree_number="SK MenPANRB 1123/2024",
        note="Penetapan pada Hari Antikorupsi Sedunia",
    )
    login(zi["users"]["leadership"])
    html = client.get(a.get_absolute_url()).content.decode()
    timeline = html.split("Jejak tahapan", 1)[1]
    entry = timeline.split("</li>", 1)[0]
    assert "9 Desember 2024" in entry and "SK MenPANRB 1123/2024" in entry
    assert 'datetime="2024-12-09"' in entry


def test_a_2019_assessment_is_not_nominated_in_2026(zi):
    _prerequisites(zi["pemda"], 2019)
    a = make_assessment(zi["unit"], year=2019)
    fill(a, Track.TPI, best_answers(zi["instrument"]))
    evaluation_done(a, zi["users"]["inspektorat_admin"])
    with pytest.raises(lifecycle.TransitionError, match="di luar tahun ZI 2019"):
        lifecycle.nominate(assessment=a, by=zi["users"]["inspektorat_admin"])
    assert Assessment.objects.get(pk=a.pk).stage == Stage.DEVELOPMENT


def test_a_2019_assessment_does_not_get_the_2024_instrument(zi):
    with pytest.raises(lifecycle.TransitionError, match="berlaku untuk tahun ZI 2019"):
        lifecycle.proclaim(
            unit=zi["other_unit"],
            year=2019,
            proclaimed_on=D(2019, 2, 5),
            place="Ujiharjo",
            signatory_name="Kepala",
            signatory_title="Kepala Dinas",
            by=zi["users"]["inspektorat_admin"],
        )
    assert not Assessment.objects.filter(unit=zi["other_unit"], year=2019).exists()


@pytest.mark.parametrize(
    "value,shown", [("74.995", "75,00"), ("15.70625", "15,71"), ("74.994", "74,99")]
)
def test_refusals_write_a_figure_as_the_pages_do(value, shown):
    assert lifecycle._num(Decimal(value)) == num(Decimal(value)) == shown


def test_an_admin_inspektorat_cannot_move_weight_between_change_areas(zi):
    """MP 8 → 8,5 and TL 7 → 6,5 inside Pemenuhan: every total still adds up."""
    spec = copy.deepcopy(zi["instrument"].structure())
    spec["name"] = "LKE Pemkab geser bobot"
    weights = {i["code"]: i for i in spec["indicators"]}
    weights["PEM-MP-01"]["weight"] = "1"  # 0.5 → 1
    tl = next(i for i in spec["indicators"] if i["area"] == "TL" and i["section"] == "PEMENUHAN")
    tl["weight"] = str(Decimal(tl["weight"]) - Decimal("0.5"))
    assert scoring.validate_instrument(spec) == []  # v1 declares no halves: totals only
    with pytest.raises(scoring.InstrumentError) as refused:
        services.import_instrument(
            spec=spec, pemda=zi["pemda"], by=zi["users"]["inspektorat_admin"]
        )
    assert any("bobot area perubahan" in e and "MP" in e for e in refused.value.errors)
    assert not Instrument.objects.filter(pemda=zi["pemda"]).exists()


def test_an_admin_inspektorat_cannot_lower_the_wbk_total_but_a_superuser_can(zi):
    from tests.factories import UserFactory

    spec = copy.deepcopy(zi["instrument"].structure())
    spec["thresholds"][0]["gates"][0]["min"] = "65"
    with pytest.raises(scoring.InstrumentError, match="ambang predikat"):
        services.import_instrument(
            spec=spec, pemda=zi["pemda"], by=zi["users"]["inspektorat_admin"]
        )
    national = UserFactory(is_superuser=True)
    created = services.import_instrument(spec=spec, pemda=zi["pemda"], by=national)
    assert created.pemda == zi["pemda"]


def test_the_xlsx_import_refuses_a_lowered_threshold_for_a_pemda(zi):
    import io

    import openpyxl

    from assessments.instrument_xlsx import export_instrument, import_xlsx

    wb = openpyxl.load_workbook(io.BytesIO(export_instrument(zi["instrument"].structure())))
    ws = wb["Ambang"]
    header = [c.value for c in ws[1]]
    row = next(
        r for r in ws.iter_rows(min_row=2) if r[header.index("kode gerbang")].value == "TOTAL"
    )
    row[header.index("minimal")].value = "65"
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "lke-pemkab.xlsx"
    result = import_xlsx(fileobj=out, pemda=zi["pemda"], by=zi["users"]["inspektorat_admin"])
    assert not result.ok
    assert any("ambang predikat" in e.message for e in result.errors)
    assert not Instrument.objects.filter(pemda=zi["pemda"]).exists()


def test_the_validator_checks_declared_area_halves(zi):
    spec = copy.deepcopy(_v2().structure())
    mp = next(i for i in spec["indicators"] if i["code"] == "PEM-MP-01")
    mp["weight"] = "1"
    tl = next(i for i in spec["indicators"] if i["area"] == "TL" and i["section"] == "PEMENUHAN")
    tl["weight"] = str(Decimal(tl["weight"]) - Decimal("0.5"))
    errors = scoring.validate_instrument(spec)
    assert "Area MP · PEMENUHAN: bobot 4 ≠ jumlah bobot indikatornya 4.5" in errors
    assert any(e.startswith("Area TL · PEMENUHAN: bobot 3.5") for e in errors)


# --- zero denominators --------------------------------------------------------------------------


def _v2():
    return Instrument.objects.get(code="LKE-ZI-2024", pemda__isnull=True, version=2)


def _flawless(instrument, **zeros):
    values = best_answers(instrument, ipak="4", capaian="A", ipkp="4")
    values.update(zeros)
    return values


NO_CASES = {"REF-SDM-03.j1": "0", "REF-SDM-03.j2": "0", "REF-SDM-03.j3": "0"}
NO_COMPLAINTS = {"REF-PWS-02.j1": "0", "REF-PWS-02.j2": "0", "REF-PWS-02.j3": "0"}


def test_a_flawless_unit_without_disciplinary_cases_or_complaints_scores_100(db):
    instrument = _v2().parsed()
    tree = scoring.score(instrument, _flawless(_v2(), **NO_CASES, **NO_COMPLAINTS))
    assert tree.rounded("TOTAL") == Decimal("100.00")


def test_the_instrument_states_what_a_zero_denominator_means_and_why(db):
    questions = {q["code"]: q for i in _v2().structure()["indicators"] for q in i["questions"]}
    assert questions["REF-SDM-03.a"]["zero_denominator"] == "full"
    assert "pelanggaran" in questions["REF-SDM-03.a"]["zero_denominator_reason"]
    assert questions["REF-PWS-02.a"]["zero_denominator"] == "full"
    computed = [q for q in questions.values() if q["answer_type"] == "PERSEN"]
    assert all(q.get("zero_denominator") and q.get("zero_denominator_reason") for q in computed)


def test_the_tpi_overrides_a_zero_denominator_with_a_reason_and_the_score_follows(zi):
    a = make_assessment(zi["other_unit"], year=2026)
    Assessment.objects.filter(pk=a.pk).update(instrument=_v2())
    a.refresh_from_db()
    fill(a, Track.TPI, _flawless(_v2(), **NO_COMPLAINTS))
    evaluator = zi["users"]["evaluator"]
    with pytest.raises(services.AnswerError, match="alasan"):
        services.set_zero_denominator_override(
            assessment=a, question_code="REF-PWS-02.a", rule="zero", reason=" ", by=evaluator
        )
    with pytest.raises(PermissionDenied):
        services.set_zero_denominator_override(
            assessment=a,
            question_code="REF-PWS-02.a",
            rule="zero",
            reason="x",
            by=zi["users"]["other_operator"],
        )
    override = services.set_zero_denominator_override(
        assessment=a,
        question_code="REF-PWS-02.a",
        rule="zero",
        reason="Kanal pengaduan belum dibuka sepanjang tahun",
        by=evaluator,
    )
    assert override.by == evaluator
    services.compute_scores([a.pk])
    tpi = a.scores.get(track=Track.TPI)
    assert tpi.total == Decimal("97.00")  # REF-PWS-02 (weight 3) now scores 0


def test_the_worksheet_shows_the_zero_denominator_reading(zi, client, login):
    a = make_assessment(zi["other_unit"], year=2026)
    Assessment.objects.filter(pk=a.pk).update(instrument=_v2())
    login(zi["users"]["evaluator"])
    # The complaints question is in Penguatan Pengawasan (the worksheet shows one area at a time).
    url = reverse("assessments:worksheet", args=[a.pk, "tpi"]) + "?area=PWS"
    html = client.get(url).content.decode()
    assert "Bila penyebut nol:" in html and "nilai penuh" in html
    assert "Tidak ada pengaduan masyarakat yang harus ditindaklanjuti" in html
    assert "Ubah arti penyebut nol" in html  # the TPI may override it
    login(zi["users"]["other_operator"])
    url = reverse("assessments:worksheet", args=[a.pk, "self"]) + "?area=PWS"
    html = client.get(url).content.decode()
    assert "Bila penyebut nol:" in html and "Ubah arti penyebut nol" not in html


# --- event dates, decrees, the nomination window -------------------------------------------------


def test_an_event_date_in_the_future_is_refused(zi):
    a = _ready(zi)
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    with pytest.raises(lifecycle.TransitionError, match="tidak boleh melewati hari ini") as refused:
        lifecycle.nominate(assessment=a, by=zi["users"]["inspektorat_admin"], on=tomorrow)
    assert refused.value.field == "on"


def test_an_event_date_before_the_previous_step_is_refused(zi):
    admin = zi["users"]["inspektorat_admin"]
    a = make_assessment(zi["unit"], year=2024, stage=Stage.TPN_REVIEW)
    Transition.objects.create(
        assessment=a,
        name="start_tpn_review",
        source="nominated",
        target="tpn_review",
        by=admin,
        on=D(2024, 6, 10),
    )
    with pytest.raises(lifecycle.TransitionError) as refused:
        lifecycle.designate(
            assessment=a, by=admin, result="WBK", on=D(2024, 6, 1), decree_number="SK"
        )
    assert refused.value.reasons == [
        "Tanggal kejadian (1 Juni 2024) tidak boleh sebelum langkah sebelumnya "
        "(Reviu TPN, 10 Juni 2024)."
    ]


def test_designation_needs_its_sk_number_and_revocation_its_decree(zi):
    admin = zi["users"]["inspektorat_admin"]
    a = make_assessment(zi["unit"], year=2025, stage=Stage.TPN_REVIEW)
    with pytest.raises(lifecycle.TransitionError, match="Nomor SK penetapan wajib"):
        lifecycle.designate(assessment=a, by=admin, result="WBK")
    lifecycle.designate(
        assessment=a, by=admin, result="WBK", decree_number="SK/1", on=D(2025, 12, 9)
    )
    with pytest.raises(lifecycle.TransitionError, match="Nomor keputusan pencabutan wajib"):
        lifecycle.revoke(assessment=a, by=admin, reason="Pungli")
    lifecycle.revoke(
        assessment=a, by=admin, reason="Pungli", decree_number="KEP/2", on=D(2026, 3, 2)
    )
    t = a.transitions.get(name="revoke")
    assert (t.on, t.decree_number) == (D(2026, 3, 2), "KEP/2")


def _ready(zi):
    fill(zi["assessment"], Track.TPI, best_answers(zi["instrument"]))
    evaluation_done(zi["assessment"], zi["users"]["inspektorat_admin"])
    return zi["assessment"]


def _window(zi, starts, ends):
    year = PemdaYear.objects.get(pemda=zi["pemda"], year=2026)
    CalendarPhase.objects.create(
        pemda_year=year, phase="pengusulan", starts_on=starts, ends_on=ends
    )


def test_nominating_outside_the_window_is_refused_with_the_window_named(zi):
    _window(zi, D(2026, 5, 1), D(2026, 5, 31))
    a = _ready(zi)
    with pytest.raises(lifecycle.TransitionError) as refused:
        lifecycle.nominate(assessment=a, by=zi["users"]["inspektorat_admin"], on=D(2026, 6, 2))
    assert "di luar masa pengusulan tahun ZI 2026 (1 Mei 2026 – 31 Mei 2026)" in str(refused.value)
    lifecycle.nominate(assessment=a, by=zi["users"]["inspektorat_admin"], on=D(2026, 5, 28))
    assert Assessment.objects.get(pk=a.pk).stage == Stage.NOMINATED


def test_an_admin_inspektorat_overrides_the_window_with_a_recorded_reason(zi):
    _window(zi, D(2026, 5, 1), D(2026, 5, 31))
    a = _ready(zi)
    lifecycle.nominate(
        assessment=a,
        by=zi["users"]["inspektorat_admin"],
        on=D(2026, 6, 3),
        override_reason="PMPZI memperpanjang batas unggah sampai 5 Juni",
    )
    t = a.transitions.get(name="nominate")
    assert t.override_reason.startswith("PMPZI memperpanjang") and t.on == D(2026, 6, 3)


@pytest.mark.parametrize("role", ["evaluator", "unit_head", "leadership"])
def test_only_an_admin_inspektorat_overrides_the_window(zi, role):
    _window(zi, D(2026, 5, 1), D(2026, 5, 31))
    with pytest.raises(PermissionDenied):
        lifecycle.nominate(
            assessment=_ready(zi), by=zi["users"][role], on=D(2026, 6, 3), override_reason="x"
        )


def test_a_refused_step_keeps_what_was_typed_and_marks_the_field(zi, client, login):
    a = make_assessment(zi["unit"], year=2025, stage=Stage.TPN_REVIEW)
    login(zi["users"]["inspektorat_admin"])
    response = client.post(
        reverse("assessments:step", args=[a.pk, "designate"]),
        {
            "result": "WBK",
            "decree_number": "",
            "note": "Catatan panjang yang diketik",
            "on": "2025-12-09",
        },
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Nomor SK penetapan wajib diisi." in html
    assert "Catatan panjang yang diketik" in html and 'value="2025-12-09"' in html
    form = response.context["steps"][0][1]
    assert form.errors["decree_number"] == ["Nomor SK penetapan wajib diisi."]


# --- instrument versions per ZI year -------------------------------------------------------------


def test_a_new_assessment_takes_the_version_serving_its_year(zi):
    v2 = _v2()
    assert (v2.first_year, v2.last_year) == (2022, None)
    a = lifecycle.proclaim(
        unit=zi["other_unit"],
        year=2025,
        proclaimed_on=D(2025, 2, 5),
        place="Ujiharjo",
        signatory_name="Kepala",
        signatory_title="Kepala Dinas",
        by=zi["users"]["inspektorat_admin"],
    )
    assert a.instrument == v2
    Instrument.objects.filter(pk=v2.pk).update(last_year=2024)
    assert services.current_instrument(zi["pemda"], year=2025) != v2
    assert services.current_instrument(zi["pemda"], year=2024).pk == v2.pk
