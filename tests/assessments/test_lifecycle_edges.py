"""Lifecycle edges the main lifecycle tests do not reach: withdrawing after the TPN review started,
the last year of the revocation cooldown, and an area exactly at its minimum share."""

import datetime
from decimal import Decimal

import pytest

from assessments import lifecycle, scoring
from assessments.models import Assessment, PemdaYear, Stage, Track, Transition
from assessments.services import answers_by_track
from tests.factories import best_answers, evaluation_done, fill, make_assessment

# --- withdrawing -------------------------------------------------------------------------------


@pytest.mark.parametrize("stage", [Stage.TPN_REVIEW, Stage.DESIGNATED_WBK, Stage.NOT_DESIGNATED])
def test_a_nomination_cannot_be_withdrawn_once_the_tpn_review_has_started(zi, stage):
    """Withdrawing is for a nomination KemenPANRB has not taken up yet; from the TPN review on the
    unit's LKE stays locked and the panel's result is awaited."""
    a = zi["assessment"]
    Assessment.objects.filter(pk=a.pk).update(stage=stage)
    with pytest.raises(lifecycle.TransitionError, match="berada pada tahap"):
        lifecycle.withdraw(
            assessment=a, by=zi["users"]["inspektorat_admin"], note="Ditarik untuk perbaikan"
        )
    assert Assessment.objects.get(pk=a.pk).stage == stage
    assert not Transition.objects.filter(assessment=a).exists()
    fresh = Assessment.objects.get(pk=a.pk)
    assert "withdraw" not in [
        s.name for s in lifecycle.available_steps(fresh, zi["users"]["inspektorat_admin"])
    ]


# --- revocation cooldown -----------------------------------------------------------------------


def _revoked_on(zi, effective):
    """The unit's 2026 designation revoked by a decree effective on ``effective``."""
    revoked = zi["assessment"]
    Assessment.objects.filter(pk=revoked.pk).update(stage=Stage.REVOKED)
    Transition.objects.create(
        assessment=revoked,
        name="revoke",
        source=Stage.DESIGNATED_WBK,
        target=Stage.REVOKED,
        by=zi["users"]["inspektorat_admin"],
        note="Pungli terbukti",
        on=effective,
        decree_number="KEP/12/2022",
    )


def _ready_in(zi, year):
    PemdaYear.objects.get_or_create(
        pemda=zi["pemda"], year=year, defaults={"bpk_opinion": "WTP", "sakip_grade": "BB"}
    )
    a = make_assessment(zi["unit"], year=year)
    fill(a, Track.TPI, best_answers(zi["instrument"]))
    return evaluation_done(a, zi["users"]["evaluator"])


def test_the_instrument_sets_a_two_year_cooldown(zi):
    # The boundary dates below follow from this figure of the shipped LKE.
    assert zi["instrument"].spec["nomination"]["revocation_cooldown_years"] == 2


def test_a_revoked_unit_is_still_refused_on_the_last_day_of_its_cooldown(zi):
    """Revoked from 15 June 2022 with a two-year cooldown: 14 June 2024 is closed, the message names
    the day it ends."""
    _revoked_on(zi, datetime.date(2022, 6, 15))
    a = _ready_in(zi, 2024)
    with pytest.raises(lifecycle.TransitionError) as err:
        lifecycle.nominate(
            assessment=a, by=zi["users"]["inspektorat_admin"], on=datetime.date(2024, 6, 14)
        )
    assert err.value.reasons == [
        "Predikat unit ini dicabut berlaku 15 Juni 2022 (KEP/12/2022); unit baru dapat diusulkan "
        "lagi mulai 15 Juni 2024."
    ]
    assert Assessment.objects.get(pk=a.pk).stage == Stage.DEVELOPMENT


def test_a_revoked_unit_may_be_nominated_again_the_day_its_cooldown_ends(zi):
    _revoked_on(zi, datetime.date(2022, 6, 15))
    a = _ready_in(zi, 2024)
    lifecycle.nominate(
        assessment=a, by=zi["users"]["inspektorat_admin"], on=datetime.date(2024, 6, 15)
    )
    assert Assessment.objects.get(pk=a.pk).stage == Stage.NOMINATED


# --- each area's minimum share (WBK: 60% of the area's weight) ----------------------------------


def _mp_area_at(zi, *, agents, changes):
    """TPI answers at their best except in Manajemen Perubahan (weight 8): the Pemenuhan half full
    (4), REF-MP-02 and REF-MP-03 at their lowest (0), and REF-MP-01 (weight 2) from two % questions of
    ``changes / agents`` each. 4 + 2 × 2/5 = 4.8 = exactly 60% of 8."""
    values = best_answers(zi["instrument"])
    values.update(
        {
            "REF-MP-02.a": "E",
            "REF-MP-03.a": "D",
            "REF-MP-01.j1": str(agents),
            "REF-MP-01.j2": str(changes),
            "REF-MP-01.j3": str(agents),
            "REF-MP-01.j4": str(changes),
        }
    )
    fill(zi["assessment"], Track.TPI, values)
    return evaluation_done(zi["assessment"], zi["users"]["evaluator"])


def _mp_share(a):
    answers = answers_by_track([a.pk])[a.pk][Track.TPI.value]
    return scoring.score(a.instrument.parsed(), answers).areas["MP"].exact_share


def test_an_area_exactly_at_its_minimum_share_passes_the_gate_and_the_unit_is_nominated(zi):
    a = _mp_area_at(zi, agents=5, changes=2)
    assert _mp_share(a) == Decimal("0.6")  # the setup is what the test claims
    assert lifecycle.nomination_blockers(a, "WBK") == []
    lifecycle.nominate(assessment=a, by=zi["users"]["inspektorat_admin"], target="WBK")
    assert Assessment.objects.get(pk=a.pk).stage == Stage.NOMINATED


def test_an_area_just_below_its_minimum_share_blocks_the_nomination(zi):
    a = _mp_area_at(zi, agents=1000, changes=399)  # 4 + 2 × 0.399 = 4.798 → 59.975%
    assert _mp_share(a) < Decimal("0.6")
    with pytest.raises(lifecycle.TransitionError) as err:
        lifecycle.nominate(assessment=a, by=zi["users"]["inspektorat_admin"], target="WBK")
    [reason] = err.value.reasons
    # 59,975% is rounded down beside its minimum: never a missed "60,0%, minimal 60%".
    assert "Setiap area perubahan" in reason and "59,9%, minimal 60%" in reason
    assert Assessment.objects.get(pk=a.pk).stage == Stage.DEVELOPMENT
