from django.db import migrations

ALL_ITEMS = ["surat_usulan", "sptjm", "lhe", "video", "piagam", "pakta"]


def require_all(apps, schema_editor):
    """Pemdas that already use the portal get the full dossier list: from now on a unit is
    nominated only with its package complete (an Inspektorat admin can relax it in the admin)."""
    Pemda = apps.get_model("units", "Pemda")
    DossierPolicy = apps.get_model("dossier", "DossierPolicy")
    DossierPolicy.objects.bulk_create(
        [
            DossierPolicy(pemda_id=pk, required_items=ALL_ITEMS)
            for pk in Pemda.objects.values_list("pk", flat=True)
        ],
        ignore_conflicts=True,
    )


def forget(apps, schema_editor):
    apps.get_model("dossier", "DossierPolicy").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("dossier", "0001_dossier")]

    operations = [migrations.RunPython(require_all, forget)]
