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
    question = Question.objects.filter(
        instrument=assessment.instrument, answer_type="YA_TIDAK"
    ).first()
    answers.save_answer(
        assessment=assessment, question=question, track=Track.SELF, by=operator, value="Ya"
    )
    answers.save_answer(
        assessment=assessment,
        question=question,
        track=Track.SELF,
        by=operator,
        value="Tidak",
        note="Belum ada SK",
    )
    item = evidence.upload_file(
        assessment=assessment, question=question, uploaded_file=pdf_file(), by=operator
    )
    return {**zi, "question": question, "item": item, "operator": operator}


def _answer(filled):
    return Answer.objects.get(
        assessment=filled["assessment"], question=filled["question"], track=Track.SELF
    )


def test_backup_then_restore_brings_back_rows_history_files_and_logins(filled, tmp_path):
    archive = tmp_path / "cadangan.tar.gz"
    call_command("backup_portal", output=str(archive))
    item = filled["item"]
    stored_name = item.current_version.file.name

    # Damage after the backup: a changed answer, a renamed evidence item, its file lost.
    answers.save_answer(
        assessment=filled["assessment"],
        question=filled["question"],
        track=Track.SELF,
        by=filled["operator"],
        value="Ya",
        note="diubah setelah cadangan",
    )
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
    answers.save_answer(
        assessment=filled["assessment"],
        question=filled["question"],
        track=Track.SELF,
        by=filled["operator"],
        value="Ya",
        note="sesudah cadangan",
    )

    with pytest.raises(CommandError, match="checksum SHA-256 tidak cocok"):
        call_command("restore_portal", str(damaged), yes=True)
    assert _answer(filled).note == "sesudah cadangan"  # nothing was replaced


def test_a_file_that_is_not_a_backup_gets_a_clear_message(db, tmp_path):
    bogus = tmp_path / "bukan.tar.gz"
    bogus.write_bytes(gzip.compress(b"halo"))
    with pytest.raises(BackupError, match="tidak dapat dibuka|bukan cadangan"):
        restore_backup(bogus)


# --- hostile or broken archives: refused before anything changes (issue 13, item 6) -------------


def _walk(directory):
    try:
        dirs, files = default_storage.listdir(directory)
    except FileNotFoundError:
        return
    yield from (f"{directory}/{name}" for name in files)
    for name in dirs:
        yield from _walk(f"{directory}/{name}")


def _stored():
    """Every stored file with its bytes (the portal's files, not a restore's staging area)."""
    from ops.backup import _storage_files

    out = {}
    for name in _storage_files():
        with default_storage.open(name, "rb") as handle:
            out[name] = handle.read()
    return out


def _rewrite(archive, out, edit):
    """Copies the archive through ``edit(entries, manifest)``; entries are [TarInfo, bytes] pairs
    (the manifest excluded), the manifest a dict, both changed in place; the manifest goes last."""
    import json

    with tarfile.open(archive, "r:gz") as source:
        entries = [
            [m, source.extractfile(m).read()]
            for m in source.getmembers()
            if m.name != "manifest.json"
        ]
        manifest = json.load(source.extractfile("manifest.json"))
    edit(entries, manifest)
    with tarfile.open(out, "w:gz") as target:
        for info, data in entries:
            if info.isfile():
                info.size = len(data)
                target.addfile(info, io.BytesIO(data))
            else:
                target.addfile(info)
        data = json.dumps(manifest).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        target.addfile(info, io.BytesIO(data))
    return out


