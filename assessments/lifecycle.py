"""The ZI lifecycle as an explicit transitions table.

pencanangan → pembangunan → diusulkan → reviu TPN → ditetapkan WBK / WBBM / tidak ditetapkan;
a designation can be revoked. Each step is one guarded, atomic function that records who took
it, the day it happened (``on``: never in the future, never before the previous step) apart from
when it was typed in, from which stage to which, and why. During TPN review the TPN's stages are
recorded beside the steps (record_tpn_stage).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dossier.selectors import dossier_blockers
from units.models import WorkUnit
from units.nip import normalise as nip_digits
from units.nip import validate_nip
from zi_portal.formats import gate_share, long_date, percent, score_text

from . import scoring
from .models import (
    DESIGNATED,
    MAX_WITNESSES,
    SAKIP_GRADES,
    Assessment,
    CalendarPhase,
    Designation,
    Instrument,
    PemdaYear,
    Phase,
    Stage,
    StepName,
    TpnPhase,
    TpnResult,
    TpnStage,
    Track,
    Transition,
    Witness,
)
from .services import (
    answers_by_track,
    current_instrument,
    prior_designation,
    request_scores,
    zero_denominator_overrides,
)
from .signals import stage_changed


class TransitionError(Exception):
    """A refused step; ``reasons`` lists every unmet condition in Indonesian. ``field`` names the
    input at fault when there is one (``on``, ``decree_number``, ``override_reason``), for forms."""

    def __init__(self, reasons: str | Iterable[Any], *, field: str | None = None):
        self.reasons = [reasons] if isinstance(reasons, str) else list(reasons)
        self.field = field
        super().__init__("; ".join(str(r) for r in self.reasons))


@dataclass(frozen=True)
class Step:
    name: str
    label: Any  # a lazy translation
    sources: frozenset[str]
    targets: frozenset[str]
    permission: str


STEPS = {
    step.name: step
    for step in [
        Step(
            "start_development",
            StepName.START_DEVELOPMENT.label,
            frozenset({Stage.PROCLAIMED}),
            frozenset({Stage.DEVELOPMENT}),
            "assessments.start_development",
        ),
        Step(
            "nominate",
            StepName.NOMINATE.label,
            frozenset({Stage.DEVELOPMENT}),
            frozenset({Stage.NOMINATED}),
            "assessments.nominate",
        ),
        Step(
            "withdraw",
            StepName.WITHDRAW.label,
            frozenset({Stage.NOMINATED}),
            frozenset({Stage.DEVELOPMENT}),
            "assessments.nominate",
        ),
        Step(
            "start_tpn_review",
            StepName.START_TPN_REVIEW.label,
            frozenset({Stage.NOMINATED}),
            frozenset({Stage.TPN_REVIEW}),
            "assessments.record_tpn",
        ),
        Step(
            "designate",
            StepName.DESIGNATE.label,
            frozenset({Stage.TPN_REVIEW}),
            frozenset({Stage.DESIGNATED_WBK, Stage.DESIGNATED_WBBM, Stage.NOT_DESIGNATED}),
            "assessments.record_tpn",
        ),
        Step(
            "revoke",
            StepName.REVOKE.label,
            frozenset({Stage.DESIGNATED_WBK, Stage.DESIGNATED_WBBM}),
            frozenset({Stage.REVOKED}),
            "assessments.revoke",
        ),
    ]
}


# The years a unit's ZI can be opened for (the programme began with Permen PAN-RB 52/2014); the
# proclaim form and the API serializer offer the same bounds.
PROCLAMATION_YEARS = range(2015, 2101)


def available_steps(assessment: Assessment, user: Any) -> list[Step]:
    """Steps the user could take now (stage and permission), for buttons in the UI."""
    return [
        s
        for s in STEPS.values()
        if assessment.stage in s.sources and user.has_perm(s.permission, assessment)
    ]


def _event_date_problems(assessment: Assessment, on: date) -> list[Any]:
    """An event date is never in the future and never before the assessment's previous step."""
    if on > timezone.localdate():
        return [
            _("Tanggal kejadian (%(date)s) tidak boleh melewati hari ini.")
            % {"date": long_date(on)}
        ]
    previous = (
        Transition.objects.filter(assessment=assessment).order_by("-on", "-at", "-pk").first()
    )
    if previous and on < previous.on:
        return [
            _(
                "Tanggal kejadian (%(date)s) tidak boleh sebelum langkah sebelumnya "
                "(%(stage)s, %(previous)s)."
            )
            % {
                "date": long_date(on),
                "stage": previous.get_target_display(),
                "previous": long_date(previous.on),
            }
        ]
    return []


