"""A score recompute whose message never reaches a worker (broker down, or restarted without
persistence) must not fail the person's save, nor leave the scores stale for good.

bench/faults.py ("redis") shows the same against the machine's real Redis being stopped."""

from datetime import timedelta

from django.utils import timezone

from assessments import services, tasks
from assessments.models import Assessment, Question, Score, Track


def _question(zi):  # noqa: F811
    return Question.objects.get(instrument=zi["instrument"], code="PEM-MP-01.a")


def test_answer_is_saved_and_no_error_when_the_broker_is_unreachable(
    zi,
    unreachable_broker,
    caplog,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        saved = services.save_answer(
            assessment=zi["assessment"],
            question=_question(zi),
            track=Track.SELF,
            by=zi["users"]["unit_operator"],
            value="Ya",
        )
    assert saved.changed and len(callbacks) == 1
    assert "not queued (broker unreachable)" in caplog.text
    assert Assessment.objects.get(
        pk=zi["assessment"].pk
    ).scores_pending  # the pages show "being computed"


def test_a_lost_recompute_is_queued_again_by_the_next_save(zi, django_capture_on_commit_callbacks):  # noqa: F811
    a, operator = zi["assessment"], zi["users"]["unit_operator"]
    long_ago = timezone.now() - services.LOST_AFTER - timedelta(minutes=1)
    # Computed long ago, a recompute queued since and never run: the message was lost.
    Assessment.objects.filter(pk=a.pk).update(
        scores_computed_at=long_ago,
        scores_requested_at=long_ago + timedelta(seconds=5),
        scores_dirty_since=long_ago + timedelta(seconds=5),
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.save_answer(
            assessment=a, question=_question(zi), track=Track.SELF, by=operator, value="Ya"
        )
    assert len(callbacks) == 1
    assert not Assessment.objects.get(pk=a.pk).scores_pending  # eager in tests: it ran
    assert Score.objects.filter(assessment=a, track=Track.SELF).exists()


def test_a_recompute_already_queued_is_not_queued_twice(zi, django_capture_on_commit_callbacks):  # noqa: F811
    a, operator = zi["assessment"], zi["users"]["unit_operator"]
    now = timezone.now()
    Assessment.objects.filter(pk=a.pk).update(
        scores_computed_at=now - timedelta(seconds=20),
        scores_requested_at=now - timedelta(seconds=1),
        scores_dirty_since=now - timedelta(seconds=1),
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.save_answer(
            assessment=a, question=_question(zi), track=Track.SELF, by=operator, value="Ya"
        )
    assert callbacks == []


def test_periodic_task_computes_scores_whose_recompute_was_lost(
    zi, django_capture_on_commit_callbacks
):  # noqa: F811
    a, operator = zi["assessment"], zi["users"]["unit_operator"]
    with django_capture_on_commit_callbacks(execute=False):  # the message is lost
        services.save_answer(
            assessment=a, question=_question(zi), track=Track.SELF, by=operator, value="Ya"
        )
    assert Assessment.objects.get(pk=a.pk).scores_pending
    assert (
        tasks.recompute_lost_scores() == 0
    )  # just asked for: its recompute may still be on its way

    later = timezone.now() + services.LOST_AFTER
    assert services.recompute_lost_scores(now=later) == 1
    a.refresh_from_db()
    assert not a.scores_pending
    assert str(Score.objects.get(assessment=a, track=Track.SELF).total) == "0.25"
    assert services.recompute_lost_scores(now=later) == 0  # nothing left


def _people_and_questions(zi):  # noqa: F811
    """Five people saving at once: the unit's operator and head (self track), three TPI evaluators."""
    from accounts.models import Role
    from tests.factories import person

    users = zi["users"]
    evaluators = [
        users["evaluator"],
        users["inspektorat_admin"],
        person(Role.EVALUATOR, pemda=zi["pemda"]),
    ]
    people = [
        (users["unit_operator"], Track.SELF),
        (users["unit_head"], Track.SELF),
        *((e, Track.TPI) for e in evaluators),
    ]
    questions = list(
        Question.objects.filter(instrument=zi["instrument"], answer_type="YA_TIDAK").order_by(
            "order"
        )[:10]
    )
    return people, questions


def test_a_burst_after_five_quiet_minutes_queues_one_recompute(
    zi, django_capture_on_commit_callbacks
):  # noqa: F811
    """Scores last computed 10 minutes ago (a quiet morning), then 50 saves by 5 people: one
    recompute is queued, not one per save (a pending recompute is judged lost by its own age, not
    by the age of the scores it replaces)."""
    a = zi["assessment"]
    services.compute_scores([a.pk])
    ten_minutes_ago = timezone.now() - timedelta(minutes=10)
    Assessment.objects.filter(pk=a.pk).update(
        scores_computed_at=ten_minutes_ago, scores_requested_at=ten_minutes_ago
    )
    people, questions = _people_and_questions(zi)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        for n in range(50):
            who, track = people[n % 5]
            services.save_answer(
                assessment=a,
                question=questions[n // 5],
                track=track,
                by=who,
                value="Ya" if n % 2 else "Tidak",
            )
    assert len(callbacks) == 1
    assert Assessment.objects.get(pk=a.pk).scores_pending


def test_saves_during_a_recompute_are_scored_by_one_more_run_at_once(zi, monkeypatch):  # noqa: F811
    """A change that arrives while the recompute runs is not in it: the task runs once more, with no
    delay, and leaves the scores fresh and not pending. No save queues a second one meanwhile."""
    a, operator = zi["assessment"], zi["users"]["unit_operator"]
    _people, questions = _people_and_questions(zi)
    runs, read_answers = [], services._read_answers

    def read_with_a_save_in_the_middle(ids):
        runs.append(ids)
        if len(runs) == 1:  # the first run has read the assessment; someone saves meanwhile
            services.save_answer(
                assessment=a, question=questions[1], track=Track.SELF, by=operator, value="Ya"
            )
        return read_answers(ids)

    published = []
    monkeypatch.setattr(services, "_read_answers", read_with_a_save_in_the_middle)
    monkeypatch.setattr(
        tasks.recompute_assessment_scores,
        "apply_async",
        lambda args, **options: (
            published.append(options) or tasks.recompute_assessment_scores(*args)
        ),
    )
    services.save_answer(
        assessment=a, question=questions[0], track=Track.SELF, by=operator, value="Ya"
    )
    services.queue_recompute(a.pk)  # the on_commit of that save (tests run in one transaction)
    assert published == [{}, {}]  # the save's, then the task's own rerun: no countdown
    assert len(runs) == 2
    a.refresh_from_db()
    assert not a.scores_pending
    assert Score.objects.get(assessment=a, track=Track.SELF).answered == 2
