"""A transition's event date (``on``) beside the moment it was recorded, the decree number of a
designation or revocation, and the reason of a nomination outside the calendar. Existing rows take
the day they were recorded (a proclamation: its charter's date)."""

from django.db import migrations, models
from django.utils import timezone


def backfill(apps, schema_editor):
    Transition = apps.get_model("assessments", "Transition")
    for t in Transition.objects.select_related("assessment").iterator():
        t.on = t.assessment.proclaimed_on if t.name == "proclaim" else timezone.localdate(t.at)
        t.save(update_fields=["on"])


class Migration(migrations.Migration):
    dependencies = [("assessments", "0009_instrument_zi_years")]

    operations = [
        migrations.AlterModelOptions(
            name="transition",
            options={"ordering": ["on", "at", "pk"]},
        ),
        migrations.AddField(
            model_name="transition",
            name="decree_number",
            field=models.CharField(blank=True, max_length=200, verbose_name="nomor SK"),
        ),
        migrations.AddField(
            model_name="transition",
            name="on",
            field=models.DateField(null=True, verbose_name="tanggal kejadian"),
        ),
        migrations.AddField(
            model_name="transition",
            name="override_reason",
            field=models.TextField(blank=True, verbose_name="alasan di luar jadwal"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="transition",
            name="on",
            field=models.DateField(default=timezone.localdate, verbose_name="tanggal kejadian"),
        ),
    ]
