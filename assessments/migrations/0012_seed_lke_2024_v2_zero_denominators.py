"""LKE-ZI-2024 version 2: version 1 (the frozen file, checked) plus what the regulation leaves to
practice, as data: for every % question what a zero denominator means and why, and each change
area's declared Pemenuhan/Reform halves (so a moved weight is caught even when totals still add
up). Assessments on version 1 keep it; new assessments of 2022 on take version 2."""

import copy
import importlib

from django.db import migrations

CODE = "LKE-ZI-2024"
SOURCE = "lke-2024.json (versi 2: penyebut nol, bobot area)"

# Chosen from practice (the two known cases): a unit with nothing to count has done its best.
FULL_REASONS = {
    "REF-SDM-03.a": (
        "Tidak ada pelanggaran disiplin pada tahun lalu maupun tahun ini: kondisi terbaik yang "
        "dituju indikator ini. Dalam praktik evaluasi TPI/TPN unit tanpa pelanggaran diberi nilai "
        "penuh; nilai 0 akan menghukum unit yang bersih."
    ),
    "REF-PWS-02.a": (
        "Tidak ada pengaduan masyarakat yang harus ditindaklanjuti: tidak ada tunggakan. Dalam "
        "praktik evaluasi nilai penuh diberikan bila kanal pengaduan tersedia (dinilai pada "
        "pertanyaan lain indikator ini); nilai 0 akan menghukum unit tanpa keluhan."
    ),
}
NOT_APPLICABLE_REASON = (
    "Tidak ada yang dihitung (penyebut nol): pertanyaan ini tidak berlaku dan tidak dihitung "
    "dalam rata-rata indikatornya."
)


def version_2(spec: dict) -> dict:
    spec = copy.deepcopy(spec)
    halves: dict = {}
    for indicator in spec["indicators"]:
        if indicator.get("area"):
            key = (indicator["area"], indicator["section"])
            halves[key] = halves.get(key, []) + [indicator["weight"]]
        for question in indicator["questions"]:
            if question["answer_type"] != "PERSEN":
                continue
            if question["code"] in FULL_REASONS:
                question["zero_denominator"] = "full"
                question["zero_denominator_reason"] = FULL_REASONS[question["code"]]
            else:
                question["zero_denominator"] = "not_applicable"
                question["zero_denominator_reason"] = NOT_APPLICABLE_REASON
    from fractions import Fraction

    for area in spec["areas"]:
        area["weights"] = {
            section: _text(sum((Fraction(w) for w in weights), Fraction(0)))
            for (code, section), weights in sorted(halves.items())
            if code == area["code"]
        }
    spec["scoring"]["notes"] += (
        " Versi 2: setiap pertanyaan % menyatakan arti penyebut nol (zero_denominator) beserta "
        "alasannya, dan setiap area menyatakan bobot Pemenuhan/Reform-nya."
    )
    return spec


def _text(value) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    return str(value.numerator / value.denominator)


def load(apps, schema_editor):
    from assessments.instrument_io import create_instrument

    seed = importlib.import_module("assessments.migrations.0002_seed_lke_2024")
    Instrument = apps.get_model("assessments", "Instrument")
    Question = apps.get_model("assessments", "Question")
    if Instrument.objects.filter(code=CODE, pemda__isnull=True, source_name=SOURCE).exists():
        return
    create_instrument(
        Instrument,
        Question,
        version_2(seed.frozen_spec()),
        pemda=None,
        source_name=SOURCE,
        first_year=2022,
    )


def unload(apps, schema_editor):
    Instrument = apps.get_model("assessments", "Instrument")
    Instrument.objects.filter(
        code=CODE, pemda__isnull=True, source_name=SOURCE, assessments__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0011_tpn_stages_zero_denominator_overrides")]
    operations = [migrations.RunPython(load, unload)]
