from evidence import services
from evidence.models import Status
from evidence.selectors import Counts, QuestionCount, completeness, completeness_totals
from tests.factories import AssessmentFactory, pdf_file

UPLOADERS = {"own": "unit_operator", "other": "other_operator", "foreign": "foreign_operator"}


def _upload(world, code, text, assessment="own"):
    return services.upload_file(
        assessment=world["assessments"][assessment],
        question=world["q"][code],
        uploaded_file=pdf_file(f"{text}.pdf", text),
        by=world["users"][UPLOADERS[assessment]],
    )


def test_completeness_per_question_area_and_total(world):
    q = world["q"]
    accepted = _upload(world, "PEM-MP-01.a", "sk")
    _upload(world, "PEM-MP-01.a", "uraian")
    rejected = _upload(world, "PEM-MP-01.b", "notula")
    _upload(world, "PEM-PP-01.a.1", "jumlah")  # a Jumlah row: not a scored question
    deleted = _upload(world, "PEM-PP-01.a", "dihapus")
    _upload(
        world, "PEM-MP-01.a", "unit lain", assessment="other"
    )  # another assessment: not counted
    evaluator = world["users"]["evaluator"]
    services.review(item=accepted, by=evaluator, status=Status.ACCEPTED, comment="")
    services.review(item=rejected, by=evaluator, status=Status.REJECTED, comment="Bukan notula ZI.")
    services.soft_delete(item=deleted, by=world["users"]["unit_operator"])

    result = completeness(world["assessments"]["own"])

    assert result.per_question[q["PEM-MP-01.a"].pk] == QuestionCount(2, 1)
    assert result.per_question[q["PEM-MP-01.b"].pk] == (1, 0)
    assert result.per_question[q["PEM-PP-01.a"].pk] == (0, 0)  # its only item was deleted
    assert result.per_question[q["PEM-PP-01.a.1"].pk] == (1, 0)
    assert result.per_area == {
        "MP": Counts(2, 1, 2),
        "PP": Counts(0, 0, 1),
        "BERSIH": Counts(0, 0, 1),
    }
    assert result.totals == (2, 1, 4)
    assert result.share() == 50


def test_completeness_runs_a_constant_number_of_queries(world, django_assert_num_queries):
    assessment = world["assessments"]["own"]
    for n in range(6):
        _upload(world, "PEM-MP-01.a", f"dokumen {n}")
    assessment.refresh_from_db()
    with django_assert_num_queries(3):  # instrument, questions, grouped counts
        completeness(assessment)


def test_unscored_types_are_read_from_the_instrument_data(world):
    instrument = world["instrument"]
    instrument.spec = {
        **instrument.spec,
        "answer_types": {"JUMLAH": {"scored": False}, "NILAI_0_4": {"scored": False}},
    }
    instrument.checksum = (
        "e" * 64
    )  # other content is another version (Instrument.structure() keys by it)
    assessment = AssessmentFactory(unit=world["own"], year=2027, instrument=instrument)
    assert completeness(assessment).totals.scored == 3


def test_totals_for_a_dashboard_of_many_assessments(world, django_assert_num_queries):
    _upload(world, "PEM-MP-01.a", "a")
    _upload(world, "PEM-MP-01.b", "b", assessment="own")
    assessments = list(world["assessments"].values())
    completeness_totals(assessments)  # the instrument's structure is read once per process
    with django_assert_num_queries(3):
        totals = completeness_totals(assessments)
    assert totals[world["assessments"]["own"].pk] == Counts(2, 0, 4)
    assert totals[world["assessments"]["foreign"].pk] == Counts(0, 0, 4)
