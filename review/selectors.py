"""Reads of the evaluation workflow; each runs a fixed number of queries whatever the rows."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from accounts.models import Role
from accounts.roles import role_map
from assessments.models import OPEN_FOR_UNIT, Answer, Assessment, Stage, Track

from .models import (
    Assignment,
    Evaluation,
    EvaluationState,
    EvaluationStep,
    RevisionMessage,
    RevisionRequest,
    RevisionStatus,
)

QUEUE_LIMIT = 300  # rows of each kind one page shows; the counts above say how many wait in all
QUEUE_STAGES = [*OPEN_FOR_UNIT, Stage.NOMINATED]


def turn_holders(assessment: Assessment) -> set[Any]:
    """The people whose turn it is in the assessment's sign-off (the assigned member while it is a
    draft, then each tier's assignee in turn); nobody once signed off. Two queries."""
    evaluation = Evaluation.objects.filter(assessment_id=assessment.pk).first()
    role = evaluation.waiting_for if evaluation else "anggota"
    if not role:
        return set()
    return {
        a.user
        for a in Assignment.objects.filter(assessment_id=assessment.pk, role=role).select_related(
            "user"
        )
    }


def is_signed_off(assessment: Assessment) -> bool:
    return Evaluation.objects.filter(
        assessment_id=assessment.pk, state=EvaluationState.SIGNED_OFF
    ).exists()


def evaluation_panel(assessment: Assessment) -> dict[str, Any]:
    """The assessment page's sign-off block: team and state (the steps are on its timeline,
    evaluation_steps). Two queries."""
    evaluation = Evaluation.objects.filter(assessment_id=assessment.pk).first()
    team = list(Assignment.objects.filter(assessment_id=assessment.pk).select_related("user"))
    return {"evaluation": evaluation, "team": team}


# --- revision requests -------------------------------------------------------------------------


def requests_by_question(assessment: Assessment) -> dict[int, RevisionRequest]:
    """{question id: the question's latest request, with its thread}: two queries."""
    found: dict[int, RevisionRequest] = {}
    for request in (
        RevisionRequest.objects.filter(assessment_id=assessment.pk)
        .prefetch_related(
            Prefetch("messages", queryset=RevisionMessage.objects.select_related("author"))
        )
        .order_by("created_at", "pk")
    ):
        found[request.question_id] = request  # the latest wins
    return found


def live_requests(assessment: Assessment) -> list[RevisionRequest]:
    """The requests the unit still has to answer or the TPI to close (unit workspace)."""
    return list(
        RevisionRequest.objects.filter(assessment_id=assessment.pk)
        .exclude(status=RevisionStatus.CLOSED)
        .select_related("question", "opened_by")
        .prefetch_related(
            Prefetch("messages", queryset=RevisionMessage.objects.select_related("author"))
        )
        .order_by("question__order")
    )


def request_for_page(pk: int) -> RevisionRequest:
    return RevisionRequest.objects.select_related(
        "assessment__unit__pemda", "question", "opened_by"
    ).get(pk=pk)


# --- assignments overview ----------------------------------------------------------------------


def assignment_overview(pemda: Any, year: int) -> list[dict[str, Any]]:
    """Every assessment of the Pemda's year with its team and how far its sign-off is. Three queries."""
    assessments = list(
        Assessment.objects.filter(unit__pemda=pemda, year=year)
        .exclude(stage=Stage.PROCLAIMED)
        .select_related("unit", "tpi_evaluation")
        .prefetch_related(
            Prefetch(
                "tpi_assignments",
                queryset=Assignment.objects.select_related("user").order_by("role", "area_code"),
            )
        )
        .order_by("unit__name")
    )
    return [
        {
            "assessment": a,
            "team": list(a.tpi_assignments.all()),
            "evaluation": getattr(a, "tpi_evaluation", None),
        }
        for a in assessments
    ]


# --- the review queue --------------------------------------------------------------------------


@dataclass
class QueueFilters:
    unit: int | None = None
    area: str = ""
    min_days: int | None = None
    newest_first: bool = False


def queue_assessments(user: Any, pemda: Any) -> QuerySet[Assessment]:
    """Assessments whose waiting work the person sees: the Admin Inspektorat all of the Pemda's,
    an evaluator those assigned to them (any role)."""
    qs = Assessment.objects.filter(unit__pemda=pemda, stage__in=QUEUE_STAGES)
    if user.is_superuser or role_map(user).in_pemda(pemda.pk, frozenset({Role.INSPEKTORAT_ADMIN})):
        return qs
    return qs.filter(tpi_assignments__user=user).distinct()


