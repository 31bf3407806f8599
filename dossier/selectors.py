"""The dossier checklist: which items a unit-year's nomination package holds, which its Pemda
requires, and what still misses (the nomination guard's reasons). A fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from reports.models import Kind, ReportJob, Status

from .models import ALL_ITEMS, SCANS, Dossier, DossierPolicy, DossierScan, Item


@dataclass
class ItemState:
    item: str
    label: str
    required: bool
    done: bool
    problem: str = ""  # why a present item does not count (e.g. a letter listing another target)
    scan: DossierScan | None = None
    job: ReportJob | None = None
    url: str = ""


@dataclass
class Checklist:
    assessment: Any
    dossier: Dossier | None
    required: list[str]
    items: list[ItemState] = field(default_factory=list)

    @property
    def missing(self) -> list[ItemState]:
        return [s for s in self.items if s.required and not s.done]

    @property
    def complete(self) -> bool:
        return self.dossier is not None and not self.missing

    def state(self, item: str) -> ItemState:
        return next(s for s in self.items if s.item == item)


def required_items(pemda_id: int) -> list[str]:
    """The Pemda's required items in checklist order (none without a policy row)."""
    policy = DossierPolicy.objects.filter(pemda_id=pemda_id).first()
    wanted = set(policy.required_items if policy else [])
    return [item for item in ALL_ITEMS if item in wanted]


def latest_letter(pemda_id: int, year: int) -> ReportJob | None:
    return (
        ReportJob.objects.filter(
            kind=Kind.SURAT_USULAN, pemda_id=pemda_id, year=year, status=Status.READY
        )
        .order_by("-finished_at", "-pk")
        .first()
    )


def checklist(assessment) -> Checklist:
    """Every item with whether it is present, for the dossier page, the API and the guard."""
    pemda_id, _unit_id = assessment.zi_scope()
    dossier = Dossier.objects.filter(assessment=assessment).first()
    result = Checklist(assessment, dossier, required_items(pemda_id))
    scans: dict[str, DossierScan] = {}
    jobs: dict[str, ReportJob] = {}
    if dossier is not None:
        for scan in DossierScan.objects.filter(dossier=dossier).select_related("uploaded_by"):
            scans.setdefault(scan.item, scan)  # newest first (Meta.ordering)
        for job in ReportJob.objects.filter(
            assessment=assessment, kind=Kind.LHE, status=Status.READY
        ).order_by("-finished_at", "-pk")[:1]:
            jobs[Item.LHE] = job
    letter = latest_letter(pemda_id, assessment.year) if dossier is not None else None
    for value, label in Item.choices:
        state = ItemState(value, str(label), value in result.required, False)
        if dossier is None:
            pass
        elif value in SCANS:
            state.scan = scans.get(value)
            state.done = state.scan is not None
        elif value == Item.VIDEO:
            state.url = dossier.video_url
            state.done = bool(dossier.video_url)
        elif value == Item.LHE:
            state.job = jobs.get(value)
            state.done = state.job is not None and bool(dossier.recommendations.strip())
            if state.job is None:
                state.problem = _("LHE belum dibuat.")
            elif not state.done:
                state.problem = _("Rekomendasi TPI belum diisi; isi lalu buat ulang LHE.")
        elif value == Item.SURAT_USULAN:
            state.job = letter
            listed = (letter.params.get("units") or {}) if letter else {}
            state.done = listed.get(str(assessment.pk)) == dossier.target
            if letter is None:
                state.problem = _("Surat usulan tahun ini belum dibuat.")
            elif not state.done:
                state.problem = _(
                    "Surat usulan terakhir tidak memuat unit ini dengan usulan %(target)s; buat ulang."
                ) % {"target": dossier.target}
        result.items.append(state)
    return result


def dossier_blockers(assessment, target: str) -> list[Any]:
    """The nomination guard's check of the dossier: every required item still missing, in Indonesian
    (empty when the Pemda requires none or all are present)."""
    state = checklist(assessment)
    if not state.required:
        return []
    if state.dossier is None:
        return [
            _("Paket usulan belum disiapkan; kelengkapan wajib: %(items)s.")
            % {"items": "; ".join(s.label for s in state.items if s.required)}
        ]
    reasons: list[Any] = []
    if state.dossier.target != target:
        reasons.append(
            _("Paket usulan disiapkan untuk %(prepared)s, bukan %(target)s.")
            % {"prepared": state.dossier.target, "target": target}
        )
    for s in state.missing:
        reasons.append(
            _("Paket usulan belum lengkap: %(item)s belum ada.") % {"item": s.label}
            + (f" {s.problem}" if s.problem else "")
        )
    return reasons