def _apply(
    *,
    assessment: Assessment,
    step_name: str,
    by: Any,
    target: str,
    note: str = "",
    on: date | None = None,
    guard: Callable[[Assessment, date], list[Any]] | None = None,
    extra: Mapping[str, Any] | None = None,
    record: Mapping[str, Any] | None = None,
) -> Assessment:
    step = STEPS[step_name]
    on = on or timezone.localdate()
    with transaction.atomic():
        # Lock the row: two people pressing "usulkan" at once must not both pass the guard.
        locked = (
            Assessment.objects.select_for_update()
            .select_related("unit", "instrument")
            .defer("instrument__spec")
            .get(pk=assessment.pk)
        )
        if locked.stage not in step.sources:
            raise TransitionError(
                _(
                    "Langkah “%(step)s” tidak dapat dilakukan: penilaian berada pada tahap %(stage)s."
                )
                % {"step": step.label, "stage": locked.get_stage_display()}
            )
        if not by.has_perm(step.permission, locked):
            raise PermissionDenied(
                _("Anda tidak berwenang melakukan langkah “%(step)s”.") % {"step": step.label}
            )
        if target not in step.targets:
            raise TransitionError(_("Tahap tujuan tidak sah untuk langkah ini."))
        problems = _event_date_problems(locked, on)
        if problems:
            raise TransitionError(problems, field="on")
        if guard:
            reasons = guard(locked, on)
            if reasons:
                raise TransitionError(reasons)
        source = locked.stage
        locked.stage = target
        for field, value in (extra or {}).items():
            setattr(locked, field, value)
        # Read by django-simple-history for the history row (attributes it adds at runtime).
        locked._change_reason = step_name  # type: ignore[attr-defined]
        locked._history_user = by  # type: ignore[attr-defined]
        locked.save()
        Transition.objects.create(
            assessment=locked,
            name=step_name,
            source=source,
            target=target,
            by=by,
            note=note,
            on=on,
            **(record or {}),
        )
        if source in DESIGNATED or target in DESIGNATED:
            # The unit's later years check their gates against the designation it holds.
            for later in Assessment.objects.filter(unit_id=locked.unit_id, year__gt=locked.year):
                request_scores(later)
        stage_changed.send(
            sender=Assessment,
            assessment=locked,
            source=source,
            target=target,
            by=by,
            step=step_name,
        )
    assessment.refresh_from_db()
    return assessment


# --- the steps -------------------------------------------------------------------------------


def proclaim(
    *,
    unit: WorkUnit,
    year: int,
    proclaimed_on: date,
    place: str,
    signatory_name: str,
    signatory_title: str,
    witnesses: Iterable[Mapping[str, Any]] = (),
    by: Any,
    note: str = "",
    instrument: Instrument | None = None,
    target: str = Designation.WBK,
    signatory_nip: str = "",
) -> Assessment:
    """Opens a unit's ZI year with its pencanangan (charter signed): one assessment per unit and year,
    within PROCLAMATION_YEARS."""
    if not by.has_perm("assessments.proclaim", unit):
        raise PermissionDenied(_("Anda tidak berwenang mencatat pencanangan untuk unit ini."))
    reasons = []
    if year not in PROCLAMATION_YEARS:
        reasons.append(
            _("Tahun ZI harus antara %(first)d dan %(last)d.")
            % {"first": PROCLAMATION_YEARS[0], "last": PROCLAMATION_YEARS[-1]}
        )
    if not unit.active:
        reasons.append(_("Unit kerja ini tidak aktif."))
    if Assessment.objects.filter(unit=unit, year=year).exists():
        reasons.append(_("Unit ini sudah memiliki penilaian ZI tahun %(year)s.") % {"year": year})
    if proclaimed_on > timezone.localdate():
        reasons.append(
            _("Tanggal pencanangan (%(date)s) tidak boleh melewati hari ini.")
            % {"date": long_date(proclaimed_on)}
        )
    instrument = instrument or current_instrument(unit.pemda, year=year)
    if instrument is None:
        reasons.append(
            _(
                "Belum ada instrumen LKE aktif yang berlaku untuk tahun ZI %(year)d; "
                "minta admin menyiapkan versi untuk tahun itu."
            )
            % {"year": year}
        )
    elif not instrument.serves(year):
        reasons.append(
            _("Instrumen %(name)s tidak berlaku untuk tahun ZI %(year)d.")
            % {"name": instrument, "year": year}
        )
    if not place.strip() or not signatory_name.strip():
        reasons.append(_("Tempat dan penanda tangan pencanangan wajib diisi."))
    rows, row_reasons = witness_rows(witnesses)
    reasons += row_reasons + _proclamation_reasons(target=target, signatory_nip=signatory_nip)
    if reasons:
        raise TransitionError(reasons)
    assert instrument is not None  # else a reason above
    with transaction.atomic():
        assessment = Assessment.objects.create(
            unit=unit,
            year=year,
            instrument=instrument,
            stage=Stage.PROCLAIMED,
            target=target,
            proclaimed_on=proclaimed_on,
            proclaimed_at=place.strip(),
            signatory_name=signatory_name.strip(),
            signatory_title=signatory_title.strip(),
            signatory_nip=nip_digits(signatory_nip),
        )
        _save_witnesses(assessment, rows)
        Transition.objects.create(
            assessment=assessment,
            name="proclaim",
            source="",
            target=Stage.PROCLAIMED,
            by=by,
            note=note,
            on=proclaimed_on,
        )
        # A unit's new ZI year starts from its previous one (answers to confirm, evidence to reuse,
        # open action items and recommendations).
        from actions.carryover import carry_over

        carry_over(assessment=assessment, by=by)
    return assessment


