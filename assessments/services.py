"""Write-side rules for instruments, answers and scores. Views, API, commands and tasks call these."""

import gc
import logging
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, JSONField, Q, Value
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as KombuOperationalError

from . import scoring
from .instrument_io import checksum, create_instrument
from .models import (
    DESIGNATED,
    Answer,
    Assessment,
    Designation,
    Instrument,
    Question,
    Score,
    Stage,
    Track,
)

logger = logging.getLogger(__name__)

ANSWER_PERMISSION = {
    Track.SELF: "assessments.answer_self",
    Track.TPI: "assessments.answer_tpi",
    Track.TPN: "assessments.answer_tpn",
}


class AnswerError(ValueError):
    """A refused answer; the message is for the person who typed it."""


class AnswerConflict(AnswerError):
    def __init__(self, message, current):
        super().__init__(message)
        self.current = current


# --- instruments ---------------------------------------------------------------------------

def import_instrument(*, spec: dict, by=None, pemda=None, source_name: str = "") -> Instrument:
    """Stores a new instrument version after validating it; identical data gives back the existing version."""
    errors = scoring.validate_instrument(spec)
    if errors:
        raise scoring.InstrumentError(errors)
    existing = Instrument.objects.filter(code=spec["code"], checksum=checksum(spec), pemda=pemda).first()
    if existing:
        return existing
    with transaction.atomic():
        return create_instrument(Instrument, Question, spec, pemda=pemda, created_by=by, source_name=source_name)


def current_instrument(pemda) -> Instrument:
    """The newest active instrument a Pemda may use: its own import first, else the national one."""
    qs = Instrument.objects.filter(active=True)
    own = qs.filter(pemda=pemda).order_by("-year", "-version").first()
    return own or qs.filter(pemda__isnull=True).order_by("-year", "-version").first()


# --- answers -------------------------------------------------------------------------------

@dataclass
class SavedAnswer:
    answer: Answer
    created: bool
    changed: bool


def save_answer(*, assessment: Assessment, question: Question, track: str, by, value=None, note=None,
                expected_revision: int | None = None) -> SavedAnswer:
    """Stores one answer of one track. The track's role and the assessment's stage decide who may write;
    a writer that read an older revision gets AnswerConflict instead of overwriting someone else."""
    track = Track(track)
    if not by.has_perm(ANSWER_PERMISSION[track], assessment):
        raise PermissionDenied(_locked_message(assessment, track))
    if question.instrument_id != assessment.instrument_id:
        raise AnswerError(_("Pertanyaan ini bukan bagian dari LKE penilaian ini."))
    instrument = assessment.instrument.parsed()
    normalized = None
    if value is not None:
        normalized = normalize_value(instrument, question.code, value)

    with transaction.atomic():
        answer = Answer.objects.select_for_update().filter(assessment=assessment, question=question, track=track).first()
        created = answer is None
        if created:
            answer = Answer(assessment=assessment, question=question, track=track)
        elif expected_revision is not None and answer.revision != expected_revision:
            raise _conflict(answer)
        changed = False
        if normalized is not None and normalized != answer.value:
            answer.value, changed = normalized, True
        if note is not None and note.strip() != answer.note:
            answer.note, changed = note.strip(), True
        if changed:
            answer.revision += 1
            answer.updated_by = by
            answer._history_user = by  # history records the writer also outside a request (API, tasks)
            if created:
                try:
                    with transaction.atomic():  # savepoint: a concurrent first save may win the insert
                        answer.save()
                except IntegrityError:
                    # Both read "no answer yet"; the other writer's row is committed now.
                    raise _conflict(Answer.objects.select_related("updated_by").get(
                        assessment=assessment, question=question, track=track)) from None
            else:
                answer.save()
            request_scores(assessment)
    return SavedAnswer(answer, created, changed)


def _conflict(answer) -> AnswerConflict:
    who = answer.updated_by.display_name if answer.updated_by else _("pengguna lain")
    return AnswerConflict(
        _("Jawaban ini baru saja diubah oleh %(who)s (%(when)s). Muat ulang untuk melihat "
          "jawaban terbaru sebelum menyimpan.")
        % {"who": who, "when": timezone.localtime(answer.updated_at).strftime("%d/%m/%Y %H.%M")},
        current=answer,
    )


def normalize_value(instrument, code: str, raw) -> str:
    """The stored form of an entered value ('' clears it), or AnswerError in Indonesian."""
    text = str(raw).strip()
    if text == "":
        return ""
    question = instrument.questions.get(code)
    if question is None:
        raise AnswerError(_("Pertanyaan %(code)s tidak ada di LKE ini.") % {"code": code})
    if question.answer_type.kind == scoring.COMPUTED:
        raise AnswerError(_("Pertanyaan %(code)s dihitung dari isian jumlah, tidak diisi langsung.") % {"code": code})
    value, _fraction, issue = scoring.read_answer(question, text)
    if issue:
        raise AnswerError(issue)
    return str(value)


