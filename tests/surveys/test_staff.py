"""Periods, results, voiding, the index landing in the LKE, documents, API: role × action × own/other."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from pypdf import PdfReader
from rest_framework.test import APIClient

from assessments.models import Answer, Stage, Track
from reports.models import Kind, ReportJob, Status
from surveys import selectors, services
from surveys.models import Landing, Response, SurveyPeriod
from tests.factories import make_assessment, survey_period, survey_submit

READERS = ["inspektorat_admin", "evaluator", "leadership", "tpn_observer"]
UNIT = ["unit_head", "unit_operator"]


@pytest.fixture
def period(world):
    p = survey_period(world["own"], world["users"]["unit_head"])
    survey_submit(p, 3, spak=4, spkp=4)
    survey_submit(p, 2, spak=3, spkp=3)  # IPAK = IPKP = 3,60
    return p


# --- who sees what -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", READERS + UNIT)
def test_readers_and_own_unit_see_results(role, world, period, login):
    page = login(world["users"][role]).get(reverse("surveys:detail", args=[period.pk]))
    assert page.status_code == 200
    assert "3,60" in page.content.decode()


@pytest.mark.parametrize(
    "role", ["other_head", "other_operator", "foreign_admin", "foreign_operator", "outsider"]
)
@pytest.mark.parametrize(
    "name", ["surveys:detail", "surveys:responses", "surveys:poster", "surveys:xlsx"]
)
def test_other_units_and_pemda_get_404(role, name, world, period, login):
    assert login(world["users"][role]).get(reverse(name, args=[period.pk])).status_code == 404


@pytest.mark.parametrize(
    "role,allowed",
    [
        ("inspektorat_admin", True),
        ("unit_head", True),
        ("unit_operator", True),
        ("evaluator", False),
        ("leadership", False),
        ("tpn_observer", False),
        ("other_head", False),
        ("foreign_admin", False),
    ],
)
def test_who_may_open_a_period_for_the_own_unit(role, allowed, world):
    user = world["users"][role]
    if allowed:
        assert survey_period(world["own"], user).sample_target == 108  # 150 recipients
    else:
        with pytest.raises(PermissionDenied):
            survey_period(world["own"], user)


def test_open_page_offers_only_units_the_person_may_open_for(world, login):
    client = login(world["users"]["unit_operator"])
    page = client.get(reverse("surveys:open")).content.decode()
    assert "Dinas Milik Sendiri" in page and "Dinas Lain" not in page
    response = client.post(
        reverse("surveys:open"),
        {
            "unit": world["other"].pk,
            "year": 2026,
            "name": "Semester I",
            "population": 100,
            "service_types": "KTP",
            "starts_on": "2026-01-02",
        },
    )
    assert response.status_code == 200 and not SurveyPeriod.objects.exists()
    assert login(world["users"]["leadership"]).get(reverse("surveys:open")).status_code == 403


def test_open_page_computes_the_sample_and_keeps_bad_input(world, login):
    client = login(world["users"]["inspektorat_admin"])
    bad = client.post(
        reverse("surveys:open"),
        {
            "unit": world["own"].pk,
            "year": 2026,
            "name": "S1",
            "population": "",
            "service_types": " ",
        },
    )
    html = bad.content.decode()
    assert html.count('class="field has-error"') == 3  # population, service types, start date
    assert 'value="S1"' in html
    ok = client.post(
        reverse("surveys:open"),
        {
            "unit": world["own"].pk,
            "year": 2026,
            "name": "Semester I 2026",
            "population": 1000,
            "service_types": "Perizinan berusaha\nIzin mendirikan bangunan",
            "starts_on": "2026-01-02",
        },
        follow=True,
    )
    assert "Target sampel: 278 responden." in ok.content.decode()
    assert SurveyPeriod.objects.get().service_types == [
        "Perizinan berusaha",
        "Izin mendirikan bangunan",
    ]


def test_list_page_queries_do_not_grow_with_periods(world, login, django_assert_max_num_queries):
    client = login(world["users"]["inspektorat_admin"])
    for unit in (world["own"], world["other"]):
        survey_submit(survey_period(unit, world["users"]["inspektorat_admin"]), 2)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("surveys:list"))
    for _ in range(8):
        survey_submit(survey_period(world["other"], world["users"]["inspektorat_admin"]), 3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("surveys:list"))
    assert page.content.decode().count("Semester I 2026") == 10


# --- voiding ------------------------------------------------------------------------------------


def test_admin_voids_with_reason_and_the_response_leaves_the_results(world, period, login):
    bad = Response.objects.filter(period=period, answers__A1=3).first()
    client = login(world["users"]["inspektorat_admin"])
    client.post(
        reverse("surveys:void", args=[period.pk, bad.pk]),
        {"reason": "Diisi petugas sendiri (pengakuan saat monev)"},
    )
    bad.refresh_from_db()
    assert bad.voided and bad.voided_by == world["users"]["inspektorat_admin"]
    assert bad.void_reason == "Diisi petugas sendiri (pengakuan saat monev)"
    results = selectors.period_results(period)
    assert results["n"] == 4 and results["voided"] == 1
    assert results["indices"]["IPAK"]["index"] == Decimal("3.75")  # (30×4 + 10×3) / 40
    assert Response.objects.filter(period=period).count() == 5  # still there
    page = client.get(reverse("surveys:responses", args=[period.pk])).content.decode()
    assert "Diisi petugas sendiri" in page


def test_void_needs_a_reason_and_happens_once(world, period):
    admin = world["users"]["inspektorat_admin"]
    response = Response.objects.filter(period=period).first()
    with pytest.raises(services.SurveyError, match="alasan"):
        services.void_response(response=response, by=admin, reason="  ")
    services.void_response(response=response, by=admin, reason="ganda")
    with pytest.raises(services.SurveyError, match="sudah dibatalkan"):
        services.void_response(response=response, by=admin, reason="lagi")


@pytest.mark.parametrize("role", ["unit_head", "unit_operator", "evaluator", "leadership"])
def test_only_the_admin_may_void(role, world, period, login):
    response = Response.objects.filter(period=period).first()
    reply = login(world["users"][role]).post(
        reverse("surveys:void", args=[period.pk, response.pk]), {"reason": "tidak suka"}
    )
    assert reply.status_code == 403
    response.refresh_from_db()
    assert not response.voided


# --- the LKE ------------------------------------------------------------------------------------


def _answer(assessment, index, track):
    question = services.survey_questions(assessment)[index]
    return Answer.objects.filter(assessment=assessment, question=question, track=track).first()


@pytest.mark.parametrize("closer", ["unit_head", "inspektorat_admin"])
def test_closing_lands_the_index_in_the_self_assessment_with_its_source(
    closer, world, period, login
):
    assessment = make_assessment(world["own"])
    client = login(world["users"][closer])
    reply = client.post(reverse("surveys:close", args=[period.pk]), follow=True)
    assert "IPAK 3,60 masuk ke LKE penilaian mandiri (n = 5)." in reply.content.decode()
    period.refresh_from_db()
    assert not period.is_open
    for index in ("IPAK", "IPKP"):
        answer = _answer(assessment, index, Track.SELF)
        assert Decimal(answer.value) == Decimal("3.60")
        assert answer.updated_by == world["users"][closer]
        assert answer.note.startswith("Dari survei Semester I 2026 (n = 5, ")
    landing = Landing.objects.get(period=period, index="IPAK")
    assert (landing.value, landing.respondents) == (Decimal("3.60"), 5)
    assessment.refresh_from_db()
    assert assessment.scores_requested_at is not None  # scores recompute as for any answer
    sheet = login(world["users"]["unit_operator"]).get(
        reverse("assessments:worksheet", args=[assessment.pk, "self"]) + "?area=HASIL"
    )
    assert "Sumber: survei Semester I 2026 — 3,60, n = 5" in sheet.content.decode()


def test_landing_refused_when_the_lke_is_locked_for_the_unit(world, period):
    make_assessment(world["own"], stage=Stage.NOMINATED)
    with pytest.raises(services.SurveyError, match="sudah dikunci"):
        services.land_index(period=period, by=world["users"]["unit_head"])
    assert not Landing.objects.exists()


def test_landing_without_an_assessment_says_so(world, period):
    with pytest.raises(services.SurveyError, match="belum punya penilaian ZI tahun 2026"):
        services.land_index(period=period, by=world["users"]["unit_head"])


@pytest.mark.parametrize("role", ["evaluator", "leadership", "other_head"])
def test_readers_cannot_land_or_close(role, world, period):
    make_assessment(world["own"])
    with pytest.raises(PermissionDenied):
        services.land_index(period=period, by=world["users"][role])
    with pytest.raises(PermissionDenied):
        services.close_period(period=period, by=world["users"][role])


def test_tpi_accepts_the_index_or_enters_its_own_with_a_reason(world, period, login):
    assessment = make_assessment(world["own"])
    services.land_index(period=period, by=world["users"]["unit_head"])
    client = login(world["users"]["evaluator"])
    client.post(reverse("surveys:tpi", args=[period.pk, "IPAK"]), {"accept": "1"})
    tpi = _answer(assessment, "IPAK", Track.TPI)
    assert Decimal(tpi.value) == Decimal("3.60") and tpi.note.startswith("Diterima dari survei")
    no_reason = client.post(
        reverse("surveys:tpi", args=[period.pk, "IPKP"]),
        {"value": "3.1", "reason": ""},
        follow=True,
    )
    assert "Isi nilai dan alasannya." in no_reason.content.decode()
    assert _answer(assessment, "IPKP", Track.TPI) is None
    client.post(
        reverse("surveys:tpi", args=[period.pk, "IPKP"]),
        {"value": "3,10", "reason": "Sampel tidak mencakup layanan malam"},
    )
    own = _answer(assessment, "IPKP", Track.TPI)
    assert (
        Decimal(own.value) == Decimal("3.10") and own.note == "Sampel tidak mencakup layanan malam"
    )
    # a unit member has no TPI track
    with pytest.raises(PermissionDenied):
        services.accept_into_tpi(
            landing=Landing.objects.get(index="IPAK"), by=world["users"]["unit_head"]
        )


# --- documents and API --------------------------------------------------------------------------


def test_poster_pdf_carries_the_short_link(world, period, login):
    reply = login(world["users"]["unit_operator"]).get(reverse("surveys:poster", args=[period.pk]))
    assert reply["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(reply.content)).pages[0].extract_text()
    assert f"/s/{period.code}/" in text
    assert len(PdfReader(io.BytesIO(reply.content)).pages) == 1


def test_survey_report_is_a_report_job(world, period, login, django_capture_on_commit_callbacks):
    client = login(world["users"]["leadership"])
    with django_capture_on_commit_callbacks(execute=True):
        reply = client.post(reverse("surveys:report", args=[period.pk]))
    job = ReportJob.objects.get(kind=Kind.SURVEY)
    job.refresh_from_db()
    job = ReportJob.objects.get(kind=Kind.SURVEY)
    assert reply.status_code == 302 and f"job={job.pk}" in reply["Location"]
    assert job.status == Status.READY and job.unit == world["own"]
    from django.core.files.storage import default_storage

    text = "".join(
        p.extract_text() for p in PdfReader(default_storage.open(job.file.name, "rb")).pages
    )
    assert "Krejcie" in text and "3,60" in text and "Manipulasi peraturan" in text


def test_xlsx_has_every_response_and_no_formulas(world, login):
    period = survey_period(
        world["own"], world["users"]["unit_head"], services=('=HYPERLINK("x")', "KTP")
    )
    survey_submit(period, 2, service='=HYPERLINK("x")')
    reply = login(world["users"]["evaluator"]).get(reverse("surveys:xlsx", args=[period.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(reply.content))["Respons"]
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert len(rows) == 2
    cell = sheet.cell(row=3, column=3)
    assert cell.value == '=HYPERLINK("x")' and cell.data_type == "s"


def test_api_reads_results_and_exports_responses_but_writes_nothing(world, period):
    api = APIClient()
    api.force_authenticate(world["users"]["tpn_observer"])
    listing = api.get("/api/v1/survey-periods/").json()
    assert [p["id"] for p in listing["results"]] == [period.pk]
    results = api.get(f"/api/v1/survey-periods/{period.pk}/results/").json()
    assert results["indices"]["IPAK"]["index"] == "3.60" and results["n"] == 5
    export = api.get(f"/api/v1/survey-periods/{period.pk}/responses/").json()
    assert len(export["rows"]) == 5 and "A1" in export["columns"]
    assert api.post("/api/v1/survey-periods/", {}).status_code == 405
    assert api.post(f"/api/v1/survey-periods/{period.pk}/responses/", {}).status_code == 405
    foreign = APIClient()
    foreign.force_authenticate(world["users"]["foreign_admin"])
    assert foreign.get(f"/api/v1/survey-periods/{period.pk}/results/").status_code == 404
    assert foreign.get("/api/v1/survey-periods/").json()["results"] == []


def test_a_version_in_use_is_frozen(world, period):
    from django.core.exceptions import ValidationError

    questionnaire = period.questionnaire
    questionnaire.spec = {**questionnaire.spec, "name": "diubah"}
    with pytest.raises(ValidationError):
        questionnaire.full_clean()


def test_an_admin_adds_a_version_of_its_own(world):
    admin = world["users"]["inspektorat_admin"]
    base = services.default_questionnaire()
    spec = {**base.spec, "name": "Versi Kabupaten Uji"}
    own = services.import_questionnaire(spec=spec, by=admin, pemda=world["pemda"])
    assert services.default_questionnaire(world["pemda"]) == own
    assert services.default_questionnaire(world["other_pemda"]) == base
    with pytest.raises(PermissionDenied):
        services.import_questionnaire(
            spec=spec | {"name": "x"}, by=world["users"]["unit_head"], pemda=world["pemda"]
        )
    with pytest.raises(services.SurveyError):
        services.import_questionnaire(
            spec={**spec, "scale": {"min": 1}}, by=admin, pemda=world["pemda"]
        )


def test_dates_are_indonesian_on_the_results_page(world, period, login):
    period.ends_on = datetime.date(2026, 6, 30)
    period.save()
    html = login(world["users"]["unit_head"]).get(period.get_absolute_url()).content.decode()
    assert "30 Juni 2026" in html


@pytest.mark.parametrize("name", ["surveys:detail", "surveys:responses"])
def test_results_and_responses_pages_queries_do_not_grow_with_responses(
    name, world, login, django_assert_max_num_queries
):
    admin = world["users"]["inspektorat_admin"]
    period = survey_period(world["own"], admin)
    make_assessment(world["own"])
    survey_submit(period, 4)
    services.land_index(period=period, by=admin)
    services.void_response(response=Response.objects.first(), by=admin, reason="uji")
    client = login(admin)
    with django_assert_max_num_queries(30) as few:
        client.get(reverse(name, args=[period.pk]))
    survey_submit(period, 40)
    for response in Response.objects.filter(voided_at__isnull=True)[:5]:
        services.void_response(response=response, by=admin, reason="uji")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse(name, args=[period.pk])).status_code == 200
