"""The deployment files: docker-compose.yml is valid by the Compose specification (the JSON schema
vendored by check-jsonschema, so no Docker engine is needed), every image is pinned to a version,
and .env.example names every variable the compose file reads."""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"

# A version is at least major.minor ("postgres:16" floats across minor releases), optionally with a
# variant suffix ("-bookworm") and/or a digest; "latest", a bare name or a word tag is not one.
PINNED = re.compile(r"^[\w./-]+:v?\d+\.\d+[\w.-]*(@sha256:[0-9a-f]{64})?$")


def _image_refs(text: str) -> list[str]:
    return [m.group(1).strip("\"'") for m in re.finditer(r"^\s*image:\s*(\S+)", text, re.MULTILINE)]


def _unpinned(refs) -> list[str]:
    return [ref for ref in refs if not PINNED.match(ref)]


def test_compose_file_is_valid_by_the_compose_specification_schema():
    checker = Path(sys.executable).with_name("check-jsonschema")
    assert checker.exists(), (
        "check-jsonschema is a test dependency (pyproject.toml): pip install -e '.[test]'"
    )
    result = subprocess.run(
        [str(checker), "--builtin-schema", "vendor.compose-spec", str(COMPOSE)],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_catches_a_broken_compose_file(tmp_path):
    broken = tmp_path / "docker-compose.yml"
    broken.write_text(
        COMPOSE.read_text().replace("    restart: unless-stopped\n", "    restart: [selalu]\n", 1)
    )
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("check-jsonschema")),
            "--builtin-schema",
            "vendor.compose-spec",
            str(broken),
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0


def test_every_compose_image_is_pinned_to_a_version():
    refs = _image_refs(COMPOSE.read_text())
    assert len(refs) >= 4  # the portal, postgres, redis, the object store
    assert _unpinned(refs) == []
    assert not any("minio" in ref for ref in refs)  # MinIO's images are gone (README)


@pytest.mark.parametrize(
    "ref, pinned",
    [
        ("postgres:16.14-bookworm", True),
        ("chrislusf/seaweedfs:4.47", True),
        ("redis:7.4.11-bookworm@sha256:" + "a" * 64, True),
        ("postgres:16", False),
        ("redis:7", False),
        ("minio/minio:latest", False),
        ("minio/mc", False),
        ("python:3.12-slim", True),
        ("python:slim-bookworm", False),
        ("zi-portal:latest", False),
    ],
)
def test_the_pin_rule(ref, pinned):
    assert (not _unpinned([ref])) is pinned


def test_the_portal_image_carries_the_project_version():
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert f"zi-portal:{version}" in _image_refs(COMPOSE.read_text())


def test_dockerfile_base_image_is_pinned_to_a_patch_release():
    bases = re.findall(r"^FROM\s+(\S+)", (ROOT / "Dockerfile").read_text(), re.MULTILINE)
    assert bases and _unpinned(bases) == []
    assert all(
        re.match(r"^[\w./-]+:\d+\.\d+\.\d+", base) for base in bases
    )  # python:3.12.N, not 3.12


def test_env_example_names_every_variable_the_compose_file_reads():
    used = set(re.findall(r"\$\{(\w+)", COMPOSE.read_text()))
    listed = set(re.findall(r"^(\w+)=", (ROOT / ".env.example").read_text(), re.MULTILINE))
    assert used and used <= listed, sorted(used - listed)
