"""Read side of the three dashboards (Inspektorat, unit workspace, leadership).

Every function here runs a fixed number of queries whatever the number of units: per-unit figures
come from each assessment's stored summary (AssessmentSummary, kept by the score recompute) in
annotations and grouped queries, never from a loop of queries nor an aggregate over answers. Nothing
here is cached: a cache that every save invalidates misses in exactly the week it matters, and a
page read from the summaries costs about 40 ms of CPU whatever the answers (bench/README.md, "CPU
per request").
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict

from django.core.paginator import Paginator
from django.db.models import (
    Avg,
    Case,
    Count,
    F,
    FloatField,
    IntegerField,
    JSONField,
    OrderBy,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import role_map
from assessments.models import (
    FINISHED,
    NOT_PROCLAIMED,
    NOT_PROCLAIMED_LABEL,
    OPEN_FOR_UNIT,
    Assessment,
    AssessmentSummary,
    CalendarPhase,
    Designation,
    Instrument,
    PemdaYear,
    Score,
    Stage,
    Track,
)
from assessments.selectors import per_id_url, upcoming_deadlines
from evidence.models import EvidenceComment, EvidenceItem, Status
from evidence.selectors import Counts, area_names, completeness, completeness_totals
from units.models import Pemda, WorkUnit
from zi_portal import formats
from zi_portal.exports import DATE, DECIMAL, INT, Column
from zi_portal.formats import score_text

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise, WithAnnotations

STAGE_ORDER = [s.value for s in Stage]
STAGE_LABELS = dict(Stage.choices)
SORTS: dict[str, list[str | OrderBy]] = {
    "nama": ["name"],
    "-nama": ["-name"],
    "kode": ["code"],
    "-kode": ["-code"],
    "tahap": ["stage_order", "name"],
    "-tahap": ["-stage_order", "name"],
    "mandiri": [F("self_score").asc(nulls_last=True), "name"],
    "-mandiri": [F("self_score").desc(nulls_last=True), "name"],
    "tpi": [F("tpi_score").asc(nulls_last=True), "name"],
    "-tpi": [F("tpi_score").desc(nulls_last=True), "name"],
}
DISTRIBUTION_BUCKETS = [
    (0, 50),
    (50, 60),
    (60, 70),
    (70, 75),
    (75, 80),
    (80, 85),
    (85, 90),
    (90, 95),
    (95, 101),
]


# --- scope -----------------------------------------------------------------------------------


def pemdas_for(user, roles) -> list:
    """The Pemdas where the user holds one of ``roles`` (superusers: every Pemda)."""
    if user.is_superuser:
        return list(Pemda.objects.filter(active=True))
    return list(Pemda.objects.filter(pk__in=role_map(user).pemdas_with(roles)))


def years_of(pemda) -> list[int]:
    """ZI years known for the Pemda (assessments or its yearly calendar), newest first."""
    years = set(
        Assessment.objects.filter(unit__pemda=pemda).values_list("year", flat=True).distinct()
    )
    years |= set(PemdaYear.objects.filter(pemda=pemda).values_list("year", flat=True))
    return sorted(years, reverse=True)


def default_year(years, today=None) -> int:
    today = today or timezone.localdate()
    if today.year in years or not years:
        return today.year
    return (
        max(y for y in years if y <= today.year)
        if any(y <= today.year for y in years)
        else min(years)
    )


def overview(pemda, year) -> dict:
    """Stage counts, chart data and the evaluator's attention list for one Pemda and year, from the
    assessments' stored summaries (AssessmentSummary): no aggregate over answers or score trees."""
    return {
        "stage_counts": stage_counts(pemda, year),
        "charts": score_charts(pemda, year),
        "attention": attention(pemda, year),
    }


def next_deadline(pemda, year, today=None):
    """The next phase end of the Pemda's calendar for ``year`` (None when the year is over)."""
    today = today or timezone.localdate()
    return (
        CalendarPhase.objects.filter(
            pemda_year__pemda=pemda, pemda_year__year=year, ends_on__gte=today
        )
        .order_by("ends_on")
        .first()
    )


# --- Inspektorat dashboard -------------------------------------------------------------------