def start_development(
    *, assessment: Assessment, by: Any, note: str = "", on: date | None = None
) -> Assessment:
    return _apply(
        assessment=assessment,
        step_name="start_development",
        by=by,
        target=Stage.DEVELOPMENT,
        note=note,
        on=on,
    )


def nominate(
    *,
    assessment: Assessment,
    by: Any,
    target: str = Designation.WBK,
    note: str = "",
    on: date | None = None,
    override_reason: str = "",
) -> Assessment:
    """Proposes the unit: TPI evaluation complete and meeting the target's thresholds, Pemda
    prerequisites for the year met, no revocation cooldown, quota not exceeded, and the date inside
    the year's nomination window (outside it only with an Admin Inspektorat's recorded reason)."""
    if target not in Designation.values:
        raise TransitionError(_("Target predikat harus WBK atau WBBM."))
    override_reason = (override_reason or "").strip()
    if override_reason and not by.has_perm("assessments.override_calendar", assessment):
        raise PermissionDenied(
            _("Hanya Admin Inspektorat yang dapat mengusulkan di luar jadwal pengusulan.")
        )

    def guard(a: Assessment, day: date) -> list[Any]:
        reasons = nomination_blockers(a, target, on=day)
        if not override_reason:
            reasons += nomination_window_blockers(a, on=day)
        return reasons

    return _apply(
        assessment=assessment,
        step_name="nominate",
        by=by,
        target=Stage.NOMINATED,
        note=note,
        on=on,
        guard=guard,
        extra={"target": target},
        record={"override_reason": override_reason},
    )


def withdraw(*, assessment: Assessment, by: Any, note: str, on: date | None = None) -> Assessment:
    if not (note or "").strip():
        raise TransitionError(_("Tuliskan alasan penarikan usulan."))
    return _apply(
        assessment=assessment,
        step_name="withdraw",
        by=by,
        target=Stage.DEVELOPMENT,
        note=note,
        on=on,
    )


def start_tpn_review(
    *, assessment: Assessment, by: Any, note: str = "", on: date | None = None
) -> Assessment:
    return _apply(
        assessment=assessment,
        step_name="start_tpn_review",
        by=by,
        target=Stage.TPN_REVIEW,
        note=note,
        on=on,
    )


NOT_DESIGNATED = "NONE"  # the panel's "no designation", beside the two Designation values
DESIGNATION_RESULTS = {
    Designation.WBK.value: Stage.DESIGNATED_WBK,
    Designation.WBBM.value: Stage.DESIGNATED_WBBM,
    NOT_DESIGNATED: Stage.NOT_DESIGNATED,
}


