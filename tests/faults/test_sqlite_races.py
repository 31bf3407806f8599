"""The same race as test_concurrent_answers.py, on the embedded default: SQLite in a file. Two
evaluators save one answer at once; the loser gets the 409 conflict (API) or the conflict message
(worksheet), never "database is locked" as an HTTP 500 page.

The test database of pytest is SQLite in memory, which does not lock like a file, so the race runs
in a subprocess (tests/faults/sqlite_race.py) on its own migrated file database; it does not depend
on which database the rest of the suite uses."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

SCRIPT = Path(__file__).with_name("sqlite_race.py")
ROUNDS = 30


def test_simultaneous_saves_on_sqlite_give_one_conflict_and_no_server_error(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL")
    }
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        ZI_VAR_DIR=str(tmp_path),
        DEBUG="0",
        SECRET_KEY="race-test-only-" + "k" * 40,
        LOG_LEVEL="ERROR",
        # The race is about saving; the evaluators of its world have no second factor enrolled.
        MFA_REQUIRED="0",
    )
    run = subprocess.run(
        [sys.executable, str(SCRIPT), str(ROUNDS)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        cwd=SCRIPT.parents[2],
    )
    assert run.returncode == 0, run.stderr[-3000:]
    rounds = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    assert len(rounds) == ROUNDS
    for r in rounds:
        statuses = sorted(str(x["status"]) for x in r["results"])
        assert all(x["status"] != 500 and x["status"] != "exception" for x in r["results"]), r
        if r["via"] == "api":
            assert statuses == ["200", "409"], r
            assert all(x["type"].startswith("application/json") for x in r["results"]), r
        else:  # the worksheet row: both 200, one shows the conflict message and keeps the typed value
            assert (
                statuses == ["200", "200"]
                and [x["body"] for x in r["results"]].count("conflict") == 1
            ), r


@pytest.mark.django_db
def test_api_answers_json_even_for_an_unexpected_server_error(monkeypatch, settings):
    from api import views

    def broken(*args, **kwargs):
        raise RuntimeError("bug")

    settings.DEBUG = False
    monkeypatch.setattr(views.PemdaViewSet, "list", broken)
    from tests.factories import UserFactory

    client = Client(raise_request_exception=False)
    client.force_login(UserFactory())
    response = client.get("/api/v1/pemda/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "server_error"


@pytest.mark.django_db
def test_api_answers_503_json_when_the_database_is_busy(monkeypatch):
    from django.db import OperationalError

    from api import views
    from tests.factories import UserFactory

    def busy(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(views.PemdaViewSet, "list", busy)
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory())
    response = client.get("/api/v1/pemda/")
    assert response.status_code == 503
    assert response.json()["code"] == "database_unavailable"