def review_queue(
    user: Any, pemda: Any, filters: QueueFilters | None = None, limit: int | None = QUEUE_LIMIT
) -> dict[str, Any]:
    """Evidence awaiting review, replies to revision requests and self answers changed after the
    TPI answered, across the person's assessments, with waiting times. Six queries whatever the
    number of waiting items (three lists, three counts). ``limit`` rows of each list (None: all,
    for the export)."""
    from evidence.models import EvidenceItem, Status

    f = filters or QueueFilters()
    scope = queue_assessments(user, pemda).values("pk")
    now = timezone.now()
    since = now - datetime.timedelta(days=f.min_days) if f.min_days else None
    order = "-" if f.newest_first else ""

    def narrow(qs: QuerySet, stamp: str) -> QuerySet:
        qs = qs.filter(assessment__in=Subquery(scope))
        if f.unit:
            qs = qs.filter(assessment__unit_id=f.unit)
        if f.area:
            qs = qs.filter(Q(question__area_code=f.area) | Q(question__section_code=f.area))
        if since:
            qs = qs.filter(**{f"{stamp}__lte": since})
        return qs

    evidence = narrow(
        EvidenceItem.objects.filter(deleted_at__isnull=True, status=Status.PENDING), "updated_at"
    )
    replies = narrow(RevisionRequest.objects.filter(status=RevisionStatus.ANSWERED), "status_at")
    tpi_at = Answer.objects.filter(
        assessment_id=OuterRef("assessment_id"),
        question_id=OuterRef("question_id"),
        track=Track.TPI,
    ).values("updated_at")[:1]
    changed = narrow(
        Answer.objects.filter(track=Track.SELF)
        .annotate(tpi_at=Subquery(tpi_at))
        .filter(updated_at__gt=F("tpi_at")),
        "updated_at",
    )
    return {
        "evidence": list(
            evidence.select_related(
                "assessment__unit", "question", "current_version", "current_version__preview"
            ).order_by(f"{order}updated_at", "pk")[:limit]
        ),
        "evidence_total": evidence.count(),
        "replies": list(
            replies.select_related("assessment__unit", "question").order_by(
                f"{order}status_at", "pk"
            )[:limit]
        ),
        "replies_total": replies.count(),
        "changed": list(
            changed.select_related("assessment__unit", "question", "updated_by").order_by(
                f"{order}updated_at", "pk"
            )[:limit]
        ),
        "changed_total": changed.count(),
        "now": now,
    }


def queue_units(user: Any, pemda: Any) -> list[tuple[int, str]]:
    """The units offered by the queue's unit filter."""
    return list(
        queue_assessments(user, pemda)
        .order_by("unit__name")
        .values_list("unit_id", "unit__name")
        .distinct()
    )


def annotate_readiness(rows: list[Any], pemda: Any) -> None:
    """Adds the workflow's part of the nomination guard to Kesiapan rows (dashboards.selectors.
    Readiness): sign-off state and answers lacking accepted evidence, blocking or only warning as
    the Pemda's policy says. Four queries whatever the number of rows."""
    from .evidence_rule import evidence_gaps
    from .guards import evidence_reasons
    from .services import evidence_blocks

    if not rows:
        return
    assessments = [r.assessment for r in rows]
    gaps = evidence_gaps(assessments)
    signed = set(
        Evaluation.objects.filter(
            assessment__in=assessments, state=EvaluationState.SIGNED_OFF
        ).values_list("assessment_id", flat=True)
    )
    blocks = evidence_blocks(pemda)
    from django.utils.translation import gettext as _

    for row in rows:
        row.evidence = gaps[row.assessment.pk]
        reasons = evidence_reasons(row.evidence)
        if row.assessment.pk not in signed:
            row.workflow_blockers.append(_("Evaluasi TPI belum disahkan"))
        if blocks:
            row.workflow_blockers += reasons
        else:
            row.evidence_warnings += reasons


def evaluation_steps(assessment: Assessment) -> list[EvaluationStep]:
    return list(
        EvaluationStep.objects.filter(evaluation__assessment_id=assessment.pk).select_related("by")
    )


def queue_columns() -> list[Any]:
    from django.utils.translation import gettext as _

    from zi_portal.exports import DATE, INT, Column

    return [
        Column(_("Jenis"), width=30),
        Column(_("Kode unit"), width=12),
        Column(_("Unit"), width=36),
        Column(_("Pertanyaan"), width=12),
        Column(_("Isi pertanyaan"), width=50),
        Column(_("Keterangan"), width=40),
        Column(_("Menunggu sejak"), DATE),
        Column(_("Lama menunggu (hari)"), INT, width=12),
    ]


def queue_export_rows(user: Any, pemda: Any, filters: QueueFilters | None = None) -> list[list]:
    """Every waiting item of the three lists of the queue under the filters (not the 300 a page
    shows), one row each, oldest first unless the filters say otherwise. review_queue's queries."""
    from django.utils.translation import gettext as _

    from zi_portal import formats

    data = review_queue(user, pemda, filters, limit=None)
    today = timezone.localdate()

    def row(kind, assessment, question, note, since):
        day = timezone.localdate(since)
        return [
            kind,
            assessment.unit.code,
            assessment.unit.name,
            question.code,
            question.text,
            note,
            day,
            (today - day).days,
        ]

    rows = [
        row(_("Data dukung menunggu reviu"), e.assessment, e.question, e.title, e.updated_at)
        for e in data["evidence"]
    ]
    rows += [
        row(
            _("Jawaban atas permintaan perbaikan"),
            rr.assessment,
            rr.question,
            _("%(n)d putaran") % {"n": rr.rounds},
            rr.status_at,
        )
        for rr in data["replies"]
    ]
    rows += [
        row(
            _("Jawaban mandiri diubah setelah TPI menjawab"),
            a.assessment,
            a.question,
            f"→ {formats.input_text(a.value) or '—'}"
            + (f" ({a.updated_by.display_name})" if a.updated_by else ""),
            a.updated_at,
        )
        for a in data["changed"]
    ]
    return rows
