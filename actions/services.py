"""Writes of rekomendasi, rencana aksi and monev. Each function checks its permission
(accounts.rules, actions block), validates with structured errors and changes state atomically."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.rules import require_perm
from assessments.models import Assessment, Designation, Question
from units.models import WorkUnit
from zi_portal import formats

from .models import (
    QUARTERS,
    ActionItem,
    FollowUp,
    MonevEntry,
    Recommendation,
    Source,
    Verdict,
)

MAX_TEXT = 4000
# A one-click item's due date when its source names none.
DEFAULT_DAYS = 60


class ActionError(ValueError):
    """Refused input; ``code`` says which rule and ``field`` which form field (messages are for people)."""

    def __init__(self, message: str, *, code: str, field: str = ""):
        self.code, self.field = code, field
        super().__init__(message)


def _text(value: str | None, *, field: str, message: str, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ActionError(message, code="required", field=field)
    if len(value) > MAX_TEXT:
        raise ActionError(
            _("Teks terlalu panjang (paling banyak %(n)d karakter).") % {"n": MAX_TEXT},
            code="too_long",
            field=field,
        )
    return value


def _structure_codes(assessment: Assessment) -> tuple[set[str], set[str]]:
    spec = assessment.instrument.structure()
    areas = {a["code"] for a in spec.get("areas", [])}
    indicators = {i["code"] for i in spec.get("indicators", [])}
    return areas, indicators


def unit_people(unit_id: int):
    return User.objects.filter(
        memberships__unit_id=unit_id,
        memberships__role__in=[Role.UNIT_HEAD, Role.UNIT_OPERATOR],
        is_active=True,
    ).distinct()


def _notify(users, text: str, url: str, *, key: str = "") -> None:
    from notifications.models import Notification
    from notifications.services import notify

    notify(list(users), Notification.Kind.DEADLINE, text, url, key=key)


# --- recommendations ---------------------------------------------------------------------------


def add_recommendation(
    *,
    assessment: Assessment,
    by: Any,
    text: str,
    source: str = Source.TPI,
    area_code: str = "",
    indicator_code: str = "",
    question: Question | None = None,
    due_on: datetime.date | None = None,
) -> Recommendation:
    """The TPI records a recommendation; a TPN one is entered by the Admin Inspektorat."""
    source = Source(source)
    permission = (
        "actions.add_tpn_recommendation" if source == Source.TPN else "actions.add_recommendation"
    )
    require_perm(by, permission, assessment, _("Anda tidak berwenang mencatat rekomendasi ini."))
    text = _text(text, field="text", message=_("Tuliskan rekomendasinya."))
    areas, indicators = _structure_codes(assessment)
    if question is not None:
        if question.instrument_id != assessment.instrument_id:
            raise ActionError(
                _("Pertanyaan ini bukan bagian dari LKE penilaian ini."),
                code="question",
                field="question",
            )
        area_code, indicator_code = question.area_code, question.indicator_code
    if indicator_code and indicator_code not in indicators:
        raise ActionError(_("Indikator tidak dikenal."), code="indicator", field="indicator_code")
    if area_code and area_code not in areas:
        raise ActionError(_("Area perubahan tidak dikenal."), code="area", field="area_code")
    recommendation = Recommendation.objects.create(
        assessment=assessment,
        source=source,
        area_code=area_code,
        indicator_code=indicator_code,
        question=question,
        text=text,
        due_on=due_on,
        created_by=by,
    )
    _notify(
        unit_people(assessment.unit_id),
        _("Rekomendasi %(source)s baru untuk %(unit)s: %(text)s")
        % {"source": source.label, "unit": assessment.unit.name, "text": text[:200]},
        recommendation.get_absolute_url(),
    )
    return recommendation


def follow_up(
    *,
    recommendation: Recommendation,
    by: Any,
    response: str,
    evidence: Any = None,
    evidence_url: str = "",
) -> FollowUp:
    """The unit records what it did about a recommendation (and its evidence)."""
    require_perm(
        by,
        "actions.follow_up",
        recommendation,
        _("Hanya unit kerja yang bersangkutan yang dapat menindaklanjuti rekomendasi ini."),
    )
    if not recommendation.is_open:
        raise ActionError(
            _("Rekomendasi ini sudah dinilai selesai; tindak lanjut tidak dapat ditambah."),
            code="closed",
        )
    response = _text(response, field="response", message=_("Tuliskan tindak lanjutnya."))
    if evidence is not None and evidence.assessment.unit_id != recommendation.assessment.unit_id:
        raise ActionError(
            _("Data dukung ini bukan milik unit kerja ini."), code="evidence", field="evidence"
        )
    done = FollowUp.objects.create(
        recommendation=recommendation,
        response=response,
        evidence=evidence,
        evidence_url=(evidence_url or "").strip(),
        by=by,
    )
    if recommendation.created_by_id:
        _notify(
            [recommendation.created_by],
            _("%(unit)s menindaklanjuti rekomendasi: %(text)s")
            % {"unit": recommendation.assessment.unit.name, "text": recommendation.text[:200]},
            recommendation.get_absolute_url(),
        )
    return done


def judge_recommendation(
    *, recommendation: Recommendation, by: Any, verdict: str, reason: str = ""
) -> Recommendation:
    """The TPI's verdict on the follow-up: selesai (needs a follow-up), belum, or tidak dapat
    ditindaklanjuti (needs a reason)."""
    require_perm(
        by,
        "actions.judge_recommendation",
        recommendation,
        _("Hanya TPI yang dapat menilai tindak lanjut rekomendasi."),
    )
    try:
        verdict = Verdict(verdict)
    except ValueError:
        raise ActionError(_("Pilih penilaian."), code="verdict", field="verdict") from None
    if verdict == Verdict.PENDING:
        raise ActionError(_("Pilih penilaian."), code="verdict", field="verdict")
    reason = _text(
        reason,
        field="reason",
        message=_("Tuliskan alasan mengapa rekomendasi tidak dapat ditindaklanjuti."),
        required=verdict == Verdict.NOT_FEASIBLE,
    )
    if verdict == Verdict.DONE and not recommendation.follow_ups.exists():
        raise ActionError(
            _("Unit belum mengirim tindak lanjut; rekomendasi belum dapat dinilai selesai."),
            code="no_follow_up",
            field="verdict",
        )
    recommendation.verdict, recommendation.verdict_reason = verdict, reason
    recommendation.verdict_by, recommendation.verdict_at = by, timezone.now()
    recommendation.save(update_fields=["verdict", "verdict_reason", "verdict_by", "verdict_at"])
    return recommendation


# --- action plan -------------------------------------------------------------------------------


def create_item(
    *,
    unit: WorkUnit,
    year: int,
    by: Any,
    title: str,
    expected_output: str,
    responsible: Any,
    start_on: datetime.date,
    due_on: datetime.date,
    area_code: str = "",
    indicator_code: str = "",
    question: Question | None = None,
    gate_code: str = "",
    revision_request: Any = None,
    recommendation: Recommendation | None = None,
    carried_from: ActionItem | None = None,
) -> ActionItem:
    """Adds one line to the unit's action plan of ``year``; the person responsible must be a
    person of the unit and the due date not before the start."""
    require_perm(
        by, "actions.manage_plan", unit, _("Hanya unit kerja ini yang menyusun rencana aksinya.")
    )
    title = _text(title, field="title", message=_("Tuliskan kegiatan yang akan dilakukan."))[:300]
    expected_output = _text(
        expected_output, field="expected_output", message=_("Tuliskan keluaran yang diharapkan.")
    )[:300]
    if responsible is None or not unit_people(unit.pk).filter(pk=responsible.pk).exists():
        raise ActionError(
            _("Penanggung jawab harus orang dari unit kerja ini."),
            code="responsible",
            field="responsible",
        )
    if start_on is None:
        raise ActionError(_("Isi tanggal mulai."), code="required", field="start_on")
    if due_on is None:
        raise ActionError(_("Isi batas waktu."), code="required", field="due_on")
    if due_on < start_on:
        raise ActionError(
            _("Batas waktu tidak boleh sebelum tanggal mulai."), code="dates", field="due_on"
        )
    return ActionItem.objects.create(
        unit=unit,
        year=year,
        area_code=area_code,
        indicator_code=indicator_code,
        question=question,
        title=title,
        expected_output=expected_output,
        responsible=responsible,
        start_on=start_on,
        due_on=due_on,
        gate_code=gate_code,
        revision_request=revision_request,
        recommendation=recommendation,
        carried_from=carried_from,
        created_by=by,
    )


def _one_click_defaults(by: Any, unit: WorkUnit, due_on: datetime.date | None):
    today = timezone.localdate()
    responsible = by if unit_people(unit.pk).filter(pk=by.pk).exists() else None
    due = due_on if due_on and due_on >= today else today + datetime.timedelta(days=DEFAULT_DAYS)
    return responsible, today, due


def item_from_gate(*, assessment: Assessment, gate_code: str, by: Any) -> ActionItem:
    """One click from a missed WBK/WBBM gate (the TPI score's, as stored in the summary): the item
    keeps the gate's code."""
    summary = getattr(assessment, "summary", None)
    target = assessment.target or Designation.WBK
    missed = (summary.tpi_missed.get(target, []) if summary else []) or []
    gate = next((g for g in missed if g.get("code") == gate_code), None)
    if gate is None:
        raise ActionError(
            _("Syarat predikat ini sudah terpenuhi atau tidak dikenal."),
            code="gate",
            field="gate_code",
        )
    responsible, start, due = _one_click_defaults(by, assessment.unit, None)
    areas, _indicators = _structure_codes(assessment)
    detail = [a["code"] for a in gate.get("low") or [] if a.get("code") in areas]
    label = gate.get("label") or gate_code
    required = gate.get("required")
    return create_item(
        unit=assessment.unit,
        year=assessment.year,
        by=by,
        area_code=detail[0] if detail else "",
        title=_("Memenuhi syarat %(target)s: %(label)s") % {"target": target, "label": label},
        expected_output=(
            _("Nilai TPI mencapai %(required)s") % {"required": required}
            if required
            else _("Syarat terpenuhi")
        ),
        responsible=responsible,
        start_on=start,
        due_on=due,
        gate_code=gate_code,
    )


def item_from_revision(*, revision_request: Any, by: Any) -> ActionItem:
    """One click from a TPI revision request: the item is about its question and keeps the link."""
    assessment = revision_request.assessment
    question = revision_request.question
    responsible, start, due = _one_click_defaults(by, assessment.unit, None)
    return create_item(
        unit=assessment.unit,
        year=assessment.year,
        by=by,
        area_code=question.area_code,
        indicator_code=question.indicator_code,
        question=question,
        title=_("Perbaikan %(code)s sesuai permintaan TPI")
        % {"code": question.label or question.code},
        expected_output=_("Jawaban dan data dukung %(code)s diperbaiki")
        % {"code": question.label or question.code},
        responsible=responsible,
        start_on=start,
        due_on=due,
        revision_request=revision_request,
    )


def item_from_recommendation(*, recommendation: Recommendation, by: Any) -> ActionItem:
    """One click from a recommendation: same area/indicator/question and due date, keeps the link."""
    assessment = recommendation.assessment
    responsible, start, due = _one_click_defaults(by, assessment.unit, recommendation.due_on)
    return create_item(
        unit=assessment.unit,
        year=assessment.year,
        by=by,
        area_code=recommendation.area_code,
        indicator_code=recommendation.indicator_code,
        question=recommendation.question,
        title=(
            _("Tindak lanjut rekomendasi %(source)s: %(text)s")
            % {"source": recommendation.get_source_display(), "text": recommendation.text}
        )[:300],
        expected_output=_("Rekomendasi dinilai selesai oleh TPI"),
        responsible=responsible,
        start_on=start,
        due_on=due,
        recommendation=recommendation,
    )


def update_item(
    *,
    item: ActionItem,
    by: Any,
    progress: int | None = None,
    completed_on: datetime.date | None = None,
    evidence: list | None = None,
) -> ActionItem:
    """The unit records progress, completion (a date, never a typed status) and evidence links."""
    require_perm(
        by, "actions.manage_plan", item, _("Hanya unit kerja ini yang mengubah rencana aksinya.")
    )
    fields = []
    if progress is not None:
        if not 0 <= progress <= 100:
            raise ActionError(
                _("Kemajuan harus antara 0 dan 100%."), code="progress", field="progress"
            )
        item.progress = progress
        fields.append("progress")
    if completed_on is not None:
        if completed_on < item.start_on or completed_on > timezone.localdate():
            raise ActionError(
                _("Tanggal selesai harus antara tanggal mulai dan hari ini."),
                code="completed_on",
                field="completed_on",
            )
        item.completed_on, item.progress = completed_on, 100
        fields += ["completed_on", "progress"]
    with transaction.atomic():
        if fields:
            item.save(update_fields=sorted(set(fields)))
        if evidence is not None:
            foreign = [e for e in evidence if e.assessment.unit_id != item.unit_id]
            if foreign:
                raise ActionError(
                    _("Data dukung ini bukan milik unit kerja ini."),
                    code="evidence",
                    field="evidence",
                )
            item.evidence.set(evidence)
    return item


# --- monev -------------------------------------------------------------------------------------


def report_monev(
    *, item: ActionItem, quarter: int, by: Any, progress: int, narrative: str
) -> MonevEntry:
    """The unit's progress on one item in one quarter (Triwulan I–IV); reporting again replaces
    the quarter's report. The item's progress follows the latest report."""
    require_perm(
        by, "actions.report_monev", item, _("Hanya unit kerja ini yang melaporkan monevnya.")
    )
    if quarter not in dict(QUARTERS):
        raise ActionError(_("Pilih triwulan I–IV."), code="quarter", field="quarter")
    if progress is None or not 0 <= progress <= 100:
        raise ActionError(_("Kemajuan harus antara 0 dan 100%."), code="progress", field="progress")
    narrative = _text(narrative, field="narrative", message=_("Tuliskan uraian kemajuannya."))
    with transaction.atomic():
        entry, _created = MonevEntry.objects.update_or_create(
            item=item,
            quarter=quarter,
            defaults={"progress": progress, "narrative": narrative, "reported_by": by},
        )
        latest = item.monev.order_by("-quarter").values_list("progress", flat=True).first()
        if latest is not None and item.completed_on is None:
            item.progress = latest
            item.save(update_fields=["progress"])
    return entry


def comment_monev(*, entry: MonevEntry, by: Any, comment: str) -> MonevEntry:
    """The Inspektorat's comment on a quarter's report."""
    require_perm(
        by, "actions.comment_monev", entry, _("Hanya Inspektorat yang memberi tanggapan monev.")
    )
    entry.comment = _text(comment, field="comment", message=_("Tuliskan tanggapannya."))
    entry.commented_by, entry.commented_at = by, timezone.now()
    entry.save(update_fields=["comment", "commented_by", "commented_at"])
    return entry


def quarter_of(day: datetime.date) -> int:
    return (day.month - 1) // 3 + 1


# --- reminders (Celery beat) -------------------------------------------------------------------


REMIND_DAYS = 7


def item_reminders(*, today: datetime.date, days: int = REMIND_DAYS) -> int:
    """Reminds the person responsible (and the unit head) of each unfinished item due within
    ``days``, and once more when it is overdue. One message per person, item and kind (idempotent)."""
    created = 0
    items = (
        ActionItem.objects.filter(
            completed_on__isnull=True, due_on__lte=today + datetime.timedelta(days=days)
        )
        .select_related("responsible", "unit")
        .order_by("pk")
    )
    heads: dict[int, list] = {}
    for item in items:
        late = item.due_on < today
        if item.unit_id not in heads:
            heads[item.unit_id] = list(
                User.objects.filter(
                    memberships__unit_id=item.unit_id, memberships__role=Role.UNIT_HEAD
                )
            )
        text = (
            _("Rencana aksi terlambat: %(title)s (batas %(date)s).")
            if late
            else _("Rencana aksi jatuh tempo %(date)s: %(title)s.")
        ) % {"title": item.title[:200], "date": formats.long_date(item.due_on)}
        key = f"action:{item.pk}:{'late' if late else 'soon'}:{item.due_on.isoformat()}"
        created += len(
            _notify_count(
                [item.responsible, *heads[item.unit_id]], text, item.get_absolute_url(), key
            )
        )
    return created


def _notify_count(users, text, url, key):
    from notifications.models import Notification
    from notifications.services import notify

    return notify(users, Notification.Kind.DEADLINE, text, url, key=key)
