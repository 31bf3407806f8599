"""Questionnaire versions through xlsx: export, edit, import as a new version; errors at their rows."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from surveys import questionnaire_xlsx, services
from surveys.models import Questionnaire
from tests.factories import survey_period


def _download(client, version):
    reply = client.get(reverse("surveys:questionnaire_xlsx", args=[version.pk]))
    assert reply.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(reply.content))


def _upload(client, wb, pemda):
    out = io.BytesIO()
    wb.save(out)
    return client.post(
        reverse("surveys:questionnaires"),
        {"pemda": pemda.pk, "file": SimpleUploadedFile("k.xlsx", out.getvalue())},
        follow=True,
    )


def test_export_then_import_gives_the_same_questionnaire(world):
    national = services.default_questionnaire()
    spec, errors = questionnaire_xlsx.parse(questionnaire_xlsx.export(national.spec))
    assert errors == []
    for key in ("code", "name", "scale", "profile", "thresholds", "surveys"):
        assert spec[key] == national.spec[key], key


def test_admin_imports_a_1_to_6_version_used_by_the_next_period(world, login):
    admin = world["users"]["inspektorat_admin"]
    client = login(admin)
    old_period = survey_period(world["own"], admin)
    wb = _download(client, services.default_questionnaire())
    settings = wb["Kuesioner"]
    for row in settings.iter_rows(min_row=2):
        if row[0].value == "skala_maks":
            row[1].value = 6
        if row[0].value == "faktor_lke":
            row[1].value = "0.6667"
    items = wb["Butir"]
    items.cell(row=1, column=9, value="pilihan_5")
    items.cell(row=1, column=10, value="pilihan_6")
    for r in range(2, items.max_row + 1):
        labels = ["Sangat buruk", "Buruk", "Kurang baik", "Cukup baik", "Baik", "Sangat baik"]
        for i, label in enumerate(labels):
            items.cell(row=r, column=5 + i, value=label)
    page = _upload(client, wb, world["pemda"])
    assert "Versi 1 disimpan" in page.content.decode()
    own = Questionnaire.objects.get(pemda=world["pemda"])
    assert own.spec["scale"] == {"min": 1, "max": 6}
    new_period = survey_period(world["own"], admin)
    assert new_period.questionnaire == own
    old_period.refresh_from_db()
    assert old_period.questionnaire.pemda is None  # the period in progress keeps its version


def test_bad_rows_are_reported_at_their_row_and_nothing_is_saved(world, login):
    client = login(world["users"]["inspektorat_admin"])
    wb = _download(client, services.default_questionnaire())
    wb["Butir"].cell(row=4, column=8).value = None  # third item: its fourth option erased
    wb["Butir"].cell(row=6, column=1, value="IKM")
    wb["Profil"].append(["hobi", "membaca"])
    page = _upload(client, wb, world["pemda"]).content.decode()
    assert "3 kesalahan; tidak ada yang disimpan" in page
    assert "Isi 4 arti pilihan (skala 1–4)." in page
    assert "Indeks &#x27;IKM&#x27; harus IPAK atau IPKP." in page
    assert "Kolom profil &#x27;hobi&#x27; tidak dikenal." in page
    assert not Questionnaire.objects.filter(pemda=world["pemda"]).exists()


def test_not_an_xlsx_is_refused_with_a_message(world, login):
    client = login(world["users"]["inspektorat_admin"])
    page = client.post(
        reverse("surveys:questionnaires"),
        {"pemda": world["pemda"].pk, "file": SimpleUploadedFile("k.xlsx", b"not a workbook")},
    )
    assert "tidak dapat dibaca sebagai spreadsheet" in page.content.decode()


@pytest.mark.parametrize("role", ["unit_head", "evaluator", "leadership"])
def test_only_the_admin_manages_questionnaires(role, world, login):
    client = login(world["users"][role])
    assert client.get(reverse("surveys:questionnaires")).status_code == 403


def test_a_pemdas_own_version_is_404_to_another_pemda(world, login):
    admin = world["users"]["inspektorat_admin"]
    spec = {**services.default_questionnaire().spec, "name": "Versi Uji"}
    own = services.import_questionnaire(spec=spec, by=admin, pemda=world["pemda"])
    client = login(world["users"]["foreign_admin"])
    assert client.get(reverse("surveys:questionnaire_xlsx", args=[own.pk])).status_code == 404
