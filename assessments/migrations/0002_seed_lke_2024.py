"""Seeds the national LKE 2024 instrument (Permen PAN-RB 90/2021) from the shipped data file."""

from django.db import migrations


def load(apps, schema_editor):
    from assessments.instrument_io import create_instrument, load_shipped_spec

    Instrument = apps.get_model("assessments", "Instrument")
    Question = apps.get_model("assessments", "Question")
    spec = load_shipped_spec()
    if not Instrument.objects.filter(code=spec["code"], pemda__isnull=True).exists():
        create_instrument(Instrument, Question, spec, pemda=None, source_name="lke-2024.json")


def unload(apps, schema_editor):
    Instrument = apps.get_model("assessments", "Instrument")
    Instrument.objects.filter(code="LKE-ZI-2024", pemda__isnull=True, assessments__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
