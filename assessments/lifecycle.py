"""The ZI lifecycle as an explicit transitions table.

pencanangan → pembangunan → diusulkan → reviu TPN → ditetapkan WBK / WBBM / tidak ditetapkan;
a designation can be revoked. Each step is one guarded, atomic function that records who took
it, when, from which stage to which, and why.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from units.models import WorkUnit

from . import scoring
from .models import (
    DESIGNATED,
    SAKIP_GRADES,
    Assessment,
    Designation,
    Instrument,
    PemdaYear,
    Stage,
    Track,
    Transition,
)
from .services import answers_by_track, current_instrument, prior_designation, request_scores
from .signals import stage_changed


class TransitionError(Exception):
    """A refused step; ``reasons`` lists every unmet condition in Indonesian."""

    def __init__(self, reasons: str | Iterable[Any]):
        self.reasons = [reasons] if isinstance(reasons, str) else list(reasons)
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
            gettext_lazy("Mulai pembangunan"),
            frozenset({Stage.PROCLAIMED}),
            frozenset({Stage.DEVELOPMENT}),
            "assessments.start_development",
        ),
        Step(
            "nominate",
            gettext_lazy("Usulkan ke KemenPANRB"),
            frozenset({Stage.DEVELOPMENT}),
            frozenset({Stage.NOMINATED}),
            "assessments.nominate",
        ),
        Step(
            "withdraw",
            gettext_lazy("Tarik usulan"),
            frozenset({Stage.NOMINATED}),
            frozenset({Stage.DEVELOPMENT}),
            "assessments.nominate",
        ),
        Step(
            "start_tpn_review",
            gettext_lazy("Mulai reviu TPN"),
            frozenset({Stage.NOMINATED}),
            frozenset({Stage.TPN_REVIEW}),
            "assessments.record_tpn",
        ),
        Step(
            "designate",
            gettext_lazy("Catat hasil penetapan"),
            frozenset({Stage.TPN_REVIEW}),
            frozenset({Stage.DESIGNATED_WBK, Stage.DESIGNATED_WBBM, Stage.NOT_DESIGNATED}),
            "assessments.record_tpn",
        ),
        Step(
            "revoke",
            gettext_lazy("Cabut predikat"),
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


def _apply(
    *,
    assessment: Assessment,
    step_name: str,
    by: Any,
    target: str,
    note: str = "",
    guard: Callable[[Assessment], list[Any]] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> Assessment:
    step = STEPS[step_name]
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
        if guard:
            reasons = guard(locked)
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
            assessment=locked, name=step_name, source=source, target=target, by=by, note=note
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
    instrument = instrument or current_instrument(unit.pemda)
    if instrument is None:
        reasons.append(_("Belum ada instrumen LKE yang aktif."))
    if not place.strip() or not signatory_name.strip():
        reasons.append(_("Tempat dan penanda tangan pencanangan wajib diisi."))
    if reasons:
        raise TransitionError(reasons)
    assert instrument is not None  # else a reason above
    clean_witnesses = [
        {"name": str(w.get("name", "")).strip(), "title": str(w.get("title", "")).strip()}
        for w in witnesses
        if str(w.get("name", "")).strip()
    ]
    with transaction.atomic():
        assessment = Assessment.objects.create(
            unit=unit,
            year=year,
            instrument=instrument,
            stage=Stage.PROCLAIMED,
            proclaimed_on=proclaimed_on,
            proclaimed_at=place.strip(),
            signatory_name=signatory_name.strip(),
            signatory_title=signatory_title.strip(),
            witnesses=clean_witnesses,
        )
        Transition.objects.create(
            assessment=assessment,
            name="proclaim",
            source="",
            target=Stage.PROCLAIMED,
            by=by,
            note=note,
        )
    return assessment


def start_development(*, assessment: Assessment, by: Any, note: str = "") -> Assessment:
    return _apply(
        assessment=assessment,
        step_name="start_development",
        by=by,
        target=Stage.DEVELOPMENT,
        note=note,
    )


def nominate(
    *, assessment: Assessment, by: Any, target: str = Designation.WBK, note: str = ""
) -> Assessment:
    """Proposes the unit: TPI evaluation complete and meeting the target's thresholds, Pemda
    prerequisites for the year met, no revocation cooldown, quota not exceeded."""
    if target not in Designation.values:
        raise TransitionError(_("Target predikat harus WBK atau WBBM."))
    return _apply(
        assessment=assessment,
        step_name="nominate",
        by=by,
        target=Stage.NOMINATED,
        note=note,
        guard=lambda a: nomination_blockers(a, target),
        extra={"target": target},
    )


def withdraw(*, assessment: Assessment, by: Any, note: str) -> Assessment:
    if not (note or "").strip():
        raise TransitionError(_("Tuliskan alasan penarikan usulan."))
    return _apply(
        assessment=assessment, step_name="withdraw", by=by, target=Stage.DEVELOPMENT, note=note
    )


def start_tpn_review(*, assessment: Assessment, by: Any, note: str = "") -> Assessment:
    return _apply(
        assessment=assessment,
        step_name="start_tpn_review",
        by=by,
        target=Stage.TPN_REVIEW,
        note=note,
    )


NOT_DESIGNATED = "NONE"  # the panel's "no designation", beside the two Designation values
DESIGNATION_RESULTS = {
    Designation.WBK.value: Stage.DESIGNATED_WBK,
    Designation.WBBM.value: Stage.DESIGNATED_WBBM,
    NOT_DESIGNATED: Stage.NOT_DESIGNATED,
}


def designate(*, assessment: Assessment, by: Any, result: str, note: str = "") -> Assessment:
    """Records the panel's decision. A unit proposed for WBK cannot be designated WBBM."""
    if result not in DESIGNATION_RESULTS:
        raise TransitionError(_("Hasil penetapan harus WBK, WBBM atau tidak ditetapkan."))

    def guard(a: Assessment) -> list[Any]:
        if result == Designation.WBBM and a.target != Designation.WBBM:
            return [_("Unit ini diusulkan untuk WBK, sehingga tidak dapat ditetapkan WBBM.")]
        return []

    return _apply(
        assessment=assessment,
        step_name="designate",
        by=by,
        target=DESIGNATION_RESULTS[result],
        note=note,
        guard=guard,
    )