def monitoring_units(
    pemda,
    *,
    year,
    search="",
    unit_type="",
    stage="",
    basis="tpi",
    score_min=None,
    score_max=None,
    sort="nama",
):
    """Every active unit of the Pemda with its assessment of ``year`` (if any) and its stored summary,
    filtered and sorted in the database (one query, a page of it with the paginator's count)."""
    of_year = Assessment.objects.filter(unit=OuterRef("pk"), year=year)
    stage_order = Case(
        *[When(a_stage=s, then=Value(i)) for i, s in enumerate(STAGE_ORDER)],
        default=Value(-1),
        output_field=IntegerField(),
    )

    def of_assessment(field: str) -> Subquery:
        return Subquery(of_year.values(field)[:1])

    qs = (
        WorkUnit.objects.filter(pemda=pemda, active=True)
        .annotate(
            a_id=of_assessment("pk"),
            a_stage=of_assessment("stage"),
            a_target=of_assessment("target"),
            self_score=of_assessment("summary__self_total"),
            tpi_score=of_assessment("summary__tpi_total"),
            self_answered=of_assessment("summary__self_answered"),
            tpi_answered=of_assessment("summary__tpi_answered"),
            scored_questions=of_assessment("summary__scored_questions"),
        )
        .annotate(stage_order=stage_order)
    )
    if search:
        qs = qs.filter(
            Q(name__icontains=search) | Q(code__icontains=search) | Q(short_name__icontains=search)
        )
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


class UnitAnnotations(TypedDict):
    """What monitoring_units() adds to each unit: its assessment of the year and its summary."""

    a_id: int | None
    a_stage: str | None
    a_target: str | None
    self_score: Decimal | None
    tpi_score: Decimal | None
    self_answered: int | None
    tpi_answered: int | None
    scored_questions: int | None
    stage_order: int


@dataclass
class UnitRow:
    unit: "WithAnnotations[WorkUnit, UnitAnnotations]"  # a unit of monitoring_units()
    evidence: Counts | None = None
    pending_review: int = 0
    revision: int = 0
    deadline: object = None  # CalendarPhase
    urls: dict = field(default_factory=dict)  # detail, evidence: of the unit's assessment

    @property
    def stage_label(self):
        stage = self.unit.a_stage  # None: the unit has not proclaimed this year
        return STAGE_LABELS.get(stage, "") if stage else ""

    @property
    def evidence_share(self):
        return self.evidence.percent if self.evidence else 0


def decorate(units, *, deadline) -> list[UnitRow]:
    """Adds evidence completeness, open review items and the next deadline (next_deadline()) to a
    page of units (five queries at most, whatever the page size)."""
    units = list(units)
    assessment_ids = [u.a_id for u in units if u.a_id]
    assessments = list(
        Assessment.objects.filter(pk__in=assessment_ids).only("id", "instrument_id", "unit_id")
    )
    totals = completeness_totals(assessments) if assessments else {}
    reviews = (
        {
            row["assessment_id"]: row
            for row in EvidenceItem.objects.filter(
                assessment_id__in=assessment_ids, deleted_at__isnull=True
            )
            .order_by()
            .values("assessment_id")
            .annotate(
                pending=Count("id", filter=Q(status=Status.PENDING)),
                revision=Count("id", filter=Q(status__in=[Status.REVISION, Status.REJECTED])),
            )
        }
        if assessment_ids
        else {}
    )
    # Reversed once per page, not twice per row: the 25 rows render in 7.1 ms instead of 8.2 ms.
    url_makers = {
        "detail": per_id_url("assessments:detail"),
        "evidence": per_id_url("evidence:assessment_list"),
    }
    rows = []
    for u in units:
        r = reviews.get(u.a_id, {})
        working = u.a_id and u.a_stage not in FINISHED
        rows.append(
            UnitRow(
                unit=u,
                evidence=totals.get(u.a_id),
                pending_review=r.get("pending", 0),
                revision=r.get("revision", 0),
                deadline=deadline if working else None,
                urls={k: make(u.a_id) for k, make in url_makers.items()} if u.a_id else {},
            )
        )
    return rows


