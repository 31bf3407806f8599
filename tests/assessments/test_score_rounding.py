"""Stored scores are rounded half-up, like the worksheet shows them (not half-to-even)."""

from decimal import Decimal
from fractions import Fraction

from assessments import scoring, services
from assessments.models import Score, Track
from tests.factories import best_answers, fill


def _half_cent_case(instrument):
    """Answers whose exact total lies on a half cent (x.xx5), found by varying the IPAK index."""
    parsed = instrument.parsed()
    for hundredths in range(300, 401):
        answers = best_answers(instrument, ipak=f"{hundredths / 100:.2f}", capaian="B", ipkp="3.21")
        exact = scoring.score(parsed, answers).total.exact_score
        if (exact * 1000) % 10 == 5 and (exact * 1000).denominator == 1:
            return answers, exact
    raise AssertionError("no IPAK value gives a total on a half cent")


def test_stored_total_on_a_half_cent_is_rounded_up(zi):
    assessment = zi["assessment"]
    answers, exact = _half_cent_case(assessment.instrument)
    fill(assessment, Track.TPI, answers)

    services.compute_scores([assessment.pk])

    stored = Score.objects.get(assessment=assessment, track=Track.TPI).total
    expected = Decimal(int(exact * 100 + Fraction(1, 2))) / 100
    assert stored == expected
    assert stored * 1000 > exact * 1000  # up, not to the even cent below
