"""Read-side queries and page models for assessments; each page costs a fixed number of queries."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, QuerySet, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from units.selectors import visible_units
from zi_portal.formats import score_text

from . import scoring
from .models import (
    Answer,
    Assessment,
    CalendarPhase,
    Question,
    Score,
    TpnPhase,
    TpnStage,
    Track,
    Transition,
    ZeroDenominatorOverride,
    ZeroDenominatorRule,
)


def visible_assessments(user: Any) -> QuerySet[Assessment]:
    return Assessment.objects.filter(unit__in=visible_units(user))


def assessment_for_page(pk: int) -> Assessment:
    # The instrument's JSON is not loaded with the row: its parsed version is shared (Instrument.parsed).
    return (
        Assessment.objects.select_related("unit__pemda", "unit__parent", "instrument")
        .defer("instrument__spec")
        .get(pk=pk)
    )


@dataclass
class QuestionRow:
    spec: dict
    question_id: int
    answer: Answer | None
    result: object  # scoring.QuestionResult of this track
    options: list
    kind: str
    other: Answer | None = None  # the compared track's answer (side-by-side view)
    other_result: object = None
    urls: dict = field(default_factory=dict)  # save, evidence, history: see per_id_url
    # % questions: what a zero denominator means here (rule, label, reason, overridden)
    zero: dict | None = None
    number: str = ""  # as users see it: indicator.letter(.part), e.g. "1.a.2"
    choices: list = field(default_factory=list)  # (option, its criteria text) for the radio labels
    parts: list = field(default_factory=list)  # a % question's Jumlah rows, grouped under it
    evidence_count: int = 0  # live evidence items of this question
    revision_live: bool = False  # a revision request not yet closed
    issue: str = ""  # the scoring issue with the questions named by their numbers
    warning: str = ""  # a % whose part exceeds its whole (saved all the same, score capped)

    @property
    def is_open(self) -> bool:
        """Still to answer: a % group while any of its counts is empty."""
        if self.kind == scoring.COMPUTED:
            return any(p.is_open for p in self.parts)
        return not self.value

    @property
    def needs_revision(self) -> bool:
        return self.revision_live or any(p.revision_live for p in self.parts)

    @property
    def title(self) -> str:
        """A Jumlah part's label without its leading dash (the label repeats the text)."""
        return self.spec.get("text") or self.spec["label"].lstrip("- ")

    @property
    def code(self) -> str:
        return self.spec["code"]

    @property
    def value(self) -> str:
        return self.answer.value if self.answer else ""

    @property
    def revision(self) -> int:
        return self.answer.revision if self.answer else 0

    @property
    def difference(self):
        """This track's fraction minus the compared track's (None unless both are scored)."""
        mine = getattr(self.result, "fraction", None)
        theirs = getattr(self.other_result, "fraction", None)
        return None if mine is None or theirs is None else mine - theirs


@dataclass
class IndicatorBlock:
    spec: dict
    result: object
    rows: list = field(default_factory=list)
    other_result: object = None
    number: int = 0  # its place in its area's block, the first part of the questions' numbers
    issue: str = ""  # the scoring issue, the indicator named by its number

    @property
    def difference(self):
        """This track's indicator score minus the compared track's."""
        if self.other_result is None:
            return None
        return self.result.score - self.other_result.score  # type: ignore[attr-defined]


@dataclass
class AreaBlock:
    code: str
    name: str
    section: str
    result: object  # the area's NodeResult over both sections
    indicators: list = field(default_factory=list)

    @property
    def answered(self) -> int:
        return sum(i.result.answered_count for i in self.indicators)

    @property
    def scored(self) -> int:
        return sum(i.result.scored_count for i in self.indicators)

    @property
    def has_rows(self) -> bool:
        return any(i.rows for i in self.indicators)


