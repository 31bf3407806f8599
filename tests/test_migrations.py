import importlib
from io import StringIO

import pytest
from django.core.management import call_command

from assessments.instrument_io import checksum
from assessments.models import Instrument

seed = importlib.import_module("assessments.migrations.0002_seed_lke_2024")


@pytest.mark.django_db
def test_models_and_migrations_agree():
    """A model change without its migration would break the next deployment's migrate."""
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


@pytest.mark.django_db
def test_seed_migration_stored_the_frozen_version_1():
    national = Instrument.objects.get(code="LKE-ZI-2024", pemda__isnull=True, version=1)
    assert national.spec == seed.frozen_spec()
    assert national.checksum == checksum(seed.frozen_spec())


def test_seed_migration_refuses_a_changed_frozen_file(tmp_path):
    changed = tmp_path / "lke-2024-v1.json"
    changed.write_bytes(seed.FROZEN_FILE.read_bytes().replace(b'"name"', b'"name" ', 1))
    with pytest.raises(RuntimeError, match="must not change"):
        seed.frozen_spec(changed)
