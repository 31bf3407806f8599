"""One Indonesian way to write numbers, shares and dates (zi_portal.formats): pages, messages, PDFs
and xlsx print the same text, inputs read "3,5" and show it back as "3,5", and official documents
stay Indonesian for someone using the English UI."""

import io
import re
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone, translation

from assessments import services as assessment_services
from assessments.models import Answer, Question, Track
from reports import services as report_services
from reports.models import Kind, ReportJob, Status
from tests.reports.helpers import pdf_text
from zi_portal import formats
from zi_portal.formats.parse import parse_number

# --- the functions -----------------------------------------------------------------------------


def test_figures_and_dates_read_indonesian_by_default():
    assert formats.number(Decimal("74.995")) == "75,00"  # half-up, like the stored scores
    assert formats.number(1234.5, 1, grouping=True) == "1.234,5"
    assert formats.percent(Decimal("0.5572")) == "55,7%"
    assert formats.percent(None) == "—"
    assert formats.signed(Decimal("-0.25")) == "\u22120,25"
    assert formats.long_date(date(2026, 2, 5)) == "5 Februari 2026"
    assert formats.short_date(date(2026, 8, 5)) == "5 Agu 2026"
    assert formats.long_date("2026-02-05") == "5 Februari 2026"  # as kept in a job's JSON
    moment = timezone.make_aware(datetime(2026, 3, 1, 7, 5), timezone.get_fixed_timezone(0))
    assert formats.date_time(moment) == "1 Maret 2026, 14.05"  # Jakarta's clock, UTC+7
    assert formats.short_date_time(moment) == "1 Mar 2026, 14.05"


def test_an_english_ui_reads_english_but_documents_are_built_in_indonesian():
    with translation.override("en"):
        assert formats.long_date(date(2026, 2, 5)) == "5 February 2026"
        assert formats.percent(Decimal("0.5572")) == "55.7%"
        with formats.document_language():
            assert formats.long_date(date(2026, 2, 5)) == "5 Februari 2026"
            assert formats.percent(Decimal("0.5572")) == "55,7%"
        assert translation.get_language() == "en"


def test_a_share_beside_its_gate_is_never_rounded_up_to_the_minimum():
    assert formats.percent(Decimal("0.59975")) == "60,0%"  # plain rounding would say "met"
    assert formats.gate_share(Decimal("0.59975")) == "59,9%"
    assert formats.gate_share(Decimal("0.6")) == "60,0%"
    assert formats.shortfall(Decimal("0.00025")) == "0,1%"  # never "kurang 0,0%"


@pytest.mark.parametrize(
    ("typed", "integer", "value"),
    [
        ("3,5", False, Decimal("3.5")),
        ("3.5", False, Decimal("3.5")),
        (" 3,60 ", False, Decimal("3.60")),
        ("1.234,5", False, Decimal("1234.5")),
        ("1,234.5", False, Decimal("1234.5")),  # pasted from an English spreadsheet
        ("1.234.567", False, Decimal("1234567")),
        ("1 234,5", False, Decimal("1234.5")),
        ("1.234", True, Decimal("1234")),  # a count: the dot groups thousands
        ("1.234", False, Decimal("1.234")),  # a value 0–4: the dot is a decimal point
        ("-2,5", False, Decimal("-2.5")),
        ("tiga", False, None),
        ("1.23,5", False, None),  # a misplaced group is refused, not guessed
        ("3,5,6", False, None),
        ("3,", False, None),
        ("2e3", False, None),
        ("", False, None),
    ],
)
def test_numbers_are_read_as_people_type_them(typed, integer, value):
    assert parse_number(typed, integer=integer) == value


def test_a_stored_answer_is_typed_back_with_a_decimal_comma():
    assert formats.input_text("3.5") == "3,5"
    assert formats.input_text("12") == "12"
    assert formats.input_text("A") == "A"
    assert formats.input_text(None) == ""


# --- the worksheet -----------------------------------------------------------------------------


def _question(zi, code):
    return Question.objects.get(instrument=zi["instrument"], code=code)


