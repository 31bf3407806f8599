"""Instrument versions declare the ZI years they serve. LKE-ZI-2024 (Permen PAN-RB 90/2021) serves
the years that regulation governs, 2022 on; any other version serves its own year on."""

from django.db import migrations, models


def backfill(apps, schema_editor):
    Instrument = apps.get_model("assessments", "Instrument")
    for instrument in Instrument.objects.all():
        national_2024 = instrument.code == "LKE-ZI-2024" and instrument.pemda_id is None
        instrument.first_year = 2022 if national_2024 else instrument.year
        instrument.save(update_fields=["first_year"])


class Migration(migrations.Migration):
    dependencies = [("assessments", "0008_remove_assessment_witnesses_json")]

    operations = [
        migrations.AddField(
            model_name="historicalinstrument",
            name="first_year",
            field=models.PositiveIntegerField(
                blank=True, null=True, verbose_name="berlaku mulai tahun ZI"
            ),
        ),
        migrations.AddField(
            model_name="historicalinstrument",
            name="last_year",
            field=models.PositiveIntegerField(
                blank=True, null=True, verbose_name="berlaku sampai tahun ZI"
            ),
        ),
        migrations.AddField(
            model_name="instrument",
            name="first_year",
            field=models.PositiveIntegerField(
                blank=True, null=True, verbose_name="berlaku mulai tahun ZI"
            ),
        ),
        migrations.AddField(
            model_name="instrument",
            name="last_year",
            field=models.PositiveIntegerField(
                blank=True, null=True, verbose_name="berlaku sampai tahun ZI"
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