def designate(
    *,
    assessment: Assessment,
    by: Any,
    result: str,
    note: str = "",
    on: date | None = None,
    decree_number: str = "",
) -> Assessment:
    """Records the panel's decision on the date of the Minister's SK (its number required for a
    designation). WBBM needs a WBBM nomination and a unit whose WBK was never revoked; a unit that
    failed a TPN stage (and did not win its sanggah) cannot be designated."""
    if result not in DESIGNATION_RESULTS:
        raise TransitionError(_("Hasil penetapan harus WBK, WBBM atau tidak ditetapkan."))
    decree_number = (decree_number or "").strip()
    if result != NOT_DESIGNATED and not decree_number:
        raise TransitionError(_("Nomor SK penetapan wajib diisi."), field="decree_number")

    def guard(a: Assessment, day: date) -> list[Any]:
        reasons: list[Any] = []
        if result == Designation.WBBM and a.target != Designation.WBBM:
            reasons.append(_("Unit ini diusulkan untuk WBK, sehingga tidak dapat ditetapkan WBBM."))
        if result == Designation.WBBM:
            reasons += _revoked_wbk_blockers(a)
        if result != NOT_DESIGNATED:
            failed = _failed_tpn_stage(a)
            if failed is not None:
                reasons.append(
                    _("Unit ini tidak lolos %(phase)s TPN (%(date)s).")
                    % {"phase": failed.get_phase_display().lower(), "date": long_date(failed.on)}
                )
        return reasons

    on = on or timezone.localdate()
    with transaction.atomic():  # the step and its penetapan stage, or neither
        assessment = _apply(
            assessment=assessment,
            step_name="designate",
            by=by,
            target=DESIGNATION_RESULTS[result],
            note=note,
            on=on,
            guard=guard,
            record={"decree_number": decree_number},
        )
        TpnStage.objects.update_or_create(
            assessment=assessment,
            phase=TpnPhase.DESIGNATION,
            defaults={
                "result": TpnResult.FAILED if result == NOT_DESIGNATED else TpnResult.PASSED,
                "on": on,
                "note": " — ".join(p for p in (decree_number, note.strip()) if p),
                "by": by,
            },
        )
    return assessment


def _revoked_wbk_blockers(assessment: Assessment) -> list[Any]:
    """A unit whose WBK was revoked cannot be designated WBBM, whenever the revocation came."""
    revoked = (
        Transition.objects.filter(
            assessment__unit_id=assessment.unit_id,
            source=Stage.DESIGNATED_WBK,
            target=Stage.REVOKED,
        )
        .order_by("on", "pk")
        .first()
    )
    if revoked is None:
        return []
    return [
        _(
            "Predikat WBK unit ini dicabut berlaku %(date)s (%(decree)s); unit yang WBK-nya "
            "dicabut tidak dapat ditetapkan WBBM."
        )
        % {"date": long_date(revoked.on), "decree": revoked.decree_number or _("tanpa nomor")}
    ]


def revoke(
    *,
    assessment: Assessment,
    by: Any,
    reason: str,
    on: date | None = None,
    decree_number: str = "",
) -> Assessment:
    """Revokes a designation (maladministration or corruption confirmed) by a decree effective
    from ``on``; the unit cannot be nominated for the cooldown that follows."""
    if not (reason or "").strip():
        raise TransitionError(_("Alasan pencabutan wajib diisi."))
    decree_number = (decree_number or "").strip()
    if not decree_number:
        raise TransitionError(_("Nomor keputusan pencabutan wajib diisi."), field="decree_number")
    return _apply(
        assessment=assessment,
        step_name="revoke",
        by=by,
        target=Stage.REVOKED,
        note=reason,
        on=on,
        guard=_wbbm_on_a_revoked_wbk,
        extra={"revoked_reason": reason.strip()},
        record={"decree_number": decree_number},
    )


def _wbbm_on_a_revoked_wbk(assessment: Assessment, effective: date) -> list[Any]:
    """The other order of events: a WBK revoked from a day on or before a WBBM designation that
    still stands would leave a WBBM resting on a revoked WBK; that WBBM is revoked first."""
    if assessment.stage != Stage.DESIGNATED_WBK:
        return []
    wbbm = (
        Transition.objects.filter(
            assessment__unit_id=assessment.unit_id,
            assessment__stage=Stage.DESIGNATED_WBBM,
            target=Stage.DESIGNATED_WBBM,
            on__gte=effective,
        )
        .order_by("on")
        .first()
    )
    if wbbm is None:
        return []
    return [
        _(
            "Unit ini ditetapkan WBBM pada %(date)s (%(decree)s), tidak sebelum pencabutan WBK ini "
            "berlaku; cabut predikat WBBM tersebut lebih dahulu."
        )
        % {"date": long_date(wbbm.on), "decree": wbbm.decree_number or _("tanpa nomor")}
    ]