def _locked_message(assessment, track):
    if track == Track.SELF and not assessment.open_for_unit:
        return _("LKE sudah dikunci untuk unit karena penilaian berada pada tahap %(stage)s.") % {
            "stage": assessment.get_stage_display()
        }
    return _("Anda tidak berwenang mengisi jawaban %(track)s untuk penilaian ini.") % {
        "track": Track(track).label
    }


# --- scores --------------------------------------------------------------------------------

# A queued recompute runs within seconds; scores still pending this long after the last computation
# lost their message (broker down when it was sent, or restarted without persistence).
LOST_AFTER = timedelta(minutes=5)


def request_scores(assessment: Assessment):
    """Marks the scores stale and queues one recompute after the current transaction commits.

    A recompute already queued covers this change too (debounce); the task itself queues another
    run when answers changed while it was computing. One whose message was lost is queued again."""
    stored = Assessment.objects.get(pk=assessment.pk)
    now = timezone.now()
    covered = stored.scores_pending and not _recompute_lost(stored, now)
    Assessment.objects.filter(pk=assessment.pk).update(scores_requested_at=now)
    assessment.scores_requested_at = now
    if not covered:
        transaction.on_commit(lambda: queue_recompute(assessment.pk))


def _recompute_lost(assessment, now) -> bool:
    return assessment.scores_computed_at is None or assessment.scores_computed_at < now - LOST_AFTER


def queue_recompute(assessment_id: int) -> bool:
    """Publishes one recompute. With the broker unreachable the saved answer stands, the scores stay
    marked pending (the pages say so) and recompute_lost_scores computes them once workers run again;
    the person's save does not fail over it."""
    from .tasks import recompute_assessment_scores

    try:
        recompute_assessment_scores.apply_async(args=[assessment_id], countdown=2)
    except KombuOperationalError as exc:
        logger.warning("Score recompute for assessment %s not queued (broker unreachable): %s", assessment_id, exc)
        return False
    return True


def recompute_lost_scores(now=None) -> int:
    """Computes the scores of every assessment whose queued recompute was lost (see LOST_AFTER)."""
    now = now or timezone.now()
    lost = Assessment.objects.filter(scores_requested_at__isnull=False).filter(
        Q(scores_computed_at__isnull=True) | Q(scores_computed_at__lt=F("scores_requested_at"))
    ).filter(Q(scores_computed_at__isnull=True) | Q(scores_computed_at__lt=now - LOST_AFTER))
    ids = list(lost.filter(scores_requested_at__lt=now - timedelta(seconds=30)).values_list("pk", flat=True))
    return compute_scores(ids) if ids else 0


def answers_by_track(assessment_ids) -> dict:
    """{assessment_id: {track: {question_code: value}}} in one query."""
    assessment_ids, result = list(assessment_ids), {}
    # The codes come from the instruments' questions: a join per answer row costs more than this.
    codes = dict(Question.objects.filter(
        instrument__in=Assessment.objects.filter(pk__in=assessment_ids).values("instrument")
    ).values_list("pk", "code"))
    rows = Answer.objects.filter(assessment_id__in=assessment_ids).exclude(value="").values_list(
        "assessment_id", "track", "question_id", "value"
    )
    for assessment_id, track, question_id, value in rows:
        result.setdefault(assessment_id, {}).setdefault(track, {})[codes[question_id]] = value
    return result


def prior_designation(assessment: Assessment) -> str | None:
    """The designation the unit holds from an earlier year (revoked ones do not count)."""
    return _priors([assessment]).get(assessment.pk)


def score_assessment(assessment: Assessment, answers: dict, prior: str | None) -> dict:
    """Pure part: {track: (tree, outcome)} for the three tracks."""
    instrument = assessment.instrument.parsed()
    result = {}
    for track in Track:
        tree = scoring.score(instrument, answers.get(track.value, {}))
        result[track.value] = (tree, scoring.evaluate(instrument, tree, prior))
    return result


