"""What the linter, the formatter and the type checker say is part of the test run, so CI keeps it
true (configuration in pyproject.toml: [tool.ruff], [tool.mypy]). One test per tool."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.code_health


def _run(*args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    # mypy's Django plugin loads the settings, which refuse to start without a SECRET_KEY outside
    # pytest and the demo; the type check signs nothing.
    env = {
        **os.environ,
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "type-check-only-" + "k" * 40,
    }
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


def _report(result: subprocess.CompletedProcess) -> str:
    return f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"


def test_ruff_check_finds_nothing():
    result = _run("ruff", "check", "--output-format", "concise", "--no-cache", ".")
    assert result.returncode == 0, _report(result)


def test_ruff_format_leaves_every_file_as_it_is():
    result = _run("ruff", "format", "--check", "--output-format", "concise", "--no-cache", ".")
    assert result.returncode == 0, _report(result)


def test_mypy_finds_no_type_errors():
    result = _run("mypy", "--no-incremental", "--cache-dir", "/dev/null")
    assert result.returncode == 0, _report(result)