def revoke(*, assessment: Assessment, by: Any, reason: str) -> Assessment:
    """Revokes a designation (maladministration or corruption confirmed); blocks nomination for a while."""
    if not (reason or "").strip():
        raise TransitionError(_("Alasan pencabutan wajib diisi."))
    return _apply(
        assessment=assessment,
        step_name="revoke",
        by=by,
        target=Stage.REVOKED,
        note=reason,
        extra={"revoked_reason": reason.strip()},
    )


def take_step(
    name: str,
    *,
    assessment: Assessment,
    by: Any,
    note: str = "",
    target: str | None = None,
    result: str | None = None,
) -> Assessment:
    """Takes the step named ``name`` (a key of STEPS): the one dispatch the pages and the API share.
    ``note`` is the reason for withdraw and revoke; ``target`` is for nominate, ``result`` for designate."""
    calls: dict[str, Callable[[], Assessment]] = {
        "start_development": lambda: start_development(assessment=assessment, by=by, note=note),
        "nominate": lambda: nominate(
            assessment=assessment, by=by, target=target or Designation.WBK, note=note
        ),
        "withdraw": lambda: withdraw(assessment=assessment, by=by, note=note),
        "start_tpn_review": lambda: start_tpn_review(assessment=assessment, by=by, note=note),
        "designate": lambda: designate(
            assessment=assessment, by=by, result=result or "", note=note
        ),
        "revoke": lambda: revoke(assessment=assessment, by=by, reason=note),
    }
    assert set(calls) == set(STEPS), "every lifecycle step needs its call"
    return calls[name]()


# --- nomination guard ------------------------------------------------------------------------


def nomination_rules(assessment: Assessment) -> dict[str, Any]:
    rules = assessment.instrument.structure().get("nomination")
    if not rules:
        raise TransitionError(_("Instrumen LKE ini tidak memuat aturan pengusulan; hubungi admin."))
    return rules


def nomination_blockers(assessment: Assessment, target: str) -> list[Any]:
    """Every reason the assessment cannot be nominated for ``target`` now (empty: it can)."""
    rules = nomination_rules(assessment)
    reasons: list[Any] = []
    instrument = assessment.instrument.parsed()
    tpi_answers = answers_by_track([assessment.pk]).get(assessment.pk, {}).get(Track.TPI.value, {})
    tree = scoring.score(instrument, tpi_answers)
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
                    "actual": _num(gate.actual),
                    "required": _num(gate.required),
                }
            )
    reasons += _pemda_prerequisites(assessment, rules)
    reasons += _tpi_signed_off(assessment)
    reasons += _evidence_backed(assessment)
    cooldown = int(rules.get("revocation_cooldown_years", 0))
    if cooldown:
        revoked = (
            Transition.objects.filter(assessment__unit_id=assessment.unit_id, target=Stage.REVOKED)
            .order_by("-at")
            .first()
        )
        if revoked and assessment.year <= timezone.localtime(revoked.at).year + cooldown:
            reasons.append(
                _(
                    "Predikat unit ini dicabut pada %(date)s; unit baru dapat diusulkan lagi mulai tahun %(year)d."
                )
                % {
                    "date": timezone.localtime(revoked.at).strftime("%d/%m/%Y"),
                    "year": timezone.localtime(revoked.at).year + cooldown + 1,
                }
            )
    return reasons


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
    from django.utils.formats import number_format

    return number_format(value, 2) if value is not None else "—"
