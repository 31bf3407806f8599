"""Errors of the xlsx readers carry structure (code, place) that code reads instead of the wording."""

import copy
import io

import openpyxl

from assessments import scoring
from assessments.instrument_io import load_shipped_spec
from assessments.instrument_xlsx import export_instrument, read_instrument_xlsx
from assessments.xlsx_reader import FILE_EMPTY, INSTRUMENT, NOT_A_NUMBER, SheetError


def test_scoring_problems_name_the_object_and_field():
    spec = copy.deepcopy(load_shipped_spec())
    spec["indicators"][0]["questions"][0]["answer_type"] = "ABCX"
    spec["components"][0]["weight"] = "61"
    problems = scoring.instrument_problems(spec)
    places = {(p.kind, p.code, p.field) for p in problems}
    question = spec["indicators"][0]["questions"][0]["code"]
    assert ("question", question, "answer_type") in places
    assert ("component", spec["components"][0]["code"], "weight") in places
    assert ("total", None, "weight") in places
    assert scoring.validate_instrument(spec) == [p.message for p in problems]


def _edited(edit) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(export_instrument(load_shipped_spec())))
    edit(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_scoring_problem_is_placed_by_its_fields_with_its_code():
    def edit(wb):
        ws = wb["Pertanyaan"]
        ws.cell(row=2, column=10, value="ABCX")  # jenis jawaban of the first question

    _spec, errors = read_instrument_xlsx(io.BytesIO(_edited(edit)))
    [error] = errors
    assert (error.sheet, error.row, error.column, error.code, error.kind) == (
        "Pertanyaan",
        2,
        "jenis jawaban",
        INSTRUMENT,
        "cell",
    )


def test_a_cell_problem_and_a_file_problem_have_codes():
    def edit(wb):
        wb["Pertanyaan"].cell(row=2, column=5, value="0,5x")  # bobot indikator

    _spec, errors = read_instrument_xlsx(io.BytesIO(_edited(edit)))
    assert [(e.code, e.column) for e in errors] == [(NOT_A_NUMBER, "bobot indikator")]
    _spec, errors = read_instrument_xlsx(io.BytesIO(b""))
    assert [(e.code, e.kind) for e in errors] == [(FILE_EMPTY, "file")]


def test_equality_ignores_the_code():
    assert SheetError("A", 2, "x", "pesan", "duplicate") == SheetError("A", 2, "x", "pesan")
