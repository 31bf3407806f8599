"""Moves each assessment's JSON witness list ({name, title}) into Witness rows.

The old form split a line on its first comma, so "Ir. Bambang Wicaksono, M.T." was stored as name
"Ir. Bambang Wicaksono" and title "M.T.". A "title" that is only academic degrees is joined back to
the name here; anything else stays the position. Reversible: rows go back to the JSON list."""

import re

from django.db import migrations

# "M.T.", "S.H., M.H.", "S.I.K.", "M.Si.", "Ph.D.": abbreviations with dots, comma-separated.
DEGREES = re.compile(
    r"^\s*[A-Z][A-Za-z]{0,4}\.(?:[A-Za-z]{1,4}\.)*(?:\s*,\s*[A-Z][A-Za-z]{0,4}\.(?:[A-Za-z]{1,4}\.)*)*\s*$"
)


def split_row(name: str, title: str) -> tuple[str, str]:
    if title and DEGREES.match(title):
        return f"{name}, {title.strip()}", ""
    return name, title


def forward(apps, schema_editor):
    Assessment = apps.get_model("assessments", "Assessment")
    Witness = apps.get_model("assessments", "Witness")
    rows = []
    for pk, witnesses in Assessment.objects.values_list("pk", "witnesses").iterator():
        for order, w in enumerate(witnesses or []):
            if not isinstance(w, dict) or not str(w.get("name") or "").strip():
                continue
            name, position = split_row(
                str(w.get("name") or "").strip()[:200], str(w.get("title") or "").strip()[:200]
            )
            rows.append(Witness(assessment_id=pk, order=order, name=name[:200], position=position))
    Witness.objects.bulk_create(rows, batch_size=500)


def backward(apps, schema_editor):
    Assessment = apps.get_model("assessments", "Assessment")
    Witness = apps.get_model("assessments", "Witness")
    lists: dict[int, list] = {}
    for w in Witness.objects.order_by("assessment_id", "order", "pk"):
        lists.setdefault(w.assessment_id, []).append({"name": w.name, "title": w.position})
    for pk, witnesses in lists.items():
        Assessment.objects.filter(pk=pk).update(witnesses=witnesses)
    Witness.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0006_witness_rows")]

    operations = [migrations.RunPython(forward, backward)]
