"""Writes of the TPI evaluation workflow. Each function checks its permission (accounts.rules),
changes state atomically, records who/when/what and notifies the other side."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.rules import require_perm
from assessments.models import Assessment, Question

from .models import (
    DEFAULT_TIERS,
    Assignment,
    Evaluation,
    EvaluationState,
    EvaluationStep,
    EvidenceRule,
    ReviewPolicy,
    RevisionAbout,
    RevisionMessage,
    RevisionRequest,
    RevisionStatus,
    TeamRole,
)

MAX_TEXT = 4000
BULK_LIMIT = 200  # items one bulk decision may carry (the queue shows at most 100 a page)


class ReviewError(ValueError):
    """A refused workflow step; ``code`` says which rule (the message is for people)."""

    def __init__(self, message: str, *, code: str, field: str = ""):
        self.code, self.field = code, field
        super().__init__(message)


def _text(text: str | None, *, required: bool, message: str) -> str:
    text = (text or "").strip()
    if required and not text:
        raise ReviewError(message, code="text_required", field="text")
    if len(text) > MAX_TEXT:
        raise ReviewError(
            _("Teks terlalu panjang (maksimal %(max)d karakter).") % {"max": MAX_TEXT},
            code="text_too_long",
            field="text",
        )
    return text


# --- policy ------------------------------------------------------------------------------------


def policy_for(pemda: Any) -> ReviewPolicy:
    """The Pemda's evaluation rules, or the defaults (anggota → ketua; evidence blocks) unsaved."""
    found = ReviewPolicy.objects.filter(pemda_id=pemda.pk).first()
    return found or ReviewPolicy(pemda=pemda, tiers=list(DEFAULT_TIERS))


def evidence_blocks(pemda: Any) -> bool:
    return policy_for(pemda).evidence_rule == EvidenceRule.BLOCK


# --- revision requests -------------------------------------------------------------------------


def _unit_people(assessment: Assessment) -> list[Any]:
    from accounts.models import User

    return list(
        User.objects.filter(
            memberships__unit_id=assessment.unit_id,
            memberships__role__in=[Role.UNIT_HEAD, Role.UNIT_OPERATOR],
        ).distinct()
    )


def _tpi_people(assessment: Assessment, also: Any = None) -> list[Any]:
    people = [a.user for a in assessment.tpi_assignments.select_related("user")]
    return [*people, also] if also is not None else people


def _notify(users: list[Any], text: str, url: str, *, exclude: Any = None) -> None:
    from notifications.models import Notification
    from notifications.services import notify

    notify([u for u in users if u != exclude], Notification.Kind.REVIEW, text, url)


def _message(request: RevisionRequest, by: Any, action: str, text: str) -> RevisionMessage:
    return RevisionMessage.objects.create(request=request, author=by, action=action, text=text)


def open_revision(
    *,
    assessment: Assessment,
    question: Question,
    by: Any,
    note: str,
    about: str = RevisionAbout.BOTH,
) -> RevisionRequest:
    """The TPI asks the unit to fix one question (answer and/or evidence), with a note. Only while
    the assessment is in development; one live request per question (a second one is refused)."""
    require_perm(
        by,
        "review.open_revision",
        assessment,
        _("Permintaan perbaikan hanya dapat dibuka TPI selama tahap pembangunan."),
    )
    if question.instrument_id != assessment.instrument_id:
        raise ReviewError(_("Pertanyaan ini bukan bagian dari LKE penilaian ini."), code="question")
    if about not in RevisionAbout.values:
        raise ReviewError(
            _("Pilih yang perlu diperbaiki: jawaban, data dukung, atau keduanya."),
            code="about",
            field="about",
        )
    note = _text(note, required=True, message=_("Tuliskan perbaikan yang diminta."))
    rounds = RevisionRequest.objects.filter(assessment=assessment, question=question).count()
    try:
        with transaction.atomic():
            request = RevisionRequest.objects.create(
                assessment=assessment,
                question=question,
                about=about,
                opened_by=by,
                rounds=rounds + 1,
                status_at=timezone.now(),
            )
            _message(request, by, RevisionMessage.Action.OPENED, note)
    except IntegrityError:
        raise ReviewError(
            _("Pertanyaan %(code)s sudah memiliki permintaan perbaikan yang belum selesai.")
            % {"code": question.code},
            code="already_open",
        ) from None
    _notify(
        _unit_people(assessment),
        _("TPI meminta perbaikan pertanyaan %(code)s: %(note)s")
        % {"code": question.code, "note": note[:200]},
        request.get_absolute_url(),
    )
    return request


