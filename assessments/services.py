"""Write-side rules for instruments, answers and scores. Views, API, commands and tasks call these."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Case, F, JSONField, PositiveSmallIntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from kombu.exceptions import OperationalError as KombuOperationalError

from zi_portal import formats

from . import scoring
from .instrument_io import checksum, create_instrument
from .models import (
    DESIGNATED,
    TRACK_BITS,
    Answer,
    Assessment,
    AssessmentSummary,
    Designation,
    Instrument,
    Question,
    Score,
    Stage,
    Track,
    ZeroDenominatorOverride,
)

logger = logging.getLogger(__name__)

ANSWER_PERMISSION = {
    Track.SELF: "assessments.answer_self",
    Track.TPI: "assessments.answer_tpi",
    Track.TPN: "assessments.answer_tpn",
}


class AnswerError(ValueError):
    """A refused answer; the message is for the person who typed it. ``code`` and ``reason``
    (when set) let a page name the question its own way (the worksheet's visible number)."""

    def __init__(self, message, *, code: str = "", reason: str = ""):
        super().__init__(message)
        self.code, self.reason = code, reason


class AnswerConflict(AnswerError):
    def __init__(self, message, current):
        super().__init__(message)
        self.current = current


# --- instruments ---------------------------------------------------------------------------


def import_instrument(*, spec: dict, by=None, pemda=None, source_name: str = "") -> Instrument:
    """Stores a new instrument version after validating it; identical data gives back the existing
    version. A Pemda's version keeps the structure the regulation fixes (fixed_structure_changes)."""
    errors = scoring.validate_instrument(spec)
    if not errors and pemda is not None:
        errors = fixed_structure_changes(spec, year=spec["year"], by=by)
    if errors:
        raise scoring.InstrumentError(errors)
    existing = Instrument.objects.filter(
        code=spec["code"], checksum=checksum(spec), pemda=pemda
    ).first()
    if existing:
        return existing
    with transaction.atomic():
        return create_instrument(
            Instrument, Question, spec, pemda=pemda, created_by=by, source_name=source_name
        )


def current_instrument(pemda, *, year: int | None = None) -> Instrument | None:
    """The newest active instrument a Pemda may use (its own import first, else the national one);
    with ``year``, only a version that serves that ZI year."""
    qs = Instrument.objects.filter(active=True).defer("spec")
    if year is not None:
        qs = qs.filter(Q(first_year__lte=year) | Q(first_year__isnull=True, year__lte=year)).filter(
            Q(last_year__isnull=True) | Q(last_year__gte=year)
        )
    own = qs.filter(pemda=pemda).order_by("-year", "-version").first()
    return own or qs.filter(pemda__isnull=True).order_by("-year", "-version").first()


def national_instrument(*, year: int) -> Instrument | None:
    """The national version serving ``year`` (else the newest one): the reference for the
    structure the regulation fixes."""
    qs = Instrument.objects.filter(pemda__isnull=True).defer("spec").order_by("-year", "-version")
    serving = [i for i in qs if i.serves(year)]
    return serving[0] if serving else qs.first()


def fixed_structure(spec: dict) -> dict:
    """What Permen PAN-RB 90/2021 fixes in an instrument: components and their sections' weights,
    each change area's weight per section (its Pemenuhan and Reform halves), the designation
    thresholds and the nomination rules. Weights are compared as exact fractions."""
    parsed = scoring.parse_instrument(spec)
    halves: dict[tuple[str, str], Any] = {}
    for ind in parsed.indicators:
        if ind.area:
            key = (ind.area, ind.section)
            halves[key] = halves.get(key, 0) + ind.weight
    return {
        "components": {c.code: c.weight for c in parsed.components},
        "sections": {s.code: s.weight for s in parsed.sections},
        "areas": {a.code: a.weight for a in parsed.areas},
        "halves": halves,
        "thresholds": [
            (name, [(g.code, g.kind, g.node, g.minimum, g.requires) for g in gates])
            for name, gates in parsed.designations
        ],
        "nomination": {k: v for k, v in (spec.get("nomination") or {}).items() if k != "notes"},
    }


FIXED_PARTS = {
    "components": gettext_lazy("bobot komponen"),
    "sections": gettext_lazy("bobot bagian (Pemenuhan/Reform, Hasil)"),
    "areas": gettext_lazy("bobot area perubahan"),
    "halves": gettext_lazy("bobot Pemenuhan/Reform per area"),
    "thresholds": gettext_lazy("ambang predikat WBK/WBBM"),
    "nomination": gettext_lazy("aturan pengusulan"),
}


def fixed_structure_changes(spec: dict, *, year: int, by=None) -> list[str]:
    """Why ``spec`` may not be stored for a Pemda: each part of the fixed structure that differs
    from the national version serving its year (empty: none, or ``by`` holds the national-level
    permission assessments.change_fixed_structure)."""
    if by is not None and by.has_perm("assessments.change_fixed_structure"):
        return []
    reference = national_instrument(year=year)
    if reference is None:
        return []
    ours, theirs = fixed_structure(spec), fixed_structure(reference.structure())
    problems = []
    for part, label in FIXED_PARTS.items():
        if ours[part] == theirs[part]:
            continue
        detail = ""
        if isinstance(ours[part], dict):
            changed = sorted(
                {
                    k
                    for k in {*ours[part], *theirs[part]}
                    if ours[part].get(k) != theirs[part].get(k)
                },
                key=str,
            )
            detail = ": " + ", ".join(
                "·".join(k) if isinstance(k, tuple) else str(k) for k in changed[:6]
            )
        problems.append(
            _(
                "Instrumen Pemda tidak boleh mengubah %(part)s yang ditetapkan peraturan "
                "(berbeda dari %(reference)s%(detail)s); perubahan ini hanya dapat dilakukan di "
                "tingkat nasional."
            )
            % {"part": label, "reference": reference, "detail": detail}
        )
    return problems


# --- answers -------------------------------------------------------------------------------


@dataclass
class SavedAnswer:
    answer: Answer
    created: bool
    changed: bool


def save_answer(
    *,
    assessment: Assessment,
    question: Question,
    track: str,
    by,
    value=None,
    note=None,
    expected_revision: int | None = None,
    permission_checked: bool = False,
) -> SavedAnswer:
    """Stores one answer of one track. The track's role and the assessment's stage decide who may write;
    a writer that read an older revision gets AnswerConflict instead of overwriting someone else.
    ``permission_checked``: the caller asked its own permission (a survey index landing in the self
    track, which an Admin Inspektorat may close without being a unit member)."""
    track = Track(track)
    if not permission_checked and not by.has_perm(ANSWER_PERMISSION[track], assessment):
        raise PermissionDenied(_locked_message(assessment, track))
    if question.instrument_id != assessment.instrument_id:
        raise AnswerError(_("Pertanyaan ini bukan bagian dari LKE penilaian ini."))
    instrument = assessment.instrument.parsed()
    normalized = None
    if value is not None:
        normalized = normalize_value(instrument, question.code, value)

    with transaction.atomic():
        answer = (
            Answer.objects.select_for_update()
            .filter(assessment=assessment, question=question, track=track)
            .first()
        )
        created = answer is None
        if answer is None:
            answer = Answer(assessment=assessment, question=question, track=track)
        elif expected_revision is not None and answer.revision != expected_revision:
            raise _conflict(answer)
        changed = False
        if normalized is not None and normalized != answer.value:
            answer.value, changed = normalized, True
        if note is not None and note.strip() != answer.note:
            answer.note, changed = note.strip(), True
        if not answer.confirmed and (changed or normalized is not None):
            # Saving a carried answer (changed or not) is the unit confirming it for this year.
            answer.confirmed, changed = True, True
        if changed:
            answer.revision += 1
            answer.updated_by = by
            # history records the writer also outside a request (API, tasks)
            answer._history_user = by  # type: ignore[attr-defined]
            if created:
                try:
                    with (
                        transaction.atomic()
                    ):  # savepoint: a concurrent first save may win the insert
                        answer.save()
                except IntegrityError:
                    # Both read "no answer yet"; the other writer's row is committed now.
                    raise _conflict(
                        Answer.objects.select_related("updated_by").get(
                            assessment=assessment, question=question, track=track
                        )
                    ) from None
            else:
                answer.save()
            request_scores(assessment, track.value)
    return SavedAnswer(answer, created, changed)


def _conflict(answer) -> AnswerConflict:
    who = answer.updated_by.display_name if answer.updated_by else _("pengguna lain")
    return AnswerConflict(
        _(
            "Jawaban ini baru saja diubah oleh %(who)s (%(when)s). Muat ulang untuk melihat "
            "jawaban terbaru sebelum menyimpan."
        )
        % {"who": who, "when": formats.date_time(answer.updated_at)},
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
        computed = _("dihitung dari isian jumlah, tidak diisi langsung.")
        raise AnswerError(
            _("Pertanyaan %(code)s: %(reason)s") % {"code": code, "reason": computed},
            code=code,
            reason=computed,
        )
    value, _fraction, reason = scoring.check_answer(question, text)
    if reason:
        raise AnswerError(
            _("Pertanyaan %(code)s: %(reason)s") % {"code": code, "reason": reason},
            code=code,
            reason=reason,
        )
    return str(value)


def _locked_message(assessment, track):
    if track == Track.SELF and not assessment.open_for_unit:
        return _("LKE sudah dikunci untuk unit karena penilaian berada pada tahap %(stage)s.") % {
            "stage": assessment.get_stage_display()
        }
    refused = _("Anda tidak berwenang mengisi jawaban %(track)s untuk penilaian ini.") % {
        "track": Track(track).label
    }
    return f"{refused} {WHO_ANSWERS[Track(track)]}"


# Who fills each track, as accounts/rules.py decides (answer_self, answer_tpi, answer_tpn): said
# with every refusal, so a reader knows whom to ask.
WHO_ANSWERS = {
    Track.SELF: gettext_lazy(
        "Penilaian mandiri diisi oleh kepala dan operator unit kerja selama tahap Pencanangan dan "
        "Pembangunan."
    ),
    Track.TPI: gettext_lazy(
        "Evaluasi TPI diisi oleh Inspektorat (Admin dan evaluator TPI) selama tahap Pembangunan."
    ),
    Track.TPN: gettext_lazy(
        "Hasil TPN dicatat oleh Admin Inspektorat Pemda selama tahap Reviu TPN, menurut hasil "
        "yang diumumkan TPN."
    ),
}


# --- scores --------------------------------------------------------------------------------

# A queued recompute runs within a second; one marked queued this long ago lost its message
# (broker down when it was sent, or restarted without persistence).
LOST_AFTER = timedelta(minutes=5)


def request_scores(assessment: Assessment, track: str | None = None):
    """Marks the scores stale and queues one recompute after the current transaction commits.

    Debounce: while a recompute is queued or running (scores_dirty_since set) a change only moves
    scores_requested_at; that recompute sees it and runs once more if it came too late. A stamp left
    for LOST_AFTER means its message was lost, and the next change queues again. ``track``: only
    that track's answers changed (the recompute leaves the others as they are); None: every track."""
    now = timezone.now()
    # 0 while dirty means "every track", so a change of every track clears the bits.
    tracks = F("scores_dirty_tracks").bitor(TRACK_BITS[track]) if track else Value(0)
    qs = Assessment.objects.filter(pk=assessment.pk)
    lost = Q(scores_dirty_since__lt=now - LOST_AFTER)
    queue = qs.filter(Q(scores_dirty_since__isnull=True) | lost).update(
        scores_requested_at=now,
        scores_dirty_since=now,
        scores_dirty_tracks=TRACK_BITS[track] if track else 0,
    )
    if not queue:
        # Waiting for a recompute: add this track, unless that one already scores every track.
        added = qs.filter(~Q(scores_dirty_tracks=0)).update(
            scores_requested_at=now, scores_dirty_tracks=tracks
        )
        if not added:
            qs.update(scores_requested_at=now)
    assessment.scores_requested_at = now
    if queue:
        assessment.scores_dirty_since = now
        transaction.on_commit(lambda: queue_recompute(assessment.pk))


def queue_recompute(assessment_id: int) -> bool:
    """Publishes one recompute. With the broker unreachable the saved answer stands, the scores stay
    marked pending (the pages say so) and recompute_lost_scores computes them once workers run again;
    the person's save does not fail over it."""
    from .tasks import recompute_assessment_scores

    try:
        recompute_assessment_scores.apply_async(args=[assessment_id])
    except KombuOperationalError as exc:
        logger.warning(
            "Score recompute for assessment %s not queued (broker unreachable): %s",
            assessment_id,
            exc,
        )
        return False
    return True


def recompute_queued(assessment_id: int) -> int:
    """What the queued recompute does: computes the scores, and when changes arrived meanwhile
    (compute_scores left the assessment dirty) queues itself once more, with no delay."""
    count = compute_scores([assessment_id], changed_tracks_only=True)
    now = timezone.now()
    if Assessment.objects.filter(pk=assessment_id, scores_dirty_since__isnull=False).update(
        scores_dirty_since=now
    ):
        queue_recompute(assessment_id)
    return count


def recompute_lost_scores(now=None) -> int:
    """Computes the scores of every assessment whose queued recompute was lost (see LOST_AFTER)."""
    now = now or timezone.now()
    ids = list(
        Assessment.objects.filter(scores_dirty_since__lt=now - LOST_AFTER).values_list(
            "pk", flat=True
        )
    )
    return compute_scores(ids) if ids else 0


def answers_by_track(assessment_ids) -> dict:
    """{assessment_id: {track: {question_code: value}}} in one query."""
    return _read_answers(assessment_ids)[0]


def _read_answers(assessment_ids) -> tuple[dict, dict]:
    """answers_by_track() and {assessment_id: (n, last)}: the self-assessment answers saved after
    the TPI answered the same question, from the same rows. One query over the answers; question
    codes come from one small query (a join per answer row costs more)."""
    assessment_ids = list(assessment_ids)
    result: dict[int, dict[str, dict[str, Any]]] = {}
    changed: dict[int, tuple[int, datetime]] = {}
    codes = dict(
        Question.objects.filter(
            instrument__in=Assessment.objects.filter(pk__in=assessment_ids).values("instrument")
        ).values_list("pk", "code")
    )
    rows = Answer.objects.filter(assessment_id__in=assessment_ids).values_list(
        "assessment_id", "track", "question_id", "value", "updated_at", "confirmed"
    )
    saved = {}
    for assessment_id, track, question_id, value, updated_at, confirmed in rows:
        # A carried answer (perlu dikonfirmasi) reaches the scoring only once confirmed.
        if value and confirmed:
            result.setdefault(assessment_id, {}).setdefault(track, {})[codes[question_id]] = value
        if track != Track.TPN:
            saved[(assessment_id, track, question_id)] = updated_at
    for (assessment_id, track, question_id), updated_at in saved.items():
        tpi = saved.get((assessment_id, Track.TPI, question_id)) if track == Track.SELF else None
        if tpi is not None and tpi < updated_at:
            n, last = changed.get(assessment_id, (0, None))
            changed[assessment_id] = (n + 1, max(last, updated_at) if last else updated_at)
    return result, changed


def prior_designation(assessment: Assessment) -> str | None:
    """The designation the unit holds from an earlier year (revoked ones do not count)."""
    return _priors([assessment]).get(assessment.pk)


def zero_denominator_overrides(assessment: Assessment) -> dict[str, str]:
    """{% question code: rule} the TPI set for this assessment (see set_zero_denominator_override)."""
    return dict(
        ZeroDenominatorOverride.objects.filter(assessment=assessment).values_list(
            "question_code", "rule"
        )
    )


def set_zero_denominator_override(
    *, assessment: Assessment, question_code: str, rule: str, reason: str, by
) -> ZeroDenominatorOverride | None:
    """The TPI reads a % question's zero denominator for this assessment differently from the
    instrument, with a reason (recorded with who and when); ``rule`` "" removes the override."""
    if not by.has_perm("assessments.override_zero_denominator", assessment):
        raise PermissionDenied(_("Anda tidak berwenang mengubah arti penyebut nol penilaian ini."))
    question = assessment.instrument.parsed().questions.get(question_code)
    if question is None or question.answer_type.kind != scoring.COMPUTED:
        raise AnswerError(_("Pertanyaan %(code)s bukan pertanyaan %%.") % {"code": question_code})
    if rule and rule not in scoring.ZERO_RULES:
        raise AnswerError(_("Arti penyebut nol tidak dikenal."))
    reason = (reason or "").strip()
    with transaction.atomic():
        if not rule:
            ZeroDenominatorOverride.objects.filter(
                assessment=assessment, question_code=question_code
            ).delete()
            found = None
        else:
            if not reason:
                raise AnswerError(_("Tuliskan alasan mengubah arti penyebut nol."))
            found, _created = ZeroDenominatorOverride.objects.update_or_create(
                assessment=assessment,
                question_code=question_code,
                defaults={"rule": rule, "reason": reason, "by": by},
            )
        request_scores(assessment)
    return found


def score_assessment(
    assessment: Assessment,
    answers: dict,
    prior: str | None,
    zero_rules: dict[str, str] | None = None,
    tracks=None,
) -> dict:
    """Pure part: {track: (tree, outcome)} for the given tracks (all three by default);
    ``zero_rules`` defaults to the assessment's overrides (one query)."""
    instrument = assessment.instrument.parsed()
    if zero_rules is None:
        zero_rules = zero_denominator_overrides(assessment)
    result = {}
    for track in tracks or Track.values:
        tree = scoring.score(instrument, answers.get(track, {}), zero_rules)
        result[track] = (tree, scoring.evaluate(instrument, tree, prior))
    return result


def compute_scores(assessment_ids=None, *, pemda=None, changed_tracks_only=False) -> int:
    """Recomputes and stores the scores of the given assessments (or all of a Pemda, or all), with
    each one's summary (the dashboards' figures). Safe to run twice: it overwrites each row with the
    same figures. An assessment whose answers changed after it was read stays marked pending.
    ``changed_tracks_only``: score only the tracks marked changed (Assessment.dirty_tracks) where a
    summary exists to keep the others' figures; a self save then scores one track, not three."""
    qs = Assessment.objects.all()
    if assessment_ids is not None:
        qs = qs.filter(pk__in=list(assessment_ids))
    if pemda is not None:
        qs = qs.filter(unit__pemda=pemda)
    # The instrument's row without its JSON (parsed once per process), and the summary whose other
    # tracks' figures a changed-tracks-only recompute keeps, read with the assessments.
    qs = qs.select_related("instrument").defer("instrument__spec")
    if changed_tracks_only:
        qs = qs.select_related("summary")
    assessments = list(qs)
    count = 0
    for chunk in _chunks(assessments, 200):
        started = timezone.now()
        answers, changed = _read_answers([a.pk for a in chunk])
        priors = _priors(chunk)
        zero_rules: dict[int, dict[str, str]] = {}
        for assessment_id, code, rule in ZeroDenominatorOverride.objects.filter(
            assessment__in=chunk
        ).values_list("assessment_id", "question_code", "rule"):
            zero_rules.setdefault(assessment_id, {})[code] = rule
        rows, summaries = [], []
        for assessment in chunk:
            summary = getattr(assessment, "summary", None) if changed_tracks_only else None
            results = score_assessment(
                assessment,
                answers.get(assessment.pk, {}),
                priors.get(assessment.pk),
                zero_rules.get(assessment.pk, {}),
                tracks=assessment.dirty_tracks if summary else None,
            )
            for track, (tree, outcome) in results.items():
                rows.append(_score_row(assessment, track, tree, outcome, started))
            summaries.append(
                _summary_row(assessment, results, changed.get(assessment.pk), started, summary)
            )
        with transaction.atomic():
            before = {
                (assessment_id, track): figures
                for assessment_id, track, *figures in Score.objects.filter(
                    assessment__in=chunk
                ).values_list("assessment_id", "track", *SCORE_FIGURES, "tree__areas")
            }
            Score.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["assessment", "track"],
                update_fields=[*SCORE_FIGURES, "tree", "outcome", "computed_at"],
            )
            AssessmentSummary.objects.bulk_create(
                summaries,
                update_conflicts=True,
                unique_fields=["assessment"],
                update_fields=[
                    f.name for f in AssessmentSummary._meta.concrete_fields if not f.primary_key
                ],
            )
            _record_score_history(rows, before)
            _mark_computed(chunk, started)
        count += len(chunk)
    return count


def _mark_computed(chunk, at):
    """Stamps the chunk computed; clears the pending mark of those not changed since they were read
    (their scores_requested_at unchanged), so a change that came during the run keeps it set."""
    Assessment.objects.filter(pk__in=[a.pk for a in chunk]).update(
        scores_computed_at=at,
        scores_dirty_since=Case(
            *[
                When(pk=a.pk, scores_requested_at=a.scores_requested_at, then=Value(None))
                for a in chunk
                if a.scores_requested_at is not None
            ],
            When(scores_requested_at__isnull=True, then=Value(None)),
            default=F("scores_dirty_since"),
        ),
        # Kept for the rerun when changes came meanwhile (it scores these tracks again, and theirs).
        scores_dirty_tracks=Case(
            *[
                When(pk=a.pk, scores_requested_at=a.scores_requested_at, then=Value(0))
                for a in chunk
                if a.scores_requested_at is not None
            ],
            When(scores_requested_at__isnull=True, then=Value(0)),
            default=F("scores_dirty_tracks"),
            output_field=PositiveSmallIntegerField(),
        ),
    )


SCORE_FIGURES = ["total", "pengungkit", "hasil", "predicted", "answered", "scored_questions"]


def _record_score_history(rows, before):
    """The audit trail of scores: a history row (simple-history's table) for each score that is new
    or whose figures or area scores changed; bulk_create records none by itself. A recompute that
    changes nothing adds nothing."""
    historical = Score.history.model
    fields = [
        f.attname for f in historical._meta.concrete_fields if not f.name.startswith("history_")
    ]
    now = timezone.now()
    changed = []
    for row in rows:
        old = before.get((row.assessment_id, row.track))
        if old is not None and list(old) == [
            *(getattr(row, f) for f in SCORE_FIGURES),
            row.tree.value["areas"],
        ]:
            continue
        changed.append(
            historical(
                **{f: getattr(row, f) for f in fields},
                history_date=now,
                history_type="+" if old is None else "~",
                history_change_reason=_("hitung ulang nilai"),
            )
        )
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


# What each track contributes to AssessmentSummary besides {track}_total and {track}_answered.
_SUMMARY_OF_TRACK = {
    "self": ["scored_questions", "self_predicted"],
    "tpi": ["tpi_predicted", "tpi_missed"],
    "tpn": [],
}


def _summary_row(assessment, results, changed, at, previous=None):
    """The assessment's AssessmentSummary from its scored tracks; the figures of tracks not in
    ``results`` are kept from ``previous`` (needed unless all three are there)."""
    fields: dict[str, Any] = {}
    shares: dict[str, Any] = {}
    for track in Track.values:
        if track not in results:
            for name in [f"{track}_total", f"{track}_answered", *_SUMMARY_OF_TRACK[track]]:
                fields[name] = getattr(previous, name)
            if track in previous.area_shares:
                shares[track] = previous.area_shares[track]
            continue
        tree, outcome = results[track]
        answered = tree.total.answered_count
        fields[f"{track}_total"] = tree.rounded("TOTAL") if answered else None
        fields[f"{track}_answered"] = answered
        if track == Track.SELF:
            fields["scored_questions"] = tree.total.scored_count
            fields["self_predicted"] = outcome.predicted or ""
        elif track == Track.TPI:
            fields["tpi_predicted"] = outcome.predicted or ""
            fields["tpi_missed"] = {
                name: [g.to_dict(tree.decimals) for g in gates if not g.met]
                for name, gates in outcome.designations.items()
            }
        if track != Track.TPN:
            # What the dashboard's area chart averages; kept small, as it is read for every unit.
            shares[track] = {
                a.code: scoring.text(a.exact_share, tree.decimals + 2)
                for a in tree.areas.values()
                if a.answered_count and a.exact_weight
            }
    n, last = changed or (0, None)
    fields["area_shares"] = Value(shares, output_field=JSONField())
    fields["tpi_missed"] = Value(fields["tpi_missed"], output_field=JSONField())
    return AssessmentSummary(
        assessment=assessment,
        **fields,
        self_changed_after_tpi=n,
        self_changed_last=last,
        computed_at=at,
    )


def _priors(assessments):
    unit_ids = {a.unit_id for a in assessments}
    designated = (
        Assessment.objects.filter(unit_id__in=unit_ids, stage__in=DESIGNATED)
        .order_by("unit_id", "year")
        .values_list("unit_id", "year", "stage")
    )
    held: dict[int, list[tuple[int, str]]] = {}
    for unit_id, year, stage in designated:
        held.setdefault(unit_id, []).append((year, stage))
    result = {}
    for a in assessments:
        earlier = [s for y, s in held.get(a.unit_id, []) if y < a.year]
        if earlier:
            result[a.pk] = (
                Designation.WBBM if earlier[-1] == Stage.DESIGNATED_WBBM else Designation.WBK
            )
    return result


def _chunks(items, size):
    for i in range(0, len(items), size):
        yield items[i : i + size]
