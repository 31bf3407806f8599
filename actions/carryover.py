"""Carrying a unit's ZI year into the next: last year's answers become drafts perlu dikonfirmasi,
its evidence is offered for reuse item by item, and open action items and unfinished
recommendations continue. Last year's assessment is only read, never changed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Answer, Assessment, Question, Track
from assessments.services import request_scores
from evidence.models import EvidenceItem, Status

from .models import ActionItem, EvidenceReuse, Recommendation


@dataclass
class Carried:
    answers: int = 0
    evidence: int = 0
    items: int = 0
    recommendations: int = 0


def previous_assessment(assessment: Assessment) -> Assessment | None:
    return (
        Assessment.objects.filter(unit_id=assessment.unit_id, year__lt=assessment.year)
        .select_related("instrument")
        .order_by("-year")
        .first()
    )


def carry_over(*, assessment: Assessment, by: Any) -> Carried:
    """Starts ``assessment`` from the unit's previous year. Questions are matched by code, so a new
    instrument version takes what still exists. Idempotent: nothing already carried is copied twice."""
    previous = previous_assessment(assessment)
    done = Carried()
    if previous is None:
        return done
    questions = {q.code: q for q in Question.objects.filter(instrument_id=assessment.instrument_id)}
    with transaction.atomic():
        have = set(
            Answer.objects.filter(assessment=assessment, track=Track.SELF).values_list(
                "question__code", flat=True
            )
        )
        rows = []
        for old in Answer.objects.filter(assessment=previous, track=Track.SELF).select_related(
            "question"
        ):
            q = questions.get(old.question.code)
            if q is None or q.code in have or not (old.value or old.note):
                continue
            rows.append(
                Answer(
                    assessment=assessment,
                    question=q,
                    track=Track.SELF,
                    value=old.value,
                    note=old.note,
                    confirmed=False,
                    updated_by=by,
                )
            )
        Answer.objects.bulk_create(rows)
        done.answers = len(rows)

        offered = set(
            EvidenceReuse.objects.filter(assessment=assessment).values_list("source_id", flat=True)
        )
        reuses = []
        for item in (
            EvidenceItem.objects.filter(assessment=previous, deleted_at__isnull=True)
            .exclude(status=Status.REJECTED)
            .select_related("question")
        ):
            q = questions.get(item.question.code)
            if q is None or item.pk in offered:
                continue
            reuses.append(EvidenceReuse(assessment=assessment, question=q, source=item))
        EvidenceReuse.objects.bulk_create(reuses)
        done.evidence = len(reuses)

        for item in ActionItem.objects.filter(
            unit_id=assessment.unit_id,
            year=previous.year,
            completed_on__isnull=True,
            carried_to__isnull=True,
        ):
            old_pk = item.pk
            item.pk = item.id = None
            item._state.adding = True
            item.year, item.created_by = assessment.year, by
            item.created_at = timezone.now()
            item.carried_from_id = old_pk
            item.revision_request = None  # last year's request stays with last year's LKE
            if item.question_id:
                old_code = Question.objects.filter(pk=item.question_id).values_list(
                    "code", flat=True
                )[0]
                item.question = questions.get(old_code)
            item.save()
            done.items += 1

        for rec in Recommendation.objects.filter(
            assessment=previous, carried_to__isnull=True
        ).select_related("question"):
            if not rec.is_open:
                continue
            Recommendation.objects.create(
                assessment=assessment,
                source=rec.source,
                area_code=rec.area_code,
                indicator_code=rec.indicator_code,
                question=questions.get(rec.question.code) if rec.question else None,
                text=rec.text,
                due_on=rec.due_on,
                carried_from=rec,
                created_by=rec.created_by,
            )
            done.recommendations += 1
    return done


# --- confirming what was carried ----------------------------------------------------------------


def unconfirmed(assessment: Assessment):
    return Answer.objects.filter(assessment=assessment, track=Track.SELF, confirmed=False)


def confirm_answers(
    *,
    assessment: Assessment,
    by: Any,
    question_codes: list[str] | None = None,
    indicator_code: str = "",
    area_code: str = "",
) -> int:
    """Confirms carried answers as this year's (one question, an indicator, an area or all); from
    then on the scores count them. Each confirmation is in the answer's history."""
    if not by.has_perm("assessments.answer_self", assessment):
        raise PermissionDenied(_("Anda tidak berwenang mengonfirmasi jawaban penilaian ini."))
    answers = unconfirmed(assessment).select_related("question")
    if question_codes is not None:
        answers = answers.filter(question__code__in=question_codes)
    if indicator_code:
        answers = answers.filter(question__indicator_code=indicator_code)
    if area_code:
        answers = answers.filter(question__area_code=area_code)
    n = 0
    with transaction.atomic():
        for answer in answers.select_for_update(of=("self",)):
            answer.confirmed = True
            answer.revision += 1
            answer.updated_by = by
            answer._history_user = by  # type: ignore[attr-defined]
            answer.save(update_fields=["confirmed", "revision", "updated_by", "updated_at"])
            n += 1
        if n:
            request_scores(assessment)
    return n


def decide_reuse(*, reuse: EvidenceReuse, by: Any, use: bool) -> EvidenceReuse:
    """The unit says, for one of last year's evidence items, whether it still holds this year."""
    if not by.has_perm("evidence.upload_evidence", reuse.assessment):
        raise PermissionDenied(_("Anda tidak berwenang memilih data dukung penilaian ini."))
    reuse.state = EvidenceReuse.State.CONFIRMED if use else EvidenceReuse.State.DECLINED
    reuse.decided_by, reuse.decided_at = by, timezone.now()
    reuse.save(update_fields=["state", "decided_by", "decided_at"])
    return reuse
