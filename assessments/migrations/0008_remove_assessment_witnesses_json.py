"""The JSON witness list, now rows (0007 moved them; reversing 0007 moves them back)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("assessments", "0007_witnesses_from_json")]

    operations = [
        migrations.RemoveField(
            model_name="assessment",
            name="witnesses",
        ),
        migrations.RemoveField(
            model_name="historicalassessment",
            name="witnesses",
        ),
    ]
