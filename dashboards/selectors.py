"""Read side of the three dashboards (Inspektorat, unit workspace, leadership).

Every function here runs a fixed number of queries whatever the number of units: per-unit figures
come from annotations and grouped queries over the stored Score rows, never from a loop of queries.
"""

import functools
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import get_language

from accounts.models import Membership
from accounts.roles import role_map
from assessments.models import (
    FINISHED,
    NOT_PROCLAIMED,
    NOT_PROCLAIMED_LABEL,
    OPEN_FOR_UNIT,
    Answer,
    Assessment,
    CalendarPhase,
    Designation,
    PemdaYear,
    Score,
    Stage,
    Track,
)
from assessments.selectors import upcoming_deadlines
from evidence.models import EvidenceComment, EvidenceEvent, EvidenceItem, Status
from evidence.selectors import area_names, completeness, completeness_totals
from units.models import Pemda, WorkUnit

OVERVIEW_TTL = 10 * 60  # the key changes with the data; the TTL only bounds memory

STAGE_ORDER = [s.value for s in Stage]
STAGE_LABELS = dict(Stage.choices)
SORTS = {
    "nama": ["name"], "-nama": ["-name"],
    "kode": ["code"], "-kode": ["-code"],
    "tahap": ["stage_order", "name"], "-tahap": ["-stage_order", "name"],
    "mandiri": [F("self_score").asc(nulls_last=True), "name"],
    "-mandiri": [F("self_score").desc(nulls_last=True), "name"],
    "tpi": [F("tpi_score").asc(nulls_last=True), "name"],
    "-tpi": [F("tpi_score").desc(nulls_last=True), "name"],
}
DISTRIBUTION_BUCKETS = [(0, 50), (50, 60), (60, 70), (70, 75), (75, 80), (80, 85), (85, 90), (90, 95), (95, 101)]


# --- scope -----------------------------------------------------------------------------------

def pemdas_for(user, roles) -> list:
    """The Pemdas where the user holds one of ``roles`` (superusers: every Pemda)."""
    if user.is_superuser:
        return list(Pemda.objects.filter(active=True))
    return list(Pemda.objects.filter(pk__in=role_map(user).pemdas_with(roles)))


def years_of(pemda) -> list[int]:
    """ZI years known for the Pemda (assessments or its yearly calendar), newest first."""
    years = set(Assessment.objects.filter(unit__pemda=pemda).values_list("year", flat=True).distinct())
    years |= set(PemdaYear.objects.filter(pemda=pemda).values_list("year", flat=True))
    return sorted(years, reverse=True)


def default_year(years, today=None) -> int:
    today = today or timezone.localdate()
    if today.year in years or not years:
        return today.year
    return max(y for y in years if y <= today.year) if any(y <= today.year for y in years) else min(years)


# --- cache fingerprint ------------------------------------------------------------------------

@functools.cache
def _version_sql() -> str:
    qn = connection.ops.quote_name
    return "SELECT " + ", ".join(
        f"(SELECT MAX({qn(column)}) FROM {qn(model._meta.db_table)})" for model, column in _version_sources()
    )


def _version_sources():
    # Every write that can change a monitoring page leaves a new row in one of these tables:
    # scores (compute_scores records every new or changed score in their history), and answers,
    # assessments (stage, target), evidence items (upload, review), units, Pemda, Pemda years,
    # calendar phases and memberships are saved with django-simple-history; evidence events log
    # replacements and deletions. Their largest primary keys are read from the index, so the
    # fingerprint is one cheap query whatever the size of the Pemda.
    return [
        (Score.history.model, "history_id"), (Answer.history.model, "history_id"),
        (Assessment.history.model, "history_id"), (EvidenceItem.history.model, "history_id"),
        (EvidenceEvent, "id"), (WorkUnit.history.model, "history_id"),
        (PemdaYear.history.model, "history_id"), (CalendarPhase.history.model, "history_id"),
        (Pemda.history.model, "history_id"), (Membership.history.model, "history_id"),
    ]


