"""The recompute after a save scores only the tracks whose answers changed (issue 15): a self save
does not rescore TPI and TPN, and every figure of the summary stays right."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments import services
from assessments.models import Assessment, AssessmentSummary, Question, Score, Track
from tests.factories import best_answers, fill


def _scored(zi):
    a = zi["assessment"]
    answers = best_answers(zi["instrument"])
    fill(a, Track.SELF, answers)
    fill(a, Track.TPI, answers)
    services.compute_scores([a.pk])
    return a, Question.objects.get(instrument=zi["instrument"], code="PEM-MP-01.a")


def _save(zi, a, question, track, value, who="unit_operator"):
    services.save_answer(
        assessment=Assessment.objects.get(pk=a.pk),
        question=question,
        track=track,
        by=zi["users"][who],
        value=value,
    )


def test_a_self_save_rescores_self_and_keeps_the_tpi_figures(zi):
    a, question = _scored(zi)
    tpi_before = Score.objects.get(assessment=a, track=Track.TPI)
    summary_before = AssessmentSummary.objects.get(assessment=a)
    _save(zi, a, question, Track.SELF, "Tidak")
    with CaptureQueriesContext(connection) as ctx:
        services.recompute_queued(a.pk)
    self_score = Score.objects.get(assessment=a, track=Track.SELF)
    tpi_after = Score.objects.get(assessment=a, track=Track.TPI)
    summary = AssessmentSummary.objects.get(assessment=a)
    assert self_score.total < tpi_after.total  # the self track lost PEM-MP-01.a
    assert tpi_after.computed_at == tpi_before.computed_at  # TPI was not rescored
    assert summary.self_total == self_score.total
    assert (summary.tpi_total, summary.tpi_predicted, summary.tpi_missed) == (
        summary_before.tpi_total,
        summary_before.tpi_predicted,
        summary_before.tpi_missed,
    )
    assert summary.area_shares["tpi"] == summary_before.area_shares["tpi"]
    assert summary.area_shares["self"]["MP"] != summary_before.area_shares["self"]["MP"]
    inserts = [
        q["sql"] for q in ctx.captured_queries if 'INSERT INTO "assessments_score"' in q["sql"]
    ]
    assert len(inserts) == 1 and inserts[0].count("'self'") == 1 and "'tpi'" not in inserts[0]
    # The same figures as a full recompute of every track.
    services.compute_scores([a.pk])
    full = AssessmentSummary.objects.get(assessment=a)
    assert [getattr(full, f.attname) for f in full._meta.concrete_fields[:-1]] == [
        getattr(summary, f.attname) for f in summary._meta.concrete_fields[:-1]
    ]


def test_saves_of_two_tracks_before_the_recompute_rescore_both(zi):
    a, question = _scored(zi)
    _save(zi, a, question, Track.SELF, "Tidak")
    _save(zi, a, question, Track.TPI, "Tidak", who="evaluator")
    assert sorted(Assessment.objects.get(pk=a.pk).dirty_tracks) == ["self", "tpi"]
    services.recompute_queued(a.pk)
    summary = AssessmentSummary.objects.get(assessment=a)
    scores = {s.track: s.total for s in Score.objects.filter(assessment=a)}
    assert summary.self_total == scores["self"] == summary.tpi_total == scores["tpi"]
    a.refresh_from_db()
    assert not a.scores_pending and a.scores_dirty_tracks == 0


def test_a_change_for_every_track_while_one_is_pending_rescores_all(zi):
    """A lifecycle step (e.g. an earlier year designated) changes every track's outcome."""
    a, question = _scored(zi)
    _save(zi, a, question, Track.SELF, "Tidak")
    services.request_scores(Assessment.objects.get(pk=a.pk))
    assert Assessment.objects.get(pk=a.pk).dirty_tracks == ["self", "tpi", "tpn"]
    _save(zi, a, question, Track.SELF, "Ya")
    assert Assessment.objects.get(pk=a.pk).dirty_tracks == ["self", "tpi", "tpn"]


def test_without_a_summary_every_track_is_scored(zi):
    a, question = _scored(zi)
    AssessmentSummary.objects.filter(assessment=a).delete()
    _save(zi, a, question, Track.SELF, "Tidak")
    services.recompute_queued(a.pk)
    summary = AssessmentSummary.objects.get(assessment=a)
    assert summary.tpi_total == Score.objects.get(assessment=a, track=Track.TPI).total