def stage_counts(pemda, year) -> "list[tuple[str, StrOrPromise, int]]":
    """[(stage value, label, count)] in lifecycle order, with the units that have not proclaimed."""
    counts = dict(
        Assessment.objects.filter(unit__pemda=pemda, unit__active=True, year=year)
        .order_by()
        .values_list("stage")
        .annotate(n=Count("id"))
    )
    units = WorkUnit.objects.filter(pemda=pemda, active=True).count()
    rows: list[tuple[str, StrOrPromise, int]] = [
        (NOT_PROCLAIMED, NOT_PROCLAIMED_LABEL, units - sum(counts.values()))
    ]
    rows += [(s.value, s.label, counts.get(s.value, 0)) for s in Stage]
    return rows


def score_charts(pemda, year) -> dict:
    """Data for the two charts: how many units per score band (self and TPI), and the mean share
    of each change area's weight reached (self and TPI). From the summaries, counted and averaged
    by the database in one aggregate (two queries): the same loop in Python over 1,000 summaries
    cost 11.2 ms of the page's ~42 ms of CPU (bench/README.md, "CPU per request")."""
    summaries = AssessmentSummary.objects.filter(
        assessment__unit__pemda=pemda, assessment__unit__active=True, assessment__year=year
    )
    names: dict[str, str] = {}  # the areas in instrument order, named by the instruments in use
    in_use = summaries.values("assessment__instrument_id")
    for instrument in Instrument.objects.filter(pk__in=in_use).defer("spec"):
        for area in sorted(
            instrument.structure().get("areas", []), key=lambda a: a.get("order", 0)
        ):
            names.setdefault(area["code"], area["name"])
    labels = [f"{lo}–{min(hi, 100)}" if lo else f"< {hi}" for lo, hi in DISTRIBUTION_BUCKETS]
    tracks = [Track.SELF.value, Track.TPI.value]
    figures: dict[str, Any] = {}
    for track in tracks:
        total = f"{track}_total"
        for i, (lo, hi) in enumerate(DISTRIBUTION_BUCKETS):
            figures[f"{track}_band_{i}"] = Count(
                "pk", filter=Q(**{f"{total}__gte": lo, f"{total}__lt": hi})
            )
        for code in names:
            # A unit counts for an area once it answered there (the share is in area_shares).
            share = Cast(KT(f"area_shares__{track}__{code}"), FloatField())
            figures[f"{track}_area_{code}"] = Avg(share, filter=Q(**{f"{total}__isnull": False}))
    result = summaries.aggregate(**figures) if figures else {}
    codes = [c for c in names if any(result.get(f"{t}_area_{c}") is not None for t in tracks)]

    def mean(track, code):
        value = result.get(f"{track}_area_{code}")
        return None if value is None else round(100 * value, 1)

    return {
        "distribution": {
            "labels": labels,
            **{
                t: [result.get(f"{t}_band_{i}", 0) for i in range(len(DISTRIBUTION_BUCKETS))]
                for t in tracks
            },
        },
        "areas": {
            "labels": [names[c] for c in codes],
            "codes": codes,
            "self": [mean("self", c) for c in codes],
            "tpi": [mean("tpi", c) for c in codes],
        },
    }


