"""Reads of rekomendasi, rencana aksi and monev: lists with a fixed number of queries, the
Inspektorat's figures across units, and the evidence date checks."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext as _

from evidence.models import EvidenceItem

from .models import FINAL_VERDICTS, ActionItem, MonevEntry, Recommendation


def plan_items(*, unit, year: int):
    """The unit's action plan of a year, with everything the list and the documents show."""
    return (
        ActionItem.objects.filter(unit=unit, year=year)
        .select_related(
            "responsible",
            "question",
            "recommendation",
            "revision_request__question",
            "carried_from",
        )
        .prefetch_related(
            Prefetch(
                "monev", queryset=MonevEntry.objects.select_related("reported_by", "commented_by")
            ),
            Prefetch(
                "evidence", queryset=EvidenceItem.objects.only("pk", "title", "assessment_id")
            ),
        )
        .order_by("due_on", "pk")
    )


def recommendations_of(assessment):
    return (
        Recommendation.objects.filter(assessment=assessment)
        .select_related("question", "created_by", "verdict_by", "carried_from")
        .prefetch_related("follow_ups__by", "follow_ups__evidence", "action_items")
        .order_by("due_on", "pk")
    )


def due_soon(*, unit_ids, today: datetime.date, days: int = 30):
    """Unfinished items of these units due within ``days`` (overdue ones included: they are due)."""
    return (
        ActionItem.objects.filter(
            unit_id__in=unit_ids,
            completed_on__isnull=True,
            due_on__lte=today + datetime.timedelta(days=days),
        )
        .select_related("unit", "responsible")
        .order_by("due_on", "pk")
    )


@dataclass
class UnitActions:
    unit_id: int
    name: str
    open: int
    overdue: int
    done: int
    recommendations: int
    followed_up: int

    @property
    def behind(self) -> bool:
        return self.overdue > 0


def pemda_figures(*, pemda, year: int, today: datetime.date) -> dict:
    """Across the Pemda's units for a year: open and overdue items, recommendations finished out of
    all (follow-up rate), and the units falling behind (most overdue first). Two queries, whatever
    the number of units or items."""
    per_unit = (
        ActionItem.objects.filter(unit__pemda=pemda, year=year)
        .order_by()
        .values("unit_id", "unit__name")
        .annotate(
            open=Count("pk", filter=Q(completed_on__isnull=True)),
            overdue=Count("pk", filter=Q(completed_on__isnull=True, due_on__lt=today)),
            done=Count("pk", filter=Q(completed_on__isnull=False)),
        )
    )
    recs = (
        Recommendation.objects.filter(assessment__unit__pemda=pemda, assessment__year=year)
        .order_by()
        .values("assessment__unit_id", "assessment__unit__name")
        .annotate(
            total=Count("pk"),
            finished=Count("pk", filter=Q(verdict__in=FINAL_VERDICTS)),
        )
    )
    units: dict[int, UnitActions] = {}
    for row in per_unit:
        units[row["unit_id"]] = UnitActions(
            row["unit_id"], row["unit__name"], row["open"], row["overdue"], row["done"], 0, 0
        )
    for row in recs:
        u = units.setdefault(
            row["assessment__unit_id"],
            UnitActions(row["assessment__unit_id"], row["assessment__unit__name"], 0, 0, 0, 0, 0),
        )
        u.recommendations, u.followed_up = row["total"], row["finished"]
    rows = sorted(units.values(), key=lambda u: (-u.overdue, -u.open, u.name))
    total_recs = sum(u.recommendations for u in rows)
    finished = sum(u.followed_up for u in rows)
    return {
        "units": rows,
        "behind": [u for u in rows if u.behind],
        "open": sum(u.open for u in rows),
        "overdue": sum(u.overdue for u in rows),
        "done": sum(u.done for u in rows),
        "recommendations": total_recs,
        "followed_up": finished,
        "follow_up_rate": round(100 * finished / total_recs) if total_recs else None,
    }


def open_recommendation_counts(assessment_ids) -> dict[int, int]:
    """{assessment id: recommendations not yet finished} in one query (Kesiapan)."""
    return dict(
        Recommendation.objects.filter(assessment_id__in=list(assessment_ids))
        .exclude(verdict__in=FINAL_VERDICTS)
        .order_by()
        .values_list("assessment_id")
        .annotate(n=Count("pk"))
    )


# --- evidence dates ----------------------------------------------------------------------------


def document_year(item) -> int | None:
    if item.document_date is not None:
        return item.document_date.year
    return item.document_year


def evidence_year_warning(item, assessment) -> str:
    """A warning when the evidence's document year is not the assessment's ZI year (ZI.md: evidence
    must belong to the year evaluated); empty when it is, or when no date was given."""
    year = document_year(item)
    if year is None or year == assessment.year:
        return ""
    return _(
        "Dokumen bertahun %(doc)d, bukan tahun penilaian %(year)d: pastikan data dukung ini "
        "berlaku untuk tahun yang dinilai."
    ) % {"doc": year, "year": assessment.year}


def expired_evidence(*, assessment, today: datetime.date):
    """Evidence of the assessment whose validity ended before ``today``."""
    return (
        EvidenceItem.objects.filter(
            assessment=assessment, deleted_at__isnull=True, valid_until__lt=today
        )
        .select_related("question")
        .order_by("valid_until", "pk")
    )
