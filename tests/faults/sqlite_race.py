"""Run as a script (tests/faults/test_sqlite_races.py does): two evaluators save the same answer at
the same instant against a real SQLite *file* (the embedded default), through the API and through
the worksheet's autosave, each from its own thread and connection. Prints one JSON line per round:
the two HTTP statuses, the content types, and any 500 body.

Not a test module itself: the test database of pytest is SQLite in memory, which does not lock
like the file the portal runs on."""

import json
import os
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zi_portal.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402


def world():
    from accounts.models import Role
    from assessments.models import Answer, Assessment, Instrument, Question, Stage, Track  # noqa: F401
    from tests.factories import AssessmentFactory, PemdaFactory, WorkUnitFactory, person

    pemda = PemdaFactory(name="Kabupaten Balapan")
    unit = WorkUnitFactory(pemda=pemda)
    instrument = Instrument.objects.get(code="LKE-ZI-2024", pemda__isnull=True, version=1)
    assessment = AssessmentFactory(unit=unit, instrument=instrument, stage=Stage.DEVELOPMENT)
    evaluators = [person(Role.EVALUATOR, pemda=pemda) for _ in range(2)]
    question = Question.objects.get(instrument=instrument, code="PEM-MP-01.b")
    return assessment, evaluators, question


def race(calls):
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=10)
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 - reported, the test decides
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def describe(response):
    if isinstance(response, Exception):
        return {"status": "exception", "type": "", "body": f"{type(response).__name__}: {response}"}
    body = response.content.decode(errors="replace")
    return {
        "status": response.status_code,
        "type": response.get("Content-Type", ""),
        "body": body[:300]
        if response.status_code >= 500
        else ("conflict" if "baru saja diubah oleh" in body else ""),
    }


def main(rounds):
    from assessments.models import Answer, Track

    call_command("migrate", verbosity=0)
    assessment, evaluators, question = world()
    clients = []
    for user in evaluators:
        client = Client(raise_request_exception=False)
        client.force_login(user)
        clients.append(client)
    api_url = f"/api/v1/assessments/{assessment.pk}/answers/"
    page_url = f"/penilaian/{assessment.pk}/lke/tpi/jawab/{question.pk}/"
    connections.close_all()
    for round_ in range(rounds):
        current = Answer.objects.filter(
            assessment=assessment, question=question, track=Track.TPI
        ).first()
        revision = current.revision if current else 0
        values = [v for v in ("A", "B", "C") if not current or v != current.value][:2]
        connections.close_all()
        via = "api" if round_ % 3 else "page"
        if via == "api":
            calls = [
                lambda c=c, v=v, r=revision: c.post(
                    api_url,
                    {"question": question.code, "track": "tpi", "value": v, "revision": r},
                    content_type="application/json",
                )
                for c, v in zip(clients, values, strict=False)
            ]
        else:
            calls = [
                lambda c=c, v=v, r=revision: c.post(
                    page_url, {"value": v, "revision": str(r)}, HTTP_HX_REQUEST="true"
                )
                for c, v in zip(clients, values, strict=False)
            ]
        print(
            json.dumps(
                {"round": round_, "via": via, "results": [describe(r) for r in race(calls)]}
            ),
            flush=True,
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
