import django.db.models.deletion
from django.db import migrations, models


def existing_tokens_keep_working(apps, schema_editor):
    """Tokens made before expiry existed get no expiry (as they were promised), only a usage row."""
    Token = apps.get_model("authtoken", "Token")
    TokenUsage = apps.get_model("api", "TokenUsage")
    TokenUsage.objects.bulk_create(
        [TokenUsage(token_id=key) for key in Token.objects.values_list("key", flat=True)]
    )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("authtoken", "0004_alter_tokenproxy_options"),
    ]

    operations = [
        migrations.CreateModel(
            name="TokenUsage",
            fields=[
                (
                    "token",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="usage",
                        serialize=False,
                        to="authtoken.token",
                    ),
                ),
                (
                    "last_used_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="terakhir dipakai"),
                ),
                (
                    "expires_at",
                    models.DateTimeField(
                        blank=True,
                        help_text="Kosong: tidak kedaluwarsa.",
                        null=True,
                        verbose_name="kedaluwarsa",
                    ),
                ),
            ],
            options={
                "verbose_name": "pemakaian token API",
                "verbose_name_plural": "pemakaian token API",
            },
        ),
        migrations.RunPython(existing_tokens_keep_working, migrations.RunPython.noop),
    ]