# --- TPN stages --------------------------------------------------------------------------------

# What each recorded stage needs before it (a sanggah follows a failed desk stage; the field stage
# follows a passed desk stage or a won sanggah). Penetapan is recorded by ``designate``.
TPN_ORDER = [TpnPhase.ADMINISTRATION, TpnPhase.DESK, TpnPhase.APPEAL, TpnPhase.FIELD]


def _failed_tpn_stage(assessment: Assessment) -> TpnStage | None:
    """The recorded stage the unit did not pass and that still stands (a won sanggah overturns the
    desk stage)."""
    stages = {s.phase: s for s in assessment.tpn_stages.all()}
    appeal = stages.get(TpnPhase.APPEAL)
    for phase in (TpnPhase.ADMINISTRATION, TpnPhase.DESK, TpnPhase.FIELD):
        stage = stages.get(phase)
        if stage is None or stage.result == TpnResult.PASSED:
            continue
        if phase == TpnPhase.DESK and appeal is not None:
            if appeal.result == TpnResult.PASSED:
                continue
            return appeal
        return stage
    return None


def _tpn_stage_problems(stages: Mapping[str, TpnStage], phase: str) -> list[Any]:
    def passed(p: str) -> bool:
        return p in stages and stages[p].result == TpnResult.PASSED

    label = TpnPhase(phase).label
    if phase in stages:
        return [_("Hasil %(phase)s sudah dicatat.") % {"phase": str(label).lower()}]
    needs = {
        TpnPhase.ADMINISTRATION: True,
        TpnPhase.DESK: passed(TpnPhase.ADMINISTRATION),
        TpnPhase.APPEAL: TpnPhase.DESK in stages and not passed(TpnPhase.DESK),
        TpnPhase.FIELD: passed(TpnPhase.DESK) or passed(TpnPhase.APPEAL),
    }[TpnPhase(phase)]
    if needs:
        return []
    return [
        {
            TpnPhase.DESK: _("Evaluasi desk dicatat setelah unit lolos seleksi administrasi."),
            TpnPhase.APPEAL: _(
                "Sanggah hanya dapat diajukan setelah unit tidak lolos evaluasi desk."
            ),
            TpnPhase.FIELD: _(
                "Evaluasi lapangan / wawancara dicatat setelah unit lolos evaluasi desk atau "
                "sanggahnya diterima."
            ),
        }[TpnPhase(phase)]
    ]


def record_tpn_stage(
    *,
    assessment: Assessment,
    phase: str,
    result: str,
    by: Any,
    on: date | None = None,
    note: str = "",
) -> TpnStage:
    """Records the published result of one TPN stage while the unit is in TPN review, in order
    (administrasi → desk → [sanggah] → lapangan), dated no later than today and no earlier than the
    step or stage before it."""
    on = on or timezone.localdate()
    if phase not in TPN_ORDER:
        raise TransitionError(
            _(
                "Tahap TPN harus seleksi administrasi, evaluasi desk, sanggah atau evaluasi lapangan."
            ),
            field="phase",
        )
    if result not in TpnResult.values:
        raise TransitionError(_("Hasil tahap TPN harus lolos atau tidak lolos."), field="result")
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().select_related("unit").get(pk=assessment.pk)
        if not by.has_perm("assessments.record_tpn", locked):
            raise PermissionDenied(_("Anda tidak berwenang mencatat hasil tahapan TPN."))
        if locked.stage != Stage.TPN_REVIEW:
            raise TransitionError(
                _(
                    "Hasil tahapan TPN dicatat selama reviu TPN; penilaian berada pada tahap %(stage)s."
                )
                % {"stage": locked.get_stage_display()}
            )
        stages = {s.phase: s for s in TpnStage.objects.filter(assessment=locked)}
        problems = _tpn_stage_problems(stages, phase)
        if problems:
            raise TransitionError(problems, field="phase")
        problems = _event_date_problems(locked, on)
        latest = max(stages.values(), key=lambda s: s.on, default=None)
        if not problems and latest is not None and on < latest.on:
            problems = [
                _("Tanggal (%(date)s) tidak boleh sebelum tahap %(phase)s (%(previous)s).")
                % {
                    "date": long_date(on),
                    "phase": latest.get_phase_display().lower(),
                    "previous": long_date(latest.on),
                }
            ]
        if problems:
            raise TransitionError(problems, field="on")
        return TpnStage.objects.create(
            assessment=locked, phase=phase, result=result, on=on, note=note.strip(), by=by
        )


