"""Witnesses of the pencanangan as rows (issue 17); the JSON list moves over in 0007."""

import django.db.models.deletion
import simple_history.models
import units.nip
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0005_backfill_summaries"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="assessment",
            name="signatory_nip",
            field=models.CharField(
                blank=True,
                max_length=30,
                validators=[units.nip.validate_nip],
                verbose_name="NIP penanda tangan",
            ),
        ),
        migrations.AddField(
            model_name="historicalassessment",
            name="signatory_nip",
            field=models.CharField(
                blank=True,
                max_length=30,
                validators=[units.nip.validate_nip],
                verbose_name="NIP penanda tangan",
            ),
        ),
        migrations.CreateModel(
            name="HistoricalWitness",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("order", models.PositiveSmallIntegerField(default=0, verbose_name="urutan")),
                ("name", models.CharField(max_length=200, verbose_name="nama lengkap dan gelar")),
                ("position", models.CharField(blank=True, max_length=200, verbose_name="jabatan")),
                (
                    "institution",
                    models.CharField(blank=True, max_length=200, verbose_name="instansi"),
                ),
                (
                    "nip",
                    models.CharField(
                        blank=True,
                        max_length=30,
                        validators=[units.nip.validate_nip],
                        verbose_name="NIP",
                    ),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "assessment",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="assessments.assessment",
                        verbose_name="penilaian",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical saksi pencanangan",
                "verbose_name_plural": "historical saksi pencanangan",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="Witness",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("order", models.PositiveSmallIntegerField(default=0, verbose_name="urutan")),
                ("name", models.CharField(max_length=200, verbose_name="nama lengkap dan gelar")),
                ("position", models.CharField(blank=True, max_length=200, verbose_name="jabatan")),
                (
                    "institution",
                    models.CharField(blank=True, max_length=200, verbose_name="instansi"),
                ),
                (
                    "nip",
                    models.CharField(
                        blank=True,
                        max_length=30,
                        validators=[units.nip.validate_nip],
                        verbose_name="NIP",
                    ),
                ),
                (
                    "assessment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="witnesses",
                        to="assessments.assessment",
                        verbose_name="penilaian",
                    ),
                ),
            ],
            options={
                "verbose_name": "saksi pencanangan",
                "verbose_name_plural": "saksi pencanangan",
                "ordering": ["assessment", "order", "pk"],
            },
        ),
    ]