def _locked_request(request: RevisionRequest) -> RevisionRequest:
    return (
        RevisionRequest.objects.select_for_update(of=("self",))
        .select_related("assessment__unit", "question")
        .get(pk=request.pk)
    )


def reply_revision(*, request: RevisionRequest, by: Any, text: str) -> RevisionRequest:
    """The unit answers a live request (after changing the answer or evidence, or to explain);
    the request waits for the evaluator again. Refused once the LKE is locked for the unit."""
    require_perm(
        by,
        "review.reply_revision",
        request,
        _("Hanya unit yang dapat menjawab, dan hanya selama LKE belum dikunci."),
    )
    text = _text(text, required=True, message=_("Tuliskan jawaban atau perbaikan yang dilakukan."))
    with transaction.atomic():
        request = _locked_request(request)
        if request.status == RevisionStatus.CLOSED:
            raise ReviewError(_("Permintaan perbaikan ini sudah ditutup."), code="closed")
        request.status, request.status_at = RevisionStatus.ANSWERED, timezone.now()
        request.save(update_fields=["status", "status_at"])
        _message(request, by, RevisionMessage.Action.REPLIED, text)
    _notify(
        _tpi_people(request.assessment, also=request.opened_by),
        _("%(unit)s menjawab permintaan perbaikan %(code)s.")
        % {"unit": request.assessment.unit.name, "code": request.question.code},
        request.get_absolute_url(),
        exclude=by,
    )
    return request


def close_revision(*, request: RevisionRequest, by: Any, note: str = "") -> RevisionRequest:
    """The evaluator accepts the fix (or drops the request): closed, with an optional note."""
    require_perm(
        by,
        "review.close_revision",
        request,
        _("Hanya TPI yang dapat menutup permintaan perbaikan."),
    )
    note = _text(note, required=False, message="")
    with transaction.atomic():
        request = _locked_request(request)
        if request.status == RevisionStatus.CLOSED:
            raise ReviewError(_("Permintaan perbaikan ini sudah ditutup."), code="closed")
        request.status, request.status_at = RevisionStatus.CLOSED, timezone.now()
        request.save(update_fields=["status", "status_at"])
        _message(request, by, RevisionMessage.Action.CLOSED, note)
    _notify(
        _unit_people(request.assessment),
        _("TPI menutup permintaan perbaikan %(code)s.") % {"code": request.question.code},
        request.get_absolute_url(),
    )
    return request


def reopen_revision(*, request: RevisionRequest, by: Any, note: str) -> RevisionRequest:
    """The evaluator sends a closed request back to the unit (with a reason): counts a new round."""
    require_perm(
        by,
        "review.reopen_revision",
        request,
        _("Permintaan perbaikan hanya dapat dibuka kembali TPI selama tahap pembangunan."),
    )
    note = _text(note, required=True, message=_("Tuliskan alasan membuka kembali."))
    try:
        with transaction.atomic():
            request = _locked_request(request)
            if request.status != RevisionStatus.CLOSED:
                raise ReviewError(_("Permintaan perbaikan ini masih berjalan."), code="not_closed")
            request.status, request.status_at = RevisionStatus.OPEN, timezone.now()
            request.rounds += 1
            request.save(update_fields=["status", "status_at", "rounds"])
            _message(request, by, RevisionMessage.Action.REOPENED, note)
    except IntegrityError:
        raise ReviewError(
            _("Pertanyaan ini sudah memiliki permintaan perbaikan lain yang belum selesai."),
            code="already_open",
        ) from None
    _notify(
        _unit_people(request.assessment),
        _("TPI membuka kembali permintaan perbaikan %(code)s: %(note)s")
        % {"code": request.question.code, "note": note[:200]},
        request.get_absolute_url(),
    )
    return request


# --- assignments and sign-off ------------------------------------------------------------------


