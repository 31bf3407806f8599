"""The JSON witness lists of existing assessments become rows (assessments 0007), repairing the
names the old comma-splitting form had cut ("Ir. Bambang Wicaksono" + "M.T."), and go back."""

import datetime
import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("assessments", "0005_backfill_summaries"), ("units", "0002_pemda_unit_identity")]
AFTER = [("assessments", "0008_remove_assessment_witnesses_json")]
migration = importlib.import_module("assessments.migrations.0007_witnesses_from_json")


@pytest.mark.parametrize(
    ("name", "title", "expected"),
    [
        ("Ir. Bambang Wicaksono", "M.T.", ("Ir. Bambang Wicaksono, M.T.", "")),
        ("Siti Farida", "S.H., M.H.", ("Siti Farida, S.H., M.H.", "")),
        ("AKBP Wahyu", "S.I.K.", ("AKBP Wahyu, S.I.K.", "")),
        ("H. Dian", "Bupati Jepara", ("H. Dian", "Bupati Jepara")),
        ("Dr. Kajari", "Kepala Kejaksaan Negeri", ("Dr. Kajari", "Kepala Kejaksaan Negeri")),
        ("Nama", "", ("Nama", "")),
    ],
)
def test_a_title_made_only_of_degrees_goes_back_to_the_name(name, title, expected):
    assert migration.split_row(name, title) == expected


# serialized_rollback like every other transactional test here: its teardown then leaves no
# freshly made content types behind for the next serialized test to collide with.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_json_witnesses_become_rows_and_back():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Pemda = apps.get_model("units", "Pemda")
    WorkUnit = apps.get_model("units", "WorkUnit")
    Instrument = apps.get_model("assessments", "Instrument")
    Assessment = apps.get_model("assessments", "Assessment")
    pemda = Pemda.objects.create(code="99.01", name="Kabupaten Migrasi", kind="kabupaten")
    unit = WorkUnit.objects.create(pemda=pemda, code="U1", name="Dinas Migrasi", type="dinas")
    instrument = Instrument.objects.create(code="M", name="M", year=2026, spec={}, checksum="m")
    witnesses = [
        {"name": "Ir. Bambang Wicaksono", "title": "M.T."},
        {"name": "H. Darmanto Wibisono, S.Pd.", "title": "Bupati Jepara"},
        {"name": "", "title": "kosong"},
    ]
    a = Assessment.objects.create(
        unit=unit,
        year=2026,
        instrument=instrument,
        proclaimed_on=datetime.date(2026, 2, 5),
        proclaimed_at="Jepara",
        signatory_name="Kepala",
        signatory_title="Kepala Dinas",
        witnesses=witnesses,
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    rows = apps.get_model("assessments", "Witness").objects.filter(assessment_id=a.pk)
    assert [(w.order, w.name, w.position) for w in rows.order_by("order")] == [
        (0, "Ir. Bambang Wicaksono, M.T.", ""),
        (1, "H. Darmanto Wibisono, S.Pd.", "Bupati Jepara"),
    ]

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    back = apps.get_model("assessments", "Assessment").objects.get(pk=a.pk).witnesses
    assert back == [
        {"name": "Ir. Bambang Wicaksono, M.T.", "title": ""},
        {"name": "H. Darmanto Wibisono, S.Pd.", "title": "Bupati Jepara"},
    ]
    MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())