def compute_scores(assessment_ids=None, *, pemda=None) -> int:
    """Recomputes and stores the scores of the given assessments (or all of a Pemda, or all).

    Safe to run twice: it overwrites each (assessment, track) row with the same figures."""
    qs = Assessment.objects.all()
    if assessment_ids is not None:
        qs = qs.filter(pk__in=list(assessment_ids))
    if pemda is not None:
        qs = qs.filter(unit__pemda=pemda)
    assessments = list(qs)
    # One parsed instrument per version, shared by its assessments (select_related would decode
    # the instrument's JSON once per assessment).
    instruments = Instrument.objects.in_bulk({a.instrument_id for a in assessments})
    count = 0
    with _gc_paused():  # see _gc_paused
        for chunk in _chunks(assessments, 200):
            started = timezone.now()
            answers = answers_by_track([a.pk for a in chunk])
            priors = _priors(chunk)
            rows = []
            for assessment in chunk:
                assessment.instrument = instruments[assessment.instrument_id]
                for track, (tree, outcome) in score_assessment(
                    assessment, answers.get(assessment.pk, {}), priors.get(assessment.pk)
                ).items():
                    rows.append(_score_row(assessment, track, tree, outcome, started))
            with transaction.atomic():
                before = {
                    (assessment_id, track): figures
                    for assessment_id, track, *figures in Score.objects.filter(assessment__in=chunk).values_list(
                        "assessment_id", "track", *SCORE_FIGURES, "tree__areas")
                }
                Score.objects.bulk_create(
                    rows,
                    update_conflicts=True,
                    unique_fields=["assessment", "track"],
                    update_fields=[*SCORE_FIGURES, "tree", "outcome", "computed_at"],
                )
                _record_score_history(rows, before)
                Assessment.objects.filter(pk__in=[a.pk for a in chunk]).update(scores_computed_at=started)
            count += len(chunk)
    return count


@contextmanager
def _gc_paused():
    """Python's cycle collector kept rescanning the objects a recompute builds and keeps (answers,
    trees, the instrument's remembered results): a fifth of a recompute's time, measured
    (bench/score.py). None of them are cycles it is needed for; what garbage cycles the ORM
    leaves meanwhile are collected when it resumes, at the end of the recompute."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


SCORE_FIGURES = ["total", "pengungkit", "hasil", "predicted", "answered", "scored_questions"]


def _record_score_history(rows, before):
    """The audit trail of scores: a history row (simple-history's table) for each score that is new
    or whose figures or area scores changed; bulk_create records none by itself. A recompute that
    changes nothing adds nothing. The dashboards' data fingerprint reads this table."""
    historical = Score.history.model
    fields = [f.attname for f in historical._meta.concrete_fields if not f.name.startswith("history_")]
    now = timezone.now()
    changed = []
    for row in rows:
        old = before.get((row.assessment_id, row.track))
        # The areas too: the dashboards chart them, and they can move while the total stays.
        if old is not None and list(old) == [*(getattr(row, f) for f in SCORE_FIGURES), row.tree.value["areas"]]:
            continue
        changed.append(historical(**{f: getattr(row, f) for f in fields}, history_date=now,
                                  history_type="+" if old is None else "~",
                                  history_change_reason=_("hitung ulang nilai")))
    historical.objects.bulk_create(changed)


def _score_row(assessment, track, tree, outcome, at):
    return Score(
        assessment=assessment,
        track=track,
        total=tree.rounded("TOTAL"),
        pengungkit=tree.rounded("PENGUNGKIT"),
        hasil=tree.rounded("HASIL"),
        predicted=outcome.predicted or "",
        answered=tree.total.answered_count,
        scored_questions=tree.total.scored_count,
        # As expressions, so that bulk_create on PostgreSQL inserts plain VALUES rows: Django 5.2's
        # UNNEST(arrays) form has psycopg escape every quote of these JSON trees in Python, which
        # doubled the time of a recompute (bench/README.md, "Scale").
        # Down to the indicators: question results are recomputed live where they are shown (the
        # worksheet, score_tree); storing them tripled the size and the time of a recompute.
        tree=Value(tree.to_dict(questions=False), output_field=JSONField()),
        outcome=Value(outcome.to_dict(), output_field=JSONField()),
        computed_at=at,
    )


def _priors(assessments):
    unit_ids = {a.unit_id for a in assessments}
    designated = (
        Assessment.objects.filter(unit_id__in=unit_ids, stage__in=DESIGNATED)
        .order_by("unit_id", "year")
        .values_list("unit_id", "year", "stage")
    )
    held = {}
    for unit_id, year, stage in designated:
        held.setdefault(unit_id, []).append((year, stage))
    result = {}
    for a in assessments:
        earlier = [s for y, s in held.get(a.unit_id, []) if y < a.year]
        if earlier:
            result[a.pk] = Designation.WBBM if earlier[-1] == Stage.DESIGNATED_WBBM else Designation.WBK
    return result


def _chunks(items, size):
    for i in range(0, len(items), size):
        yield items[i : i + size]