def per_id_url(name: str, *args: Any) -> Callable[[int], str]:
    """A function id -> URL (the id is the last argument) that reverses once: three {% url %} tags in
    each of a worksheet's 129 rows were a tenth of its rendering time."""
    stand_in = 2_147_483_647  # an id no real question has, found only where the id goes
    head, tail = reverse(name, args=[*args, stand_in]).rsplit(str(stand_in), 1)
    return lambda object_id: f"{head}{object_id}{tail}"


class _Sheet:
    """What building a worksheet's blocks needs: the instrument's structure, the scored tree(s) and
    the answers of the track (and of the compared one)."""

    def __init__(
        self,
        assessment: Assessment,
        track: str,
        answers: dict[str, dict[str, Answer]],
        compare_with: str | None = None,
        question_ids: dict[str, int] | None = None,
        evidence_counts: dict[int, int] | None = None,
        live_revisions: set[int] | frozenset[int] = frozenset(),
    ):
        self.evidence_counts = evidence_counts or {}
        self.live_revisions = live_revisions
        self.spec = assessment.instrument.structure()
        self.numbers = visible_numbers(self.spec)
        self.assessment_pk = assessment.pk
        instrument = assessment.instrument.parsed()
        self.track, self.compare_with, self.answers, self.question_ids = (
            track,
            compare_with,
            answers,
            question_ids,
        )
        self.zero_overrides = {
            o.question_code: o
            for o in ZeroDenominatorOverride.objects.filter(assessment=assessment).select_related(
                "by"
            )
        }
        zero_rules = {code: o.rule for code, o in self.zero_overrides.items()}
        self.trees = {
            t: scoring.score(
                instrument,
                # A carried answer (perlu dikonfirmasi) scores only once confirmed.
                {code: a.value for code, a in found.items() if a.value and a.confirmed},
                zero_rules,
            )
            for t, found in answers.items()
        }
        self.tree = self.trees[track]
        self.other_tree = self.trees.get(compare_with) if compare_with is not None else None
        spec = self.spec
        self.area_names = {a["code"]: a["name"] for a in spec.get("areas", [])}
        self.section_names = {
            s["code"]: s["name"] for c in spec["components"] for s in c["sections"]
        }
        # Hasil sections have no change areas: their block is headed "Hasil · <section>".
        self.component_of_section = {
            s["code"]: c["name"] for c in spec["components"] for s in c["sections"]
        }
        # The comparison travels with each save, so the saved row comes back with the other track.
        compared = f"?banding={compare_with}" if compare_with else ""
        save = per_id_url("assessments:save_answer", assessment.pk, track)
        self.url_makers = {
            "save": lambda question_id: save(question_id) + compared,
            "evidence": per_id_url("evidence:question_panel", assessment.pk),
            "history": per_id_url("assessments:answer_history", assessment.pk, track),
        }

    def area(self, ind: dict[str, Any]) -> AreaBlock:
        area_code = ind.get("area")
        return AreaBlock(
            code=area_code or ind["section"],
            name=self.area_names.get(area_code)
            or self.section_names.get(ind["section"], ind["section"]),
            section=(
                self.section_names.get(ind["section"], ind["section"])
                if area_code
                else self.component_of_section.get(ind["section"], "")
            ),
            result=self.tree.areas.get(area_code)
            if area_code
            else self.tree.sections.get(ind["section"]),
        )

    def indicator(self, ind: dict[str, Any], with_rows: bool = True) -> IndicatorBlock:
        tree, other_tree, compare_with = self.tree, self.other_tree, self.compare_with
        block = IndicatorBlock(
            spec=ind,
            result=tree.indicators[ind["code"]],
            other_result=other_tree.indicators[ind["code"]] if other_tree else None,
            number=int(self.numbers[ind["code"]]),
        )
        rows = []
        for q in ind["questions"] if with_rows else ():
            atype = self.spec["answer_types"][q["answer_type"]]
            assert self.question_ids is not None  # every caller that builds rows passes them
            question_id = self.question_ids[q["code"]]
            criteria = {c["value"]: c.get("text", "") for c in q.get("choices", ())}
            options = [o["value"] for o in atype.get("options", [])]
            rows.append(
                QuestionRow(
                    spec=q,
                    question_id=question_id,
                    answer=self.answers[self.track].get(q["code"]),
                    result=tree.questions.get(q["code"]),
                    options=options,
                    choices=[(o, criteria.get(o, "")) for o in options],
                    kind=scoring.answer_kind(atype) or scoring.VALUE,
                    other=self.answers[compare_with].get(q["code"]) if compare_with else None,
                    other_result=other_tree.questions.get(q["code"]) if other_tree else None,
                    urls={what: make(question_id) for what, make in self.url_makers.items()},
                    zero=self.zero_reading(q) if q.get("formula") else None,
                    evidence_count=self.evidence_counts.get(question_id, 0),
                    revision_live=question_id in self.live_revisions,
                    number=self.numbers[q["code"]],
                )
            )
        block.issue = (getattr(block.result, "issue", None) or "").replace(
            ind["code"], str(block.number)
        )
        block.rows = _grouped(rows)
        numbers = self.numbers
        for row in rows:
            issue = getattr(row.result, "issue", None) or ""
            # The scoring names questions by code; the page names them as users see them.
            row.issue = _CODE.sub(lambda m: numbers.get(m[0], m[0]), issue)
            if row.kind == scoring.COMPUTED:
                row.warning = _part_over_whole(row, numbers)
        return block

    def zero_reading(self, q: dict[str, Any]) -> dict[str, Any]:
        """What a zero denominator means for this % question in this assessment, and who said so."""
        override = self.zero_overrides.get(q["code"])
        rule = override.rule if override else q.get("zero_denominator", scoring.NOT_APPLICABLE)
        return {
            "rule": rule,
            "label": ZeroDenominatorRule(rule).label,
            "reason": override.reason if override else q.get("zero_denominator_reason", ""),
            "override": override,
            "url": reverse("assessments:zero_denominator", args=[self.assessment_pk, q["code"]]),
        }


