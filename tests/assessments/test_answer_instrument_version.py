"""An answer belongs to a question of the assessment's own LKE version, never to one of another
version that happens to carry the same question code."""

import copy

import pytest

from assessments import services
from assessments.models import Answer, Question, Track


@pytest.fixture
def other_version(zi):
    """The Pemda's own edition of the LKE: a new version of the same instrument, same question codes."""
    spec = copy.deepcopy(zi["instrument"].spec)
    spec["name"] = "LKE ZI 2024 (edisi Pemda)"
    instrument = services.import_instrument(
        spec=spec, pemda=zi["pemda"], by=zi["users"]["inspektorat_admin"]
    )
    assert instrument.pk != zi["instrument"].pk
    return instrument


def test_an_answer_to_a_question_of_another_lke_version_is_refused(zi, other_version):
    foreign_question = Question.objects.get(instrument=other_version, code="PEM-MP-01.a")
    with pytest.raises(services.AnswerError, match="bukan bagian dari LKE penilaian ini"):
        services.save_answer(
            assessment=zi["assessment"],
            question=foreign_question,
            track=Track.SELF,
            by=zi["users"]["unit_operator"],
            value="Ya",
        )
    assert not Answer.objects.filter(assessment=zi["assessment"]).exists()


def test_the_same_code_in_the_assessments_own_version_is_saved(zi, other_version):
    own_question = Question.objects.get(instrument=zi["instrument"], code="PEM-MP-01.a")
    services.save_answer(
        assessment=zi["assessment"],
        question=own_question,
        track=Track.SELF,
        by=zi["users"]["unit_operator"],
        value="Ya",
    )
    assert Answer.objects.get(assessment=zi["assessment"]).question == own_question
