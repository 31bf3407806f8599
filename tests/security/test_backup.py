"""Backup and restore round trip: database rows, history and evidence files come back intact."""
import gzip
import io
import tarfile

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from assessments import services as answers
from assessments.models import Answer, Question, Track
from evidence import services as evidence
from evidence.models import EvidenceItem
from ops.backup import BackupError, restore_backup
from tests.factories import pdf_bytes, pdf_file

# Committed writes: PostgreSQL cannot TRUNCATE (flush) inside a transaction that has pending
# constraint checks, which is how a restore starts. serialized_rollback keeps the LKE rows that
# the data migration loads for the tests that follow.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def filled(zi):  # noqa: F811
    assessment, operator = zi["assessment"], zi["users"]["unit_operator"]
    question = Question.objects.filter(instrument=assessment.instrument, answer_type="YA_TIDAK").first()
    answers.save_answer(assessment=assessment, question=question, track=Track.SELF, by=operator, value="Ya")
    answers.save_answer(assessment=assessment, question=question, track=Track.SELF, by=operator, value="Tidak",
                        note="Belum ada SK")
    item = evidence.upload_file(assessment=assessment, question=question, uploaded_file=pdf_file(), by=operator)
    return {**zi, "question": question, "item": item, "operator": operator}


def _answer(filled):
    return Answer.objects.get(assessment=filled["assessment"], question=filled["question"], track=Track.SELF)


def test_backup_then_restore_brings_back_rows_history_files_and_logins(filled, tmp_path):
    archive = tmp_path / "cadangan.tar.gz"
    call_command("backup_portal", output=str(archive))
    item = filled["item"]
    stored_name = item.current_version.file.name

    # Damage after the backup: a changed answer, a renamed evidence item, its file lost.
    answers.save_answer(assessment=filled["assessment"], question=filled["question"], track=Track.SELF,
                        by=filled["operator"], value="Ya", note="diubah setelah cadangan")
    EvidenceItem.objects.filter(pk=item.pk).update(title="diubah")
    default_storage.delete(stored_name)

    call_command("restore_portal", str(archive), yes=True)

    answer = _answer(filled)
    assert (answer.value, answer.note) == ("Tidak", "Belum ada SK")
    assert [h.value for h in answer.history.order_by("history_date")] == ["Ya", "Tidak"]
    restored = EvidenceItem.objects.get(pk=item.pk)
    assert restored.title == item.title
    stream = evidence.open_verified(restored.current_version)  # checksum checked while reading
    try:
        assert b"".join(iter(lambda: stream.read(), b"")) == pdf_bytes()
    finally:
        stream.close()
    operator = type(filled["operator"]).objects.get(pk=filled["operator"].pk)
    assert operator.check_password("rahasia-uji-123")  # password hashes survive: people can log in


def test_a_damaged_archive_is_refused_and_changes_nothing(filled, tmp_path):
    archive = tmp_path / "cadangan.tar.gz"
    call_command("backup_portal", output=str(archive))
    # Rewrite the archive with one evidence file's bytes altered (same size).
    damaged = tmp_path / "rusak.tar.gz"
    with tarfile.open(archive, "r:gz") as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.startswith("media/"):
                data = data[:-1] + bytes([data[-1] ^ 1])
            target.addfile(member, io.BytesIO(data))
    answers.save_answer(assessment=filled["assessment"], question=filled["question"], track=Track.SELF,
                        by=filled["operator"], value="Ya", note="sesudah cadangan")

    with pytest.raises(CommandError, match="checksum SHA-256 tidak cocok"):
        call_command("restore_portal", str(damaged), yes=True)
    assert _answer(filled).note == "sesudah cadangan"  # nothing was replaced


def test_a_file_that_is_not_a_backup_gets_a_clear_message(db, tmp_path):
    bogus = tmp_path / "bukan.tar.gz"
    bogus.write_bytes(gzip.compress(b"halo"))
    with pytest.raises(BackupError, match="tidak dapat dibuka|bukan cadangan"):
        restore_backup(bogus)