def _block_key(ind: dict[str, Any]) -> tuple[str, str]:
    return ind["section"], ind.get("area") or ind["section"]


_CODE = re.compile(r"[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+\.[a-z0-9]+")
_LETTER = re.compile(r"([a-z]{1,2})\.?")


def visible_numbers(spec: dict[str, Any]) -> dict[str, str]:
    """{indicator or question code: its number as the worksheet shows it}: an indicator by its
    place in its area's block ("1"), a question by its letter ("1.a"), a % question's Jumlah rows
    (they follow it in the instrument) by their place under it ("1.a.1", "1.a.2")."""
    numbers: dict[str, str] = {}
    seen: dict[tuple[str, str], int] = {}
    for ind in spec["indicators"]:
        key = _block_key(ind)
        seen[key] = seen.get(key, 0) + 1
        numbers[ind["code"]] = prefix = str(seen[key])
        head, parts, letters = "", 0, 0
        for q in ind["questions"]:
            kind = scoring.answer_kind(spec["answer_types"][q["answer_type"]])
            if kind == scoring.COUNT and head:
                parts += 1
                numbers[q["code"]] = f"{head}.{parts}"
                continue
            found = _LETTER.fullmatch(q["label"].strip())
            letter = found[1] if found else chr(ord("a") + letters % 26)
            letters += 1
            numbers[q["code"]] = f"{prefix}.{letter}"
            head, parts = (numbers[q["code"]] if kind == scoring.COMPUTED else ""), 0
    return numbers


def _grouped(rows: list[QuestionRow]) -> list[QuestionRow]:
    """The indicator's rows with each % question's Jumlah rows moved under it (as numbered by
    visible_numbers)."""
    top: list[QuestionRow] = []
    head: QuestionRow | None = None
    for row in rows:
        if row.kind == scoring.COUNT and head is not None:
            head.parts.append(row)
            continue
        head = row if row.kind == scoring.COMPUTED else None
        top.append(row)
    return top


