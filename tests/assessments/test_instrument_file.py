"""The shipped LKE 2024 instrument file: valid, faithful to ZI.md, complete, reproducible."""

import json
import subprocess
import sys
from collections import Counter
from fractions import Fraction
from pathlib import Path

import pytest

# With `-p no:django` nothing else puts the project root on sys.path.
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from assessments.scoring import validate_instrument  # noqa: E402

INSTRUMENTS = ROOT / "assessments" / "instruments"
SHIPPED = INSTRUMENTS / "lke-2024.json"
BUILDER = INSTRUMENTS / "build_lke_2024.py"

# ZI.md, "The LKE": Pemenuhan and Reform weight of each change area.
AREA_WEIGHTS = {
    "MP": (4, 4),
    "TL": (3.5, 3.5),
    "SDM": (5, 5),
    "AKT": (5, 5),
    "PWS": (7.5, 7.5),
    "PP": (5, 5),
}
# ZI.md, "Designation thresholds".
THRESHOLDS = {
    "WBK": {
        "TOTAL": "75",
        "PENGUNGKIT": "40",
        "AREA_SHARE": "0.60",
        "BERSIH": "18.25",
        "IPAK": "15.75",
        "CAPAIAN": "2.50",
        "IPKP": "14.00",
    },
    "WBBM": {
        "TOTAL": "85",
        "PENGUNGKIT": "48",
        "AREA_SHARE": "0.75",
        "BERSIH": "19.50",
        "IPAK": "15.75",
        "CAPAIAN": "3.75",
        "IPKP": "15.75",
    },
}


@pytest.fixture(scope="module")
def data():
    return json.loads(SHIPPED.read_text(encoding="utf-8"))


def scored_questions(data, sections=("PEMENUHAN", "REFORM")):
    return [
        q
        for i in data["indicators"]
        if i["section"] in sections
        for q in i["questions"]
        if q["answer_type"] != "JUMLAH"
    ]


def weight_sum(indicators):
    return sum(Fraction(i["weight"]) for i in indicators)


def test_shipped_instrument_validates_clean(data):
    assert validate_instrument(data) == []


def test_each_change_area_weighs_as_in_zi_md(data):
    for area, (pemenuhan, reform) in AREA_WEIGHTS.items():
        for section, expected in (("PEMENUHAN", pemenuhan), ("REFORM", reform)):
            found = weight_sum(
                i for i in data["indicators"] if i["area"] == area and i["section"] == section
            )
            assert found == Fraction(str(expected)), (area, section)


def test_components_and_sections_weigh_as_in_zi_md(data):
    weights = {c["code"]: c["weight"] for c in data["components"]}
    weights |= {s["code"]: s["weight"] for c in data["components"] for s in c["sections"]}
    assert weights == {
        "PENGUNGKIT": "60",
        "PEMENUHAN": "30",
        "REFORM": "30",
        "HASIL": "40",
        "BERSIH": "22.5",
        "PRIMA": "17.5",
    }
    hasil = {
        i["code"]: (i["weight"], i["questions"][0]["answer_type"])
        for i in data["indicators"]
        if i["area"] is None
    }
    assert hasil == {
        "HSL-BERSIH-01": ("17.5", "NILAI_0_4"),
        "HSL-BERSIH-02": ("5", "ABCDE"),
        "HSL-PRIMA-01": ("17.5", "NILAI_0_4"),
    }


def test_thresholds_are_those_of_zi_md(data):
    found = {
        t["designation"]: {g["code"]: g["min"] for g in t["gates"] if "min" in g}
        for t in data["thresholds"]
    }
    assert found == THRESHOLDS
    wbbm = data["thresholds"][1]["gates"]
    assert {
        "code": "PRIOR_WBK",
        "kind": "prior_designation",
        "requires": "WBK",
        "label": "Telah berpredikat WBK",
    } in wbbm


def test_pengungkit_has_the_110_scored_questions_of_the_full_lke(data):
    questions = scored_questions(data)
    assert len(questions) >= 110
    per_section = Counter(
        i["section"]
        for i in data["indicators"]
        for q in i["questions"]
        if q["answer_type"] != "JUMLAH"
    )
    assert per_section == {"PEMENUHAN": 87, "REFORM": 23, "BERSIH": 2, "PRIMA": 1}


