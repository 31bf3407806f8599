"""Which answers need accepted evidence, read from the instrument data, and which of an
assessment's answers lack it. The rule is the instrument's: a question may list the answer values
that need evidence (``"evidence_for": ["A", "B"]``); otherwise the instrument's
``"evidence_rule"`` applies, by default ``"above_lowest"``: any answer of a scored question above
its lowest option (a value above the minimum for a 0–4 value). Jumlah rows and computed % questions
need none by default (their evidence sits with the rows they are computed from)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Count, Q

from assessments import scoring
from assessments.models import Answer, Assessment, Track

ABOVE_LOWEST = "above_lowest"
NONE = "none"


def needs_evidence(spec: dict[str, Any], question: dict[str, Any], value: str) -> bool:
    """Whether ``value`` as an answer to ``question`` must be backed by accepted evidence."""
    if not value:
        return False
    if "evidence_for" in question:
        return value in question["evidence_for"]
    if spec.get("evidence_rule", ABOVE_LOWEST) != ABOVE_LOWEST:
        return False
    atype = spec["answer_types"].get(question["answer_type"], {})
    kind = scoring.answer_kind(atype)
    if kind == scoring.CHOICE:
        options = atype["options"]
        lowest = min(options, key=lambda o: Decimal(str(o.get("fraction", "0"))))["value"]
        return value != lowest
    if kind == scoring.VALUE:
        try:
            return Decimal(value) > Decimal(str(atype.get("min", "0")))
        except InvalidOperation:
            return False
    return False


@dataclass
class EvidenceGaps:
    """An assessment's TPI answers that need accepted evidence, by what they lack (question codes,
    in LKE order): no evidence at all, evidence still awaiting review, evidence sent back/rejected."""

    required: int = 0
    missing: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)

    @property
    def lacking(self) -> int:
        return len(self.missing) + len(self.pending) + len(self.rejected)

    @property
    def backed(self) -> int:
        return self.required - self.lacking


def evidence_gaps(assessments: Iterable[Assessment]) -> dict[int, EvidenceGaps]:
    """{assessment id: EvidenceGaps} for the TPI track, in two queries whatever the number."""
    from assessments.models import Instrument
    from evidence.models import EvidenceItem, Status

    assessments = list(assessments)
    # The instruments' rows without their JSON: the structure is shared per process (Instrument.structure).
    instruments = Instrument.objects.defer("spec").in_bulk({a.instrument_id for a in assessments})
    specs = {a.pk: instruments[a.instrument_id].structure() for a in assessments}
    questions = {
        pk: {q["code"]: q for ind in spec["indicators"] for q in ind["questions"]}
        for pk, spec in specs.items()
    }
    found = {
        (row["assessment_id"], row["question_id"]): row
        for row in EvidenceItem.objects.filter(assessment_id__in=specs, deleted_at__isnull=True)
        .order_by()
        .values("assessment_id", "question_id")
        .annotate(
            accepted=Count("id", filter=Q(status=Status.ACCEPTED)),
            pending=Count("id", filter=Q(status=Status.PENDING)),
            returned=Count("id", filter=Q(status__in=[Status.REVISION, Status.REJECTED])),
        )
    }
    result = {pk: EvidenceGaps() for pk in specs}
    answers = (
        Answer.objects.filter(assessment_id__in=specs, track=Track.TPI)
        .exclude(value="")
        .order_by("question__order")
        .values_list("assessment_id", "question_id", "question__code", "value")
    )
    for assessment_id, question_id, code, value in answers:
        question = questions[assessment_id].get(code)
        if question is None or not needs_evidence(specs[assessment_id], question, value):
            continue
        gaps = result[assessment_id]
        gaps.required += 1
        row = found.get((assessment_id, question_id))
        if row and row["accepted"]:
            continue
        if row and row["pending"]:
            gaps.pending.append(code)
        elif row and row["returned"]:
            gaps.rejected.append(code)
        else:
            gaps.missing.append(code)
    return result
