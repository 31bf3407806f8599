"""Read side of the surveys: visible periods, a period's results, the LKE source line."""

from __future__ import annotations

from django.db.models import Count, Q

from accounts.roles import role_map
from accounts.rules import PEMDA_READERS, UNIT_MEMBERS

from . import scoring
from .models import Landing, Response, SurveyPeriod


def visible_periods(user):
    """Periods of every unit of a Pemda the person reads, and of their own units."""
    if user.is_superuser:
        return SurveyPeriod.objects.all()
    roles = role_map(user)
    return SurveyPeriod.objects.filter(
        Q(unit__pemda_id__in=roles.pemdas_with(PEMDA_READERS))
        | Q(unit_id__in=roles.units_with(UNIT_MEMBERS))
    )


def periods_for_list(user):
    """The list page: one query whatever the number of periods (counts annotated)."""
    return (
        visible_periods(user)
        .select_related("unit", "unit__pemda")
        .annotate(
            counted=Count("responses", filter=Q(responses__voided_at__isnull=True)),
            voided=Count("responses", filter=Q(responses__voided_at__isnull=False)),
        )
        .order_by("-year", "unit__name", "-starts_on", "-pk")
    )


def counted_responses(period: SurveyPeriod):
    return Response.objects.filter(period=period, voided_at__isnull=True)


def period_results(period: SurveyPeriod) -> dict:
    """Everything the results page, the PDF, the API and the landing show: indices with per-item
    means, n against the target, the respondent profile, per service type. Two queries."""
    spec = period.questionnaire.spec
    rows = list(
        counted_responses(period).values(
            "answers", "service_type", "age_band", "gender", "education", "occupation"
        )
    )
    answers = [r["answers"] for r in rows]
    indices = scoring.index_results(spec, answers)
    voided = Response.objects.filter(period=period, voided_at__isnull=False).count()
    n = len(rows)
    return {
        "spec": spec,
        "n": n,
        "voided": voided,
        "target": period.sample_target,
        "progress": min(100, round(100 * n / period.sample_target)) if period.sample_target else 0,
        "indices": indices,
        "items": scoring.items(spec),
        "profile": scoring.profile_counts(spec, rows, period.service_types),
        "by_service": scoring.by_service_type(
            spec, [(r["service_type"], r["answers"]) for r in rows], period.service_types
        ),
    }


def latest_landing(assessment, index: str) -> Landing | None:
    """The survey that last wrote this LKE answer (the worksheet's source line)."""
    return (
        Landing.objects.filter(assessment=assessment, index=index)
        .select_related("period")
        .order_by("-at", "-pk")
        .first()
    )
