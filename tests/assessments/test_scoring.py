"""The pure LKE scoring engine: worked examples, invariants (hypothesis), and validation.

No database and no Django: these run with `-p no:django` as well as under pytest-django.
"""

import copy
import json
import sys
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# With `-p no:django` nothing else puts the project root on sys.path.
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from assessments.scoring import (  # noqa: E402
    InstrumentError,
    evaluate,
    parse_instrument,
    score,
    validate_instrument,
)

SHIPPED = ROOT / "assessments" / "instruments" / "lke-2024.json"


@pytest.fixture(scope="module")
def data():
    return json.loads(SHIPPED.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def lke(data):
    return parse_instrument(data)


def best_pengungkit_answers(data):
    """Every Pengungkit question at its maximum: A / Ya, and counts that make each % 100%."""
    answers = {}
    for indicator in data["indicators"]:
        if indicator["section"] not in ("PEMENUHAN", "REFORM"):
            continue
        for q in indicator["questions"]:
            if q["answer_type"] == "YA_TIDAK":
                answers[q["code"]] = "Ya"
            elif q["answer_type"] in ("ABC", "ABCD", "ABCDE"):
                answers[q["code"]] = "A"
            elif q["answer_type"] == "JUMLAH":
                answers[q["code"]] = 0
        for q in indicator["questions"]:  # "+" counts 1, "-" counts 0 -> every ratio is 1
            for sign, ref in q.get("formula", {}).get("numerator", []) + q.get("formula", {}).get(
                "denominator", []
            ):
                answers[ref] = 1 if sign == "+" else 0
    return answers


# --- worked examples ---------------------------------------------------------------------------


def test_zi_md_boundary_example_is_wbk_but_not_wbbm_because_of_ipkp(data, lke):
    # Pengungkit at maximum = 60.
    # IPAK 3.60 / 4 × 17.5 = 15.75; capaian B = 0.75 × 5 = 3.75; IPKP 3.20 / 4 × 17.5 = 14.00.
    # Total = 60 + 15.75 + 3.75 + 14.00 = 93.50.
    # WBK: 93.50 ≥ 75, 60 ≥ 40, every area 100% ≥ 60%, Bersih 19.50 ≥ 18.25, IPAK 15.75 ≥ 15.75,
    #      capaian 3.75 ≥ 2.50, IPKP 14.00 ≥ 14.00  -> all met.
    # WBBM: IPKP 14.00 < 15.75 -> missed by 1.75 (the unit already holds WBK).
    answers = best_pengungkit_answers(data)
    answers.update({"HSL-BERSIH-01.a": "3.60", "HSL-BERSIH-02.a": "B", "HSL-PRIMA-01.a": "3.20"})
    tree = score(lke, answers)
    assert tree.issues == ()
    assert tree.node("PENGUNGKIT") == Decimal("60")
    assert tree.node("HSL-BERSIH-01") == Decimal("15.75")
    assert tree.node("HSL-BERSIH-02") == Decimal("3.75")
    assert tree.node("HSL-PRIMA-01") == Decimal("14")
    assert tree.to_dict()["total"]["score"] == "93.50"

    outcome = evaluate(lke, tree, prior_designation="WBK")
    assert outcome.predicted == "WBK"
    assert outcome.missed("WBK") == []
    [ipkp] = outcome.missed("WBBM")
    assert (ipkp.code, ipkp.actual, ipkp.required, ipkp.gap) == (
        "IPKP",
        Decimal("14"),
        Decimal("15.75"),
        Decimal("1.75"),
    )


def test_wbbm_needs_a_prior_wbk_designation(data, lke):
    answers = best_pengungkit_answers(data)
    answers.update({"HSL-BERSIH-01.a": "4", "HSL-BERSIH-02.a": "A", "HSL-PRIMA-01.a": "4"})
    tree = score(lke, answers)
    assert tree.node("TOTAL") == Decimal("100")
    assert evaluate(lke, tree, prior_designation="WBK").predicted == "WBBM"
    without = evaluate(lke, tree)
    assert without.predicted == "WBK"
    assert [g.code for g in without.missed("WBBM")] == ["PRIOR_WBK"]
    assert without.missed("WBBM")[0].gap is None


def tiny_instrument(**scoring):
    """One component of 100: indicator X (weight 6) holds one question of each answer type."""
    return {
        "format": 1,
        "code": "TINY",
        "name": "Contoh kecil",
        "year": 2024,
        "scoring": {"decimals": 2, "round_indicators": False, **scoring},
        "answer_types": {
            "YA_TIDAK": {
                "label": "Ya/Tidak",
                "options": [{"value": "Ya", "fraction": "1"}, {"value": "Tidak", "fraction": "0"}],
            },
            "ABC": {
                "label": "A/B/C",
                "options": [
                    {"value": "A", "fraction": "1"},
                    {"value": "B", "fraction": "0.5"},
                    {"value": "C", "fraction": "0"},
                ],
            },
            "ABCD": {
                "label": "A/B/C/D",
                "options": [
                    {"value": "A", "fraction": "1"},
                    {"value": "B", "fraction": "0.67"},
                    {"value": "C", "fraction": "0.33"},
                    {"value": "D", "fraction": "0"},
                ],
                "alternatives": {"exact_thirds": {"B": "2/3", "C": "1/3"}},
            },
            "ABCDE": {
                "label": "A/B/C/D/E",
                "options": [
                    {"value": v, "fraction": f}
                    for v, f in zip("ABCDE", ("1", "0.75", "0.5", "0.25", "0"), strict=False)
                ],
            },
            "PERSEN": {"label": "%", "computed": True},
            "JUMLAH": {"label": "Jumlah", "scored": False},
            "NILAI_0_4": {"label": "Nilai", "min": "0", "max": "4"},
        },
        "areas": [{"code": "AR", "name": "Area", "order": 1}],
        "components": [
            {
                "code": "KOMP",
                "name": "Komponen",
                "weight": "100",
                "sections": [{"code": "BAG", "name": "Bagian", "weight": "100"}],
            }
        ],
        "indicators": [
            {
                "code": "X",
                "section": "BAG",
                "area": "AR",
                "name": "Semua jenis",
                "weight": "6",
                "questions": [
                    {"code": "X.ya", "answer_type": "YA_TIDAK"},
                    {"code": "X.abc", "answer_type": "ABC"},
                    {"code": "X.abcd", "answer_type": "ABCD"},
                    {"code": "X.abcde", "answer_type": "ABCDE"},
                    {"code": "X.nilai", "answer_type": "NILAI_0_4"},
                    {
                        "code": "X.pct",
                        "answer_type": "PERSEN",
                        "formula": {
                            "numerator": [["+", "X.prev"], ["-", "X.now"]],
                            "denominator": [["+", "X.prev"]],
                        },
                    },
                    {"code": "X.prev", "answer_type": "JUMLAH"},
                    {"code": "X.now", "answer_type": "JUMLAH"},
                ],
            },
            {
                "code": "Y",
                "section": "BAG",
                "area": "AR",
                "name": "Sisa bobot",
                "weight": "94",
                "questions": [{"code": "Y.ya", "answer_type": "YA_TIDAK"}],
            },
        ],
        "thresholds": [
            {
                "designation": "BAIK",
                "gates": [
                    {"code": "X", "kind": "node", "node": "X", "min": "3", "label": "Indikator X"}
                ],
            }
        ],
    }


def test_each_answer_type_converts_to_its_fraction_and_the_indicator_takes_the_mean():
    lke = parse_instrument(tiny_instrument())
    tree = score(
        lke,
        {
            "X.ya": "Ya",
            "X.abc": "B",
            "X.abcd": "C",
            "X.abcde": "B",
            "X.nilai": "3",
            "X.prev": "8",
            "X.now": 6,
        },
    )
    fractions = {
        code: tree.questions[code].fraction
        for code in ("X.ya", "X.abc", "X.abcd", "X.abcde", "X.nilai", "X.pct")
    }
    # Ya 1, B 0.5, C 0.33, B 0.75, 3/4 = 0.75, (8 − 6) / 8 = 0.25
    assert fractions == {
        "X.ya": 1,
        "X.abc": Decimal("0.5"),
        "X.abcd": Decimal("0.33"),
        "X.abcde": Decimal("0.75"),
        "X.nilai": Decimal("0.75"),
        "X.pct": Decimal("0.25"),
    }
    # mean = (1 + 0.5 + 0.33 + 0.75 + 0.75 + 0.25) / 6 = 3.58 / 6; × weight 6 = 3.58
    assert tree.node("X") == Decimal("3.58")
    assert tree.questions["X.prev"].scored is False
    assert tree.questions["X.pct"].value == Decimal("25.00")
    assert tree.indicators["X"].scored_count == 6 and tree.indicators["X"].answered_count == 6
    assert evaluate(lke, tree).predicted == "BAIK"


def test_exact_thirds_alternative_changes_an_abcd_b_answer():
    default = score(parse_instrument(tiny_instrument()), {"X.abcd": "B"})
    thirds = score(
        parse_instrument(tiny_instrument(fraction_alternative="exact_thirds")), {"X.abcd": "B"}
    )
    # weight 6 / 6 scored questions = 1 per question: 0.67 by default, 2/3 with exact thirds
    assert default.node("X") == Decimal("0.67")
    assert thirds.result("X").exact_score == Fraction(2, 3)
    assert thirds.to_dict()["indicators"][0]["score"] == "0.67"  # display still rounds


def test_percentage_with_zero_denominator_is_not_applicable_instead_of_crashing():
    lke = parse_instrument(tiny_instrument())
    tree = score(lke, {"X.ya": "Ya", "X.prev": 0, "X.now": 0})
    pct = tree.questions["X.pct"]
    assert (pct.applicable, pct.fraction, pct.score) == (False, None, 0)
    assert "penyebut nol" in pct.issue
    # the % leaves the mean: Ya plus four unanswered questions -> 6 × 1/5
    assert tree.node("X") == Decimal("1.2")
    assert pct.issue in tree.issues


def test_indicator_whose_only_question_is_not_applicable_scores_zero_with_an_issue():
    data = tiny_instrument()
    data["indicators"][0]["questions"] = [
        q for q in data["indicators"][0]["questions"] if q["code"] in ("X.pct", "X.prev", "X.now")
    ]
    tree = score(parse_instrument(data), {"X.prev": "0", "X.now": "0"})
    assert tree.node("X") == 0
    assert "semua pertanyaan tidak berlaku" in tree.indicators["X"].issue


def test_invalid_answers_score_zero_and_carry_an_issue_instead_of_crashing():
    lke = parse_instrument(tiny_instrument())
    tree = score(
        lke,
        {
            "X.ya": "Mungkin",
            "X.abc": "F",
            "X.abcd": 3,
            "X.nilai": "5",
            "X.prev": "-2",
            "X.now": "1.5",
            "TIDAK.ADA": "A",
            "X.pct": "90",
        },
    )
    for code in ("X.ya", "X.abc", "X.abcd", "X.nilai", "X.prev", "X.now"):
        result = tree.questions[code]
        assert result.answered is False and result.score == 0 and code in result.issue
    assert "data jumlah tidak valid" in tree.questions["X.pct"].issue
    assert tree.node("TOTAL") == 0
    assert "Kode pertanyaan tidak dikenal: TIDAK.ADA" in tree.issues
    assert any("X.pct" in issue and "diabaikan" in issue for issue in tree.issues)
    json.dumps(tree.to_dict())  # still serialisable


def test_answers_are_read_leniently_where_it_is_unambiguous():
    lke = parse_instrument(tiny_instrument())
    tree = score(
        lke,
        {
            "X.ya": " ya ",
            "X.abc": "a",
            "X.nilai": "3,60",
            "X.prev": Decimal("4"),
            "X.now": "",
            "X.abcd": None,
        },
    )
    assert score(lke, {"X.nilai": 3.6}).questions["X.nilai"].fraction == Decimal("0.9")
    # absurd exponents are rejected quickly instead of building enormous numbers
    hostile = score(lke, {"X.nilai": "1e999999999", "X.prev": "1e-999999999", "X.now": "0E-99999"})
    assert hostile.questions["X.nilai"].issue and hostile.questions["X.prev"].issue
    assert hostile.questions["X.now"].value == 0
    assert tree.questions["X.ya"].fraction == 1
    assert tree.questions["X.abc"].fraction == 1
    assert tree.questions["X.nilai"].fraction == Decimal("0.9")
    assert tree.questions["X.now"].answered is False  # blank = unanswered, not invalid
    assert tree.questions["X.pct"].answered is False and tree.questions["X.pct"].issue is None
    assert tree.issues == ()


def test_rounding_indicators_before_summing_is_a_data_switch():
    # Each of X's 6 questions is worth 6 / 6 = 1. With exact thirds:
    # X = B (2/3) + B (1/2) + D (1/4) = 17/12 = 1.41666…; rounded before summing: 1.42.
    answers = {"X.abcd": "B", "X.abc": "B", "X.abcde": "D"}
    plain = score(parse_instrument(tiny_instrument(fraction_alternative="exact_thirds")), answers)
    rounded = score(
        parse_instrument(
            tiny_instrument(fraction_alternative="exact_thirds", round_indicators=True)
        ),
        answers,
    )
    assert plain.result("X").exact_score == Fraction(17, 12)
    assert rounded.result("X").exact_score == Fraction(142, 100)
    assert plain.to_dict()["total"]["score"] == rounded.to_dict()["total"]["score"] == "1.42"


def test_display_rounds_half_up():
    lke = parse_instrument(tiny_instrument())
    tree = score(lke, {"X.nilai": "0.02"})  # 6 × 0.005 / 6 = 0.005 -> "0.01", not banker's 0.00
    assert tree.result("X").exact_score == Fraction(1, 200)
    assert tree.to_dict()["indicators"][0]["score"] == "0.01"


def test_read_answer_normalises_a_value_or_explains_why_not(lke):
    from assessments.scoring import read_answer

    assert read_answer(lke.questions["PEM-MP-01.b"], " b ")[:2] == ("B", Fraction(1, 2))
    assert read_answer(lke.questions["HSL-PRIMA-01.a"], "3,2")[0] == Decimal("3.2")
    value, fraction, issue = read_answer(lke.questions["REF-SDM-03.j1"], "2,5")
    assert (value, fraction) == (None, None) and "bilangan bulat" in issue


def test_progress_counts_answered_scored_questions_per_area(data, lke):
    tree = score(lke, {"PEM-MP-01.a": "Ya", "PEM-MP-01.b": "Z", "REF-MP-01.j1": "3"})
    assert tree.areas["MP"].answered_count == 1  # the invalid "Z" does not count
    assert tree.areas["MP"].scored_count == 16
    assert tree.areas["MP"].weight == Decimal("8")
    # PEM-MP-01 (weight 0.5) = 0.5 × mean(Ya 1, invalid 0) = 0.25; share of area 8 = 0.03125
    assert tree.areas["MP"].share == Decimal("0.03125")


# --- invariants (hypothesis) -------------------------------------------------------------------


def _value_strategy(question, types):
    spec = types[question["answer_type"]]
    if "options" in spec:
        return st.sampled_from([None] + [o["value"] for o in spec["options"]])
    if spec.get("scored") is False:
        return st.one_of(st.none(), st.integers(0, 30))
    if "min" in spec:
        return st.one_of(st.none(), st.decimals(spec["min"], spec["max"], places=2))
    return st.none()  # % questions are computed


def answers_for(data):
    types = data["answer_types"]
    questions = [q for i in data["indicators"] for q in i["questions"]]
    return st.fixed_dictionaries({q["code"]: _value_strategy(q, types) for q in questions})


SHIPPED_DATA = json.loads(SHIPPED.read_text(encoding="utf-8"))
SHIPPED_LKE = parse_instrument(SHIPPED_DATA)
PROPERTY_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def all_results(tree):
    return [
        tree.total,
        *tree.components.values(),
        *tree.sections.values(),
        *tree.areas.values(),
        *tree.indicators.values(),
    ]


@PROPERTY_SETTINGS
@given(answers_for(SHIPPED_DATA))
def test_every_node_scores_between_zero_and_its_weight(answers):
    tree = score(SHIPPED_LKE, answers)
    for node in all_results(tree):
        assert 0 <= node.exact_score <= node.exact_weight, node.code
    json.dumps(tree.to_dict())


@PROPERTY_SETTINGS
@given(answers_for(SHIPPED_DATA))
def test_total_equals_sum_of_components_and_sum_of_indicators(answers):
    tree = score(SHIPPED_LKE, answers)
    exact = tree.total.exact_score
    assert exact == sum(c.exact_score for c in tree.components.values())
    assert exact == sum(s.exact_score for s in tree.sections.values())
    assert exact == sum(i.exact_score for i in tree.indicators.values())
    pengungkit = tree.result("PENGUNGKIT").exact_score
    assert pengungkit == sum(a.exact_score for a in tree.areas.values())


CHOICE_CODES = sorted(
    q["code"]
    for i in SHIPPED_DATA["indicators"]
    for q in i["questions"]
    if "options" in SHIPPED_DATA["answer_types"][q["answer_type"]]
)


@PROPERTY_SETTINGS
@given(answers_for(SHIPPED_DATA), st.sampled_from(CHOICE_CODES), st.data())
def test_improving_one_answer_never_lowers_any_node(answers, code, draw):
    answer_type = SHIPPED_LKE.questions[code].answer_type
    options = sorted(answer_type.options, key=answer_type.options.get)  # worst to best
    worse = draw.draw(st.sampled_from([None] + options))
    floor = answer_type.options[worse] if worse else 0
    better = draw.draw(st.sampled_from([o for o in options if answer_type.options[o] >= floor]))
    before = score(SHIPPED_LKE, {**answers, code: worse})
    after = score(SHIPPED_LKE, {**answers, code: better})
    for old, new in zip(all_results(before), all_results(after), strict=False):
        assert new.exact_score >= old.exact_score, (code, worse, better, old.code)


@PROPERTY_SETTINGS
@given(
    answers_for(SHIPPED_DATA),
    st.sampled_from(["HSL-BERSIH-01.a", "HSL-PRIMA-01.a"]),
    st.decimals("0", "4", places=2),
    st.decimals("0", "4", places=2),
)
def test_a_higher_survey_value_never_lowers_any_node(answers, code, low, high):
    low, high = sorted((low, high))
    before = score(SHIPPED_LKE, {**answers, code: low})
    after = score(SHIPPED_LKE, {**answers, code: high})
    assert all(
        n.exact_score >= o.exact_score
        for o, n in zip(all_results(before), all_results(after), strict=False)
    )


def test_empty_answers_score_zero_everywhere(lke):
    tree = score(lke, {})
    assert tree.node("TOTAL") == 0
    assert all(node.exact_score == 0 for node in all_results(tree))
    assert tree.issues == ()
    assert evaluate(lke, tree).predicted is None


# --- validation ----------------------------------------------------------------------------------


def test_shipped_instrument_validates_clean(data):
    assert validate_instrument(data) == []


def _indicator(data, code):
    return next(i for i in data["indicators"] if i["code"] == code)


def _question(data, code):
    return next(q for i in data["indicators"] for q in i["questions"] if q["code"] == code)


MUTATIONS = {
    "unknown answer type": (
        lambda d: _question(d, "PEM-MP-01.a").update(answer_type="SKALA_9"),
        "Pertanyaan PEM-MP-01.a: jenis jawaban 'SKALA_9' tidak dikenal",
    ),
    "duplicate indicator code": (
        lambda d: _indicator(d, "PEM-MP-02").update(code="PEM-MP-01"),
        "Indikator PEM-MP-01: kode ganda",
    ),
    "duplicate question code": (
        lambda d: _question(d, "PEM-MP-01.b").update(code="PEM-MP-01.a"),
        "Pertanyaan PEM-MP-01.a: kode ganda",
    ),
    "section weight is not the sum of its indicators": (
        lambda d: _indicator(d, "PEM-MP-01").update(weight="0.75"),
        "Bagian PEMENUHAN: bobot 30 ≠ jumlah bobot indikatornya 30.25",
    ),
    "component weight is not the sum of its sections": (
        lambda d: d["components"][1].update(weight="45"),
        "Komponen HASIL: bobot 45 ≠ jumlah bobot bagiannya 40",
    ),
    "total is not 100": (
        lambda d: d["components"][1].update(weight="45"),
        "Total bobot komponen 105 ≠ 100",
    ),
    "weight that is not a number": (
        lambda d: _indicator(d, "PEM-MP-01").update(weight="0,5x"),
        "Indikator PEM-MP-01: bobot '0,5x' bukan angka",
    ),
    "unknown area": (
        lambda d: _indicator(d, "PEM-MP-01").update(area="ZZ"),
        "Indikator PEM-MP-01: area 'ZZ' tidak dikenal",
    ),
    "unknown section": (
        lambda d: _indicator(d, "PEM-MP-01").update(section="LAIN"),
        "Indikator PEM-MP-01: bagian 'LAIN' tidak dikenal",
    ),
    "% formula refers to a missing question": (
        lambda d: _question(d, "REF-SDM-03.a")["formula"]["denominator"][0].__setitem__(
            1, "REF-SDM-03.j9"
        ),
        "Pertanyaan REF-SDM-03.a: rumus merujuk 'REF-SDM-03.j9' yang tidak ada",
    ),
    "% formula refers to a question that is not a count": (
        lambda d: _question(d, "REF-SDM-03.a")["formula"]["numerator"][0].__setitem__(
            1, "REF-SDM-02.a"
        ),
        "Pertanyaan REF-SDM-03.a: rumus merujuk 'REF-SDM-02.a' yang bukan Jumlah",
    ),
    "% formula refers to another indicator's count": (
        lambda d: _question(d, "REF-SDM-03.a")["formula"]["numerator"][0].__setitem__(
            1, "REF-AKT-01.j1"
        ),
        "Pertanyaan REF-SDM-03.a: rumus merujuk 'REF-AKT-01.j1' dari indikator lain",
    ),
    "% question without a formula": (
        lambda d: _question(d, "REF-AKT-01.a").pop("formula"),
        "Pertanyaan REF-AKT-01.a: rumus wajib untuk pertanyaan %",
    ),
    "gate on an unknown node": (
        lambda d: d["thresholds"][0]["gates"][0].update(node="NILAI_AKHIR"),
        "Ambang WBK, gerbang TOTAL: simpul 'NILAI_AKHIR' tidak dikenal",
    ),
    "prior designation that is not listed earlier": (
        lambda d: d["thresholds"][1]["gates"][-1].update(requires="WBX"),
        "Ambang WBBM, gerbang PRIOR_WBK: predikat prasyarat 'WBX' tidak dikenal",
    ),
    "weighted indicator without a scored question": (
        lambda d: [q.update(answer_type="JUMLAH") for q in _indicator(d, "PEM-MP-01")["questions"]],
        "Indikator PEM-MP-01: berbobot tetapi tidak memiliki pertanyaan yang dinilai",
    ),
    "option fraction above 1": (
        lambda d: d["answer_types"]["ABC"]["options"][1].update(fraction="1.5"),
        "Jenis jawaban ABC: pecahan B '1.5' lebih dari 1",
    ),
    "unknown fraction alternative": (
        lambda d: d["scoring"].update(fraction_alternative="tiga_per_tiga"),
        "Penilaian: alternatif pecahan 'tiga_per_tiga' tidak dikenal",
    ),
}


@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
def test_validation_names_each_class_of_error(data, mutation):
    mutate, expected = MUTATIONS[mutation]
    broken = copy.deepcopy(data)
    mutate(broken)
    errors = validate_instrument(broken)
    assert any(expected in error for error in errors), errors
    with pytest.raises(InstrumentError) as raised:
        parse_instrument(broken)
    assert raised.value.errors == errors


def test_validation_reports_every_problem_not_just_the_first(data):
    broken = copy.deepcopy(data)
    for name in (
        "unknown area",
        "gate on an unknown node",
        "duplicate question code",
        "weight that is not a number",
    ):
        MUTATIONS[name][0](broken)
    errors = validate_instrument(broken)
    for name in (
        "unknown area",
        "gate on an unknown node",
        "duplicate question code",
        "weight that is not a number",
    ):
        assert any(MUTATIONS[name][1] in e for e in errors), (name, errors)


def test_malformed_structure_is_an_error_not_an_exception():
    assert validate_instrument({"format": 1}) != []
    assert validate_instrument([]) != []
    with pytest.raises(InstrumentError):
        parse_instrument({"format": 1, "code": "X"})
