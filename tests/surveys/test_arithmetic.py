"""Sample size and index arithmetic, checked against the published table and hand-worked examples."""

import copy
import json
from decimal import Decimal

import pytest

from surveys import scoring
from surveys.services import DEFAULT_FILE

SPEC = json.loads(DEFAULT_FILE.read_text("utf-8"))
SPAK = [i["code"] for s in SPEC["surveys"] if s["index"] == "IPAK" for i in s["items"]]
SPKP = [i["code"] for s in SPEC["surveys"] if s["index"] == "IPKP" for i in s["items"]]


def respondent(spak_values, spkp_values=4):
    """One respondent's answers: an int for every item, or a list per item."""

    def spread(codes, values):
        values = values if isinstance(values, list) else [values] * len(codes)
        return dict(zip(codes, values, strict=True))

    return spread(SPAK, spak_values) | spread(SPKP, spkp_values)


@pytest.mark.parametrize("population,sample", sorted(scoring.KREJCIE_MORGAN_TABLE.items()))
def test_sample_size_reproduces_every_row_of_the_published_table(population, sample):
    assert scoring.sample_size(population) == sample


def test_sample_size_examples_from_the_regulation_table():
    assert [scoring.sample_size(n) for n in (100, 1000, 10000, 100000)] == [80, 278, 370, 384]


def test_formula_differs_from_the_table_only_at_100000():
    differ = {
        n: (scoring.krejcie_morgan(n), s)
        for n, s in scoring.KREJCIE_MORGAN_TABLE.items()
        if scoring.krejcie_morgan(n) != s
    }
    assert differ == {100000: (383, 384)}


def test_sample_between_rows_follows_the_formula_and_never_exceeds_population():
    assert (
        scoring.sample_size(125) == 94
    )  # 94,49 by the formula, between the rows 120→92 and 130→97
    assert scoring.sample_size(7) == 7
    assert scoring.sample_size(0) == 0


def test_index_is_the_mean_over_respondents_and_items():
    # 3 respondents all 4, 2 respondents all 3 on SPAK: (30×4 + 20×3) / 50 = 3,60 exactly.
    answers = [respondent(4)] * 3 + [respondent(3)] * 2
    ipak = scoring.index_results(SPEC, answers)["IPAK"]
    assert ipak["n"] == 5
    assert ipak["index"] == Decimal("3.60")
    assert ipak["ikm"] == Decimal("90.00")
    assert ipak["lke_value"] == Decimal("3.60")
    assert ipak["meets"] == {"WBK": True, "WBBM": True}
    assert [row["mean"] for row in ipak["items"]] == [Decimal("3.60")] * 10


def test_ipak_just_below_3_60_misses_both_thresholds():
    # 10 respondents × 10 items = 100 answers summing to 359: 3,59.
    answers = [respondent(4)] * 5 + [respondent([4] * 9 + [3])] + [respondent(3)] * 4
    assert sum(a[c] for a in answers for c in SPAK) == 359
    ipak = scoring.index_results(SPEC, answers)["IPAK"]
    assert ipak["index"] == Decimal("3.59")
    assert ipak["meets"] == {"WBK": False, "WBBM": False}


def test_ipkp_at_3_20_meets_wbk_but_not_wbbm():
    # 5 respondents × 9 items = 45 answers: nine 4s and thirty-six 3s sum to 144, 144 / 45 = 3,20.
    answers = [respondent(4, [4] * 9)] + [respondent(4, 3)] * 4
    ipkp = scoring.index_results(SPEC, answers)["IPKP"]
    assert ipkp["index"] == Decimal("3.20")
    assert ipkp["ikm"] == Decimal("80.00")
    assert ipkp["meets"] == {"WBK": True, "WBBM": False}


def test_ipkp_3_18_misses_wbk():
    # 50 answers summing to 159 would need 50 items; use 5 respondents × 9 = 45 answers summing to 143.
    answers = [respondent(4, [4] * 8 + [3])] + [respondent(4, 3)] * 4
    ipkp = scoring.index_results(SPEC, answers)["IPKP"]
    assert ipkp["exact"] == Decimal(143) / Decimal(45)
    assert ipkp["index"] == Decimal("3.18")
    assert ipkp["meets"]["WBK"] is False


def test_index_rounds_half_up_to_two_places():
    # 8 respondents × 10 items: 80 answers summing to 286 = 3,575 → 3,58 (half-up, not banker's).
    answers = [respondent([4] * 6 + [3] * 4)] * 6 + [respondent([4] * 5 + [3] * 5)] * 2
    total = sum(a[c] for a in answers for c in SPAK)
    assert total == 286
    assert scoring.index_results(SPEC, answers)["IPAK"]["index"] == Decimal("3.58")


def test_conversion_to_the_lke_value_comes_from_the_version():
    spec = copy.deepcopy(SPEC)
    spec["scale"] = {"min": 1, "max": 5}
    spec["lke_factor"] = "0.8"
    for survey in spec["surveys"]:
        for item in survey["items"]:
            item["options"] = ["1", "2", "3", "4", "5"]
    assert scoring.validate_spec(spec) == []
    codes = [i["code"] for i in scoring.items(spec)]
    answers = [dict.fromkeys(codes, 5), dict.fromkeys(codes, 4)]
    ipak = scoring.index_results(spec, answers)["IPAK"]
    assert ipak["index"] == Decimal("4.50")
    assert ipak["lke_value"] == Decimal("3.60")  # 4,50 × 0,8 on the LKE's 0–4


def test_no_answers_gives_no_index():
    ipak = scoring.index_results(SPEC, [])["IPAK"]
    assert ipak["n"] == 0 and ipak["index"] is None and ipak["meets"]["WBK"] is False


def test_default_questionnaire_is_valid_with_10_spak_items_and_9_skm_unsur():
    assert scoring.validate_spec(SPEC) == []
    assert len(SPAK) == 10 and len(SPKP) == 9


def test_validation_names_each_problem():
    spec = copy.deepcopy(SPEC)
    spec["surveys"][0]["items"][0]["options"] = ["a", "b"]
    spec["surveys"][1]["items"][1]["code"] = spec["surveys"][1]["items"][0]["code"]
    errors = scoring.validate_spec(spec)
    assert any("jumlah arti pilihan harus 4" in e for e in errors)
    assert any("ganda" in e for e in errors)