def data_version() -> str:
    """A fingerprint of the data behind the dashboards, for cache keys: it changes whenever an
    answer, score, stage, evidence item or unit changes (one query)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Asked on every dashboard request: prepared once per connection, PostgreSQL plans its
            # subqueries once instead of each time (Django never prepares: its cursors bind on the
            # client side). A new connection, after a restart say, prepares it again. (Behind a
            # transaction-pooling pgbouncer this would need its prepared-statement support.)
            raw = connection.connection
            if not getattr(raw, "zi_data_version_prepared", False):
                cursor.execute("PREPARE zi_data_version AS " + _version_sql())
                raw.zi_data_version_prepared = True
            cursor.execute("EXECUTE zi_data_version")
        else:
            cursor.execute(_version_sql())
        row = cursor.fetchone()
    return "-".join(str(v or 0) for v in row)


def overview(pemda, year, version) -> dict:
    """Stage counts, chart data and the evaluator's attention list for one Pemda and year: the
    heavy aggregates over every unit's scores and answers, computed once per data version."""
    return cache.get_or_set(f"dash:overview:{pemda.pk}:{year}:{get_language()}:{version}", lambda: {
        "stage_counts": [(value, str(label), n) for value, label, n in stage_counts(pemda, year)],
        "charts": score_charts(pemda, year),
        "attention": attention(pemda, year),
    }, OVERVIEW_TTL)


def remember_roles(user, version):
    """Loads the user's role map (accounts.roles) from the cache when no membership changed since
    it was stored: granting or removing a role is saved with history, which moves the version."""
    user._zi_role_map = cache.get_or_set(f"dash:roles:{user.pk}:{version}", lambda: role_map(user), OVERVIEW_TTL)


def cached_pemdas_for(user, roles, version) -> list:
    """pemdas_for() with the Pemda rows cached under the data version (the roles come from the
    role map, itself cached by remember_roles())."""
    ids = "all" if user.is_superuser else sorted(role_map(user).pemdas_with(roles))
    if not ids:
        return []
    return cache.get_or_set(f"dash:pemdas:{ids}:{version}", lambda: pemdas_for(user, roles), OVERVIEW_TTL)


def next_deadline(pemda, year, version, today=None):
    """The next phase end of the Pemda's calendar for ``year`` (None when the year is over). The
    year's phases are cached under the data version; the day is applied here."""
    today = today or timezone.localdate()
    phases = cache.get_or_set(
        f"dash:calendar:{pemda.pk}:{year}:{version}",
        lambda: list(CalendarPhase.objects.filter(pemda_year__pemda=pemda, pemda_year__year=year).order_by("ends_on")),
        OVERVIEW_TTL,
    )
    return next((p for p in phases if p.ends_on >= today), None)


def cached_years_of(pemda, version) -> list[int]:
    return cache.get_or_set(f"dash:years:{pemda.pk}:{version}", lambda: years_of(pemda), OVERVIEW_TTL)


# --- Inspektorat dashboard -------------------------------------------------------------------

def _score(track, year):
    return Score.objects.filter(assessment__unit=OuterRef("pk"), assessment__year=year, track=track)


def monitoring_units(pemda, *, year, search="", unit_type="", stage="", basis="tpi", score_min=None,
                     score_max=None, sort="nama"):
    """Every active unit of the Pemda with its assessment of ``year`` (if any) and stored scores,
    filtered and sorted in the database (one query, a page of it with the paginator's count)."""
    of_year = Assessment.objects.filter(unit=OuterRef("pk"), year=year)
    stage_order = Case(*[When(a_stage=s, then=Value(i)) for i, s in enumerate(STAGE_ORDER)],
                       default=Value(-1), output_field=IntegerField())
    qs = (
        WorkUnit.objects.filter(pemda=pemda, active=True)
        .annotate(
            a_id=Subquery(of_year.values("pk")[:1]),
            a_stage=Subquery(of_year.values("stage")[:1]),
            a_target=Subquery(of_year.values("target")[:1]),
            self_score=Subquery(_score(Track.SELF, year).filter(answered__gt=0).values("total")[:1]),
            tpi_score=Subquery(_score(Track.TPI, year).filter(answered__gt=0).values("total")[:1]),
            self_answered=Subquery(_score(Track.SELF, year).values("answered")[:1]),
            tpi_answered=Subquery(_score(Track.TPI, year).values("answered")[:1]),
            scored_questions=Subquery(_score(Track.SELF, year).values("scored_questions")[:1]),
        )
        .annotate(stage_order=stage_order)
    )
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(code__icontains=search) | Q(short_name__icontains=search))
    if unit_type:
        qs = qs.filter(type=unit_type)
    if stage == NOT_PROCLAIMED:
        qs = qs.filter(a_id__isnull=True)
    elif stage:
        qs = qs.filter(a_stage=stage)
    score_field = "self_score" if basis == "self" else "tpi_score"
    if score_min is not None:
        qs = qs.filter(**{f"{score_field}__gte": score_min})
    if score_max is not None:
        qs = qs.filter(**{f"{score_field}__lte": score_max})
    return qs.order_by(*SORTS.get(sort, SORTS["nama"]))