def _add_file(name, data=b"lolos\n", kind=tarfile.REGTYPE, linkname="", listed=True):
    import hashlib

    def edit(entries, manifest):
        info = tarfile.TarInfo(name)
        info.type, info.linkname = kind, linkname
        entries.append([info, data if kind == tarfile.REGTYPE else b""])
        if listed:
            bare = name[len("media/") :] if name.startswith("media/") else name
            manifest["files"].append(
                {"name": bare, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            )

    return edit


@pytest.fixture
def backed_up(filled, tmp_path):
    """Two stored files, a backup, then a change the backup does not hold (a unit created since)."""
    from tests.factories import WorkUnitFactory

    evidence.upload_file(
        assessment=filled["assessment"],
        question=filled["question"],
        uploaded_file=pdf_file(name="kedua.pdf", text="SK kedua"),
        by=filled["operator"],
    )
    archive = tmp_path / "cadangan.tar.gz"
    call_command("backup_portal", output=str(archive))
    unit = WorkUnitFactory(pemda=filled["pemda"], name="Unit Baru Sesudah Cadangan")
    return {**filled, "archive": archive, "new_unit": unit, "files": _stored(), "tmp": tmp_path}


def _unchanged(backed_up):
    from units.models import WorkUnit

    assert WorkUnit.objects.filter(
        pk=backed_up["new_unit"].pk
    ).exists()  # the database was not replaced
    assert _stored() == backed_up["files"]  # every file still there, byte for byte, nothing added
    assert list(_walk("restore-staging")) == []  # no staged copies left behind


HOSTILE = {
    "dot-dot": _add_file("media/../escaped.txt"),
    "dot-dot-deeper": _add_file("media/evidence/../../escaped.txt"),
    "absolute": _add_file("media//tmp/escaped.txt"),
    "outside-media": _add_file("escaped.txt", listed=False),
    "symlink": _add_file("media/link", kind=tarfile.SYMTYPE, linkname="/etc/passwd", listed=False),
    "hardlink": _add_file(
        "media/hard", kind=tarfile.LNKTYPE, linkname="database.json", listed=False
    ),
    "not-in-manifest": _add_file("media/evidence/extra.pdf", listed=False),
    "staging-prefix": _add_file("media/restore-staging/x/new/evil.txt"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_hostile_entry_is_refused_before_anything_changes(backed_up, case):
    archive = _rewrite(backed_up["archive"], backed_up["tmp"] / f"{case}.tar.gz", HOSTILE[case])
    with pytest.raises(BackupError):
        restore_backup(archive)
    _unchanged(backed_up)
    assert not (backed_up["tmp"] / "escaped.txt").exists()


def test_a_duplicate_entry_is_refused(backed_up):
    def duplicate(entries, manifest):
        entries.append([entries[-1][0], b"ganti isi"])

    archive = _rewrite(backed_up["archive"], backed_up["tmp"] / "ganda.tar.gz", duplicate)
    with pytest.raises(BackupError, match="ganda"):
        restore_backup(archive)
    _unchanged(backed_up)


def test_an_edited_database_is_refused(backed_up):
    """Someone made themselves superuser in database.json and left the manifest as it was."""
    import json

    def promote(entries, manifest):
        for entry in entries:
            if entry[0].name == "database.json":
                rows = json.loads(entry[1])
                for row in rows:
                    if row["model"] == "accounts.user":
                        row["fields"]["is_superuser"] = True
                entry[1] = json.dumps(rows).encode()

    archive = _rewrite(backed_up["archive"], backed_up["tmp"] / "diubah.tar.gz", promote)
    with pytest.raises(CommandError, match="Basis data .*checksum SHA-256 tidak cocok"):
        call_command("restore_portal", str(archive), yes=True)
    _unchanged(backed_up)


def test_a_storage_failure_while_writing_files_leaves_database_and_files_as_they_were(
    backed_up, monkeypatch
):
    real_save, calls = default_storage.save, []

    def flaky_save(name, content, *args, **kwargs):
        calls.append(name)
        if len(calls) == 2:
            raise OSError("disk penuh")
        return real_save(name, content, *args, **kwargs)

    monkeypatch.setattr(default_storage, "save", flaky_save)
    with pytest.raises(OSError):
        restore_backup(backed_up["archive"])
    monkeypatch.undo()
    assert len(calls) == 2
    _unchanged(backed_up)


def test_a_failure_while_swapping_files_in_puts_everything_back(backed_up, monkeypatch):
    """Past the database load, inside its transaction: the previous files go back and the database
    load is rolled back."""
    from ops import backup

    real_move, calls = backup._move, []

    def flaky_move(source, target):
        calls.append(target)
        if len(calls) == 4:  # two previous files moved aside, one restored file placed, then this
            raise OSError("koneksi penyimpanan terputus")
        return real_move(source, target)

    monkeypatch.setattr(backup, "_move", flaky_move)
    with pytest.raises(OSError):
        restore_backup(backed_up["archive"])
    monkeypatch.undo()
    _unchanged(backed_up)


def test_a_restore_after_refusals_still_works_and_leaves_no_staging_behind(backed_up):
    restore_backup(backed_up["archive"])
    from units.models import WorkUnit

    assert not WorkUnit.objects.filter(
        pk=backed_up["new_unit"].pk
    ).exists()  # replaced by the backup
    assert _stored() == backed_up["files"]
    assert list(_walk("restore-staging")) == []


def test_an_archive_made_by_a_newer_schema_is_refused_before_anything_changes(backed_up):
    """Already refused before this work (read_manifest); kept here beside the other refusals."""

    def newer(entries, manifest):
        manifest["migrations"].append("assessments.9999_dari_versi_lebih_baru")

    archive = _rewrite(backed_up["archive"], backed_up["tmp"] / "baru.tar.gz", newer)
    with pytest.raises(BackupError, match="versi aplikasi yang lebih baru"):
        restore_backup(archive)
    _unchanged(backed_up)
