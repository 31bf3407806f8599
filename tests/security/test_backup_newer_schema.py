"""An archive made by a newer version of the portal (a migration this code does not have) is
refused before anything is replaced: the current data and files stay as they are."""

import io
import json
import tarfile

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from assessments import services as answers
from assessments.models import Answer, Question, Track
from evidence import services as evidence
from tests.factories import WorkUnitFactory, pdf_file
from units.models import WorkUnit

# Committed writes, as in test_backup.py: a restore starts with a flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FUTURE_MIGRATION = "assessments.9999_from_a_newer_portal"


def _with_manifest(source, target, change):
    """A copy of the archive ``source`` whose manifest is passed through ``change``."""
    with tarfile.open(source, "r:gz") as old, tarfile.open(target, "w:gz") as new:
        for member in old.getmembers():
            data = old.extractfile(member).read()
            if member.name == "manifest.json":
                data = json.dumps(change(json.loads(data)), indent=1).encode()
                member.size = len(data)
            new.addfile(member, io.BytesIO(data))
    return target


def test_an_archive_from_a_newer_schema_is_refused_and_nothing_changes(zi, tmp_path):  # noqa: F811
    assessment, operator = zi["assessment"], zi["users"]["unit_operator"]
    question = Question.objects.filter(
        instrument=assessment.instrument, answer_type="YA_TIDAK"
    ).first()
    answers.save_answer(
        assessment=assessment, question=question, track=Track.SELF, by=operator, value="Ya"
    )
    item = evidence.upload_file(
        assessment=assessment, question=question, uploaded_file=pdf_file(), by=operator
    )
    archive = tmp_path / "cadangan.tar.gz"
    call_command("backup_portal", output=str(archive))
    newer = _with_manifest(
        archive,
        tmp_path / "dari-versi-baru.tar.gz",
        lambda m: {**m, "migrations": sorted([*m["migrations"], FUTURE_MIGRATION])},
    )

    # Work done after the backup, which a refused restore must keep.
    answers.save_answer(
        assessment=assessment,
        question=question,
        track=Track.SELF,
        by=operator,
        value="Tidak",
        note="sesudah cadangan",
    )
    later_unit = WorkUnitFactory(pemda=zi["pemda"], name="Dinas Dibentuk Sesudah Cadangan")
    stored = item.current_version.file.name
    files_before = sorted(default_storage.listdir("")[1] + default_storage.listdir("")[0])

    with pytest.raises(CommandError, match="lebih baru") as err:
        call_command("restore_portal", str(newer), yes=True)
    assert FUTURE_MIGRATION in str(err.value)

    answer = Answer.objects.get(assessment=assessment, question=question, track=Track.SELF)
    assert (answer.value, answer.note) == ("Tidak", "sesudah cadangan")
    assert WorkUnit.objects.filter(pk=later_unit.pk).exists()
    assert default_storage.exists(stored)
    assert sorted(default_storage.listdir("")[1] + default_storage.listdir("")[0]) == files_before


def test_an_archive_from_the_same_schema_still_restores(zi, tmp_path):  # noqa: F811
    """The control: the same archive without the unknown migration is accepted."""
    evidence.upload_file(
        assessment=zi["assessment"],
        question=Question.objects.filter(instrument=zi["instrument"]).first(),
        uploaded_file=pdf_file(),
        by=zi["users"]["unit_operator"],
    )
    archive = tmp_path / "cadangan.tar.gz"
    call_command("backup_portal", output=str(archive))
    later_unit = WorkUnitFactory(pemda=zi["pemda"], name="Dinas Dibentuk Sesudah Cadangan")
    call_command("restore_portal", str(archive), yes=True)
    assert not WorkUnit.objects.filter(pk=later_unit.pk).exists()