def take_step(
    name: str,
    *,
    assessment: Assessment,
    by: Any,
    note: str = "",
    target: str | None = None,
    result: str | None = None,
    on: date | None = None,
    decree_number: str = "",
    override_reason: str = "",
) -> Assessment:
    """Takes the step named ``name`` (a key of STEPS): the one dispatch the pages and the API share.
    ``note`` is the reason for withdraw and revoke; ``target`` and ``override_reason`` are for
    nominate, ``result`` for designate, ``decree_number`` for designate and revoke; ``on`` is the
    event date (default today)."""
    calls: dict[str, Callable[[], Assessment]] = {
        "start_development": lambda: start_development(
            assessment=assessment, by=by, note=note, on=on
        ),
        "nominate": lambda: nominate(
            assessment=assessment,
            by=by,
            target=target or Designation.WBK,
            note=note,
            on=on,
            override_reason=override_reason,
        ),
        "withdraw": lambda: withdraw(assessment=assessment, by=by, note=note, on=on),
        "start_tpn_review": lambda: start_tpn_review(
            assessment=assessment, by=by, note=note, on=on
        ),
        "designate": lambda: designate(
            assessment=assessment,
            by=by,
            result=result or "",
            note=note,
            on=on,
            decree_number=decree_number,
        ),
        "revoke": lambda: revoke(
            assessment=assessment, by=by, reason=note, on=on, decree_number=decree_number
        ),
    }
    assert set(calls) == set(STEPS), "every lifecycle step needs its call"
    return calls[name]()


# --- nomination guard ------------------------------------------------------------------------


def nomination_rules(assessment: Assessment) -> dict[str, Any]:
    rules = assessment.instrument.structure().get("nomination")
    if not rules:
        raise TransitionError(_("Instrumen LKE ini tidak memuat aturan pengusulan; hubungi admin."))
    return rules


def nomination_blockers(
    assessment: Assessment, target: str, *, on: date | None = None
) -> list[Any]:
    """Every reason the assessment cannot be nominated for ``target`` on ``on`` (default today;
    empty: it can). A list of small checks, each one rule."""
    rules = nomination_rules(assessment)
    on = on or timezone.localdate()
    reasons: list[Any] = []
    reasons += _tpi_evaluation_blockers(assessment, target)
    reasons += _pemda_prerequisites(assessment, rules)
    reasons += _cooldown_blockers(assessment, rules, on)
    reasons += dossier_blockers(assessment, target)
    reasons += _tpi_signed_off(assessment)
    reasons += _evidence_backed(assessment)
    return reasons


def _tpi_evaluation_blockers(assessment: Assessment, target: str) -> list[Any]:
    """The TPI's evaluation is complete and meets every gate of ``target``."""
    reasons: list[Any] = []
    instrument = assessment.instrument.parsed()
    tpi_answers = answers_by_track([assessment.pk]).get(assessment.pk, {}).get(Track.TPI.value, {})
    tree = scoring.score(instrument, tpi_answers, zero_denominator_overrides(assessment))
    if tree.total.answered_count < tree.total.scored_count:
        reasons.append(
            _("Evaluasi TPI belum lengkap: %(done)d dari %(all)d pertanyaan terjawab.")
            % {"done": tree.total.answered_count, "all": tree.total.scored_count}
        )
    outcome = scoring.evaluate(instrument, tree, prior_designation(assessment))
    for gate in outcome.missed(target):
        if gate.kind == "prior_designation":
            reasons.append(
                _("Syarat %(target)s: unit harus sudah berpredikat %(req)s.")
                % {"target": target, "req": gate.requires}
            )
        else:
            reasons.append(
                _(
                    "Nilai TPI belum memenuhi ambang %(target)s — %(label)s: %(actual)s, minimal %(required)s."
                )
                % {
                    "target": target,
                    "label": gate.label,
                    "actual": gate_share(gate.actual)
                    if gate.kind == "each_area_share"
                    else _num(gate.actual),
                    "required": percent(gate.required, 0)
                    if gate.kind == "each_area_share"
                    else _num(gate.required),
                }
            )
    return reasons


