"""Demo of the TPI evaluation workflow. ``complete_evaluation`` is called by assessments.demo before
each demo nomination (evidence accepted where the rule asks for it, member submits, ketua signs
off); ``seed`` (a DEMO_STEPS entry) gives this year's units their TPI teams and a few revision
requests in every state. Everything goes through the services, as real users would."""

from __future__ import annotations

from django.db import transaction

from accounts.models import Role, User
from assessments.models import Assessment, Question, Stage, Track

from . import services
from .evidence_rule import needs_evidence
from .models import RevisionRequest

EVIDENCE_SITE = "https://jdih.jepara.go.id/zi"


def _people(pemda):
    def pick(role, username):
        qs = User.objects.filter(memberships__pemda=pemda, memberships__role=role).order_by("pk")
        return qs.filter(username=username).first() or qs.first()

    admin = pick(Role.INSPEKTORAT_ADMIN, "inspektur")
    member = pick(Role.EVALUATOR, "evaluator")
    leader = (
        User.objects.filter(memberships__pemda=pemda, memberships__role=Role.EVALUATOR)
        .exclude(pk=member.pk)
        .order_by("pk")
        .filter(username="evaluator2")
        .first()
    ) or admin
    return admin, member, leader


def _operator(unit):
    return User.objects.filter(memberships__unit=unit, memberships__role=Role.UNIT_OPERATOR).first()


def _team(assessment, admin, member, leader):
    services.assign(assessment=assessment, user=member, role="anggota", by=admin)
    services.assign(assessment=assessment, user=leader, role="ketua", by=admin)


def complete_evaluation(assessment: Assessment) -> None:
    """Backs every TPI answer that needs it with an accepted link (the unit's document register),
    then the member submits and the ketua tim signs off."""
    from evidence import services as evidence_services
    from evidence.models import EvidenceItem, Status

    pemda = assessment.unit.pemda
    admin, member, leader = _people(pemda)
    operator = _operator(assessment.unit)
    _team(assessment, admin, member, leader)
    spec = assessment.instrument.structure()
    questions = {q["code"]: q for ind in spec["indicators"] for q in ind["questions"]}
    rows = {q.code: q for q in Question.objects.filter(instrument_id=assessment.instrument_id)}
    accepted = set(
        EvidenceItem.objects.filter(
            assessment=assessment, status=Status.ACCEPTED, deleted_at__isnull=True
        ).values_list("question__code", flat=True)
    )
    for code, value in assessment.answers.filter(track=Track.TPI).values_list(
        "question__code", "value"
    ):
        if code in accepted or not needs_evidence(spec, questions[code], value):
            continue
        title = (questions[code].get("evidence") or [f"Dokumen {code}"])[0]
        item = evidence_services.add_link(
            assessment=assessment,
            question=rows[code],
            url=f"{EVIDENCE_SITE}/{assessment.unit.code.lower()}/{assessment.year}/{code.lower()}",
            title=title,
            by=operator,
        )
        evidence_services.review(item=item, by=member, status="accepted", comment="")
    services.submit_evaluation(
        assessment=assessment, by=member, note="Seluruh area perubahan telah dievaluasi."
    )
    services.sign_off(assessment=assessment, by=leader, note="Disetujui ketua tim.")


REQUESTS = [
    # (unit code, question index among scored questions, note, then: reply, close)
    ("OPD-22", 0, "SK Tim Kerja ZI yang diunggah belum ditandatangani kepala dinas.", None, False),
    (
        "OPD-22",
        3,
        "Notula monev triwulan II belum memuat daftar hadir; mohon lengkapi.",
        "Daftar hadir sudah kami gabungkan ke notula dan diunggah ulang.",
        False,
    ),
    (
        "OPD-22",
        5,
        "Jawaban A belum didukung bukti pelaksanaan rencana kerja.",
        "Laporan pelaksanaan rencana kerja semester I sudah ditambahkan.",
        True,
    ),
    (
        "OPD-17",
        1,
        "Foto maklumat pelayanan tidak terbaca; unggah foto yang lebih jelas.",
        "Foto baru diambil ulang di ruang pelayanan.",
        False,
    ),
]


def seed(pemda):
    """TPI teams for this year's units in development and revision requests in each state."""
    if RevisionRequest.objects.filter(assessment__unit__pemda=pemda).exists():
        return  # already seeded: keep what people did in the demo
    assessments = list(
        Assessment.objects.filter(unit__pemda=pemda, stage=Stage.DEVELOPMENT)
        .select_related("unit", "instrument")
        .order_by("-year", "unit__name")
    )
    if not assessments:
        return
    admin, member, leader = _people(pemda)
    year = assessments[0].year
    with transaction.atomic():
        for assessment in assessments:
            if assessment.year == year and not assessment.tpi_assignments.exists():
                _team(assessment, admin, member, leader)
        by_code = {a.unit.code: a for a in assessments if a.year == year}
        for code, index, note, reply, close in REQUESTS:
            assessment = by_code.get(code)
            operator = assessment and _operator(assessment.unit)
            if assessment is None or operator is None:
                continue
            question = (
                Question.objects.filter(instrument_id=assessment.instrument_id)
                .exclude(answer_type__in=["JUMLAH", "PERSEN"])
                .order_by("order")[index]
            )
            request = services.open_revision(
                assessment=assessment, question=question, by=member, note=note
            )
            if reply:
                services.reply_revision(request=request, by=operator, text=reply)
            if close:
                services.close_revision(request=request, by=member, note="Sudah sesuai.")