def _part_over_whole(row: QuestionRow, numbers: dict[str, str]) -> str:
    """A warning when a % question's counted part exceeds its whole (30 changes by 26 agents =
    115%): the counts are stored as entered and the score is capped at 100% (ZI.md), but such a
    figure is usually a typing error."""
    value = getattr(row.result, "value", None)
    formula = row.spec.get("formula") or {}
    if value is None or value <= 100 or not formula:
        return ""
    entered = {p.code: p.value for p in row.parts}

    def side(terms):
        return ", ".join(
            f"{numbers.get(code, code)} ({entered.get(code, '')})" for _s, code in terms
        )

    return _(
        "Bagian melebihi keseluruhan: %(part)s lebih besar dari %(whole)s, sehingga persentasenya "
        "%(percent)s%%. Isian tetap tersimpan dan nilainya dihitung paling tinggi 100%%; periksa "
        "kembali angkanya."
    ) % {
        "part": side(formula.get("numerator", ())),
        "whole": side(formula.get("denominator", ())),
        "percent": score_text(value, 2),
    }


@dataclass
class Tab:
    """One change area of the worksheet (its Pemenuhan and Reform blocks), or Hasil."""

    key: str
    name: str
    result: object  # NodeResult: answered_count / scored_count for the tab's progress


def _tab(sheet: _Sheet, ind: dict[str, Any]) -> Tab:
    key = tab_key(sheet.spec, ind)
    if ind.get("area"):
        return Tab(key, sheet.area_names.get(key, key), sheet.tree.areas.get(key))
    return Tab(
        key, sheet.component_of_section.get(ind["section"], key), sheet.tree.components.get(key)
    )


def _tabs(sheet: _Sheet) -> list[Tab]:
    """The worksheet's tabs in the instrument's order: each change area, then each component
    without areas (Hasil)."""
    tabs: dict[str, Tab] = {}
    for ind in sheet.spec["indicators"]:
        key = tab_key(sheet.spec, ind)
        if key not in tabs:
            tabs[key] = _tab(sheet, ind)
    return list(tabs.values())


def tab_key(spec: dict[str, Any], ind: dict[str, Any]) -> str:
    if ind.get("area"):
        return str(ind["area"])
    return next(
        c["code"] for c in spec["components"] for s in c["sections"] if s["code"] == ind["section"]
    )


# The worksheet's filters: (query parameter, what a row must be to stay).
FILTERS: dict[str, Callable[[QuestionRow], bool]] = {
    "belum": lambda row: row.is_open,
    "tanpa_dukung": lambda row: row.evidence_count == 0,
    "perbaikan": lambda row: row.needs_revision,
}


def evidence_counts(assessment: Assessment, question_ids: Any = None) -> dict[int, int]:
    """{question id: live evidence items} of the assessment (one query)."""
    from evidence.models import EvidenceItem  # evidence depends on assessments, not the reverse

    items = EvidenceItem.objects.filter(assessment_id=assessment.pk, deleted_at__isnull=True)
    if question_ids is not None:
        items = items.filter(question_id__in=question_ids)
    return dict(
        items.order_by()
        .values("question_id")
        .annotate(n=Count("id"))
        .values_list("question_id", "n")
    )


def live_revisions(assessment: Assessment) -> set[int]:
    """Ids of the questions with a revision request not yet closed. Reads the requests the rows
    show anyway (review's revision_for tag), once per assessment object: two queries."""
    from review.models import RevisionStatus
    from review.selectors import requests_by_question

    found = getattr(assessment, "_revisions_by_question", None)
    if found is None:
        found = assessment._revisions_by_question = requests_by_question(assessment)  # type: ignore[attr-defined]
    return {pk for pk, r in found.items() if r.status != RevisionStatus.CLOSED}