def cooldown_ends(revoked_on: date, years: int) -> date:
    """The first day a revoked unit may be nominated again: ``years`` after the decree's effective
    date (29 February → 1 March)."""
    try:
        return revoked_on.replace(year=revoked_on.year + years)
    except ValueError:
        return date(revoked_on.year + years, 3, 1)


def _cooldown_blockers(assessment: Assessment, rules: Mapping[str, Any], on: date) -> list[Any]:
    """No nomination dated within the cooldown after the unit's latest revocation takes effect."""
    years = int(rules.get("revocation_cooldown_years", 0))
    if not years:
        return []
    revoked = (
        Transition.objects.filter(assessment__unit_id=assessment.unit_id, target=Stage.REVOKED)
        .order_by("-on", "-pk")
        .first()
    )
    if revoked is None:
        return []
    ends = cooldown_ends(revoked.on, years)
    if on >= ends:
        return []
    return [
        _(
            "Predikat unit ini dicabut berlaku %(date)s (%(decree)s); unit baru dapat diusulkan "
            "lagi mulai %(end)s."
        )
        % {
            "date": long_date(revoked.on),
            "decree": revoked.decree_number or _("tanpa nomor"),
            "end": long_date(ends),
        }
    ]


def nomination_window(assessment: Assessment) -> tuple[date, date] | None:
    """The nomination window (the pengusulan phase) of the assessment's ZI year, or None when the
    Inspektorat has not set it."""
    phase = (
        CalendarPhase.objects.filter(
            pemda_year__pemda_id=assessment.unit.pemda_id,
            pemda_year__year=assessment.year,
            phase=Phase.PENGUSULAN,
        )
        .values_list("starts_on", "ends_on")
        .first()
    )
    return phase


def nomination_window_blockers(assessment: Assessment, *, on: date) -> list[Any]:
    """A nomination is dated inside its ZI year's pengusulan phase; with no phase set, inside the
    ZI year itself (a 2019 assessment is not nominated in 2026)."""
    window = nomination_window(assessment)
    if window is None:
        if on.year == assessment.year:
            return []
        return [
            _(
                "Tanggal usulan (%(date)s) di luar tahun ZI %(year)d, dan kalender tahun itu belum "
                "memuat masa pengusulan. Admin Inspektorat dapat mengusulkan di luar jadwal dengan "
                "alasan."
            )
            % {"date": long_date(on), "year": assessment.year}
        ]
    starts, ends = window
    if starts <= on <= ends:
        return []
    return [
        _(
            "Tanggal usulan (%(date)s) di luar masa pengusulan tahun ZI %(year)d "
            "(%(start)s – %(end)s). Admin Inspektorat dapat mengusulkan di luar jadwal dengan alasan."
        )
        % {
            "date": long_date(on),
            "year": assessment.year,
            "start": long_date(starts),
            "end": long_date(ends),
        }
    ]


def _tpi_signed_off(assessment: Assessment) -> list[Any]:
    from review.guards import signoff_blockers

    return signoff_blockers(assessment)


def _evidence_backed(assessment: Assessment) -> list[Any]:
    from review.guards import evidence_blockers

    return evidence_blockers(assessment)


def _pemda_prerequisites(assessment: Assessment, rules: Mapping[str, Any]) -> list[Any]:
    pemda = assessment.unit.pemda
    year = PemdaYear.objects.filter(pemda=pemda, year=assessment.year).first()
    if year is None:
        return [
            _("Prasyarat Pemda tahun %(year)d (opini BPK, nilai SAKIP) belum dicatat.")
            % {"year": assessment.year}
        ]
    reasons: list[Any] = []
    allowed = rules.get("bpk_opinions") or []
    if allowed and year.bpk_opinion not in allowed:
        reasons.append(
            _("Opini BPK Pemda (%(got)s) tidak memenuhi syarat: harus %(need)s.")
            % {"got": year.bpk_opinion or _("belum dicatat"), "need": "/".join(allowed)}
        )
    minimum = rules.get("min_sakip_grade")
    if minimum and (
        not year.sakip_grade or SAKIP_GRADES.index(year.sakip_grade) > SAKIP_GRADES.index(minimum)
    ):
        reasons.append(
            _("Nilai SAKIP Pemda (%(got)s) di bawah minimal %(need)s.")
            % {"got": year.sakip_grade or _("belum dicatat"), "need": minimum}
        )
    if year.nomination_quota is not None:
        used = (
            Assessment.objects.filter(unit__pemda=pemda, year=assessment.year)
            .exclude(stage__in=[Stage.PROCLAIMED, Stage.DEVELOPMENT])
            .exclude(pk=assessment.pk)
            .count()
        )
        if used >= year.nomination_quota:
            reasons.append(
                _("Kuota usulan Pemda tahun ini (%(quota)d unit) sudah terpakai.")
                % {"quota": year.nomination_quota}
            )
    return reasons


