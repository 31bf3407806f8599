"""A score recompute whose message never reaches a worker (broker down, or restarted without
persistence) must not fail the person's save, nor leave the scores stale for good.

bench/faults.py ("redis") shows the same against the machine's real Redis being stopped."""

from datetime import timedelta

from django.utils import timezone

from assessments import services, tasks
from assessments.models import Assessment, Question, Score, Track


def _question(zi):  # noqa: F811
    return Question.objects.get(instrument=zi["instrument"], code="PEM-MP-01.a")


def test_answer_is_saved_and_no_error_when_the_broker_is_unreachable(zi, unreachable_broker, caplog,  # noqa: F811
                                                                       django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        saved = services.save_answer(assessment=zi["assessment"], question=_question(zi), track=Track.SELF,
                                     by=zi["users"]["unit_operator"], value="Ya")
    assert saved.changed and len(callbacks) == 1
    assert "not queued (broker unreachable)" in caplog.text
    assert Assessment.objects.get(pk=zi["assessment"].pk).scores_pending  # the pages show "being computed"


def test_a_lost_recompute_is_queued_again_by_the_next_save(zi, django_capture_on_commit_callbacks):  # noqa: F811
    a, operator = zi["assessment"], zi["users"]["unit_operator"]
    long_ago = timezone.now() - services.LOST_AFTER - timedelta(minutes=1)
    # Computed long ago, asked for since, never run: the message was lost.
    Assessment.objects.filter(pk=a.pk).update(scores_computed_at=long_ago, scores_requested_at=long_ago + timedelta(seconds=5))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.save_answer(assessment=a, question=_question(zi), track=Track.SELF, by=operator, value="Ya")
    assert len(callbacks) == 1
    assert not Assessment.objects.get(pk=a.pk).scores_pending  # eager in tests: it ran
    assert Score.objects.filter(assessment=a, track=Track.SELF).exists()


def test_a_recompute_already_queued_is_not_queued_twice(zi, django_capture_on_commit_callbacks):  # noqa: F811
    a, operator = zi["assessment"], zi["users"]["unit_operator"]
    now = timezone.now()
    Assessment.objects.filter(pk=a.pk).update(scores_computed_at=now - timedelta(seconds=20),
                                              scores_requested_at=now - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.save_answer(assessment=a, question=_question(zi), track=Track.SELF, by=operator, value="Ya")
    assert callbacks == []


def test_periodic_task_computes_scores_whose_recompute_was_lost(zi, django_capture_on_commit_callbacks):  # noqa: F811
    a, operator = zi["assessment"], zi["users"]["unit_operator"]
    with django_capture_on_commit_callbacks(execute=False):  # the message is lost
        services.save_answer(assessment=a, question=_question(zi), track=Track.SELF, by=operator, value="Ya")
    assert Assessment.objects.get(pk=a.pk).scores_pending
    assert tasks.recompute_lost_scores() == 0  # just asked for: its recompute may still be on its way

    later = timezone.now() + services.LOST_AFTER
    assert services.recompute_lost_scores(now=later) == 1
    a.refresh_from_db()
    assert not a.scores_pending
    assert str(Score.objects.get(assessment=a, track=Track.SELF).total) == "0.25"
    assert services.recompute_lost_scores(now=later) == 0  # nothing left
