"""Read-side queries for evidence: completeness figures and the lists behind the pages.

Every function runs a fixed number of queries, whatever the number of questions or items.
"""

from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Count, Prefetch, Q

from assessments.models import Question

from .models import EvidenceComment, EvidenceEvent, EvidenceItem, EvidenceVersion, Status


class QuestionCount(NamedTuple):
    items: int  # evidence items (not deleted)
    accepted: int  # of which accepted by the TPI


class Counts(NamedTuple):
    with_evidence: int  # scored questions with at least one item
    accepted: int  # scored questions with at least one accepted item
    scored: int  # scored questions


@dataclass(frozen=True)
class Completeness:
    per_question: dict = field(default_factory=dict)  # question_id -> QuestionCount
    per_area: dict = field(default_factory=dict)  # area code (section code for Hasil) -> Counts
    totals: Counts = Counts(0, 0, 0)

    def share(self, counts: Counts | None = None) -> int:
        """Percent of scored questions with evidence (for progress bars)."""
        counts = counts or self.totals
        return round(100 * counts.with_evidence / counts.scored) if counts.scored else 0


def unscored_types(instrument) -> frozenset:
    """Answer types that are not scored themselves (Jumlah rows that feed a % question)."""
    types = instrument.structure().get("answer_types")
    if not types:
        return frozenset({"JUMLAH", "Jumlah"})
    return frozenset(code for code, spec in types.items() if spec.get("scored") is False)


def area_key(area_code: str, section_code: str) -> str:
    # Hasil questions belong to no change area: they are grouped under their section.
    return area_code or section_code


def completeness(assessment) -> Completeness:
    """How many scored questions have evidence and accepted evidence, per question, area and in
    total (deleted items do not count). Three queries at most."""
    unscored = unscored_types(assessment.instrument)
    questions = Question.objects.filter(instrument_id=assessment.instrument_id).order_by("order").values_list(
        "id", "area_code", "section_code", "answer_type"
    )
    counts = {
        row["question_id"]: QuestionCount(row["items"], row["accepted"])
        for row in EvidenceItem.objects.filter(assessment_id=assessment.pk, deleted_at__isnull=True)
        .order_by()
        .values("question_id")
        .annotate(items=Count("id"), accepted=Count("id", filter=Q(status=Status.ACCEPTED)))
    }
    per_question, areas = {}, {}
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
    totals = Counts(*(sum(c[i] for c in per_area.values()) for i in range(3)))
    return Completeness(per_question, per_area, totals)


def completeness_totals(assessments) -> dict:
    """{assessment_id: Counts} for a dashboard of many assessments, in three queries."""
    assessments = list(assessments)
    by_instrument = {}
    for a in assessments:
        by_instrument.setdefault(a.instrument_id, a)
    from assessments.models import Instrument

    unscored = {i.pk: unscored_types(i) for i in Instrument.objects.filter(pk__in=by_instrument).defer("spec")}
    scored_ids, scored_count = set(), {}
    for question_id, instrument_id, answer_type in Question.objects.filter(
        instrument_id__in=by_instrument
    ).values_list("id", "instrument_id", "answer_type"):
        if answer_type not in unscored.get(instrument_id, ()):
            scored_ids.add(question_id)
            scored_count[instrument_id] = scored_count.get(instrument_id, 0) + 1
    per = {}
    rows = (
        EvidenceItem.objects.filter(assessment__in=[a.pk for a in assessments], deleted_at__isnull=True)
        .order_by()
        .values("assessment_id", "question_id")
        .annotate(accepted=Count("id", filter=Q(status=Status.ACCEPTED)))
    )
    for row in rows:
        if row["question_id"] in scored_ids:
            seen = per.setdefault(row["assessment_id"], [0, 0])
            seen[0] += 1
            seen[1] += row["accepted"] > 0
    return {
        a.pk: Counts(*per.get(a.pk, (0, 0)), scored_count.get(a.instrument_id, 0)) for a in assessments
    }


# --- lists ---------------------------------------------------------------------------------

def items_for(assessment, *, include_deleted=False, question=None, status=None):
    """The items of an assessment with everything their panel shows, in five queries."""
    qs = (
        EvidenceItem.objects.filter(assessment_id=assessment.pk)
        .select_related("current_version", "current_version__uploaded_by", "created_by", "reviewed_by", "deleted_by")
        .prefetch_related(
            Prefetch("versions", queryset=EvidenceVersion.objects.select_related("uploaded_by").order_by("-number")),
            Prefetch("comments", queryset=EvidenceComment.objects.select_related("author").order_by("created_at", "pk")),
            Prefetch("events", queryset=EvidenceEvent.objects.select_related("by", "version").order_by("-at", "-pk")),
        )
        .order_by("question_id", "created_at", "pk")
    )
    if not include_deleted:
        qs = qs.filter(deleted_at__isnull=True)
    if question is not None:
        qs = qs.filter(question=question)
    if status:
        qs = qs.filter(deleted_at__isnull=False) if status == "deleted" else qs.filter(status=status, deleted_at__isnull=True)
    items = list(qs)
    for item in items:
        item.assessment = assessment  # share the loaded assessment: zi_scope() costs no query
    return items


def item_visible_to(user, item) -> bool:
    """May the user see (and download) this item? Deleted items only for the Inspektorat."""
    if item.is_deleted:
        return user.has_perm("evidence.view_deleted_evidence", item)
    return user.has_perm("evidence.view_evidence", item)


def question_guidance(instrument) -> dict:
    """{question code: [expected evidence, ...]} from the instrument data (the checklist units tick off)."""
    result = {}
    for indicator in instrument.structure().get("indicators", []):
        for question in indicator.get("questions", []):
            if question.get("evidence"):
                result[question["code"]] = list(question["evidence"])
    return result


def area_names(instrument) -> dict:
    names = {a["code"]: a["name"] for a in instrument.structure().get("areas", [])}
    for component in instrument.structure().get("components", []):
        for section in component.get("sections", []) if isinstance(component, dict) else []:
            if isinstance(section, dict) and section.get("code"):
                names.setdefault(section["code"], section.get("name", section["code"]))
    return names