def test_supplement_restores_the_missing_questions_with_official_lettering(data):
    from_supplement = {
        q["code"]: q["text"]
        for i in data["indicators"]
        for q in i["questions"]
        if q["source"] == "supplement-2024.csv"
    }
    assert sorted(from_supplement) == [
        "PEM-AKT-01.c",
        "PEM-AKT-02.a",
        "PEM-AKT-02.b",
        "PEM-AKT-02.c",
        "PEM-AKT-02.e",
        "PEM-PP-01.d",
        "PEM-PP-02.b",
        "PEM-SDM-01.c",
        "PEM-SDM-02.a",
        "PEM-SDM-03.a",
        "PEM-SDM-04.d",
        "PEM-TL-01.a",
    ]
    assert "peta proses bisnis" in from_supplement["PEM-TL-01.a"]
    assert "Training Need Analysis" in from_supplement["PEM-SDM-03.a"]
    labels = {i["code"]: [q["label"] for q in i["questions"]] for i in data["indicators"]}
    assert labels["PEM-TL-01"] == ["a.", "b.", "c."]
    assert labels["PEM-PP-02"] == ["a.", "b.", "c.", "d.", "e.", "f."]
    assert labels["PEM-AKT-02"] == ["a.", "b.", "c.", "d.", "e.", "f.", "g.", "h."]


def test_every_scored_question_has_guidance_and_evidence(data):
    for q in scored_questions(data, ("PEMENUHAN", "REFORM", "BERSIH", "PRIMA")):
        assert q.get("guidance", "").strip(), q["code"]
        assert 1 <= len(q.get("evidence", [])) <= 4, q["code"]
        assert all(item.strip() for item in q["evidence"]), q["code"]


def test_choice_questions_list_exactly_the_options_of_their_type(data):
    for q in scored_questions(data, ("PEMENUHAN", "REFORM", "BERSIH", "PRIMA")):
        options = [o["value"] for o in data["answer_types"][q["answer_type"]].get("options", [])]
        if q["answer_type"] != "YA_TIDAK" and options:
            assert [c["value"] for c in q["choices"]] == options, q["code"]


def test_percentages_compute_from_counts_of_their_own_indicator(data):
    formulas = {}
    for indicator in data["indicators"]:
        own = {q["code"]: q["answer_type"] for q in indicator["questions"]}
        for q in indicator["questions"]:
            if q["answer_type"] == "PERSEN":
                refs = q["formula"]["numerator"] + q["formula"]["denominator"]
                assert all(own.get(ref) == "JUMLAH" for _, ref in refs), q["code"]
                texts = {x["code"]: x["text"] for x in indicator["questions"]}
                formulas[q["code"]] = tuple(
                    tuple(f"{sign}{texts[ref]}" for sign, ref in q["formula"][side])
                    for side in ("numerator", "denominator")
                )
    # read from each row's criteria: (previous − now) / previous; reported / obliged; settled /
    # to be followed up
    assert formulas["REF-SDM-03.a"] == (
        ("+Jumlah pelanggaran tahun sebelumnya", "-Jumlah pelanggaran tahun ini"),
        ("+Jumlah pelanggaran tahun sebelumnya",),
    )
    assert formulas["REF-PWS-03.a"] == (
        ("+Jumlah yang sudah melaporkan",),
        ("+Jumlah yang harus melaporkan",),
    )
    assert formulas["REF-PWS-03.b"] == (
        ("+Jumlah yang sudah melaporkan",),
        ("+Jumlah yang harus melaporkan (tidak wajib LHKPN)",),
    )
    assert formulas["REF-PWS-02.a"] == (
        ("+Jumlah pengaduan masyarakat yang selesai ditindaklanjuti",),
        ("+Jumlah pengaduan masyarakat yang harus ditindaklanjuti",),
    )
    assert len(formulas) == 8


def test_source_slips_are_corrected_and_recorded(data):
    questions = {q["code"]: q for i in data["indicators"] for q in i["questions"]}
    gap = questions["PEM-SDM-03.c"]  # the source listed options a, c, d under A/B/C/D
    assert [c["value"] for c in gap["choices"]] == ["A", "B", "C", "D"]
    assert "< 25%" in gap["choices"][0]["text"] and gap["corrections"]
    assert questions["PEM-SDM-04.c"]["answer_type"] == "ABCDE"
    assert questions["PEM-PWS-05.d"]["answer_type"] == "ABC"
    assert questions["PEM-PP-05.a"]["answer_type"] == "ABCD"


def test_builder_reproduces_the_committed_file_byte_for_byte(tmp_path):
    out = tmp_path / "lke-2024.json"
    run = subprocess.run(
        [sys.executable, str(BUILDER), "--output", str(out)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert out.read_bytes() == SHIPPED.read_bytes()
    # every slip of the source is flagged, and each one is resolved by a correction
    warnings = [line for line in run.stderr.splitlines() if line.startswith("PERINGATAN")]
    assert len(warnings) == 5
    assert all("dikoreksi di corrections-2024.csv" in w for w in warnings)
    assert any(
        "Pengembangan Pegawai Berbasis Kompetensi c." in w and "a, c, d" in w for w in warnings
    )