@dataclass
class UnitRow:
    unit: WorkUnit
    evidence: object = None  # evidence.selectors.Counts or None
    pending_review: int = 0
    revision: int = 0
    deadline: object = None  # CalendarPhase

    @property
    def stage_label(self):
        return STAGE_LABELS.get(self.unit.a_stage, "")

    @property
    def evidence_share(self):
        return self.evidence.percent if self.evidence else 0


def decorate(units, *, deadline) -> list[UnitRow]:
    """Adds evidence completeness, open review items and the next deadline (next_deadline()) to a
    page of units (five queries at most, whatever the page size)."""
    units = list(units)
    assessment_ids = [u.a_id for u in units if u.a_id]
    assessments = list(Assessment.objects.filter(pk__in=assessment_ids).only("id", "instrument_id", "unit_id"))
    totals = completeness_totals(assessments) if assessments else {}
    reviews = {
        row["assessment_id"]: row
        for row in EvidenceItem.objects.filter(assessment_id__in=assessment_ids, deleted_at__isnull=True)
        .order_by().values("assessment_id")
        .annotate(pending=Count("id", filter=Q(status=Status.PENDING)),
                  revision=Count("id", filter=Q(status__in=[Status.REVISION, Status.REJECTED])))
    } if assessment_ids else {}
    rows = []
    for u in units:
        r = reviews.get(u.a_id, {})
        working = u.a_id and u.a_stage not in FINISHED
        rows.append(UnitRow(unit=u, evidence=totals.get(u.a_id), pending_review=r.get("pending", 0),
                            revision=r.get("revision", 0), deadline=deadline if working else None))
    return rows


def stage_counts(pemda, year) -> list[tuple[str, str, int]]:
    """[(stage value, label, count)] in lifecycle order, with the units that have not proclaimed."""
    counts = dict(
        Assessment.objects.filter(unit__pemda=pemda, unit__active=True, year=year)
        .order_by().values_list("stage").annotate(n=Count("id"))
    )
    units = WorkUnit.objects.filter(pemda=pemda, active=True).count()
    rows = [(NOT_PROCLAIMED, NOT_PROCLAIMED_LABEL, units - sum(counts.values()))]
    rows += [(s.value, s.label, counts.get(s.value, 0)) for s in Stage]
    return rows


def score_charts(pemda, year) -> dict:
    """Data for the two charts: how many units per score band (self and TPI), and the mean share
    of each change area's weight reached (self and TPI). Two queries."""
    base = Score.objects.filter(assessment__unit__pemda=pemda, assessment__unit__active=True,
                                assessment__year=year, track__in=[Track.SELF, Track.TPI], answered__gt=0)
    labels = [f"{lo}–{min(hi, 100)}" if lo else f"< {hi}" for lo, hi in DISTRIBUTION_BUCKETS]
    distribution = {Track.SELF.value: [0] * len(labels), Track.TPI.value: [0] * len(labels)}
    for track, total in base.values_list("track", "total"):
        for i, (lo, hi) in enumerate(DISTRIBUTION_BUCKETS):
            if lo <= total < hi:
                distribution[track][i] += 1
                break
    sums = defaultdict(lambda: defaultdict(lambda: [Decimal(0), 0]))
    names = {}
    for track, areas in base.values_list("track", "tree__areas"):
        for area in areas or []:
            if area.get("share") is None or not area.get("answered_count"):
                continue
            names.setdefault(area["code"], area.get("name", area["code"]))
            cell = sums[track][area["code"]]
            cell[0] += Decimal(str(area["share"]))
            cell[1] += 1
    codes = list(names)

    def mean(track, code):
        total, n = sums[track].get(code, (0, 0))
        return round(float(100 * total / n), 1) if n else None

    return {
        "distribution": {"labels": labels, "self": distribution["self"], "tpi": distribution["tpi"]},
        "areas": {"labels": [names[c] for c in codes], "codes": codes,
                  "self": [mean("self", c) for c in codes], "tpi": [mean("tpi", c) for c in codes]},
    }


