"""LKE xlsx: export through a report job, import of one track back with a row-level error report."""

import io

import openpyxl
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments import answer_xlsx as xlsx
from assessments.models import Answer, Stage, Track
from assessments.services import normalize_value
from evidence import services as evidence_services
from reports import services
from reports.models import Kind, Status
from tests.factories import best_answers, fill

HEADER_ROW = xlsx.HEADER_ROW


def _export(rz, by, django_capture_on_commit_callbacks, assessment=None):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.request_report(
            kind=Kind.LKE_XLSX, by=by, assessment=assessment or rz["assessment"]
        )
    job.refresh_from_db()
    assert job.status == Status.READY, job.error
    with default_storage.open(job.file.name, "rb") as fh:
        return job, fh.read()


def _sheet(raw):
    wb = openpyxl.load_workbook(io.BytesIO(raw))
    return wb, wb[xlsx.SHEET]


def _rows(ws):
    header = [c.value for c in ws[HEADER_ROW]]
    return header, {r[0].value: r for r in ws.iter_rows(min_row=HEADER_ROW + 1)}


def _upload(wb, name="lke.xlsx"):
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type=xlsx.XLSX_CONTENT_TYPE)


def test_export_has_questions_answers_per_track_scores_and_evidence(
    rz, django_capture_on_commit_callbacks
):
    a = rz["assessment"]
    fill(a, Track.SELF, {"PEM-MP-01.a": "Ya", "HSL-BERSIH-01.a": "3.60"})
    fill(a, Track.TPI, {"PEM-MP-01.a": "Tidak"})
    question = a.instrument.questions.get(code="PEM-MP-01.a")
    evidence_services.add_link(
        assessment=a,
        question=question,
        url="https://jdih.example.go.id/sk-tim-zi",
        title="SK Tim ZI",
        by=rz["users"]["unit_operator"],
    )
    _job, raw = _export(rz, rz["users"]["unit_operator"], django_capture_on_commit_callbacks)
    _wb, ws = _sheet(raw)
    header, rows = _rows(ws)
    assert header == xlsx.HEADER
    assert len(rows) == a.instrument.questions.count()
    row = {h: c.value for h, c in zip(header, rows["PEM-MP-01.a"], strict=False)}
    assert row["mandiri"] == "Ya" and row["tpi"] == "Tidak" and not row["tpn"]
    assert row["skor_mandiri"] > 0 and row["skor_tpi"] == 0
    assert "SK Tim ZI — https://jdih.example.go.id/sk-tim-zi" in row["data_dukung"]
    assert rows["HSL-BERSIH-01.a"][header.index("mandiri")].value == "3.60"


def test_round_trip_saves_the_units_answers_with_history(rz, django_capture_on_commit_callbacks):
    a = rz["assessment"]
    operator = rz["users"]["unit_operator"]
    _job, raw = _export(rz, operator, django_capture_on_commit_callbacks)
    wb, ws = _sheet(raw)
    header, rows = _rows(ws)
    column = header.index("mandiri")
    values = best_answers(a.instrument)
    computed = {
        c for c, q in a.instrument.parsed().questions.items() if q.answer_type.kind == "computed"
    }
    for code, value in values.items():
        rows[code][column].value = value
    report = xlsx.import_lke(assessment=a, track=Track.SELF, fileobj=_upload(wb), by=operator)
    assert report.ok, [str(e) for e in report.errors]
    stored = dict(
        Answer.objects.filter(assessment=a, track=Track.SELF).values_list("question__code", "value")
    )
    parsed = a.instrument.parsed()
    assert stored == {
        c: normalize_value(parsed, c, v) for c, v in values.items() if c not in computed
    }
    assert report.saved == len(stored)
    answer = Answer.objects.get(assessment=a, track=Track.SELF, question__code="PEM-MP-01.a")
    assert answer.history.first().history_user == operator
    # Importing the same file again changes nothing.
    again = xlsx.import_lke(assessment=a, track=Track.SELF, fileobj=_upload(wb), by=operator)
    assert again.ok and again.saved == 0 and again.unchanged == len(stored)


def test_one_bad_row_saves_nothing_and_each_problem_is_reported(
    rz, django_capture_on_commit_callbacks
):
    a = rz["assessment"]
    operator = rz["users"]["unit_operator"]
    _job, raw = _export(rz, operator, django_capture_on_commit_callbacks)
    wb, ws = _sheet(raw)
    header, rows = _rows(ws)
    column = header.index("mandiri")
    rows["PEM-MP-01.a"][column].value = "Ya"
    rows["PEM-MP-01.b"][column].value = "Z"  # not an option
    rows["HSL-BERSIH-01.a"][column].value = "9,5"  # survey index above 4
    bad_code_row = ws.max_row + 1
    ws.cell(row=bad_code_row, column=1, value="PEM-XX-99.a")
    ws.cell(row=bad_code_row, column=column + 1, value="Ya")
    report = xlsx.import_lke(assessment=a, track=Track.SELF, fileobj=_upload(wb), by=operator)
    assert not report.ok
    messages = [str(e) for e in report.errors]
    assert len(messages) == 3
    line_b = rows["PEM-MP-01.b"][0].row
    assert any(m.startswith(f"LKE baris {line_b}, kolom 'mandiri': PEM-MP-01.b") for m in messages)
    assert any("HSL-BERSIH-01.a" in m for m in messages)
    assert any(
        f"baris {bad_code_row}" in m and "PEM-XX-99.a tidak ada di LKE" in m for m in messages
    )
    assert not Answer.objects.filter(assessment=a).exists()


