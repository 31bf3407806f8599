#!/usr/bin/env python3
"""Build the canonical LKE 2024 instrument (lke-2024.json) from the CSVs in source/.

    python assessments/instruments/build_lke_2024.py [--output PATH] [--check]

Inputs, all versioned beside this script:
  source/lke-structure-2024.csv   rows transcribed from a published, filled 2024 LKE (unchanged)
  source/supplement-2024.csv      scored questions that transcription lacks (public LKE text)
  source/corrections-2024.csv     fixes for slips of the transcription, each with its reason
  source/guidance-2024.csv        juknis and expected evidence per question code

Rule for every row: the answer type is derived from the criteria (lettered options a–c → A/B/C,
"Ya, jika …" → Ya/Tidak); a mismatch with the declared type is printed as a warning, and is
either fixed in corrections-2024.csv or resolved in favour of the criteria. The output is
deterministic: running the script twice gives the same bytes. Stdlib only, plus the
scoring module's validator, so the file can never be written in a shape scoring rejects.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "source"
OUTPUT = HERE / "lke-2024.json"
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))  # a standalone script: make `assessments` importable

from assessments.scoring import validate_instrument  # noqa: E402

STRUCTURE_CSV, SUPPLEMENT_CSV = "lke-structure-2024.csv", "supplement-2024.csv"
CORRECTIONS_CSV, GUIDANCE_CSV = "corrections-2024.csv", "guidance-2024.csv"

# --- the frame: facts of the regulation that the CSVs do not carry ---------------------------

HEADER = {
    "format": 1,
    "code": "LKE-ZI-2024",
    "name": "LKE Zona Integritas 2024 (Permen PAN-RB 90/2021)",
    "regulation": "Permen PAN-RB No. 90 Tahun 2021",
    "year": 2024,
    "scoring": {
        "decimals": 2,
        "round_indicators": False,
        "fraction_alternative": None,
        "notes": (
            "Nilai indikator = bobot × rata-rata pecahan pertanyaan yang dinilai; komponen, "
            "bagian, area dan total adalah penjumlahan. Dua hal belum dipastikan terhadap lembar "
            "kerja resmi, maka disimpan sebagai data: (1) pecahan B/C pada A/B/C/D memakai "
            "0,67/0,33 seperti LKE publik; isi fraction_alternative dengan 'exact_thirds' untuk "
            "2/3 dan 1/3; (2) round_indicators=false menyimpan nilai indikator dengan presisi "
            "penuh dan membulatkan (ROUND_HALF_UP, 2 desimal) hanya untuk tampilan; true "
            "membulatkan nilai indikator sebelum dijumlahkan."
        ),
    },
}

ANSWER_TYPES = {
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
            {"value": "A", "fraction": "1"},
            {"value": "B", "fraction": "0.75"},
            {"value": "C", "fraction": "0.5"},
            {"value": "D", "fraction": "0.25"},
            {"value": "E", "fraction": "0"},
        ],
    },
    "PERSEN": {"label": "%", "computed": True},
    "JUMLAH": {"label": "Jumlah", "scored": False},
    "NILAI_0_4": {"label": "Nilai (0–4)", "min": "0", "max": "4"},
}
DECLARED_TYPES = {
    "Ya/Tidak": "YA_TIDAK",
    "A/B/C": "ABC",
    "A/B/C/D": "ABCD",
    "A/B/C/D/E": "ABCDE",
    "%": "PERSEN",
    "Jumlah": "JUMLAH",
    "Nilai (0-4)": "NILAI_0_4",
}
TYPE_BY_LETTERS = {3: "ABC", 4: "ABCD", 5: "ABCDE"}

# CSV area column -> (code, name); order as in the LKE.
AREAS = {
    "MANAJEMEN PERUBAHAN": ("MP", "Manajemen Perubahan"),
    "PENATAAN TATALAKSANA": ("TL", "Penataan Tatalaksana"),
    "PENATAAN SISTEM MANAJEMEN SDM APARATUR": ("SDM", "Penataan Sistem Manajemen SDM Aparatur"),
    "PENGUATAN AKUNTABILITAS": ("AKT", "Penguatan Akuntabilitas"),
    "PENGUATAN PENGAWASAN": ("PWS", "Penguatan Pengawasan"),
    "PENINGKATAN KUALITAS PELAYANAN PUBLIK": ("PP", "Peningkatan Kualitas Pelayanan Publik"),
}
# (component, aspect or Hasil sub-component) -> (section code, indicator code prefix)
SECTIONS = {
    ("PENGUNGKIT", "PEMENUHAN"): ("PEMENUHAN", "PEM"),
    ("PENGUNGKIT", "REFORM"): ("REFORM", "REF"),
    ("HASIL", "BIROKRASI YANG BERSIH DAN AKUNTABEL"): ("BERSIH", "HSL-BERSIH"),
    ("HASIL", "PELAYANAN PUBLIK YANG PRIMA"): ("PRIMA", "HSL-PRIMA"),
}
COMPONENTS = [
    {
        "code": "PENGUNGKIT",
        "name": "Pengungkit",
        "weight": "60",
        "sections": [
            {"code": "PEMENUHAN", "name": "Pemenuhan", "weight": "30"},
            {"code": "REFORM", "name": "Reform", "weight": "30"},
        ],
    },
    {
        "code": "HASIL",
        "name": "Hasil",
        "weight": "40",
        "sections": [
            {"code": "BERSIH", "name": "Birokrasi yang bersih dan akuntabel", "weight": "22.5"},
            {"code": "PRIMA", "name": "Pelayanan publik yang prima", "weight": "17.5"},
        ],
    },
]
SURVEYS = ("IPAK", "IPKP")  # a Nilai (0–4) row names the external survey it is filled from


def _gate(code, node, minimum, label):
    return {"code": code, "kind": "node", "node": node, "min": minimum, "label": label}


def _gates(total, pengungkit, share, bersih, ipak, capaian, ipkp):
    return [
        _gate("TOTAL", "TOTAL", total, "Nilai total"),
        _gate("PENGUNGKIT", "PENGUNGKIT", pengungkit, "Total Pengungkit"),
        {
            "code": "AREA_SHARE",
            "kind": "each_area_share",
            "min": share,
            "label": "Setiap area perubahan (Pemenuhan + Reform) terhadap bobotnya",
        },
        _gate("BERSIH", "BERSIH", bersih, "Hasil: birokrasi yang bersih dan akuntabel"),
        _gate("IPAK", "HSL-BERSIH-01", ipak, "Nilai Survei Persepsi Korupsi (IPAK)"),
        _gate("CAPAIAN", "HSL-BERSIH-02", capaian, "Capaian kinerja lebih baik dari sebelumnya"),
        _gate("IPKP", "HSL-PRIMA-01", ipkp, "Nilai Persepsi Kualitas Pelayanan (IPKP)"),
    ]


# Permen PAN-RB 90/2021 as applied 2022–2025, from public tools; kept as data (ZI.md: verify).
# Nomination prerequisites and revocation cooldown (ZI.md "Prerequisites"): national rules that
# are not yet checked against the regulation text, so they travel with the instrument as data.
NOMINATION = {
    "bpk_opinions": ["WTP"],
    "min_sakip_grade": "B",
    "revocation_cooldown_years": 2,
    "notes": "Opini WTP wajib (seed 000); nilai SAKIP minimal B dikutip publik, perlu diverifikasi; "
    "unit yang predikatnya dicabut tidak dapat diusulkan selama 2 tahun.",
}

THRESHOLDS = [
    {"designation": "WBK", "gates": _gates("75", "40", "0.60", "18.25", "15.75", "2.50", "14.00")},
    {
        "designation": "WBBM",
        "gates": _gates("85", "48", "0.75", "19.50", "15.75", "3.75", "15.75")
        + [
            {
                "code": "PRIOR_WBK",
                "kind": "prior_designation",
                "requires": "WBK",
                "label": "Telah berpredikat WBK",
            }
        ],
    },
]

# Each % row: the JUMLAH rows of its own block (the rows that follow it) it is computed from.
# "+x"/"-x" are signed labels; read from the criteria of each row in the LKE.
FORMULAS = {
    (
        "Komitmen dalam perubahan",
        "Agen perubahan telah membuat perubahan yang konkret di Instansi (dalam 1 tahun)",
    ): (["+Jumlah Perubahan yang dibuat"], ["+Jumlah Agen Perubahan"]),
    (
        "Komitmen dalam perubahan",
        "Perubahan yang dibuat Agen Perubahan telah terintegrasi dalam sistem manajemen",
    ): (
        ["+Jumlah Perubahan yang telah diintegrasikan dalam sistem manajemen"],
        ["+Jumlah Perubahan yang dibuat"],
    ),
    # (previous − now) / previous: a fall in violations scores, a rise is clamped to 0
    ("Pelanggaran Disiplin Pegawai", "Penurunan pelanggaran disiplin pegawai"): (
        ["+Jumlah pelanggaran tahun sebelumnya", "-Jumlah pelanggaran tahun ini"],
        ["+Jumlah pelanggaran tahun sebelumnya"],
    ),
    (
        "Meningkatnya capaian kinerja unit kerja",
        "Persentase Sasaran dengan capaian 100% atau lebih",
    ): (["+Jumlah Sasaran Kinerja yang tercapai 100% atau lebih"], ["+Jumlah Sasaran Kinerja"]),
    # settled / to be followed up; complaints still in process do not count as settled
    ("Penanganan Pengaduan Masyarakat", "Persentase penanganan pengaduan masyarakat"): (
        ["+Jumlah pengaduan masyarakat yang selesai ditindaklanjuti"],
        ["+Jumlah pengaduan masyarakat yang harus ditindaklanjuti"],
    ),
    ("Penyampaian Laporan Harta Kekayaan", "Persentase penyampaian LHKPN"): (
        ["+Jumlah yang sudah melaporkan"],
        ["+Jumlah yang harus melaporkan"],
    ),
    ("Penyampaian Laporan Harta Kekayaan", "Persentase penyampaian Non LHKPN"): (
        ["+Jumlah yang sudah melaporkan"],
        ["+Jumlah yang harus melaporkan (tidak wajib LHKPN)"],
    ),
    (
        "Upaya dan/atau Inovasi Pelayanan Publik",
        "Upaya dan/atau inovasi pada perijinan/pelayanan",
    ): (
        ["+Jumlah perijinan/pelayanan yang telah dipermudah"],
        ["+Jumlah perijinan/pelayanan yang terdata/terdaftar"],
    ),
}

LETTER_LABEL = re.compile(r"^([a-z])\.$")
OPTION_LINE = re.compile(r"^\s*([a-z])\.\s*(.*)$")


class BuildError(Exception):
    pass


def read_csv(name: str) -> list[dict]:
    """Rows with the file name and the line each record starts on, for messages."""
    with open(SOURCE / name, encoding="utf-8", newline="") as handle:
        reader, rows, start = csv.DictReader(handle), [], 2
        for row in reader:
            rows.append({**row, "_file": name, "_line": start})
            start = reader.line_num + 1
    return rows


def where(row: dict) -> str:
    return f"{row['_file']}:{row['_line']} [{row['indicator']} {row['code']}]"


def derive_type(row: dict) -> tuple[str | None, str | None]:
    """(type from the criteria, problem); None when the criteria cannot tell (%, Jumlah, Nilai)."""
    criteria = row["criteria"].strip()
    letters = [m.group(1) for m in map(OPTION_LINE.match, criteria.splitlines()) if m]
    if re.match(r"(?i)ya\b", criteria):
        return "YA_TIDAK", None
    if not letters:
        return None, None
    expected = [chr(ord("a") + i) for i in range(len(letters))]
    if letters != expected:
        return None, f"opsi {', '.join(letters)} tidak berurutan"
    return TYPE_BY_LETTERS.get(len(letters)), None


def type_problem(row: dict) -> str | None:
    declared = DECLARED_TYPES.get(row["answer_type"])
    derived, problem = derive_type(row)
    if declared is None:
        return f"jenis jawaban '{row['answer_type']}' tidak dikenal"
    if problem:
        return f"kriteria: {problem}, padahal dinyatakan {row['answer_type']}"
    if derived and derived != declared:
        return (
            f"kriteria menunjukkan {ANSWER_TYPES[derived]['label']}, "
            f"padahal dinyatakan {row['answer_type']}"
        )
    if derived is None and declared not in ("PERSEN", "JUMLAH", "NILAI_0_4"):
        return (
            f"kriteria tanpa opsi berhuruf atau 'Ya, jika', padahal dinyatakan {row['answer_type']}"
        )
    return None


def apply_corrections(rows: list[dict], corrections: list[dict]) -> list[dict]:
    """Each correction names one original row (file, aspect, indicator, label) and one field."""
    fixed = [dict(row) for row in rows]
    for fix in corrections:
        matches = [
            i
            for i, row in enumerate(rows)
            if (row["_file"], row["aspect"], row["indicator"], row["code"])
            == (fix["file"], fix["aspect"], fix["indicator"], fix["label"])
        ]
        if len(matches) != 1:
            raise BuildError(
                f"{CORRECTIONS_CSV}:{fix['_line']}: cocok dengan {len(matches)} baris "
                "(harus tepat 1)"
            )
        row, field = fixed[matches[0]], {"label": "code"}.get(fix["field"], fix["field"])
        if field in ("code", "answer_type", "indicator_weight"):
            if row[field] != fix["expected"]:
                raise BuildError(
                    f"{CORRECTIONS_CSV}:{fix['_line']}: {field} sekarang "
                    f"'{row[field]}', bukan '{fix['expected']}'"
                )
            row[field] = fix["value"]
        elif field in ("question", "criteria"):
            if row[field].count(fix["expected"]) != 1:
                raise BuildError(
                    f"{CORRECTIONS_CSV}:{fix['_line']}: teks yang dikoreksi tidak "
                    f"ditemukan tepat sekali di {field}"
                )
            row[field] = row[field].replace(fix["expected"], fix["value"])
        else:
            raise BuildError(
                f"{CORRECTIONS_CSV}:{fix['_line']}: kolom '{field}' tidak bisa dikoreksi"
            )
        row.setdefault("_corrections", []).append(fix["reason"])
    return fixed


def choices(criteria: str) -> list[dict]:
    """The lettered options with their text; wrapped lines join the option above."""
    found: list[list[str]] = []
    for line in criteria.splitlines():
        match = OPTION_LINE.match(line)
        if match:
            found.append([match.group(1).upper(), match.group(2).strip()])
        elif found and line.strip():
            found[-1][1] += " " + line.strip()
    return [{"value": value, "text": text} for value, text in found]


def jumlah_text(label: str) -> str:
    return label.lstrip("- ").strip()


def group_indicators(rows: list[dict]) -> list[dict]:
    """Indicators in order of first appearance; a Hasil row is an indicator of its own."""
    groups: dict[tuple, dict] = {}
    for row in rows:
        key = (row["component"], row["aspect"], row["area"], row["indicator"])
        if row["component"] == "HASIL":
            key += (row["_file"], row["_line"])
        group = groups.setdefault(key, {"key": key, "rows": [], "weight": row["indicator_weight"]})
        if group["weight"] != row["indicator_weight"]:
            raise BuildError(
                f"{where(row)}: bobot indikator {row['indicator_weight']} berbeda "
                f"dari baris lain ({group['weight']})"
            )
        group["rows"].append(row)
    for group in groups.values():
        labels = [row["code"] for row in group["rows"]]
        if all(LETTER_LABEL.match(label) for label in labels):
            if len(set(labels)) != len(labels):
                raise BuildError(f"Indikator {group['key'][3]}: huruf butir ganda {labels}")
            group["rows"].sort(key=lambda row: row["code"])  # supplement rows take their letter
    return list(groups.values())


def build_indicator(group: dict, code: str, order: int, guidance: dict, used_formulas: set) -> dict:
    """One indicator with coded questions; each % gets its formula over its own Jumlah rows."""
    component, aspect, area_key, name = group["key"][:4]
    hasil = component == "HASIL"
    indicator = {
        "code": code,
        "section": SECTIONS[(component, area_key if hasil else aspect)][0],
        "area": None if hasil else AREAS[area_key][0],
        "name": group["rows"][0]["question"] if hasil else name,
        "weight": group["weight"],
        "order": order,
        "questions": [],
    }
    # A Hasil item is an indicator of its own, so its single question is always ".a";
    # unlettered scored rows ("-") take the first letter their indicator does not use.
    letters = (
        set()
        if hasil
        else {row["code"][0] for row in group["rows"] if LETTER_LABEL.match(row["code"])}
    )
    spare = (c for c in "abcdefghijklmnopqrstuvwxyz" if c not in letters)
    blocks: dict[str, dict[str, str]] = {}  # % question -> {Jumlah text: code} of the rows after it
    current, counts = None, 0
    for position, row in enumerate(group["rows"], start=1):
        derived, _ = derive_type(row)
        answer_type = derived or DECLARED_TYPES[row["answer_type"]]  # criteria win; see warnings
        question = {"code": None, "label": row["code"], "answer_type": answer_type}
        if answer_type == "JUMLAH":
            counts += 1
            question.update(code=f"{code}.j{counts}", text=jumlah_text(row["code"]))
            if current is not None:
                blocks[current][question["text"]] = question["code"]
        else:
            match = None if hasil else LETTER_LABEL.match(row["code"])
            question.update(
                code=f"{code}.{match.group(1) if match else next(spare)}",
                text=row["question"],
                criteria=row["criteria"],
            )
            current = question["code"] if answer_type == "PERSEN" else None
            if current:
                blocks[current] = {}
            if answer_type in ("ABC", "ABCD", "ABCDE"):
                question["choices"] = choices(row["criteria"])
            if answer_type == "NILAI_0_4":
                question["survey"] = next(s for s in SURVEYS if s in row["criteria"])
        note = guidance.pop(question["code"], None)
        if note:
            question["guidance"] = note["guidance"]
            question["evidence"] = [e.strip() for e in note["evidence"].split("|") if e.strip()]
        question.update(order=position, source=row["_file"])
        if row.get("_corrections"):
            question["corrections"] = row["_corrections"]
        indicator["questions"].append(question)

    for question in indicator["questions"]:
        if question["answer_type"] != "PERSEN":
            continue
        key = next(
            (k for k in FORMULAS if k[0] == name and question["text"].startswith(k[1])), None
        )
        if key is None:
            raise BuildError(f"Pertanyaan {question['code']}: % tanpa rumus di FORMULAS")
        used_formulas.add(key)
        block = blocks[question["code"]]

        def ref(signed: str, owner=question["code"], block=block) -> list[str]:
            if signed[1:] not in block:
                raise BuildError(
                    f"Pertanyaan {owner}: rumus merujuk '{signed[1:]}' yang tidak ada "
                    f"di bloknya ({', '.join(block)})"
                )
            return [signed[0], block[signed[1:]]]

        numerator, denominator = FORMULAS[key]
        question["formula"] = {
            "numerator": [ref(s) for s in numerator],
            "denominator": [ref(s) for s in denominator],
        }
    return indicator


def build() -> tuple[dict, list[str]]:
    """The instrument dict and the warnings to print."""
    warnings: list[str] = []
    raw = read_csv(STRUCTURE_CSV) + read_csv(SUPPLEMENT_CSV)
    rows = apply_corrections(raw, read_csv(CORRECTIONS_CSV))
    for before, after in zip(raw, rows, strict=False):
        problem = type_problem(before)
        if problem:
            fixed = type_problem(after) is None
            derived = derive_type(after)[0]
            resolution = (
                f"dikoreksi di {CORRECTIONS_CSV}: {after['_corrections'][-1]}"
                if fixed and after.get("_corrections")
                else f"tidak dikoreksi; dipakai {ANSWER_TYPES[derived]['label']} dari kriteria"
                if derived
                else "tidak dikoreksi; dipakai jenis yang dinyatakan"
            )
            warnings.append(f"PERINGATAN {where(before)}: {problem} → {resolution}")
        elif type_problem(after):
            raise BuildError(f"{where(after)}: koreksi menimbulkan masalah: {type_problem(after)}")
    guidance = {row["code"]: row for row in read_csv(GUIDANCE_CSV)}

    indicators, counters, used_formulas = [], Counter(), set()
    for group in group_indicators(rows):
        component, aspect, area_key = group["key"][:3]
        hasil = component == "HASIL"
        prefix = SECTIONS[(component, area_key if hasil else aspect)][1]
        prefix = prefix if hasil else f"{prefix}-{AREAS[area_key][0]}"
        counters[prefix] += 1
        indicators.append(
            build_indicator(
                group,
                f"{prefix}-{counters[prefix]:02d}",
                len(indicators) + 1,
                guidance,
                used_formulas,
            )
        )
    if guidance:
        raise BuildError(f"{GUIDANCE_CSV}: kode tidak dikenal: {', '.join(sorted(guidance))}")
    if set(FORMULAS) - used_formulas:
        raise BuildError(f"FORMULAS tidak terpakai: {sorted(set(FORMULAS) - used_formulas)}")
    for indicator in indicators:
        for question in indicator["questions"]:
            if question["answer_type"] != "JUMLAH" and not question.get("evidence"):
                warnings.append(
                    f"PERINGATAN {question['code']}: belum ada juknis/data dukung di {GUIDANCE_CSV}"
                )

    area_order = {code: i for i, (code, _) in enumerate(AREAS.values(), start=1)}
    instrument = {
        **HEADER,
        "answer_types": ANSWER_TYPES,
        "areas": [
            {"code": code, "name": name, "order": area_order[code]} for code, name in AREAS.values()
        ],
        "components": COMPONENTS,
        "indicators": indicators,
        "thresholds": THRESHOLDS,
        "nomination": NOMINATION,
    }
    errors = validate_instrument(instrument)
    if errors:
        raise BuildError("Instrumen tidak valid:\n  " + "\n  ".join(errors))
    return instrument, warnings


def summary(instrument: dict) -> str:
    counts: Counter = Counter()
    for indicator in instrument["indicators"]:
        scored = sum(q["answer_type"] != "JUMLAH" for q in indicator["questions"])
        counts[indicator["section"], indicator["area"]] += scored
    lines = ["Pertanyaan yang dinilai per bagian/area:"]
    for section in ("PEMENUHAN", "REFORM", "BERSIH", "PRIMA"):
        per_area = {k[1]: v for k, v in counts.items() if k[0] == section}
        detail = ", ".join(f"{area or '-'} {n}" for area, n in per_area.items())
        lines.append(f"  {section}: {sum(per_area.values())} ({detail})")
    return "\n".join(lines)


def render(instrument: dict) -> bytes:
    return (json.dumps(instrument, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument(
        "--check",
        action="store_true",
        help="do not write; fail if the output file differs from a fresh build",
    )
    args = parser.parse_args(argv)
    try:
        instrument, warnings = build()
    except BuildError as exc:
        print(f"GAGAL: {exc}", file=sys.stderr)
        return 1
    for warning in warnings:
        print(warning, file=sys.stderr)
    data = render(instrument)
    if args.check:
        same = args.output.exists() and args.output.read_bytes() == data
        print(f"{args.output}: {'sesuai' if same else 'BERBEDA dari hasil build'}")
        return 0 if same else 1
    args.output.write_bytes(data)
    print(f"Ditulis {args.output} ({len(instrument['indicators'])} indikator)")
    print(summary(instrument))
    return 0


if __name__ == "__main__":
    sys.exit(main())