def attention(pemda, year, limit=5) -> dict:
    """What needs the evaluator: evidence awaiting review (new or replaced) and self-assessment
    answers changed after the TPI answered the same question. Three queries."""
    pending = EvidenceItem.objects.filter(assessment__unit__pemda=pemda, assessment__year=year,
                                          deleted_at__isnull=True, status=Status.PENDING)
    newest = list(pending.select_related("assessment__unit", "question").order_by("-updated_at", "-pk")[:limit])
    tpi_before = Answer.objects.filter(assessment_id=OuterRef("assessment_id"), question_id=OuterRef("question_id"),
                                       track=Track.TPI, updated_at__lt=OuterRef("updated_at"))
    changed = list(
        Answer.objects.filter(assessment__unit__pemda=pemda, assessment__year=year, track=Track.SELF,
                              assessment__stage__in=[*OPEN_FOR_UNIT, Stage.NOMINATED])
        .filter(Exists(tpi_before))
        .order_by().values("assessment_id", "assessment__unit__name")
        .annotate(n=Count("id"), last=Max("updated_at"))
        .order_by("-last")[:limit]
    )
    return {"evidence": newest, "evidence_total": pending.count(), "changed": changed}


# --- unit workspace --------------------------------------------------------------------------

@dataclass
class AreaProgress:
    code: str
    name: str
    answered: int
    scored: int
    score: Decimal | None
    weight: Decimal | None
    evidence: object = None  # Counts

    @property
    def percent(self):
        return round(100 * self.answered / self.scored) if self.scored else 0

    @property
    def evidence_percent(self):
        return self.evidence.percent if self.evidence else 0


@dataclass
class Workspace:
    unit: WorkUnit
    assessment: Assessment | None
    scores: dict = field(default_factory=dict)  # track -> Score
    areas: list = field(default_factory=list)
    evidence: object = None  # evidence.selectors.Completeness
    to_answer: list = field(default_factory=list)  # EvidenceItem needing the unit's reply
    deadlines: list = field(default_factory=list)


def workspace(unit, today=None) -> Workspace:
    """The unit's current (latest) assessment with progress per change area from the stored self
    score, evidence completeness per area, review comments to answer and upcoming deadlines."""
    today = today or timezone.localdate()
    assessment = (Assessment.objects.filter(unit=unit).select_related("instrument").order_by("-year").first())
    ws = Workspace(unit=unit, assessment=assessment, deadlines=list(upcoming_deadlines(unit.pemda, today, limit=4)))
    if assessment is None:
        return ws
    assessment.unit = unit
    ws.scores = {s.track: s for s in Score.objects.filter(assessment=assessment).defer("tree", "outcome")}
    ws.evidence = completeness(assessment)
    names = area_names(assessment.instrument)
    tree_areas = (Score.objects.filter(assessment=assessment, track=Track.SELF)
                  .values_list("tree__areas", flat=True).first()) or []
    by_code = {a["code"]: a for a in tree_areas}
    keys = list(dict.fromkeys([*by_code, *ws.evidence.per_area]))
    for code in keys:
        area = by_code.get(code, {})
        ws.areas.append(AreaProgress(
            code=code, name=area.get("name") or names.get(code, code),
            answered=area.get("answered_count", 0), scored=area.get("scored_count", 0),
            score=_dec(area.get("score")), weight=_dec(area.get("weight")),
            evidence=ws.evidence.per_area.get(code),
        ))
    ws.to_answer = items_to_answer(assessment)
    return ws


def items_to_answer(assessment) -> list:
    """Evidence the TPI sent back (revision/rejected) or asked about after the unit's last word."""
    last_side = EvidenceComment.objects.filter(item=OuterRef("pk")).order_by("-created_at", "-pk").values("side")[:1]
    items = (
        EvidenceItem.objects.filter(assessment=assessment, deleted_at__isnull=True)
        .annotate(last_side=Subquery(last_side))
        .filter(Q(status__in=[Status.REVISION, Status.REJECTED]) | Q(last_side=EvidenceComment.Side.TPI))
        .select_related("question")
        .order_by("question__order", "pk")
    )
    return list(items)


def _dec(value):
    return Decimal(str(value)) if value not in (None, "") else None


# --- leadership ------------------------------------------------------------------------------

@dataclass
class Readiness:
    assessment: Assessment
    score: Score
    target: str
    missed: list  # gate dicts from Score.outcome that the target misses
    complete: bool

    @property
    def ready(self):
        return self.complete and not self.missed