def _num(value: Any) -> str:
    return score_text(value) if value is not None else "—"


# --- pencanangan details: witnesses, signatory, target -------------------------------------------


def witness_rows(witnesses: Iterable[Mapping[str, Any]]) -> tuple[list[dict], list[str]]:
    """Structured witness rows (name, position, institution, NIP) with nameless rows dropped, and
    the reasons any row is refused. ``title`` is read as the position (the API's earlier field name)."""
    rows, reasons = [], []
    for number, w in enumerate(witnesses, 1):
        row = {
            "name": str(w.get("name") or "").strip(),
            "position": str(w.get("position") or w.get("title") or "").strip(),
            "institution": str(w.get("institution") or "").strip(),
            "nip": nip_digits(str(w.get("nip") or "")),
        }
        if not row["name"]:
            continue  # a row without a name prints nothing (the form flags it before it gets here)
        try:
            validate_nip(row["nip"])
        except ValidationError as exc:
            reasons.append(_("Saksi %(n)d: %(error)s") % {"n": number, "error": exc.messages[0]})
        rows.append(row)
    if len(rows) > MAX_WITNESSES:
        reasons.append(
            _("Paling banyak %(max)d saksi pada piagam; tercatat %(n)d.")
            % {"max": MAX_WITNESSES, "n": len(rows)}
        )
    return rows, reasons


def _proclamation_reasons(*, target: str, signatory_nip: str) -> list[str]:
    reasons = []
    if target not in Designation.values:
        reasons.append(_("Target predikat harus WBK atau WBBM."))
    try:
        validate_nip(signatory_nip)
    except ValidationError as exc:
        reasons.append(_("Penanda tangan: %(error)s") % {"error": exc.messages[0]})
    return reasons


def _save_witnesses(assessment: Assessment, rows: list[dict]) -> None:
    # Replaced as a whole: the form edits the list as one; history keeps the removed rows.
    for old in assessment.witnesses.all():
        old.delete()
    for order, row in enumerate(rows):
        Witness.objects.create(assessment=assessment, order=order, **row)


def update_proclamation(
    *,
    assessment: Assessment,
    by: Any,
    proclaimed_on: date,
    place: str,
    signatory_name: str,
    signatory_title: str,
    signatory_nip: str = "",
    target: str,
    witnesses: Iterable[Mapping[str, Any]],
) -> Assessment:
    """Corrects what the Piagam prints after the ceremony (the Inspektorat admin only). The target
    can change only while the unit still builds its ZI: from nomination on it is the nomination's."""
    if not by.has_perm("assessments.edit_proclamation", assessment):
        raise PermissionDenied(_("Anda tidak berwenang mengubah data pencanangan ini."))
    reasons = []
    if not place.strip() or not signatory_name.strip():
        reasons.append(_("Tempat dan penanda tangan pencanangan wajib diisi."))
    rows, row_reasons = witness_rows(witnesses)
    reasons += row_reasons + _proclamation_reasons(target=target, signatory_nip=signatory_nip)
    if target != assessment.target and not assessment.open_for_unit:
        reasons.append(
            _("Target predikat tidak dapat diubah lagi pada tahap %(stage)s.")
            % {"stage": assessment.get_stage_display()}
        )
    if reasons:
        raise TransitionError(reasons)
    with transaction.atomic():
        assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
        assessment.proclaimed_on = proclaimed_on
        assessment.proclaimed_at = place.strip()
        assessment.signatory_name = signatory_name.strip()
        assessment.signatory_title = signatory_title.strip()
        assessment.signatory_nip = nip_digits(signatory_nip)
        assessment.target = target
        assessment.save()
        _save_witnesses(assessment, rows)
    return assessment
