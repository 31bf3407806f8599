"""Two evaluators saving the same answer at the same moment: no lost update, the second is told.

Real concurrency: two threads, each with its own database connection, released together by a
barrier, on PostgreSQL (row locks, SELECT … FOR UPDATE). SQLite serialises every writer on the whole
database file, so the race these tests are about cannot happen there: they are skipped on it."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from accounts.models import Role
from assessments import services
from assessments.models import Answer, Assessment, Question, Stage, Track
from tests.factories import person

# Committed rows (each thread has its own connection); serialized_rollback keeps the shipped LKE
# that the data migration loads for the tests that follow.
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite serialises all writers, so two saves never overlap",
    ),
]

ROUNDS = 8


def _race(*calls):
    """Runs the calls at the same instant in threads; returns each one's result or exception."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=10)
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 - the outcome under test
            results[i] = exc
        finally:
            connections.close_all()  # this thread's connection

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


@pytest.fixture
def two_evaluators(zi):  # noqa: F811
    Assessment.objects.filter(pk=zi["assessment"].pk).update(stage=Stage.DEVELOPMENT)
    first = zi["users"]["evaluator"]
    second = person(Role.EVALUATOR, pemda=zi["pemda"])
    question = Question.objects.get(instrument=zi["instrument"], code="PEM-MP-01.b")
    return zi, first, second, question


def _save(zi, question, by, value, revision):  # noqa: F811
    assessment = Assessment.objects.get(pk=zi["assessment"].pk)
    return lambda: services.save_answer(
        assessment=assessment,
        question=question,
        track=Track.TPI,
        by=by,
        value=value,
        expected_revision=revision,
    )


def test_simultaneous_saves_of_an_existing_answer_keep_one_and_refuse_the_other(two_evaluators):
    zi, first, second, question = two_evaluators  # noqa: F811
    services.save_answer(
        assessment=zi["assessment"], question=question, track=Track.TPI, by=first, value="A"
    )
    for round_ in range(ROUNDS):
        current = Answer.objects.get(
            assessment=zi["assessment"], question=question, track=Track.TPI
        )
        revision = current.revision
        # Two values that both differ from the stored one (saving the stored value is no change).
        a, b = [v for v in ("A", "B", "C") if v != current.value][:: 1 if round_ % 2 else -1]
        results = _race(
            _save(zi, question, first, a, revision), _save(zi, question, second, b, revision)
        )

        saved = [r for r in results if isinstance(r, services.SavedAnswer)]
        refused = [r for r in results if isinstance(r, services.AnswerConflict)]
        assert len(saved) == 1 and len(refused) == 1, results
        answer = Answer.objects.get(assessment=zi["assessment"], question=question, track=Track.TPI)
        # The winner's value is stored, counted once; the loser is told who changed it first.
        assert answer.value == saved[0].answer.value
        assert answer.revision == revision + 1
        winner = first if answer.updated_by_id == first.pk else second
        assert "baru saja diubah oleh" in str(refused[0]) and winner.display_name in str(refused[0])


def test_simultaneous_first_saves_of_an_unanswered_question_do_not_fail(two_evaluators):
    """Nobody has answered yet: both read revision 0 and both insert. One wins, the other gets the
    conflict message, not a database error (the unique constraint would otherwise raise)."""
    zi, first, second, question = two_evaluators  # noqa: F811
    results = _race(_save(zi, question, first, "A", 0), _save(zi, question, second, "C", 0))

    saved = [r for r in results if isinstance(r, services.SavedAnswer)]
    refused = [r for r in results if isinstance(r, services.AnswerConflict)]
    assert len(saved) == 1 and len(refused) == 1, results
    answer = Answer.objects.get(assessment=zi["assessment"], question=question, track=Track.TPI)
    assert (answer.value, answer.revision) == (saved[0].answer.value, 1)


def test_two_evaluators_posting_the_worksheet_row_at_once_see_one_conflict_message(two_evaluators):
    """The same race through the worksheet's autosave (htmx POST): the refused evaluator's row
    shows the conflict message and keeps what they typed; nobody gets an error page."""
    zi, first, second, question = two_evaluators  # noqa: F811
    services.save_answer(
        assessment=zi["assessment"], question=question, track=Track.TPI, by=first, value="A"
    )
    url = f"/penilaian/{zi['assessment'].pk}/lke/tpi/jawab/{question.pk}/"
    clients = []
    for user in (first, second):
        c = Client()
        c.force_login(user)
        clients.append(c)

    def post(client, value):
        return lambda: client.post(url, {"value": value, "revision": "1"}, HTTP_HX_REQUEST="true")

    responses = _race(post(clients[0], "B"), post(clients[1], "C"))

    assert [getattr(r, "status_code", r) for r in responses] == [200, 200]
    bodies = [r.content.decode() for r in responses]
    conflicted = [b for b in bodies if "baru saja diubah oleh" in b]
    assert len(conflicted) == 1
    answer = Answer.objects.get(assessment=zi["assessment"], question=question, track=Track.TPI)
    assert answer.revision == 2 and answer.value in ("B", "C")