def assign(
    *, assessment: Assessment, user: Any, role: str, by: Any, area_code: str = ""
) -> Assignment:
    """The Admin Inspektorat puts a TPI member of the same Pemda on an assessment (optionally one
    change area); a member of the evaluated unit cannot evaluate it."""
    from accounts.roles import forget_roles, role_map
    from accounts.rules import INSPEKTORAT, require_perm

    require_perm(by, "assessments.view_assessment", assessment, _("Anda tidak berwenang."))
    require_perm(
        by, "review.assign_tpi", assessment, _("Hanya Admin Inspektorat yang dapat menugaskan TPI.")
    )
    if role not in TeamRole.values:
        raise ReviewError(_("Pilih peran dalam tim."), code="role", field="role")
    forget_roles(user)
    roles = role_map(user)
    if not roles.in_pemda(assessment.unit.pemda_id, INSPEKTORAT):
        raise ReviewError(
            _("%(who)s bukan anggota Inspektorat Pemda ini.") % {"who": user.display_name},
            code="not_tpi",
            field="user",
        )
    if assessment.unit_id in roles.unit_roles:
        raise ReviewError(
            _("%(who)s bekerja di unit ini sehingga tidak dapat mengevaluasinya.")
            % {"who": user.display_name},
            code="own_unit",
            field="user",
        )
    areas = {a["code"] for a in assessment.instrument.structure().get("areas", [])}
    if area_code and area_code not in areas:
        raise ReviewError(_("Area perubahan tidak dikenal."), code="area", field="area_code")
    assignment, _created = Assignment.objects.get_or_create(
        assessment=assessment,
        user=user,
        role=role,
        area_code=area_code,
        defaults={"assigned_by": by},
    )
    _notify(
        [user],
        _("Anda ditugaskan sebagai %(role)s untuk %(unit)s (%(year)d).")
        % {"role": TeamRole(role).label, "unit": assessment.unit.name, "year": assessment.year},
        assessment.get_absolute_url(),
    )
    return assignment


def unassign(*, assignment: Assignment, by: Any) -> None:
    require_perm(
        by,
        "review.assign_tpi",
        assignment.assessment,
        _("Hanya Admin Inspektorat yang dapat mengubah penugasan TPI."),
    )
    assignment.delete()


def evaluation_of(assessment: Assessment) -> Evaluation:
    evaluation, _created = Evaluation.objects.get_or_create(assessment=assessment)
    return evaluation


def _sign_step(*, assessment: Assessment, by: Any, action: str, note: str = "") -> Evaluation:
    with transaction.atomic():
        evaluation_of(assessment)
        evaluation = (
            Evaluation.objects.select_for_update()
            .select_related("assessment")
            .get(assessment=assessment)
        )
        role = evaluation.waiting_for
        if not role:
            raise ReviewError(_("Evaluasi TPI ini sudah disahkan."), code="signed_off")
        # Asked under the row lock: the turn cannot move between the check and the write.
        require_perm(
            by,
            "review.sign_evaluation",
            assessment,
            _("Langkah ini menunggu %(role)s yang ditugaskan, selama tahap pembangunan.")
            % {"role": TeamRole(role).label},
        )
        if action == EvaluationStep.Action.SENT_BACK:
            if evaluation.state != EvaluationState.SUBMITTED:
                raise ReviewError(
                    _("Evaluasi yang belum dikirim tidak dapat dikembalikan."), code="not_submitted"
                )
            evaluation.state, evaluation.tier = EvaluationState.DRAFT, 0
        elif evaluation.state == EvaluationState.DRAFT:
            live = RevisionRequest.objects.filter(assessment=assessment).exclude(
                status=RevisionStatus.CLOSED
            )
            if live.exists():
                raise ReviewError(
                    _(
                        "Masih ada %(n)d permintaan perbaikan yang belum ditutup; tutup dahulu "
                        "sebelum mengirim evaluasi."
                    )
                    % {"n": live.count()},
                    code="open_requests",
                )
            evaluation.tiers = list(policy_for(assessment.unit.pemda).tiers or DEFAULT_TIERS)
            evaluation.state, evaluation.tier = EvaluationState.SUBMITTED, 0
        else:
            evaluation.tier += 1
            if evaluation.tier >= len(evaluation.tiers):
                evaluation.state = EvaluationState.SIGNED_OFF
        evaluation.save()
        EvaluationStep.objects.create(
            evaluation=evaluation, action=action, role=role, by=by, note=note
        )
    return evaluation