def test_import_is_refused_when_the_lke_is_locked_for_the_unit(
    rz, django_capture_on_commit_callbacks
):
    a = rz["assessment"]
    operator = rz["users"]["unit_operator"]
    _job, raw = _export(rz, operator, django_capture_on_commit_callbacks)
    wb, ws = _sheet(raw)
    header, rows = _rows(ws)
    rows["PEM-MP-01.a"][header.index("mandiri")].value = "Ya"
    a.stage = Stage.NOMINATED
    a.save()
    report = xlsx.import_lke(assessment=a, track=Track.SELF, fileobj=_upload(wb), by=operator)
    assert not report.ok and "tidak dapat mengisi jawaban Penilaian mandiri" in str(
        report.errors[0]
    )
    assert not Answer.objects.exists()


def test_evaluator_imports_the_tpi_column(rz, django_capture_on_commit_callbacks):
    a = rz["assessment"]
    evaluator = rz["users"]["evaluator"]
    _job, raw = _export(rz, evaluator, django_capture_on_commit_callbacks)
    wb, ws = _sheet(raw)
    header, rows = _rows(ws)
    rows["PEM-MP-01.a"][header.index("tpi")].value = "Ya"
    rows["PEM-MP-01.a"][
        header.index("mandiri")
    ].value = "Tidak"  # other tracks' columns are not read
    report = xlsx.import_lke(assessment=a, track=Track.TPI, fileobj=_upload(wb), by=evaluator)
    assert report.ok
    assert list(Answer.objects.values_list("track", "value")) == [("tpi", "Ya")]


@pytest.mark.parametrize(
    "content,name,message",
    [
        (b"", "lke.xlsx", "Berkas kosong."),
        (b"bukan spreadsheet", "lke.xlsx", "tidak dapat dibaca"),
        (b"a;b", "lke.csv", "Format berkas tidak didukung"),
    ],
)
def test_unreadable_files_get_a_clear_message(rz, content, name, message):
    report = xlsx.import_lke(
        assessment=rz["assessment"],
        track=Track.SELF,
        fileobj=SimpleUploadedFile(name, content),
        by=rz["users"]["unit_operator"],
    )
    assert message in str(report.errors[0])


def test_a_file_of_another_instrument_is_refused(rz, django_capture_on_commit_callbacks):
    _job, raw = _export(rz, rz["users"]["unit_operator"], django_capture_on_commit_callbacks)
    wb, ws = _sheet(raw)
    ws["D2"] = 99
    report = xlsx.import_lke(
        assessment=rz["assessment"],
        track=Track.SELF,
        fileobj=_upload(wb),
        by=rz["users"]["unit_operator"],
    )
    assert "bukan LKE" in str(report.errors[0])


def test_import_page_lists_errors_and_check_only_saves_nothing(
    rz, django_capture_on_commit_callbacks, login
):
    operator = rz["users"]["unit_operator"]
    _job, raw = _export(rz, operator, django_capture_on_commit_callbacks)
    wb, ws = _sheet(raw)
    header, rows = _rows(ws)
    rows["PEM-MP-01.a"][header.index("mandiri")].value = "Mungkin"
    client = login(operator)
    url = reverse("reports:lke_xlsx", args=[rz["assessment"].pk])
    response = client.post(url, {"track": "self", "file": _upload(wb), "import": "1"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Tidak ada jawaban yang disimpan" in page and "PEM-MP-01.a" in page
    rows["PEM-MP-01.a"][header.index("mandiri")].value = "Ya"
    response = client.post(url, {"track": "self", "file": _upload(wb), "check": "1"})
    assert response.status_code == 200 and "Belum ada yang disimpan" in response.content.decode()
    assert not Answer.objects.exists()
    response = client.post(url, {"track": "self", "file": _upload(wb), "import": "1"})
    assert "Impor selesai: 1 jawaban berubah" in response.content.decode()
    assert Answer.objects.get().value == "Ya"


def test_other_units_operator_cannot_open_or_post_the_import_page(rz, login):
    client = login(rz["users"]["other_operator"])
    url = reverse("reports:lke_xlsx", args=[rz["assessment"].pk])
    assert client.get(url).status_code == 404  # another unit's assessment: as if it did not exist
    assert client.post(url, {"track": "self"}).status_code == 404


def test_leadership_sees_export_but_not_import(rz, login):
    page = login(rz["users"]["leadership"]).get(
        reverse("reports:lke_xlsx", args=[rz["assessment"].pk])
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "Buat berkas xlsx" in text and "Impor jawaban" not in text
