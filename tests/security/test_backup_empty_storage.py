"""A portal that has stored no file yet (local storage: no media folder) can be backed up, and an
archive restores onto such a portal with its files."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management import call_command

from assessments.models import Question
from evidence import services as evidence
from tests.factories import WorkUnitFactory, pdf_file
from units.models import WorkUnit

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_portal_without_any_stored_file_can_be_backed_up_and_restored(zi, tmp_path):  # noqa: F811
    assert not Path(settings.MEDIA_ROOT).exists()
    archive = tmp_path / "cadangan.tar.gz"
    call_command("backup_portal", output=str(archive))
    later = WorkUnitFactory(pemda=zi["pemda"], name="Dinas Sesudah Cadangan")
    call_command("restore_portal", str(archive), yes=True)
    assert not WorkUnit.objects.filter(pk=later.pk).exists()


def test_files_come_back_onto_a_portal_whose_media_folder_is_gone(zi, tmp_path):  # noqa: F811
    question = Question.objects.filter(instrument=zi["instrument"]).first()
    item = evidence.upload_file(
        assessment=zi["assessment"],
        question=question,
        uploaded_file=pdf_file(),
        by=zi["users"]["unit_operator"],
    )
    archive = tmp_path / "cadangan.tar.gz"
    call_command("backup_portal", output=str(archive))
    shutil.rmtree(settings.MEDIA_ROOT)  # e.g. a new server with only the database moved over
    call_command("restore_portal", str(archive), yes=True)
    assert default_storage.exists(item.current_version.file.name)