def submit_evaluation(*, assessment: Assessment, by: Any, note: str = "") -> Evaluation:
    """The assigned member hands the TPI evaluation to the first sign-off tier; refused while a
    revision request is still live."""
    evaluation = evaluation_of(assessment)
    if evaluation.state != EvaluationState.DRAFT:
        raise ReviewError(_("Evaluasi TPI ini sudah dikirim."), code="submitted")
    evaluation = _sign_step(
        assessment=assessment, by=by, action=EvaluationStep.Action.SUBMITTED, note=note
    )
    _notify_turn(evaluation, by)
    return evaluation


def sign_off(*, assessment: Assessment, by: Any, note: str = "") -> Evaluation:
    """The tier whose turn it is signs off; after the last tier the evaluation is complete."""
    evaluation = evaluation_of(assessment)
    if evaluation.state != EvaluationState.SUBMITTED:
        raise ReviewError(
            _("Evaluasi TPI belum dikirim anggota tim atau sudah disahkan."), code="not_submitted"
        )
    evaluation = _sign_step(
        assessment=assessment, by=by, action=EvaluationStep.Action.SIGNED, note=note
    )
    _notify_turn(evaluation, by)
    return evaluation


def send_back(*, assessment: Assessment, by: Any, reason: str) -> Evaluation:
    """A tier returns the evaluation to the member, with a reason; sign-off starts over."""
    reason = _text(reason, required=True, message=_("Tuliskan alasan pengembalian."))
    evaluation = _sign_step(
        assessment=assessment, by=by, action=EvaluationStep.Action.SENT_BACK, note=reason
    )
    _notify(
        [a.user for a in assessment.tpi_assignments.filter(role=TeamRole.MEMBER)],
        _("Evaluasi TPI %(unit)s dikembalikan: %(reason)s")
        % {"unit": assessment.unit.name, "reason": reason[:200]},
        assessment.get_absolute_url(),
        exclude=by,
    )
    return evaluation


def _notify_turn(evaluation: Evaluation, by: Any) -> None:
    assessment = evaluation.assessment
    if evaluation.state == EvaluationState.SIGNED_OFF:
        from accounts.models import User

        admins = User.objects.filter(
            memberships__pemda_id=assessment.unit.pemda_id,
            memberships__role=Role.INSPEKTORAT_ADMIN,
        )
        _notify(
            [*admins, *_tpi_people(assessment)],
            _("Evaluasi TPI %(unit)s telah disahkan.") % {"unit": assessment.unit.name},
            assessment.get_absolute_url(),
            exclude=by,
        )
        return
    _notify(
        [a.user for a in assessment.tpi_assignments.filter(role=evaluation.waiting_for)],
        _("Evaluasi TPI %(unit)s menunggu pengesahan Anda.") % {"unit": assessment.unit.name},
        assessment.get_absolute_url(),
        exclude=by,
    )


# --- bulk review -------------------------------------------------------------------------------


def bulk_accept(*, item_ids: list[int], by: Any) -> tuple[int, list[str]]:
    """Accepts many evidence items in one request, each through evidence.services.review (same
    rules, history and notifications as one by one). Returns (accepted, problems)."""
    from evidence import services as evidence_services
    from evidence.models import EvidenceItem

    if len(item_ids) > BULK_LIMIT:
        raise ReviewError(
            _("Paling banyak %(n)d data dukung sekaligus.") % {"n": BULK_LIMIT}, code="too_many"
        )
    from accounts.rules import in_scope

    accepted, problems = 0, []
    items = EvidenceItem.objects.filter(pk__in=item_ids).select_related("assessment__unit")
    for item in items:
        if not in_scope(by, item):
            continue  # another Pemda's or unit's: as if it did not exist (not even its title)
        try:
            with transaction.atomic():
                evidence_services.review(item=item, by=by, status="accepted", comment="")
            accepted += 1
        except (PermissionDenied, evidence_services.EvidenceError) as exc:
            problems.append(f"{item.title}: {exc}")
    return accepted, problems
