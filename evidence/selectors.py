"""Read-side queries for evidence: completeness figures and the lists behind the pages.

Every function runs a fixed number of queries, whatever the number of questions or items.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db.models import Count, Prefetch, Q

from assessments import scoring
from assessments.models import Assessment, Instrument, Question

from .models import EvidenceComment, EvidenceEvent, EvidenceItem, EvidenceVersion, Status


class QuestionCount(NamedTuple):
    items: int  # evidence items (not deleted)
    accepted: int  # of which accepted by the TPI


class Counts(NamedTuple):
    with_evidence: int  # scored questions with at least one item
    accepted: int  # scored questions with at least one accepted item
    scored: int  # scored questions

    @property
    def percent(self) -> int:
        """Percent of scored questions with evidence, rounded (0 when nothing is scored)."""
        return round(100 * self.with_evidence / self.scored) if self.scored else 0


@dataclass(frozen=True)
class Completeness:
    per_question: dict = field(default_factory=dict)  # question_id -> QuestionCount
    per_area: dict = field(default_factory=dict)  # area code (section code for Hasil) -> Counts
    totals: Counts = Counts(0, 0, 0)

    def share(self, counts: Counts | None = None) -> int:
        """Percent of scored questions with evidence (for progress bars)."""
        return (counts or self.totals).percent


def unscored_types(instrument: Instrument) -> frozenset[str]:
    """Answer types that are not scored themselves (Jumlah rows that feed a % question)."""
    types = instrument.structure().get("answer_types")
    if not types:
        return frozenset({"JUMLAH", "Jumlah"})
    return frozenset(
        code for code, spec in types.items() if scoring.answer_kind(spec) == scoring.COUNT
    )


def area_key(area_code: str, section_code: str) -> str:
    # Hasil questions belong to no change area: they are grouped under their section.
    return area_code or section_code


def completeness(assessment: Assessment) -> Completeness:
    """How many scored questions have evidence and accepted evidence, per question, area and in
    total (deleted items do not count). Three queries at most."""
    unscored = unscored_types(assessment.instrument)
    questions = (
        Question.objects.filter(instrument_id=assessment.instrument_id)
        .order_by("order")
        .values_list("id", "area_code", "section_code", "answer_type")
    )
    counts = {
        row["question_id"]: QuestionCount(row["items"], row["accepted"])
        for row in EvidenceItem.objects.filter(assessment_id=assessment.pk, deleted_at__isnull=True)
        .order_by()
        .values("question_id")
        .annotate(items=Count("id"), accepted=Count("id", filter=Q(status=Status.ACCEPTED)))
    }
    per_question: dict[int, QuestionCount] = {}
    areas: dict[str, list[int]] = {}
    for question_id, area, section, answer_type in questions:
        count = counts.get(question_id, QuestionCount(0, 0))
        per_question[question_id] = count
        if answer_type in unscored:
            continue
        seen = areas.setdefault(area_key(area, section), [0, 0, 0])
        seen[0] += count.items > 0
        seen[1] += count.accepted > 0
        seen[2] += 1
    per_area = {code: Counts(*values) for code, values in areas.items()}
    totals = Counts(
        sum(c.with_evidence for c in per_area.values()),
        sum(c.accepted for c in per_area.values()),
        sum(c.scored for c in per_area.values()),
    )
    return Completeness(per_question, per_area, totals)


def completeness_totals(assessments: Iterable[Assessment]) -> dict[int, Counts]:
    """{assessment_id: Counts} for a dashboard of many assessments, in three queries."""
    assessments = list(assessments)
    by_instrument: dict[int, Assessment] = {}
    for a in assessments:
        by_instrument.setdefault(a.instrument_id, a)

    unscored = {
        i.pk: unscored_types(i)
        for i in Instrument.objects.filter(pk__in=by_instrument).defer("spec")
    }
    scored_ids: set[int] = set()
    scored_count: dict[int, int] = {}
    for question_id, instrument_id, answer_type in Question.objects.filter(
        instrument_id__in=by_instrument
    ).values_list("id", "instrument_id", "answer_type"):
        if answer_type not in unscored.get(instrument_id, ()):
            scored_ids.add(question_id)
            scored_count[instrument_id] = scored_count.get(instrument_id, 0) + 1
    per: dict[int, list[int]] = {}
    rows = (
        EvidenceItem.objects.filter(
            assessment__in=[a.pk for a in assessments], deleted_at__isnull=True
        )
        .order_by()
        .values("assessment_id", "question_id")
        .annotate(accepted=Count("id", filter=Q(status=Status.ACCEPTED)))
    )
    for row in rows:
        if row["question_id"] in scored_ids:
            seen = per.setdefault(row["assessment_id"], [0, 0])
            seen[0] += 1
            seen[1] += row["accepted"] > 0
    result = {}
    for a in assessments:
        with_evidence, accepted = per.get(a.pk, (0, 0))
        result[a.pk] = Counts(with_evidence, accepted, scored_count.get(a.instrument_id, 0))
    return result


# --- lists ---------------------------------------------------------------------------------


def items_for(
    assessment: Assessment,
    *,
    include_deleted: bool = False,
    question: Question | None = None,
    status: str | None = None,
) -> list[EvidenceItem]:
    """The items of an assessment with everything their panel shows, in five queries."""
    qs = (
        EvidenceItem.objects.filter(assessment_id=assessment.pk)
        .select_related(
            "current_version",
            "current_version__uploaded_by",
            "created_by",
            "reviewed_by",
            "deleted_by",
        )
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=EvidenceVersion.objects.select_related("uploaded_by").order_by("-number"),
            ),
            Prefetch(
                "comments",
                queryset=EvidenceComment.objects.select_related("author").order_by(
                    "created_at", "pk"
                ),
            ),
            Prefetch(
                "events",
                queryset=EvidenceEvent.objects.select_related("by", "version").order_by(
                    "-at", "-pk"
                ),
            ),
        )
        .order_by("question_id", "created_at", "pk")
    )
    if not include_deleted:
        qs = qs.filter(deleted_at__isnull=True)
    if question is not None:
        qs = qs.filter(question=question)
    if status:
        qs = (
            qs.filter(deleted_at__isnull=False)
            if status == "deleted"
            else qs.filter(status=status, deleted_at__isnull=True)
        )
    items = list(qs)
    for item in items:
        item.assessment = assessment  # share the loaded assessment: zi_scope() costs no query
    return items


def item_visible_to(user: Any, item: EvidenceItem) -> bool:
    """May the user see (and download) this item? Deleted items only for the Inspektorat."""
    if item.is_deleted:
        return user.has_perm("evidence.view_deleted_evidence", item)
    return user.has_perm("evidence.view_evidence", item)


def question_guidance(instrument: Instrument) -> dict[str, list[str]]:
    """{question code: [expected evidence, ...]} from the instrument data (the checklist units tick off)."""
    result: dict[str, list[str]] = {}
    for indicator in instrument.structure().get("indicators", []):
        for question in indicator.get("questions", []):
            if question.get("evidence"):
                result[question["code"]] = list(question["evidence"])
    return result


def area_names(instrument: Instrument) -> dict[str, str]:
    names = {a["code"]: a["name"] for a in instrument.structure().get("areas", [])}
    for component in instrument.structure().get("components", []):
        for section in component.get("sections", []) if isinstance(component, dict) else []:
            if isinstance(section, dict) and section.get("code"):
                names.setdefault(section["code"], section.get("name", section["code"]))
    return names
