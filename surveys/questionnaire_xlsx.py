"""A questionnaire version as xlsx and back: an Admin Inspektorat downloads a version, edits it
(wording, options, a 1–6 scale, the LKE factor) and uploads it as a new version. Three sheets:
Kuesioner (key/value), Butir (one row per item), Profil (one row per option)."""

from __future__ import annotations

from dataclasses import dataclass

import openpyxl
from openpyxl.styles import Font

from zi_portal import spreadsheets

from . import scoring

SETTINGS = [  # key in the sheet, how to read it from the spec
    ("kode", lambda s: s["code"]),
    ("nama", lambda s: s["name"]),
    ("dasar_hukum", lambda s: s.get("regulation", "")),
    ("skala_min", lambda s: s["scale"]["min"]),
    ("skala_maks", lambda s: s["scale"]["max"]),
    ("faktor_lke", lambda s: str(s["lke_factor"])),
    ("faktor_ikm", lambda s: str(s.get("ikm_factor", "25"))),
]
INDICES = ("IPKP", "IPAK")
PROFILE = ("age_band", "gender", "education", "occupation")


@dataclass
class CellError:
    sheet: str
    row: int | None
    message: str


def export(spec: dict) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Kuesioner"
    ws.append(["kunci", "nilai"])
    for key, read in SETTINGS:
        ws.append([key, read(spec)])
    for index in INDICES:
        survey = next(s for s in spec["surveys"] if s["index"] == index)
        ws.append([f"nama_{index}", survey["name"]])
        ws.append([f"pengantar_{index}", survey.get("intro", "")])
        for level, value in (spec.get("thresholds", {}).get(index) or {}).items():
            ws.append([f"ambang_{index}_{level}", value])
    width = int(spec["scale"]["max"]) - int(spec["scale"]["min"]) + 1
    items = wb.create_sheet("Butir")
    items.append(
        ["indeks", "kode", "aspek", "pertanyaan", *(f"pilihan_{i + 1}" for i in range(width))]
    )
    for item in scoring.items(spec):
        items.append(
            [item["index"], item["code"], item.get("aspect", ""), item["text"], *item["options"]]
        )
    profile = wb.create_sheet("Profil")
    profile.append(["kolom", "pilihan"])
    for field in PROFILE:
        for option in spec["profile"][field]:
            profile.append([field, option])
    for sheet in wb.worksheets:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    return spreadsheets.workbook_bytes(wb)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse(raw: bytes) -> tuple[dict | None, list[CellError]]:
    """(spec, []) or (None, errors at their sheet and row). The spec is then validated as a whole
    (scoring.validate_spec) by the import service."""
    try:
        wb = spreadsheets.open_xlsx(raw, data_only=True)
    except spreadsheets.SpreadsheetRefused as exc:
        return None, [CellError("", None, str(exc))]
    errors: list[CellError] = []
    try:
        missing = [n for n in ("Kuesioner", "Butir", "Profil") if n not in wb.sheetnames]
        if missing:
            return None, [CellError(n, None, "Lembar ini tidak ada.") for n in missing]
        settings = {
            _text(k): v for k, v, *_ in wb["Kuesioner"].iter_rows(min_row=2, values_only=True) if k
        }
        spec: dict = {}
        try:
            spec = {
                "code": _text(settings["kode"]),
                "name": _text(settings["nama"]),
                "regulation": _text(settings.get("dasar_hukum")),
                "scale": {"min": int(settings["skala_min"]), "max": int(settings["skala_maks"])},
                "lke_factor": _text(settings["faktor_lke"]),
                "ikm_factor": _text(settings.get("faktor_ikm") or "25"),
            }
        except (KeyError, TypeError, ValueError) as exc:
            return None, [CellError("Kuesioner", None, f"Kunci wajib tidak ada atau salah: {exc}")]
        spec["thresholds"] = {
            index: {
                level: _text(settings[f"ambang_{index}_{level}"])
                for level in ("WBK", "WBBM")
                if settings.get(f"ambang_{index}_{level}") not in (None, "")
            }
            for index in INDICES
        }
        width = spec["scale"]["max"] - spec["scale"]["min"] + 1
        surveys = {
            index: {
                "index": index,
                "name": _text(settings.get(f"nama_{index}")) or index,
                "items": [],
            }
            for index in INDICES
        }
        for index, survey in surveys.items():
            if _text(settings.get(f"pengantar_{index}")):
                survey["intro"] = _text(settings.get(f"pengantar_{index}"))
        for number, row in enumerate(wb["Butir"].iter_rows(min_row=2, values_only=True), start=2):
            if not any(v not in (None, "") for v in row):
                continue
            index, code, aspect, text, *options = (list(row) + [None] * 4)[: 4 + width]
            index = _text(index).upper()
            if index not in surveys:
                errors.append(CellError("Butir", number, f"Indeks '{index}' harus IPAK atau IPKP."))
                continue
            options = [_text(o) for o in options]
            if len(options) < width or any(not o for o in options):
                errors.append(
                    CellError(
                        "Butir",
                        number,
                        f"Isi {width} arti pilihan (skala {spec['scale']['min']}–{spec['scale']['max']}).",
                    )
                )
            surveys[index]["items"].append(
                {
                    "code": _text(code),
                    "aspect": _text(aspect),
                    "text": _text(text),
                    "options": options,
                }
            )
        spec["surveys"] = list(surveys.values())
        profile: dict[str, list[str]] = {field: [] for field in PROFILE}
        for number, row in enumerate(wb["Profil"].iter_rows(min_row=2, values_only=True), start=2):
            field, option = (list(row) + [None, None])[:2]
            if field in (None, "") and option in (None, ""):
                continue
            if _text(field) not in profile:
                errors.append(
                    CellError("Profil", number, f"Kolom profil '{_text(field)}' tidak dikenal.")
                )
                continue
            profile[_text(field)].append(_text(option))
        spec["profile"] = profile
    finally:
        wb.close()
    if errors:
        return None, errors
    return spec, [CellError("", None, e) for e in scoring.validate_spec(spec)]
