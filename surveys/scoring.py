"""Survey arithmetic as pure functions over plain data (questionnaire spec + answer dicts): sample
size, per-item means, indices, the IKM view and the LKE value. No ORM: the results page, the PDF,
the API and the LKE landing all call these."""

from __future__ import annotations

from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

TWO = Decimal("0.01")

# Krejcie & Morgan (1970), the table Permen PAN-RB 14/2017 reproduces: population N -> sample s.
KREJCIE_MORGAN_TABLE = {
    10: 10, 15: 14, 20: 19, 25: 24, 30: 28, 35: 32, 40: 36, 45: 40, 50: 44, 55: 48, 60: 52,
    65: 56, 70: 59, 75: 63, 80: 66, 85: 70, 90: 73, 95: 76, 100: 80, 110: 86, 120: 92, 130: 97,
    140: 103, 150: 108, 160: 113, 170: 118, 180: 123, 190: 127, 200: 132, 210: 136, 220: 140,
    230: 144, 240: 148, 250: 152, 260: 155, 270: 159, 280: 162, 290: 165, 300: 169, 320: 175,
    340: 181, 360: 186, 380: 191, 400: 196, 420: 201, 440: 205, 460: 210, 480: 214, 500: 217,
    550: 226, 600: 234, 650: 242, 700: 248, 750: 254, 800: 260, 850: 265, 900: 269, 950: 274,
    1000: 278, 1100: 285, 1200: 291, 1300: 297, 1400: 302, 1500: 306, 1600: 310, 1700: 313,
    1800: 317, 1900: 320, 2000: 322, 2200: 327, 2400: 331, 2600: 335, 2800: 338, 3000: 341,
    3500: 346, 4000: 351, 4500: 354, 5000: 357, 6000: 361, 7000: 364, 8000: 367, 9000: 368,
    10000: 370, 15000: 375, 20000: 377, 30000: 379, 40000: 380, 50000: 381, 75000: 382,
    100000: 384, 1000000: 384,
}  # fmt: skip


def krejcie_morgan(population: int) -> int:
    """s = X²·N·P(1−P) / (d²(N−1) + X²·P(1−P)) with X² = 3,841 (95 %), P = 0,5, d = 0,05, rounded
    half-up (the table rounds to nearest: N=150 gives 108,07 → 108)."""
    if population <= 0:
        return 0
    chi2, p, d = Decimal("3.841"), Decimal("0.5"), Decimal("0.05")
    n = Decimal(population)
    s = chi2 * n * p * (1 - p) / (d * d * (n - 1) + chi2 * p * (1 - p))
    return min(population, int(s.quantize(Decimal(1), rounding=ROUND_HALF_UP)))


def sample_size(population: int) -> int:
    """The sample target: the formula, but never below the published table's row at or under N.
    The two agree on every row except N=100.000, where the 1970 table prints 384 (the formula
    gives 382,6 → 383); a unit checked against the regulation's table must not come out short."""
    formula = krejcie_morgan(population)
    rows = [s for n, s in KREJCIE_MORGAN_TABLE.items() if n <= population]
    return max(formula, rows[-1] if rows else 0)


# --- questionnaire spec -------------------------------------------------------------------------


def validate_spec(spec: Any) -> list[str]:
    """Every problem of a questionnaire version, in Indonesian; empty when it can be used."""
    errors: list[str] = []
    if not isinstance(spec, dict):
        return ["Isi kuesioner harus berupa objek."]
    for key in ("code", "name", "scale", "surveys", "profile", "lke_factor"):
        if key not in spec:
            errors.append(f"Kolom '{key}' wajib ada.")
    if errors:
        return errors
    scale = spec["scale"]
    try:
        low, high = int(scale["min"]), int(scale["max"])
    except (KeyError, TypeError, ValueError):
        return ["Skala harus punya 'min' dan 'max' berupa bilangan bulat."]
    if not 0 <= low < high <= 10:
        errors.append("Skala harus min < max, di antara 0 dan 10.")
    try:
        factor = Decimal(str(spec["lke_factor"]))
        if not Decimal(0) < factor * high <= Decimal("4.001"):  # 0,6667 × 6 rounds over 4
            errors.append("lke_factor × nilai maksimum skala harus di antara 0 dan 4.")
    except ArithmeticError:
        errors.append("lke_factor harus berupa angka.")
    indices = [s.get("index") for s in spec["surveys"] if isinstance(s, dict)]
    if sorted(i for i in indices if i) != ["IPAK", "IPKP"]:
        errors.append("Kuesioner harus memuat tepat satu survei IPAK dan satu survei IPKP.")
    seen: set[str] = set()
    for survey in spec["surveys"]:
        items = survey.get("items") or []
        if not items:
            errors.append(f"Survei {survey.get('index')} tidak punya butir.")
        for item in items:
            code = item.get("code")
            if not code or code in seen:
                errors.append(f"Kode butir '{code}' kosong atau ganda.")
            seen.add(code)
            if not item.get("text"):
                errors.append(f"Butir {code} tidak punya pertanyaan.")
            if len(item.get("options") or []) != high - low + 1:
                errors.append(
                    f"Butir {code}: jumlah arti pilihan harus {high - low + 1} (skala {low}–{high})."
                )
    for field in ("age_band", "gender", "education", "occupation"):
        if not spec["profile"].get(field):
            errors.append(f"Profil responden '{field}' tidak punya pilihan.")
    return errors