def worksheet(
    assessment: Assessment,
    track: str,
    compare_with: str | None = None,
    tab: str | None = None,
    only: str | None = None,
) -> dict[str, Any]:
    """One tab of the LKE of one track (a change area, or Hasil; the first when ``tab`` is not one
    of them), grouped by section, with answers and live scores, and every tab's progress. The whole
    LKE on one page was ~300 KB of HTML and ~50 ms of CPU at 137 rows (bench/README.md); the
    scores still come from every answer. ``only`` (a FILTERS key) keeps the rows the filter
    matches; ``counts`` says how many rows of the tab each filter keeps.

    Two queries for answers (both tracks), one for question ids, one for evidence counts and two
    for revision requests, whatever the size."""
    only = only if only in FILTERS else None
    question_ids = dict(assessment.instrument.questions.values_list("code", "pk"))
    codes = {pk: code for code, pk in question_ids.items()}
    tracks = [track] + ([compare_with] if compare_with else [])
    answers: dict[str, dict[str, Answer]] = {t: {} for t in tracks}
    for answer in Answer.objects.filter(assessment=assessment, track__in=tracks).select_related(
        "updated_by"
    ):
        answers[answer.track][codes[answer.question_id]] = answer
    sheet = _Sheet(
        assessment,
        track,
        answers,
        compare_with,
        question_ids,
        evidence_counts=evidence_counts(assessment),
        live_revisions=live_revisions(assessment),
    )
    tabs = _tabs(sheet)
    current = next((t for t in tabs if t.key == tab), tabs[0])
    blocks: dict[tuple[str, str], AreaBlock] = {}
    counts = dict.fromkeys(FILTERS, 0)
    for ind in sheet.spec["indicators"]:
        if tab_key(sheet.spec, ind) != current.key:
            continue
        key = _block_key(ind)
        if key not in blocks:
            blocks[key] = sheet.area(ind)
        block = sheet.indicator(ind)
        for name, keep in FILTERS.items():
            counts[name] += sum(1 for r in block.rows if keep(r))
        if only:  # the area's progress still counts the indicator (its results)
            block.rows = [r for r in block.rows if FILTERS[only](r)]
        blocks[key].indicators.append(block)
    return {
        "areas": list(blocks.values()),
        "tabs": tabs,
        "tab": current,
        "only": only,
        "counts": counts,
        "tree": sheet.tree,
        "other_tree": sheet.other_tree,
        "instrument": assessment.instrument.parsed(),
    }


def indicator_questions(assessment: Assessment, question_pk: int) -> list[Question]:
    """The questions of the indicator holding ``question_pk`` in the assessment's LKE (one query;
    empty when the question is not in it)."""
    indicator = Question.objects.filter(
        pk=question_pk, instrument_id=assessment.instrument_id
    ).values("indicator_code")
    return list(
        Question.objects.filter(
            instrument_id=assessment.instrument_id, indicator_code=Subquery(indicator)
        )
    )