def attention(pemda, year, limit=5) -> dict:
    """What needs the evaluator: evidence awaiting review (new or replaced) and self-assessment
    answers changed after the TPI answered the same question (from the summaries). Three queries."""
    pending = EvidenceItem.objects.filter(
        assessment__unit__pemda=pemda,
        assessment__year=year,
        deleted_at__isnull=True,
        status=Status.PENDING,
    )
    newest = list(
        pending.select_related("assessment__unit", "question").order_by("-updated_at", "-pk")[
            :limit
        ]
    )
    # Counted by the recompute that follows every saved answer (AssessmentSummary).
    changed = list(
        AssessmentSummary.objects.filter(
            assessment__unit__pemda=pemda,
            assessment__year=year,
            assessment__stage__in=[*OPEN_FOR_UNIT, Stage.NOMINATED],
            self_changed_after_tpi__gt=0,
        )
        .order_by("-self_changed_last")
        .values(
            "assessment_id",
            "assessment__unit__name",
            n=F("self_changed_after_tpi"),
            last=F("self_changed_last"),
        )[:limit]
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
    evidence: Counts | None = None
    # A Hasil section (no change area of its own) lists its items: IPAK, capaian kinerja, IPKP.
    items: list = field(default_factory=list)

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
    assessment = (
        Assessment.objects.filter(unit=unit)
        .select_related("instrument")
        .defer("instrument__spec")
        .order_by("-year")
        .first()
    )
    ws = Workspace(
        unit=unit,
        assessment=assessment,
        deadlines=list(upcoming_deadlines(unit.pemda, today, limit=4)),
    )
    if assessment is None:
        return ws
    assessment.unit = unit
    ws.scores = {
        s.track: s for s in Score.objects.filter(assessment=assessment).defer("tree", "outcome")
    }
    ws.evidence = completeness(assessment)
    names = area_names(assessment.instrument)
    tree_areas, tree_sections, tree_indicators = (
        Score.objects.filter(assessment=assessment, track=Track.SELF)
        .values_list("tree__areas", "tree__sections", "tree__indicators")
        .first()
    ) or ([], [], [])
    tree_areas = tree_areas or []  # a score stored without a tree (or an older tree's shape)
    # Hasil questions belong to no change area: their rows are the Hasil sections (as in
    # evidence.selectors.area_key), each with its indicators as items.
    by_code = {s["code"]: s for s in tree_sections or []} | {a["code"]: a for a in tree_areas}
    indicators = {i["code"]: i for i in tree_indicators or []}
    hasil_items: dict[str, list] = {}
    spec = assessment.instrument.structure()
    component_of = {
        s["code"]: c["name"] for c in spec.get("components", []) for s in c.get("sections", [])
    }
    for ind in spec.get("indicators", []):
        if not ind.get("area"):
            hasil_items.setdefault(ind["section"], []).append(ind)
    keys = [c for c in [a["code"] for a in tree_areas] + list(hasil_items) if c in by_code]
    keys = list(dict.fromkeys([*keys, *ws.evidence.per_area]))
    for code in keys:
        area = by_code.get(code, {})
        ws.areas.append(
            AreaProgress(
                code=code,
                name=(
                    f"{component_of[code]} · {area.get('name') or names.get(code, code)}"
                    if code in hasil_items and code in component_of
                    else area.get("name") or names.get(code, code)
                ),
                answered=area.get("answered_count", 0),
                scored=area.get("scored_count", 0),
                score=_dec(area.get("score")),
                weight=_dec(area.get("weight")),
                evidence=ws.evidence.per_area.get(code),
                items=[
                    AreaProgress(
                        code=ind["code"],
                        name=ind["name"],
                        answered=indicators.get(ind["code"], {}).get("answered_count", 0),
                        scored=indicators.get(ind["code"], {}).get("scored_count", 0),
                        score=_dec(indicators.get(ind["code"], {}).get("score")),
                        weight=_dec(indicators.get(ind["code"], {}).get("weight", ind["weight"])),
                    )
                    for ind in hasil_items.get(code, [])
                ],
            )
        )
    ws.to_answer = items_to_answer(assessment)
    return ws


def items_to_answer(assessment) -> list:
    """Evidence the TPI sent back (revision/rejected) or asked about after the unit's last word."""
    last_side = (
        EvidenceComment.objects.filter(item=OuterRef("pk"))
        .order_by("-created_at", "-pk")
        .values("side")[:1]
    )
    items = (
        EvidenceItem.objects.filter(assessment=assessment, deleted_at__isnull=True)
        .annotate(last_side=Subquery(last_side))
        .filter(
            Q(status__in=[Status.REVISION, Status.REJECTED]) | Q(last_side=EvidenceComment.Side.TPI)
        )
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
    score: "_TrackFigures"  # total, answered and scored_questions of the TPI track
    target: str
    missed: list  # gate dicts (scoring.GateResult.to_dict) of the target that the TPI score misses
    complete: bool
    # Set by review.selectors.annotate_readiness: the TPI workflow's part of the nomination guard.
    evidence: Any = None  # review.evidence_rule.EvidenceGaps
    workflow_blockers: list = field(default_factory=list)
    evidence_warnings: list = field(default_factory=list)

    @property
    def ready(self):
        return self.complete and not self.missed and not self.workflow_blockers


@dataclass(frozen=True)
class _TrackFigures:
    total: Decimal
    answered: int
    scored_questions: int


def readiness_summaries(pemda, year):
    """The summaries of the units the TPI has evaluated in ``year``, best TPI score first."""
    return (
        AssessmentSummary.objects.filter(
            assessment__unit__pemda=pemda,
            assessment__unit__active=True,
            assessment__year=year,
            tpi_answered__gt=0,
        )
        .select_related("assessment__unit")
        .defer("area_shares")
        .order_by("-tpi_total", "assessment__unit__name")
    )


def readiness_rows(summaries, pemda) -> list[Readiness]:
    """Readiness rows of the given summaries with the workflow's part of the guard (a fixed
    number of queries whatever the number of summaries)."""
    rows = []
    for s in summaries:
        target = s.assessment.target or Designation.WBK
        rows.append(
            Readiness(
                assessment=s.assessment,
                target=target,
                score=_TrackFigures(s.tpi_total, s.tpi_answered, s.scored_questions),
                missed=s.tpi_missed.get(target, []),
                complete=s.tpi_answered >= s.scored_questions,
            )
        )
    from review.selectors import annotate_readiness

    annotate_readiness(rows, pemda)
    return rows


def readiness(pemda, year, page=None, per_page=25) -> dict:
    """Units ranked by stored TPI score with the thresholds of their target they still miss (the
    gates the nomination guard checks, kept in each summary), a page at a time, and the Pemda
    prerequisites."""
    page = Paginator(readiness_summaries(pemda, year), per_page).get_page(page)
    rows = readiness_rows(page.object_list, pemda)
    not_evaluated = (
        Assessment.objects.filter(unit__pemda=pemda, unit__active=True, year=year)
        .exclude(summary__tpi_answered__gt=0)
        .count()
    )
    return {
        "rows": rows,
        "page": page,
        "not_evaluated": not_evaluated,
        "pemda_year": PemdaYear.objects.filter(pemda=pemda, year=year).first(),
    }


def designations_by_year(pemda) -> list[dict]:
    """Per year: how many units were designated WBK, WBBM, not designated, revoked, and in progress."""
    counts: defaultdict[int, dict[str, int]] = defaultdict(dict)
    for year, stage, n in (
        Assessment.objects.filter(unit__pemda=pemda)
        .order_by()
        .values_list("year", "stage")
        .annotate(n=Count("id"))
    ):
        counts[year][stage] = n
    return [
        {
            "year": year,
            "wbk": c.get(Stage.DESIGNATED_WBK, 0),
            "wbbm": c.get(Stage.DESIGNATED_WBBM, 0),
            "not_designated": c.get(Stage.NOT_DESIGNATED, 0),
            "revoked": c.get(Stage.REVOKED, 0),
            "nominated": c.get(Stage.NOMINATED, 0) + c.get(Stage.TPN_REVIEW, 0),
            "total": sum(c.values()),
        }
        for year, c in sorted(counts.items(), reverse=True)
    ]


def year_comparison(pemda) -> list[dict]:
    """Per year: mean self and TPI score of the units scored in that track (one query)."""
    rows = (
        AssessmentSummary.objects.filter(assessment__unit__pemda=pemda)
        .order_by()
        .values_list("assessment__year")
        .annotate(
            n_self=Count("self_total"),
            s_self=Sum("self_total"),
            n_tpi=Count("tpi_total"),
            s_tpi=Sum("tpi_total"),
        )
    )
    return [
        {"year": y, "self": (ns, ss / ns if ns else None), "tpi": (nt, st / nt if nt else None)}
        for y, ns, ss, nt, st in sorted(rows, reverse=True)
        if ns or nt
    ]


def comparable_units(pemda):
    """Units that have at least one assessment (candidates for the comparison)."""
    return (
        WorkUnit.objects.filter(pemda=pemda, assessments__isnull=False).distinct().order_by("name")
    )


def unit_comparison(pemda, unit_ids) -> dict:
    """{"years": [...], "rows": [(unit, {year: (stage, self, tpi)})]} for the chosen units. Two queries."""
    units = list(WorkUnit.objects.filter(pemda=pemda, pk__in=unit_ids).order_by("name"))
    cells: defaultdict[int, dict[int, dict[str, Any]]] = defaultdict(dict)
    years: set[int] = set()
    for unit_id, year, stage, track, total, answered in (
        Assessment.objects.filter(unit__in=units)
        .order_by()
        .values_list(
            "unit_id", "year", "stage", "scores__track", "scores__total", "scores__answered"
        )
    ):
        years.add(year)
        cell = cells[unit_id].setdefault(
            year,
            {
                "stage": stage,
                "stage_label": STAGE_LABELS.get(stage, stage),
                "self": None,
                "tpi": None,
            },
        )
        if track in ("self", "tpi") and answered:
            cell[track] = total
    in_order = sorted(years)
    return {
        "years": in_order,
        "rows": [(u, [cells[u.pk].get(y) for y in in_order]) for u in units],
    }


def default_comparison(readiness_rows, limit=5) -> list[int]:
    return [r.assessment.unit_id for r in readiness_rows[:limit]]


# --- exports (zi_portal.exports writes them) -------------------------------------------------


def gate_text(gate: dict) -> str:
    """One missed gate as Kesiapan shows it: "Nilai total: 70,10 / min. 75,00 (kurang 4,90)"."""
    kind, label = gate.get("kind"), gate.get("label", "")
    minimum = _("min.")  # outside the f-strings below: makemessages does not read inside them
    if kind == "prior_designation":
        return _("%(label)s: harus sudah %(required)s") % {
            "label": label,
            "required": gate.get("required"),
        }
    if kind == "each_area_share":
        # The page's filters: the share rounded down beside its whole-percent minimum.
        shown_required = formats.percent(gate.get("required"), 0)
        return f"{label}: {formats.gate_share(gate.get('actual'))} / {minimum} {shown_required}"
    text = (
        f"{label}: {score_text(gate.get('actual'))} / {minimum} {score_text(gate.get('required'))}"
    )
    if gate.get("gap"):
        short = _("kurang")
        text += f" ({short} {score_text(gate.get('gap'))})"
    return text


def monitoring_columns() -> list:
    return [
        Column(_("Kode"), width=12),
        Column(_("Unit kerja"), width=40),
        Column(_("Jenis")),
        Column(_("Target"), width=8),
        Column(_("Tahap"), width=22),
        Column(_("Nilai mandiri"), DECIMAL),
        Column(_("Nilai TPI"), DECIMAL),
        Column(_("Pertanyaan dijawab mandiri"), INT),
        Column(_("Pertanyaan dijawab TPI"), INT),
        Column(_("Pertanyaan bernilai"), INT),
        Column(_("Ambang target belum terpenuhi (TPI)"), width=50),
        Column(_("Pertanyaan dengan data dukung"), INT),
        Column(_("Pertanyaan dengan data dukung diterima"), INT),
        Column(_("Kelengkapan data dukung (%)"), INT),
        Column(_("Menunggu reviu"), INT),
        Column(_("Perlu perbaikan"), INT),
        Column(_("Tenggat berikutnya"), width=22),
        Column(_("Tanggal tenggat"), DATE),
    ]


def monitoring_export_rows(units, *, deadline) -> list[list]:
    """Every unit of monitoring_units(...) (all filtered rows, not a page) as the export's cells,
    with the TPI gates its target misses from the stored summary. decorate()'s few queries plus
    one, whatever the number of units."""
    missed = Subquery(
        AssessmentSummary.objects.filter(assessment_id=OuterRef("a_id")).values("tpi_missed")[:1],
        output_field=JSONField(),
    )
    rows = []
    for row in decorate(units.annotate(a_tpi_missed=missed), deadline=deadline):
        u = row.unit
        gates = ""
        if u.a_id and u.tpi_answered:
            found = (u.a_tpi_missed or {}).get(u.a_target or Designation.WBK, [])  # type: ignore[attr-defined]
            gates = "; ".join(gate_text(g) for g in found) or _("tidak ada")
        ev = row.evidence
        rows.append(
            [
                u.code,
                u.name,
                u.get_type_display(),
                u.a_target or "",
                row.stage_label or str(NOT_PROCLAIMED_LABEL),
                u.self_score,
                u.tpi_score,
                u.self_answered,
                u.tpi_answered,
                u.scored_questions,
                gates,
                ev.with_evidence if ev else None,
                ev.accepted if ev else None,
                ev.percent if ev else None,
                row.pending_review if u.a_id else None,
                row.revision if u.a_id else None,
                deadline.get_phase_display() if row.deadline else "",  # row.deadline is deadline
                deadline.ends_on if row.deadline else None,
            ]
        )
    return rows


def readiness_columns() -> list:
    return [
        Column(_("Peringkat"), INT, width=10),
        Column(_("Kode"), width=12),
        Column(_("Unit kerja"), width=40),
        Column(_("Tahap"), width=22),
        Column(_("Nilai TPI"), DECIMAL),
        Column(_("Pertanyaan dijawab TPI"), INT),
        Column(_("Pertanyaan bernilai"), INT),
        Column(_("Target"), width=8),
        Column(_("Memenuhi ambang"), width=10),
        Column(_("Jawaban TPI yang perlu data dukung"), INT),
        Column(_("Didukung data dukung diterima"), INT),
        Column(_("Rekomendasi belum selesai"), INT),
        Column(_("Yang belum terpenuhi"), width=70),
    ]


def readiness_export_rows(pemda, year) -> list[list]:
    """Every ranked unit of Kesiapan (all pages) as the export's cells, with what stops it from
    being nominated as the page lists it. A fixed number of queries whatever the units."""
    from actions.selectors import open_recommendation_counts

    rows = readiness_rows(readiness_summaries(pemda, year), pemda)
    open_recs = open_recommendation_counts(r.assessment.pk for r in rows)
    cells = []
    for rank, r in enumerate(rows, start=1):
        n_recs = open_recs.get(r.assessment.pk, 0)
        reasons = [] if r.complete else [_("Evaluasi TPI belum lengkap")]
        reasons += [str(b) for b in r.workflow_blockers]
        reasons += [str(w) for w in r.evidence_warnings]
        if n_recs:
            reasons.append(_("%(n)d rekomendasi belum selesai") % {"n": n_recs})
        reasons += [gate_text(g) for g in r.missed]
        a = r.assessment
        cells.append(
            [
                rank,
                a.unit.code,
                a.unit.name,
                a.get_stage_display(),
                r.score.total,
                r.score.answered,
                r.score.scored_questions,
                r.target,
                _("Ya") if r.ready else _("Belum"),
                r.evidence.required if r.evidence else None,
                r.evidence.backed if r.evidence else None,
                n_recs,
                "; ".join(reasons),
            ]
        )
    return cells


# --- the TPN observer's page (issue 20) ----------------------------------------------------------
# Stages from nomination on: what the TPN (KemenPANRB's national team) has before it or decided.
NOMINATED_ONWARD = (
    Stage.NOMINATED,
    Stage.TPN_REVIEW,
    Stage.DESIGNATED_WBK,
    Stage.DESIGNATED_WBBM,
    Stage.NOT_DESIGNATED,
    Stage.REVOKED,
)


def tpn_assessments(pemda, year) -> list:
    """The Pemda's units nominated to the TPN in ``year``, each with its stored summary (TPI and
    TPN results) and its recorded TPN stages; three queries whatever the number of units."""
    from django.db.models import Prefetch

    from assessments.models import TpnStage

    return list(
        Assessment.objects.filter(unit__pemda=pemda, year=year, stage__in=NOMINATED_ONWARD)
        .select_related("unit", "summary")
        .prefetch_related(
            Prefetch("tpn_stages", queryset=TpnStage.objects.order_by("on", "at", "pk"))
        )
        .order_by("unit__name")
    )


def inspektorat_admins(pemda) -> list:
    """The people who record TPN results for the Pemda (assessments.record_tpn): its Admin
    Inspektorat."""
    from accounts.models import Membership, Role

    return [
        m.user
        for m in Membership.objects.filter(
            pemda=pemda, role=Role.INSPEKTORAT_ADMIN, unit=None, user__is_active=True
        )
        .select_related("user")
        .order_by("user__full_name", "user__username")
    ]
