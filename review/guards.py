"""The workflow's checks in the nomination guard (assessments.lifecycle.nomination_blockers)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from .evidence_rule import EvidenceGaps, evidence_gaps
from .models import Evaluation, EvaluationState, TeamRole
from .services import evidence_blocks

SHOWN_CODES = 8  # question codes listed in one reason; the rest are counted


def signoff_blockers(assessment: Any) -> list[str]:
    """Nomination needs the TPI evaluation submitted by the member and signed off by every tier."""
    evaluation = Evaluation.objects.filter(assessment_id=assessment.pk).first()
    if evaluation is not None and evaluation.state == EvaluationState.SIGNED_OFF:
        return []
    waiting = evaluation.waiting_for if evaluation else TeamRole.MEMBER.value
    return [
        _("Evaluasi TPI belum disahkan: menunggu %(role)s.") % {"role": TeamRole(waiting).label}
    ]


def _codes(codes: list[str]) -> str:
    shown = ", ".join(codes[:SHOWN_CODES])
    rest = len(codes) - SHOWN_CODES
    return shown + (_(" dan %(n)d lainnya") % {"n": rest} if rest > 0 else "")


def evidence_reasons(gaps: EvidenceGaps) -> list[str]:
    """The answers lacking accepted evidence, in Indonesian, by what they lack."""
    reasons = []
    if gaps.missing:
        reasons.append(
            _("%(n)d jawaban TPI belum didukung data dukung: %(codes)s.")
            % {"n": len(gaps.missing), "codes": _codes(gaps.missing)}
        )
    if gaps.pending:
        reasons.append(
            _("%(n)d jawaban TPI dengan data dukung yang belum direviu: %(codes)s.")
            % {"n": len(gaps.pending), "codes": _codes(gaps.pending)}
        )
    if gaps.rejected:
        reasons.append(
            _("%(n)d jawaban TPI dengan data dukung ditolak atau perlu perbaikan: %(codes)s.")
            % {"n": len(gaps.rejected), "codes": _codes(gaps.rejected)}
        )
    return reasons


def evidence_blockers(assessment: Any) -> list[str]:
    """Answers that need accepted evidence and lack it, when the Pemda's rule blocks nomination."""
    if not evidence_blocks(assessment.unit.pemda):
        return []
    return evidence_reasons(evidence_gaps([assessment])[assessment.pk])