def readiness(pemda, year) -> dict:
    """Units ranked by stored TPI score with the thresholds of their target they still miss
    (Score.outcome, the same gates the nomination guard checks) and the Pemda prerequisites."""
    scores = list(
        Score.objects.filter(assessment__unit__pemda=pemda, assessment__unit__active=True, assessment__year=year,
                             track=Track.TPI, answered__gt=0)
        .select_related("assessment__unit")
        .defer("tree")
        .order_by("-total", "assessment__unit__name")
    )
    rows = []
    for s in scores:
        target = s.assessment.target or Designation.WBK
        gates = next((d["gates"] for d in (s.outcome or {}).get("designations", [])
                      if d.get("designation") == target), [])
        rows.append(Readiness(assessment=s.assessment, score=s, target=target,
                              missed=[g for g in gates if not g.get("met")],
                              complete=s.answered >= s.scored_questions))
    # One subquery for "has an answered TPI score": exclude() across the scores relation would
    # also drop an assessment whose TPI row is empty but whose self row has answers.
    evaluated = Score.objects.filter(track=Track.TPI, answered__gt=0).values("assessment_id")
    not_evaluated = (Assessment.objects.filter(unit__pemda=pemda, unit__active=True, year=year)
                     .exclude(pk__in=evaluated).count())
    return {"rows": rows, "not_evaluated": not_evaluated,
            "pemda_year": PemdaYear.objects.filter(pemda=pemda, year=year).first()}


def designations_by_year(pemda) -> list[dict]:
    """Per year: how many units were designated WBK, WBBM, not designated, revoked, and in progress."""
    counts = defaultdict(dict)
    for year, stage, n in (Assessment.objects.filter(unit__pemda=pemda).order_by()
                           .values_list("year", "stage").annotate(n=Count("id"))):
        counts[year][stage] = n
    return [
        {"year": year, "wbk": c.get(Stage.DESIGNATED_WBK, 0), "wbbm": c.get(Stage.DESIGNATED_WBBM, 0),
         "not_designated": c.get(Stage.NOT_DESIGNATED, 0), "revoked": c.get(Stage.REVOKED, 0),
         "nominated": c.get(Stage.NOMINATED, 0) + c.get(Stage.TPN_REVIEW, 0), "total": sum(c.values())}
        for year, c in sorted(counts.items(), reverse=True)
    ]


def year_comparison(pemda) -> list[dict]:
    """Per year: mean self and TPI score of the units scored in that track."""
    rows = defaultdict(dict)
    for year, track, n, total in (
        Score.objects.filter(assessment__unit__pemda=pemda, answered__gt=0, track__in=[Track.SELF, Track.TPI])
        .order_by().values_list("assessment__year", "track").annotate(n=Count("id"), s=Sum("total"))
    ):
        rows[year][track] = (n, total / n if n else None)
    return [{"year": y, "self": r.get("self", (0, None)), "tpi": r.get("tpi", (0, None))}
            for y, r in sorted(rows.items(), reverse=True)]


def comparable_units(pemda):
    """Units that have at least one assessment (candidates for the comparison)."""
    return WorkUnit.objects.filter(pemda=pemda, assessments__isnull=False).distinct().order_by("name")


def unit_comparison(pemda, unit_ids) -> dict:
    """{"years": [...], "rows": [(unit, {year: (stage, self, tpi)})]} for the chosen units. Two queries."""
    units = list(WorkUnit.objects.filter(pemda=pemda, pk__in=unit_ids).order_by("name"))
    cells = defaultdict(dict)
    years = set()
    for unit_id, year, stage, track, total, answered in (
        Assessment.objects.filter(unit__in=units).order_by()
        .values_list("unit_id", "year", "stage", "scores__track", "scores__total", "scores__answered")
    ):
        years.add(year)
        cell = cells[unit_id].setdefault(year, {"stage": stage, "stage_label": STAGE_LABELS.get(stage, stage),
                                                 "self": None, "tpi": None})
        if track in ("self", "tpi") and answered:
            cell[track] = total
    years = sorted(years)
    return {"years": years, "rows": [(u, [cells[u.pk].get(y) for y in years]) for u in units]}


def default_comparison(readiness_rows, limit=5) -> list[int]:
    return [r.assessment.unit_id for r in readiness_rows[:limit]]
