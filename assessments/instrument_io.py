"""Turning instrument data (the canonical JSON dict) into database rows.

Written against model classes passed in, so the seed data migration (historical models)
and the import service share one implementation.
"""

import hashlib
import json
from pathlib import Path

SHIPPED_FILE = Path(__file__).resolve().parent / "instruments" / "lke-2024.json"


def checksum(spec: dict) -> str:
    canonical = json.dumps(spec, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def question_rows(spec: dict):
    """(code, indicator, section, area, answer_type, label, text, order) for every question."""
    order = 0
    for indicator in spec["indicators"]:
        for question in indicator["questions"]:
            order += 1
            yield {
                "code": question["code"],
                "indicator_code": indicator["code"],
                "section_code": indicator["section"],
                "area_code": indicator.get("area") or "",
                "answer_type": question["answer_type"],
                "label": question.get("label", "")[:200],
                "text": question.get("text", ""),
                "order": order,
            }


def create_instrument(instrument_model, question_model, spec: dict, **fields):
    """Creates an Instrument row and its Question rows; the next version number for its code."""
    last = instrument_model.objects.filter(code=spec["code"]).order_by("-version").first()
    instrument = instrument_model.objects.create(
        code=spec["code"],
        version=(last.version + 1) if last else 1,
        name=spec["name"],
        regulation=spec.get("regulation", ""),
        year=spec["year"],
        spec=spec,
        checksum=checksum(spec),
        **fields,
    )
    question_model.objects.bulk_create(
        [question_model(instrument=instrument, **row) for row in question_rows(spec)]
    )
    return instrument


def load_shipped_spec() -> dict:
    return json.loads(SHIPPED_FILE.read_text(encoding="utf-8"))