def indicator_block(
    assessment: Assessment,
    question: Question,
    track: str,
    questions: list[Question] | None = None,
    compare_with: str | None = None,
) -> tuple[IndicatorBlock, AreaBlock, dict[str, Any]]:
    """The indicator holding a question, after a save: the htmx partial swaps the whole indicator
    so computed percentages and the indicator score refresh with it, and its area's progress and
    the track's total out of band. Only this indicator's rows are built, from the track's answers
    (one query) and the indicator's questions (indicator_questions(), unless given)."""
    questions = questions if questions is not None else indicator_questions(assessment, question.pk)
    question_ids = {q.code: q.pk for q in questions}
    tracks = [track] + ([compare_with] if compare_with else [])
    answers: dict[str, dict[str, Answer]] = {t: {} for t in tracks}
    for answer in (
        Answer.objects.filter(assessment=assessment, track__in=tracks)
        .select_related("updated_by")
        .annotate(code=F("question__code"))
    ):
        answers[answer.track][answer.code] = answer
    sheet = _Sheet(
        assessment,
        track,
        answers,
        compare_with,
        question_ids=question_ids,
        evidence_counts=evidence_counts(assessment, question_ids.values()),
        live_revisions=live_revisions(assessment),
    )
    indicators = sheet.spec["indicators"]
    ind = next(i for i in indicators if i["code"] == question.indicator_code)
    area = sheet.area(ind)
    # The area's progress counts every indicator of its block (results only, no rows).
    area.indicators = [
        sheet.indicator(i, with_rows=i is ind)
        for i in indicators
        if _block_key(i) == _block_key(ind)
    ]
    block = next(b for b in area.indicators if b.spec is ind)
    return block, area, {"tree": sheet.tree, "tab": _tab(sheet, ind)}


def answer_changes(assessment: Assessment, question: Question, track: str) -> list[dict[str, Any]]:
    """Each saved version of one answer with the value it replaced, newest first."""
    records = list(
        Answer.history.filter(assessment_id=assessment.pk, question_id=question.pk, track=track)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    changes: list[dict[str, Any]] = []
    previous = None
    for record in records:
        if previous is None or (record.value, record.note) != (previous.value, previous.note):
            changes.append(
                {
                    "at": record.history_date,
                    "by": record.history_user,
                    "old": previous.value if previous else "",
                    "new": record.value,
                    "old_note": previous.note if previous else "",
                    "note": record.note,
                }
            )
        previous = record
    return list(reversed(changes))


def stored_scores(assessment: Assessment) -> dict[str, Score]:
    return {s.track: s for s in Score.objects.filter(assessment=assessment)}


def timeline(assessment: Assessment) -> QuerySet[Transition]:
    return Transition.objects.filter(assessment=assessment).select_related("by")


@dataclass(frozen=True)
class TimelineEntry:
    """One line of an assessment's timeline: a lifecycle step or a TPN stage, by event date."""

    on: datetime.date
    at: datetime.datetime
    title: str
    source: str  # the stage left, for steps
    by: Any
    note: str
    decree_number: str = ""
    override_reason: str = ""
    result: str = ""
    kind: str = "step"  # "step" or "tpn"


def timeline_entries(assessment: Assessment) -> list[TimelineEntry]:
    """The steps and the TPN stages of an assessment, in the order they happened (two queries)."""
    entries = [
        TimelineEntry(
            t.on,
            t.at,
            str(t.get_target_display()),
            str(t.get_source_display()) if t.source else "",
            t.by,
            t.note,
            t.decree_number,
            t.override_reason,
        )
        for t in timeline(assessment)
    ]
    entries += [
        TimelineEntry(
            s.on,
            s.at,
            f"TPN · {s.get_phase_display()}",
            "",
            s.by,
            s.note,
            result=str(s.get_result_display()),
            kind="tpn",
        )
        for s in TpnStage.objects.filter(assessment=assessment)
        .exclude(phase=TpnPhase.DESIGNATION)  # the designation step says it already
        .select_related("by")
    ]
    return sorted(entries, key=lambda e: (e.on, e.at))


def unit_history(unit: Any) -> list[Assessment]:
    """Every ZI year of a unit with its transitions: the multi-year timeline."""
    years = list(
        Assessment.objects.filter(unit=unit)
        .order_by("-year")
        .prefetch_related("transitions__by", "scores", "tpn_stages")
    )
    return years


def upcoming_deadlines(pemda: Any, today: datetime.date, limit: int = 3) -> QuerySet[CalendarPhase]:
    return (
        CalendarPhase.objects.filter(pemda_year__pemda=pemda, ends_on__gte=today)
        .select_related("pemda_year")
        .order_by("ends_on")[:limit]
    )


TRACK_LABELS = dict(Track.choices)
