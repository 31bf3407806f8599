"""Seeds the national LKE 2024 instrument (Permen PAN-RB 90/2021) as version 1.

Version 1 is the data frozen beside this migration (data/lke-2024-v1.json), not the live
assessments/instruments/lke-2024.json: a later edit of that file must become version 2 through an
import, never a different "version 1" on a fresh install. The file's SHA-256 is checked before use.
"""

import hashlib
import json
from pathlib import Path

from django.db import migrations

FROZEN_FILE = Path(__file__).resolve().parent / "data" / "lke-2024-v1.json"
FROZEN_SHA256 = "ab94b60bf16af922a6f9d8d18e5e9d08cef9327f9a6d3a78dea1a42b83cc2222"


def frozen_spec(path: Path = FROZEN_FILE) -> dict:
    """The instrument data of version 1; refuses a file that is not the one frozen here."""
    raw = path.read_bytes()
    found = hashlib.sha256(raw).hexdigest()
    if found != FROZEN_SHA256:
        raise RuntimeError(
            f"{path} has changed (sha256 {found}, expected {FROZEN_SHA256}); "
            "the seed of LKE-ZI-2024 version 1 must not change"
        )
    return json.loads(raw.decode("utf-8"))


def load(apps, schema_editor):
    # create_instrument works on the historical models passed in (shared with the import service).
    from assessments.instrument_io import create_instrument

    Instrument = apps.get_model("assessments", "Instrument")
    Question = apps.get_model("assessments", "Question")
    spec = frozen_spec()
    if not Instrument.objects.filter(code=spec["code"], pemda__isnull=True).exists():
        create_instrument(Instrument, Question, spec, pemda=None, source_name="lke-2024.json")


def unload(apps, schema_editor):
    Instrument = apps.get_model("assessments", "Instrument")
    Instrument.objects.filter(
        code="LKE-ZI-2024", pemda__isnull=True, assessments__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
