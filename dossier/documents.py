"""The dossier's documents, rendered as report jobs by reports.services.build_document: the surat
usulan (one per Pemda and year), the SPTJM for the unit head to sign, the TPI's LHE, and the
submission bundle (bundle.py). Context builders return plain data for the PDF templates."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Assessment, Designation, Track
from assessments.services import answers_by_track, prior_designation, score_assessment
from evidence.models import EvidenceItem
from evidence.models import Status as EvidenceStatus
from evidence.selectors import area_names
from reports.models import Kind

from .models import Dossier

TEMPLATES = {
    Kind.SURAT_USULAN: "reports/pdf/surat_usulan.html",
    Kind.SPTJM: "reports/pdf/sptjm.html",
    Kind.LHE: "reports/pdf/lhe.html",
}


def build(job, progress) -> tuple[Any, str]:
    if job.kind == Kind.BUNDLE:
        from . import bundle

        return bundle.write_bundle(job.assessment, progress=progress), "zip"
    if job.kind == Kind.SURAT_USULAN:
        context = surat_usulan_context(job.pemda, job.year)
        # What the letter lists is what the nomination guard checks the unit against.
        job.params = {"units": {str(r["assessment"].pk): r["target"] for r in context["rows"]}}
        job.save(update_fields=["params"])
    elif job.kind == Kind.SPTJM:
        context = sptjm_context(job.assessment)
    else:
        context = lhe_context(job.assessment, by=job.requested_by)
    progress(50)
    # Like every other PDF of the portal: a QR code and short code that verify the printed copy.
    from reports.services import document_info
    from reports.verification import render_verified

    content = render_verified(
        TEMPLATES[job.kind], context, info=document_info(job, context), job=job
    )
    progress(90)
    return content, "pdf"


def regional_head(pemda) -> str:
    """ "Bupati Jepara" from head_title "Bupati" and name "Kabupaten Jepara"."""
    place = pemda.name
    for prefix in ("Kabupaten ", "Kota ", "Provinsi "):
        if place.startswith(prefix):
            place = place[len(prefix) :]
            break
    return f"{pemda.head_title} {place}".strip()


def surat_usulan_context(pemda, year) -> dict:
    """Every unit of the Pemda whose dossier is open that year, with the proposed designation."""
    dossiers = (
        Dossier.objects.filter(assessment__unit__pemda=pemda, assessment__year=year)
        .select_related("assessment__unit", "assessment__summary")
        .order_by("assessment__unit__code", "pk")
    )
    rows = []
    for i, d in enumerate(dossiers, 1):
        summary = getattr(d.assessment, "summary", None)
        rows.append(
            {
                "no": i,
                "assessment": d.assessment,
                "unit": d.assessment.unit,
                "target": d.target,
                "tpi_total": summary.tpi_total if summary else None,
            }
        )
    proposed = {r["target"] for r in rows}
    targets = [t for t in Designation.values if t in proposed]
    return {
        "pemda": pemda,
        "year": year,
        "rows": rows,
        "targets": _("%(first)s dan %(second)s") % {"first": targets[0], "second": targets[1]}
        if len(targets) == 2
        else (targets[0] if targets else Designation.WBK),
        "signer_title": regional_head(pemda),
        "signer_name": pemda.head_name,
        "place": pemda.seat or pemda.name,
        "on": timezone.localdate(),
    }


def sptjm_context(assessment) -> dict:
    unit = assessment.unit
    dossier = Dossier.objects.filter(assessment=assessment).first()
    return {
        "assessment": assessment,
        "unit": unit,
        "pemda": unit.pemda,
        "target": dossier.target if dossier else assessment.target,
        "head_name": unit.head_name,
        "head_nip": unit.head_nip,
        "head_title": unit.head_title or _("Kepala %(unit)s") % {"unit": unit.name},
        "place": unit.pemda.seat or unit.pemda.name,
        "on": timezone.localdate(),
    }


def lhe_context(assessment, *, by=None) -> dict:
    """The TPI's evaluation report: scores per area and track, the gaps to WBK and WBBM on the TPI
    track, the findings (answers where the TPI differs from the unit, evidence not accepted) and
    the recommendations the TPI wrote on the dossier."""
    assessment = Assessment.objects.select_related("unit__pemda", "instrument").get(
        pk=assessment.pk
    )
    dossier = Dossier.objects.filter(assessment=assessment).first()
    answers = answers_by_track([assessment.pk]).get(assessment.pk, {})
    results = score_assessment(assessment, answers, prior_designation(assessment))
    names = area_names(assessment.instrument)
    tracks = [Track.SELF, Track.TPI]
    if answers.get(Track.TPN.value):
        tracks.append(Track.TPN)
    trees = {t.value: results[t.value][0] for t in tracks}
    tpi_tree, tpi_outcome = results[Track.TPI.value]
    area_rows = [
        {
            "code": code,
            "name": names.get(code, node.name or code),
            "weight": node.weight,
            "scores": [trees[t.value].areas[code].score for t in tracks],
        }
        for code, node in tpi_tree.areas.items()
    ]
    totals = [
        {"label": node.name, "scores": [trees[t.value].components[code].score for t in tracks]}
        for code, node in tpi_tree.components.items()
    ]
    totals.append({"label": _("Total"), "scores": [trees[t.value].total.score for t in tracks]})
    gates = {name: list(g) for name, g in tpi_outcome.designations.items()}
    self_answers = answers.get(Track.SELF.value, {})
    tpi_answers = answers.get(Track.TPI.value, {})
    texts = {
        q["code"]: q.get("text", "")
        for ind in assessment.instrument.structure()["indicators"]
        for q in ind["questions"]
    }
    differences = [
        {
            "code": code,
            "text": texts.get(code, ""),
            "self": self_answers.get(code),
            "tpi": value,
        }
        for code, value in tpi_answers.items()
        if code in self_answers
        and str(self_answers[code]).strip() != str(value).strip()
        and code in texts
    ]
    order = list(texts)
    differences.sort(key=lambda d: order.index(d["code"]))
    not_accepted = list(
        EvidenceItem.objects.filter(
            assessment=assessment,
            deleted_at__isnull=True,
            status__in=[EvidenceStatus.REJECTED, EvidenceStatus.REVISION],
        )
        .select_related("question")
        .order_by("question__order", "pk")
    )
    return {
        "assessment": assessment,
        "unit": assessment.unit,
        "pemda": assessment.unit.pemda,
        "dossier": dossier,
        "target": dossier.target if dossier else assessment.target,
        "track_labels": [t.label for t in tracks],
        "area_rows": area_rows,
        "totals": totals,
        "gates": gates,
        "predicted": tpi_outcome.predicted,
        "answered": tpi_tree.total.answered_count,
        "scored": tpi_tree.total.scored_count,
        "differences": differences,
        "not_accepted": not_accepted,
        "recommendations": [
            line.strip()
            for line in (dossier.recommendations if dossier else "").splitlines()
            if line.strip()
        ],
        "signer": by,
        "place": assessment.unit.pemda.seat or assessment.unit.pemda.name,
        "on": timezone.localdate(),
    }