def items(spec: dict) -> list[dict]:
    """Every item with its survey's index, in form order."""
    return [{**item, "index": s["index"]} for s in spec["surveys"] for item in s["items"]]


def scale_values(spec: dict) -> list[int]:
    return list(range(int(spec["scale"]["min"]), int(spec["scale"]["max"]) + 1))


# --- results ----------------------------------------------------------------------------------


def _round(value: Decimal) -> Decimal:
    return value.quantize(TWO, rounding=ROUND_HALF_UP)


def index_results(spec: dict, answers: list[dict]) -> dict[str, dict]:
    """Per index (IPAK, IPKP): n, per-item means, the index (mean over respondents and items on the
    version's scale, exact and rounded to 2 places), IKM (index × ikm_factor), the LKE value
    (rounded index × lke_factor, 0–4) and whether it meets the WBK/WBBM thresholds.

    ``answers``: one {item code: value} per counted (not voided) response."""
    factor = Decimal(str(spec["lke_factor"]))
    ikm = Decimal(str(spec.get("ikm_factor") or 25))
    out: dict[str, dict] = {}
    for survey in spec["surveys"]:
        codes = [i["code"] for i in survey["items"]]
        per_item = []
        total, count = Decimal(0), 0
        for item in survey["items"]:
            values = [Decimal(a[item["code"]]) for a in answers if item["code"] in a]
            mean = _round(sum(values, Decimal(0)) / len(values)) if values else None
            per_item.append({"code": item["code"], "aspect": item.get("aspect", ""), "mean": mean})
            total += sum(values, Decimal(0))
            count += len(values)
        exact = total / count if count else None
        index = _round(exact) if exact is not None else None
        lke = _round(index * factor) if index is not None else None
        thresholds = {
            name: Decimal(v)
            for name, v in (spec.get("thresholds", {}).get(survey["index"]) or {}).items()
        }
        out[survey["index"]] = {
            "index_code": survey["index"],
            "name": survey["name"],
            "n": sum(1 for a in answers if any(c in a for c in codes)),
            "items": per_item,
            "exact": exact,
            "index": index,
            "ikm": _round(index * ikm) if index is not None else None,
            "lke_value": lke,
            "thresholds": thresholds,
            "meets": {
                name: (lke is not None and lke >= value) for name, value in thresholds.items()
            },
        }
    return out


def profile_counts(spec: dict, profiles: list[dict], service_types: list[str]) -> dict[str, list]:
    """Per profile field: [(option, count)] in the questionnaire's order (then anything else seen)."""
    fields = dict(spec["profile"], service_type=service_types)
    out = {}
    for field, options in fields.items():
        counts = Counter(p.get(field, "") for p in profiles)
        rows = [(o, counts.pop(o, 0)) for o in options]
        rows += sorted(counts.items())
        out[field] = rows
    return out


def by_service_type(spec: dict, rows: list[tuple[str, dict]], service_types: list[str]) -> list:
    """[(service type, n, {index: rounded index})] for the per-service-type table."""
    out = []
    for service in service_types:
        answers = [a for s, a in rows if s == service]
        results = index_results(spec, answers)
        out.append((service, len(answers), {k: v["index"] for k, v in results.items()}))
    return out