def test_three_comma_five_round_trips_through_the_worksheet(zi, client):
    a = zi["assessment"]
    client.force_login(zi["users"]["unit_operator"])
    question = _question(zi, "HSL-PRIMA-01.a")
    url = reverse("assessments:save_answer", args=[a.pk, "self", question.pk])
    html = client.post(url, {"value": "3,5", "revision": "0"}, HTTP_HX_REQUEST="true")
    assert "Tersimpan" in html.content.decode()
    assert Answer.objects.get(assessment=a, question=question).value == "3.5"
    worksheet = reverse("assessments:worksheet", args=[a.pk, "self"])
    page = client.get(worksheet, {"area": "HASIL"}).content.decode()
    field = re.search(rf'id="q{question.pk}-value" value="([^"]*)"', page)
    assert field and field.group(1) == "3,5"
    assert 'value="3.5"' not in page


def test_a_count_typed_with_a_thousands_dot_is_a_whole_number(zi):
    question = _question(zi, "REF-SDM-03.j1")
    saved = assessment_services.save_answer(
        assessment=zi["assessment"],
        question=question,
        track=Track.SELF,
        by=zi["users"]["unit_operator"],
        value="1.234",
    )
    assert saved.answer.value == "1234"


def test_garbage_in_a_numeric_answer_gets_an_indonesian_error_and_keeps_the_text(zi, client):
    a = zi["assessment"]
    client.force_login(zi["users"]["unit_operator"])
    question = _question(zi, "HSL-PRIMA-01.a")
    url = reverse("assessments:save_answer", args=[a.pk, "self", question.pk])
    html = client.post(
        url, {"value": "3,5,6", "revision": "0"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "harus angka antara 0 dan 4" in html and 'value="3,5,6"' in html
    assert not Answer.objects.filter(assessment=a, question=question).exclude(value="").exists()


def test_a_conflict_message_names_the_moment_the_indonesian_way(zi):
    question = _question(zi, "PEM-MP-01.a")
    common = {
        "assessment": zi["assessment"],
        "question": question,
        "track": Track.SELF,
        "by": zi["users"]["unit_operator"],
    }
    assessment_services.save_answer(**common, value="Ya")
    answer = Answer.objects.get(assessment=zi["assessment"], question=question)
    with pytest.raises(assessment_services.AnswerConflict) as err:
        assessment_services.save_answer(**common, value="Tidak", expected_revision=0)
    message = str(err.value)
    assert formats.date_time(answer.updated_at) in message
    assert not re.search(r"\d\d/\d\d/\d{4}", message)  # never "01/03/2026 14.05"


# --- pages and messages ------------------------------------------------------------------------


def test_the_report_list_names_the_joint_proclamation_date_in_words(rz, client):
    ReportJob.objects.create(
        kind=Kind.CHARTER,
        pemda=rz["pemda"],
        year=2026,
        params={"proclaimed_on": "2026-02-05"},
        requested_by=rz["users"]["inspektorat_admin"],
        status=Status.FAILED,
    )
    client.force_login(rz["users"]["inspektorat_admin"])
    html = client.get(reverse("reports:list")).content.decode()
    assert "(pencanangan 5 Februari 2026)" in html
    assert "2026-02-05)" not in html


def test_a_refused_joint_charter_names_its_date_like_every_other_message(rz, client):
    client.force_login(rz["users"]["inspektorat_admin"])
    response = client.post(
        reverse("reports:request"),
        {"kind": "charter", "pemda": rz["pemda"].pk, "proclaimed_on": "2026-03-01"},
        follow=True,
    )
    html = response.content.decode()
    assert "dicanangkan pada tanggal 1 Maret 2026" in html
    assert "01/03/2026" not in html


def test_survey_source_note_names_its_date_in_words():
    from surveys.services import source_note

    class Period:
        name = "Semester I 2026"

    assert source_note(Period(), 12, date(2026, 3, 1)) == (
        "Dari survei Semester I 2026 (n = 12, 1 Maret 2026)"
    )


def test_english_ui_shows_english_long_dates_in_pages(rz, client):
    client.force_login(rz["users"]["inspektorat_admin"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    a = rz["assessment"]
    html = client.get(reverse("assessments:detail", args=[a.pk])).content.decode()
    assert "5 February 2026" in html and "5 Februari 2026" not in html


def test_official_documents_stay_indonesian_for_an_english_ui_user(
    rz, django_capture_on_commit_callbacks
):
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        job = report_services.request_report(
            kind=Kind.PACT, by=rz["users"]["unit_head"], unit=rz["unit"], year=2026
        )
    job.refresh_from_db()
    assert job.status == Status.READY, job.error
    text = pdf_text(job)
    assert "Ujiharjo, 5 Februari 2026" in text
    assert "February" not in text


def test_gate_details_print_shares_as_the_rest_of_the_page():
    from assessments.templatetags.zi import low_areas

    gate = {
        "kind": "each_area_share",
        "low": [
            {"code": "MP", "area": "Manajemen Perubahan", "share": "0.5789"},
            {"code": "PP", "area": "Penguatan Pengawasan", "share": "0.59975"},
        ],
        "detail": ["Manajemen Perubahan: 57,89%", "Penguatan Pengawasan: 59,98%"],
    }
    text = low_areas(gate)
    assert text == "Manajemen Perubahan: 57,8%; Penguatan Pengawasan: 59,9%"
    # an outcome stored before "low" existed still shows its own text
    assert low_areas({"detail": ["Manajemen Perubahan: 57,89%"]}) == "Manajemen Perubahan: 57,89%"


# --- xlsx --------------------------------------------------------------------------------------


def _workbook(job):
    with default_storage.open(job.file.name, "rb") as fh:
        return openpyxl.load_workbook(io.BytesIO(fh.read()))


def test_recap_xlsx_scores_are_numbers_with_a_number_format(rz, django_capture_on_commit_callbacks):
    from tests.factories import best_answers, fill

    a = rz["assessment"]
    fill(a, Track.SELF, best_answers(a.instrument))
    assessment_services.compute_scores([a.pk])
    with django_capture_on_commit_callbacks(execute=True):
        job = report_services.request_report(
            kind=Kind.RECAP_XLSX, by=rz["users"]["inspektorat_admin"], pemda=rz["pemda"]
        )
    job.refresh_from_db()
    assert job.status == Status.READY, job.error
    ws = _workbook(job)["Rekap"]
    scored = [row for row in ws.iter_rows(min_row=4) if row[6].value is not None]
    assert scored, "the unit with answers has a self-assessment figure"
    for row in scored:
        assert row[6].data_type == "n" and row[6].number_format == "0.00"


def test_lke_xlsx_scores_are_numbers_and_answers_stay_text(rz, django_capture_on_commit_callbacks):
    from tests.factories import best_answers, fill

    a = rz["assessment"]
    fill(a, Track.SELF, best_answers(a.instrument))
    with django_capture_on_commit_callbacks(execute=True):
        job = report_services.request_report(
            kind=Kind.LKE_XLSX, by=rz["users"]["unit_head"], assessment=a
        )
    job.refresh_from_db()
    ws = _workbook(job).active
    scores = [row[9] for row in ws.iter_rows(min_row=5) if row[9].value is not None]
    assert scores
    assert all(c.data_type == "n" and c.number_format == "0.00" for c in scores)
    assert all(row[6].number_format == "@" for row in ws.iter_rows(min_row=5))


def test_the_monitoring_score_filter_reads_a_decimal_comma_and_shows_it_back(rz, client):
    client.force_login(rz["users"]["inspektorat_admin"])
    html = client.get(reverse("dashboards:inspektorat"), {"score_min": "72,5"}).content.decode()
    assert 'name="score_min" value="72,5"' in html
    assert "Tulis angka" not in html  # accepted, not refused


def test_a_survey_population_typed_with_a_thousands_dot_is_a_whole_number():
    from zi_portal.formats.fields import WholeNumberField

    field = WholeNumberField(min_value=1)
    assert field.clean("1.234") == 1234
    assert field.clean("1234") == 1234
    with pytest.raises(ValidationError, match="bilangan bulat"):
        field.clean("12,5")
