"""Zero denominators stay a pure part of scoring: whatever the answers and whatever reading of a
zero denominator (the instrument's or the TPI's), scores stay within their weights, sums agree, and
"full" ≥ "not applicable" ≥ "zero" (hypothesis)."""

import importlib
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from assessments.scoring import FULL, NONE_SCORED, NOT_APPLICABLE, parse_instrument, score  # noqa: E402

_seed_v1 = importlib.import_module("assessments.migrations.0002_seed_lke_2024")
_seed_v2 = importlib.import_module("assessments.migrations.0012_seed_lke_2024_v2_zero_denominators")
V2_DATA = _seed_v2.version_2(_seed_v1.frozen_spec())
V2 = parse_instrument(V2_DATA)
PERCENT = sorted(code for code, q in V2.questions.items() if q.numerator)
COUNTS = sorted({code for q in V2.questions.values() for _, code in q.numerator + q.denominator})
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Choice answers fixed at their best; the counts that feed % questions drawn, zeros likely.
BASE = {
    code: next(iter(q.answer_type.options))
    for code, q in V2.questions.items()
    if q.answer_type.options
} | {code: "3.6" for code, q in V2.questions.items() if q.answer_type.maximum is not None}
counts = st.fixed_dictionaries(
    {code: st.sampled_from(["0", "0", "1", "3", "10"]) for code in COUNTS}
)
readings = st.dictionaries(
    st.sampled_from(PERCENT), st.sampled_from([FULL, NOT_APPLICABLE, NONE_SCORED])
)


@SETTINGS
@given(counts, readings)
def test_every_node_stays_within_its_weight_and_sums_agree(entered, zero_rules):
    tree = score(V2, {**BASE, **entered}, zero_rules)
    for node in [
        tree.total,
        *tree.components.values(),
        *tree.areas.values(),
        *tree.indicators.values(),
    ]:
        assert 0 <= node.exact_score <= node.exact_weight, node.code
    assert tree.total.exact_score == sum(i.exact_score for i in tree.indicators.values())


@SETTINGS
@given(counts)
def test_full_scores_at_least_not_applicable_which_scores_at_least_zero(entered):
    answers = {**BASE, **entered}
    full, not_applicable, zero = (
        score(V2, answers, dict.fromkeys(PERCENT, rule)).total.exact_score
        for rule in (FULL, NOT_APPLICABLE, NONE_SCORED)
    )
    assert full >= not_applicable >= zero


def test_the_two_known_cases_default_to_full_with_their_reason():
    for code in ("REF-SDM-03.a", "REF-PWS-02.a"):
        assert V2.questions[code].zero_denominator == FULL
        assert len(V2.questions[code].zero_denominator_reason) > 40
