import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0010_transition_event_dates"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="HistoricalZeroDenominatorOverride",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("question_code", models.CharField(max_length=50)),
                (
                    "rule",
                    models.CharField(
                        choices=[
                            ("not_applicable", "tidak berlaku (tidak dihitung dalam rata-rata)"),
                            ("full", "nilai penuh"),
                            ("zero", "nilai nol"),
                        ],
                        max_length=20,
                        verbose_name="arti penyebut nol",
                    ),
                ),
                ("reason", models.TextField(verbose_name="alasan")),
                ("at", models.DateTimeField(blank=True, editable=False)),
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
                    ),
                ),
                (
                    "by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
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
                "verbose_name": "historical zero denominator override",
                "verbose_name_plural": "historical zero denominator overrides",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="TpnStage",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "phase",
                    models.CharField(
                        choices=[
                            ("administrasi", "Seleksi administrasi"),
                            ("desk", "Evaluasi desk"),
                            ("sanggah", "Sanggah"),
                            ("lapangan", "Evaluasi lapangan / wawancara"),
                            ("penetapan", "Penetapan"),
                        ],
                        max_length=20,
                        verbose_name="tahap TPN",
                    ),
                ),
                (
                    "result",
                    models.CharField(
                        choices=[("lolos", "Lolos"), ("tidak_lolos", "Tidak lolos")],
                        max_length=20,
                        verbose_name="hasil",
                    ),
                ),
                ("on", models.DateField(verbose_name="tanggal")),
                ("note", models.TextField(blank=True, verbose_name="catatan")),
                ("at", models.DateTimeField(auto_now_add=True)),
                (
                    "assessment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="tpn_stages",
                        to="assessments.assessment",
                    ),
                ),
                (
                    "by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "tahap TPN",
                "verbose_name_plural": "tahap TPN",
                "ordering": ["on", "at", "pk"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("assessment", "phase"), name="tpnstage_once_per_phase"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="ZeroDenominatorOverride",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("question_code", models.CharField(max_length=50)),
                (
                    "rule",
                    models.CharField(
                        choices=[
                            ("not_applicable", "tidak berlaku (tidak dihitung dalam rata-rata)"),
                            ("full", "nilai penuh"),
                            ("zero", "nilai nol"),
                        ],
                        max_length=20,
                        verbose_name="arti penyebut nol",
                    ),
                ),
                ("reason", models.TextField(verbose_name="alasan")),
                ("at", models.DateTimeField(auto_now=True)),
                (
                    "assessment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="zero_overrides",
                        to="assessments.assessment",
                    ),
                ),
                (
                    "by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("assessment", "question_code"),
                        name="zero_override_once_per_question",
                    )
                ],
            },
        ),
    ]
