"""Report jobs: request (permission, de-duplication, queueing), render (idempotent), and the pure-ish
context builders behind each document. Views, the task, the demo and the bench call these."""

import logging
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, cast

from botocore.exceptions import BotoCoreError
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import OperationalError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from assessments import lifecycle, scoring
from assessments.models import (
    DESIGNATED,
    NOT_PROCLAIMED,
    NOT_PROCLAIMED_LABEL,
    OPEN_FOR_UNIT,
    Assessment,
    Stage,
    Track,
)
from assessments.selectors import timeline_entries
from assessments.services import answers_by_track, prior_designation, score_assessment
from evidence import selectors as evidence_selectors
from units.models import UnitType, WorkUnit
from zi_portal import formats
from zi_portal.downloads import XLSX_CONTENT_TYPE

from . import charts, verification
from .models import BUSY, Kind, ReportJob, Status

logger = logging.getLogger(__name__)

# Errors worth another attempt by the task (storage hiccup, database restart); anything else fails the job.
# BotoCoreError: the S3 store unreachable or timing out (a connection error there is not an OSError).
TRANSIENT = (OSError, OperationalError, BotoCoreError)
MAX_ATTEMPTS = 4


class ReportError(ValueError):
    """A report that cannot be made as asked; the message is for the person who asked."""


class RetryableRenderError(Exception):
    """A transient failure: the task retries the job with backoff."""


# --- requesting ------------------------------------------------------------------------------


def request_report(
    *, kind, by, pemda=None, unit=None, assessment=None, year=None, params=None
) -> ReportJob:
    """Queues one document for rendering by a worker after the transaction commits.

    The person must be allowed ``reports.request_report`` on what the document is about. An identical
    job that is still queued or rendering is returned instead of a duplicate."""
    kind = _kind(kind)
    pemda, unit, assessment, year, params, target = _resolve(
        kind, pemda, unit, assessment, year, params or {}
    )
    if not by.has_perm(REQUEST_PERMISSION.get(kind, "reports.request_report"), target):
        raise PermissionDenied(_("Anda tidak berwenang meminta laporan ini."))
    with transaction.atomic():
        busy = ReportJob.objects.select_for_update().filter(
            kind=kind, pemda=pemda, unit=unit, assessment=assessment, year=year, status__in=BUSY
        )
        for job in busy:  # params compared in Python: JSON equality differs between databases
            if job.params == params:
                return job
        job = ReportJob.objects.create(
            kind=kind,
            pemda=pemda,
            unit=unit,
            assessment=assessment,
            year=year,
            params=params,
            requested_by=by,
        )
        _enqueue(job)
    return job


def rerender(*, job: ReportJob, by) -> ReportJob:
    """Renders an existing job again (fresh data, same entry in the list). A busy job is left as it is."""
    if not can_request(by, job):
        raise PermissionDenied(_("Anda tidak berwenang membuat ulang laporan ini."))
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().get(pk=job.pk)
        if job.status in BUSY and not is_stale(job):
            return job
        job.status, job.progress, job.error, job.finished_at = Status.QUEUED, 0, "", None
        job.requested_by = by
        job.save(update_fields=["status", "progress", "error", "finished_at", "requested_by"])
        _enqueue(job)
    return job


# Documents of the nomination dossier have their own permissions (accounts/rules.py, dossier block).
REQUEST_PERMISSION = {
    Kind.SURAT_USULAN: "dossier.request_surat_usulan",
    Kind.SPTJM: "dossier.request_sptjm",
    Kind.LHE: "dossier.request_lhe",
    Kind.BUNDLE: "dossier.build_bundle",
}
DOSSIER_KINDS = frozenset(REQUEST_PERMISSION)


def can_request(user, job) -> bool:
    """Whether ``user`` may (re-)request ``job``'s kind of document for what it is about."""
    return user.has_perm(REQUEST_PERMISSION.get(job.kind, "reports.request_report"), job)


def is_stale(job, *, minutes=15) -> bool:
    """A job left 'rendering' this long has lost its worker (a real render takes seconds)."""
    return (
        job.status == Status.RENDERING
        and job.started_at is not None
        and (timezone.now() - job.started_at).total_seconds() > minutes * 60
    )


# A render takes seconds and a queued job starts within seconds: past this a job is waiting on
# something (broker down, worker killed) and the list says until when, at the latest.
SLOW_AFTER = timedelta(minutes=1)


def waiting(job, now=None):
    """(reason, latest time) for a busy job that waits on the queue's recovery, else None.

    A queued job whose message was lost (broker down when asked) is handed over again by the
    first sweep after ``QUEUED_LOST_AFTER``; a rendering job whose worker died is redelivered by
    the broker after its visibility timeout, or re-queued by the first sweep after ``is_stale``.
    The latest time is None once it has passed (the queue is still down)."""
    now = now or timezone.now()
    schedule = settings.CELERY_BEAT_SCHEDULE["requeue-stale-reports"]["schedule"]
    sweep = timedelta(seconds=cast(float, schedule))  # seconds, as in settings
    if job.status == Status.QUEUED:
        since = job.created_at
        if job.started_at is not None:
            # Rendered before and queued again (Buat ulang, a retry): queued when last saved.
            since = (
                job.history.order_by("-history_date").values_list("history_date", flat=True).first()
                or since
            )
        reason, latest = "queue", since + QUEUED_LOST_AFTER + sweep
    elif job.status == Status.RENDERING and job.started_at is not None:
        since = job.started_at
        visibility = timedelta(
            seconds=settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 3600)
        )
        reason, latest = "worker", since + min(visibility, timedelta(minutes=15) + sweep)
    else:
        return None
    if now - since < SLOW_AFTER:
        return None
    return reason, (latest if latest > now else None)


def _enqueue(job):
    transaction.on_commit(lambda: publish(job))


def publish(job) -> bool:
    """Hands the job to the broker. With the broker unreachable the job stays queued (the list says
    so) and ``requeue_stale_jobs`` hands it over again once the broker is back: nothing is lost and
    the person's request does not fail over it."""
    from kombu.exceptions import OperationalError as BrokerUnavailable

    from .tasks import render_report

    try:
        render_report.delay(job.pk)
    except BrokerUnavailable as exc:
        logger.warning("Report job %s not queued (broker unreachable): %s", job.pk, exc)
        job.broker_unavailable = True
        return False
    job.broker_unavailable = False
    return True


QUEUED_LOST_AFTER = timedelta(minutes=5)


def requeue_stale_jobs(now=None) -> int:
    """Jobs whose message was lost: queued for a while without a worker taking them (broker outage,
    Redis restarted empty) or left rendering by a worker that died (the broker would redeliver only
    after its visibility timeout). Rendering is idempotent, so a rare second delivery costs a render,
    never a second file."""
    now = now or timezone.now()
    stale = [
        job
        for job in ReportJob.objects.filter(status__in=BUSY)
        if (
            job.status == Status.QUEUED
            and job.created_at < now - QUEUED_LOST_AFTER
            and (job.started_at is None or job.started_at < now - QUEUED_LOST_AFTER)
        )
        or is_stale(job)
    ]
    return sum(publish(job) for job in stale)


def _kind(value):
    try:
        return Kind(value)
    except ValueError:
        raise ReportError(_("Jenis laporan tidak dikenal.")) from None


YEARS = range(2000, 2101)  # the API's serializer reads it; the recap form's min/max say the same


def _resolve(kind, pemda, unit, assessment, year, params):
    """(pemda, unit, assessment, year, params, permission target) for a request, or ReportError."""
    if year is not None and year not in YEARS:
        raise ReportError(
            _("Tahun %(year)s di luar rentang %(first)s–%(last)s.")
            % {"year": year, "first": YEARS[0], "last": YEARS[-1]}
        )
    if assessment is not None:
        unit, year = assessment.unit, assessment.year
    if unit is not None:
        if pemda is not None and pemda.pk != unit.pemda_id:
            raise ReportError(_("Unit kerja ini bukan bagian dari Pemda tersebut."))
        pemda = unit.pemda
    if kind == Kind.SURAT_USULAN:
        # One letter per Pemda and year, listing every unit whose dossier is open that year.
        if pemda is None or year is None:
            raise ReportError(_("Pilih Pemda dan tahun untuk surat usulan."))
        return pemda, None, None, year, {}, pemda
    if kind in (Kind.SCORECARD, Kind.LKE_XLSX, Kind.SPTJM, Kind.LHE, Kind.BUNDLE) and (
        assessment is None
    ):
        raise ReportError(_("Pilih penilaian ZI (unit dan tahun) untuk laporan ini."))
    if kind == Kind.PACT and unit is None:
        raise ReportError(_("Pilih unit kerja untuk Pakta Integritas."))
    if kind == Kind.CHARTER and assessment is None:
        # All units proclaimed on one occasion: the Pemda and the proclamation date.
        on = _date(params.get("proclaimed_on"))
        if pemda is None or on is None:
            raise ReportError(
                _("Pilih penilaian unit, atau Pemda dan tanggal pencanangan bersama.")
            )
        if not Assessment.objects.filter(unit__pemda=pemda, proclaimed_on=on).exists():
            raise ReportError(
                _("Tidak ada unit yang dicanangkan pada tanggal %(date)s.")
                % {"date": formats.long_date(on)}
            )
        return pemda, None, None, on.year, {"proclaimed_on": on.isoformat()}, pemda
    if kind in (Kind.RECAP, Kind.RECAP_XLSX):
        if pemda is None:
            raise ReportError(_("Pilih Pemda untuk rekap daerah."))
        year = year or latest_year(pemda)
        return pemda, None, None, year, {}, pemda
    if kind == Kind.SURVEY:
        from surveys.models import SurveyPeriod

        period = (
            SurveyPeriod.objects.select_related("unit__pemda")
            .filter(pk=params.get("period") or 0)
            .first()
        )
        if period is None:
            raise ReportError(_("Pilih periode survei untuk laporan ini."))
        return period.unit.pemda, period.unit, None, period.year, {"period": period.pk}, period
    if kind in (Kind.MONEV, Kind.ACTION_PLAN_XLSX):
        from actions.documents import resolve_params

        if unit is None or year is None:
            raise ReportError(_("Pilih unit kerja dan tahun untuk rencana aksi."))
        return unit.pemda, unit, None, year, resolve_params(kind, params), unit
    if pemda is None:
        raise ReportError(_("Laporan ini memerlukan unit kerja atau Pemda."))
    if kind == Kind.PACT:
        return pemda, unit, None, year, {}, unit
    return pemda, unit, assessment, year, {}, assessment


def _date(value):
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except (TypeError, ValueError):
        return None


def latest_year(pemda) -> int:
    found = (
        Assessment.objects.filter(unit__pemda=pemda)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    return found or timezone.localdate().year


# --- rendering -------------------------------------------------------------------------------


def render_job(job: ReportJob, *, force=False, final=True) -> ReportJob:
    """Renders and stores one job's file.

    Idempotent: a ready job whose file exists is left alone unless ``force``; a job found
    'rendering' (its worker died mid-render and the message came back) is simply rendered again.
    A failure is recorded with its reason; a transient one (``final`` False) queues the job for the
    task's next attempt instead."""
    job = (
        ReportJob.objects.select_related(
            "pemda", "unit", "assessment__unit__pemda", "assessment__instrument"
        )
        .defer("assessment__instrument__spec")
        .get(pk=job.pk)
    )
    if (
        job.status == Status.READY
        and not force
        and job.file
        and default_storage.exists(job.file.name)
    ):
        return job
    _set(
        job,
        status=Status.RENDERING,
        progress=5,
        error="",
        started_at=timezone.now(),
        finished_at=None,
        attempts=job.attempts + 1,
    )
    try:
        content, ext = build_document(job, progress=lambda p: _progress(job, p))
        # A large document (the dossier bundle) comes as a temporary file, streamed to storage.
        body = content if isinstance(content, File) else ContentFile(content)
        try:
            name = default_storage.save(
                f"reports/{job.pemda_id}/{job.kind}/{uuid.uuid4().hex}.{ext}", body
            )
            size = body.size
        finally:
            body.close()
    except TRANSIENT as exc:
        logger.warning(
            "Report job %s: transient failure (attempt %s): %s", job.pk, job.attempts, exc
        )
        if not final and job.attempts < MAX_ATTEMPTS:
            _set(
                job,
                status=Status.QUEUED,
                error=_("Percobaan %(n)d gagal (%(error)s); dicoba lagi.")
                % {"n": job.attempts, "error": exc},
            )
            raise RetryableRenderError(str(exc)) from exc
        _fail(job, exc)
    except ReportError as exc:
        _set(job, status=Status.FAILED, error=str(exc), finished_at=timezone.now())
    except Exception as exc:  # recorded for the person waiting on the list page
        logger.exception("Report job %s failed", job.pk)
        _fail(job, exc)
    else:
        old = job.file.name if job.file else ""
        _set(
            job,
            status=Status.READY,
            progress=100,
            file=name,
            size=size,
            finished_at=timezone.now(),
        )
        if old and old != name:
            default_storage.delete(old)
    return job


def _fail(job, exc):
    _set(
        job,
        status=Status.FAILED,
        finished_at=timezone.now(),
        error=_("Laporan gagal dibuat: %(error)s") % {"error": f"{type(exc).__name__}: {exc}"},
    )


def _set(job, **fields):
    # save() (not update()) so that simple_history records each status change.
    for name, value in fields.items():
        setattr(job, name, value)
    job.save(update_fields=list(fields))


def _progress(job, percent):
    if percent != job.progress:
        job.progress = percent
        ReportJob.objects.filter(pk=job.pk).update(progress=percent)  # no history row per percent


def build_document(job, progress=lambda p: None) -> tuple[bytes, str]:
    """(bytes or a File, extension) of the job's document, from the current data. Every PDF goes
    through ``verification.render_verified``: it carries a QR code and short code of its own.
    Built in Indonesian whatever the asker's language (an eager task runs in their request):
    figures and dates computed for the context, not only the template's, are the document's."""
    with formats.document_language():
        return _build_document(job, progress)


def _build_document(job, progress) -> tuple[bytes, str]:
    if job.kind in DOSSIER_KINDS:
        from dossier import documents

        return documents.build(job, progress)
    if job.kind == Kind.LKE_XLSX:
        from . import xlsx

        return xlsx.export_lke(job.assessment), "xlsx"
    if job.kind == Kind.ACTION_PLAN_XLSX:
        from actions.documents import plan_xlsx

        return plan_xlsx(job.unit, job.year), "xlsx"
    if job.kind == Kind.RECAP_XLSX:
        from . import xlsx

        return xlsx.export_recap(recap_context(job.pemda, job.year)), "xlsx"
    if job.kind == Kind.CHARTER:
        if job.assessment_id:
            assessments = [job.assessment]
        else:
            assessments = list(
                Assessment.objects.filter(
                    unit__pemda=job.pemda, proclaimed_on=job.params["proclaimed_on"]
                )
                .select_related("unit__pemda")
                .order_by("unit__code")
            )
        context = charter_context(assessments)
    elif job.kind == Kind.PACT:
        context = pact_context(job.unit, assessment=pact_assessment(job))
    elif job.kind == Kind.SCORECARD:
        context = scorecard_context(job.assessment)
    elif job.kind == Kind.MONEV:
        from actions.documents import monev_context

        context = monev_context(job.unit, job.year, job.params["quarter"])
    elif job.kind == Kind.SURVEY:
        from surveys.exports import report_context
        from surveys.models import SurveyPeriod

        context = report_context(SurveyPeriod.objects.get(pk=job.params["period"]))
    else:
        context = recap_context(job.pemda, job.year)
    progress(50)
    content = verification.render_verified(
        TEMPLATES[job.kind],
        context,
        info=document_info(job, context),
        job=job,
        parts=recap_parts if job.kind == Kind.RECAP else None,
    )
    progress(90)
    return content, "pdf"


def document_info(job, context) -> verification.DocumentInfo:
    """What the verification page shows for a job's PDF: its title, subject and date as printed.
    The key names the document (kind and what it is about), so rendering it again supersedes."""
    subject = job.unit.name if job.unit_id else job.pemda.name
    if job.year:
        subject += f" — {job.year}"
    on = context.get("on") or context.get("printed_on")
    if job.kind == Kind.CHARTER and not job.assessment_id:
        on = _date(job.params.get("proclaimed_on"))
        subject = _("%(pemda)s — pencanangan bersama %(n)d unit kerja") % {
            "pemda": job.pemda.name,
            "n": len(context["pages"]),
        }
    elif job.kind == Kind.CHARTER:
        on = job.assessment.proclaimed_on
    params = ",".join(f"{k}={v}" for k, v in sorted((job.params or {}).items()))
    key = f"{job.kind}:{job.pemda_id}:{job.unit_id or ''}:{job.assessment_id or ''}:{job.year or ''}:{params}"
    return verification.DocumentInfo(
        title=str(Kind(job.kind).label),
        subject=subject,
        pemda=job.pemda,
        unit=job.unit if job.unit_id else None,
        document_date=on or timezone.localdate(),
        key=key[:200],
    )


def pact_assessment(job):
    """The assessment whose pencanangan the unit head's Pakta belongs to: the job's year, else the
    unit's latest. The Pakta is dated on the proclamation day, not the day it is printed."""
    found = Assessment.objects.filter(unit=job.unit)
    if job.year:
        found = found.filter(year=job.year)
    return found.order_by("-year").first()


TEMPLATES = {
    Kind.CHARTER: "reports/pdf/charter.html",
    Kind.PACT: "reports/pdf/pact.html",
    Kind.SCORECARD: "reports/pdf/scorecard.html",
    Kind.RECAP: "reports/pdf/recap.html",
    Kind.SURVEY: "surveys/pdf/report.html",
    Kind.MONEV: "actions/pdf/monev.html",
}

FILE_PREFIX = {
    Kind.CHARTER: "piagam-pencanangan",
    Kind.PACT: "pakta-integritas",
    Kind.SCORECARD: "kartu-skor",
    Kind.RECAP: "rekap-zi",
    Kind.LKE_XLSX: "lke",
    Kind.SURVEY: "survei-spak-spkp",
    Kind.SURAT_USULAN: "surat-usulan",
    Kind.SPTJM: "sptjm",
    Kind.LHE: "lhe",
    Kind.BUNDLE: "paket-usulan",
    Kind.RECAP_XLSX: "rekap-zi",
    Kind.MONEV: "monev-zi",
    Kind.ACTION_PLAN_XLSX: "rencana-aksi-zi",
}
EXTENSIONS = {
    Kind.LKE_XLSX: "xlsx",
    Kind.RECAP_XLSX: "xlsx",
    Kind.BUNDLE: "zip",
    Kind.ACTION_PLAN_XLSX: "xlsx",
}


def download_name(job) -> str:
    where = job.unit.short_name or job.unit.code if job.unit_id else job.pemda.name
    parts = [FILE_PREFIX[job.kind], slugify(where) or str(job.pemda_id)]
    if job.year:
        parts.append(str(job.year))
    return "-".join(parts) + "." + EXTENSIONS.get(job.kind, "pdf")


def content_type(job) -> str:
    return {
        Kind.LKE_XLSX: XLSX_CONTENT_TYPE,
        Kind.RECAP_XLSX: XLSX_CONTENT_TYPE,
        Kind.ACTION_PLAN_XLSX: XLSX_CONTENT_TYPE,
        Kind.BUNDLE: "application/zip",
    }.get(job.kind, "application/pdf")


# --- context builders --------------------------------------------------------------------------
# Each returns plain data for its template; no request, no user: the worker calls them.


TARGET_LONG = {
    "WBK": "Wilayah Bebas dari Korupsi (WBK)",
    "WBBM": "Wilayah Birokrasi Bersih dan Melayani (WBBM)",
}


def witness_grid(witnesses: list) -> tuple[list[list], int]:
    """Rows of the charter's witness grid and its column count, so that 1–8 witnesses stay aligned:
    up to 3 in one row, 4 as 2 + 2, 5–6 in rows of 3, 7–8 in rows of 4."""
    n = len(witnesses)
    columns = n if n <= 3 else 2 if n == 4 else 3 if n <= 6 else 4
    columns = max(columns, 1)
    return [witnesses[i : i + columns] for i in range(0, n, columns)], columns


def charter_context(assessments) -> dict:
    """One charter page per assessment (a shared proclamation prints one page per unit)."""
    pages = []
    if assessments:
        from django.db.models import prefetch_related_objects

        prefetch_related_objects(assessments, "witnesses")
    pemdas: dict = {}  # one Pemda object per Pemda: its emblem is read once for all pages
    for a in assessments:
        unit = a.unit
        unit.pemda = pemdas.setdefault(unit.pemda_id, unit.pemda)
        witnesses = list(a.witnesses.all())
        rows, columns = witness_grid(witnesses)
        pages.append(
            {
                "assessment": a,
                "unit": unit,
                "pemda": unit.pemda,
                "on": a.proclaimed_on,
                "place": a.proclaimed_at,
                "town": unit.pemda.seat or a.proclaimed_at,
                "signatory_name": a.signatory_name,
                "signatory_title": a.signatory_title,
                "signatory_nip": a.signatory_nip,
                "witnesses": witnesses,
                "witness_rows": rows,
                "witness_columns": columns,
                "target": a.target,
                "target_long": TARGET_LONG.get(a.target, a.target),
            }
        )
    return {
        "pages": pages,
        "pemda": pages[0]["pemda"] if pages else None,
        "on": pages[0]["on"] if pages else None,
    }


@dataclass
class Person:
    """Someone in a signature block: name with titles, NIP, pangkat/golongan, full jabatan."""

    name: str
    title: str
    nip: str = ""
    rank: str = ""


def unit_head(unit) -> Person:
    return Person(
        name=unit.head_name,
        title=unit.head_title or _("Kepala %(unit)s") % {"unit": unit.name},
        nip=unit.head_nip,
        rank=unit.head_rank,
    )


def superior_of(unit) -> Person:
    """Who witnesses the unit head's Pakta ("Menyaksikan"): the head of the parent unit, or for a
    unit at the top the regional head (Bupati/Wali Kota)."""
    if unit.parent_id:
        return unit_head(unit.parent)
    pemda = unit.pemda
    place = pemda.seat or pemda.name
    return Person(name=pemda.head_name, title=f"{pemda.head_title} {place}".strip())


def pact_context(unit, assessment=None, on=None) -> dict:
    on = on or (assessment.proclaimed_on if assessment else None) or timezone.localdate()
    return {
        "unit": unit,
        "pemda": unit.pemda,
        "assessment": assessment,
        "on": on,
        "place": unit.pemda.seat or unit.pemda.name,  # the date line names the town
        "signer": unit_head(unit),
        "superior": superior_of(unit),
    }


@dataclass
class TrackCard:
    track: Track
    tree: scoring.ScoreTree
    outcome: scoring.Outcome
    chart: str
    gates: list[scoring.GateResult]  # of the assessment's target

    @property
    def label(self) -> str:
        return str(self.track.label)

    @property
    def empty(self) -> bool:
        return self.tree.total.answered_count == 0


def scorecard_context(assessment) -> dict:
    """Everything leadership reads before a nomination: per-track LKE with per-area bars against
    weights, Hasil figures, gaps to the target's gates, evidence completeness, the lifecycle
    timeline and a readiness verdict (the nomination guard's own reasons)."""
    answers = answers_by_track([assessment.pk]).get(assessment.pk, {})
    results = score_assessment(assessment, answers, prior_designation(assessment))
    target = assessment.target
    cards = []
    for track in Track:
        tree, outcome = results[track.value]
        share_gate = next(
            (g for g in outcome.designations.get(target, ()) if g.kind == "each_area_share"), None
        )
        rows = [(a.name, a.score, a.weight) for a in tree.areas.values()]
        chart = charts.bars_against_weights(
            rows,
            title=_("Nilai per area dibanding bobot — %(track)s") % {"track": track.label},
            threshold=share_gate.required if share_gate else None,
        )
        cards.append(
            TrackCard(track, tree, outcome, chart, list(outcome.designations.get(target, ())))
        )
    main = next((c for c in cards if c.track == Track.TPI and not c.empty), cards[0])
    hasil = _hasil_rows(assessment, main.tree)
    completeness = evidence_selectors.completeness(assessment)
    area_names = evidence_selectors.area_names(assessment.instrument)
    evidence_rows = [
        (area_names.get(code, code), counts, completeness.share(counts))
        for code, counts in completeness.per_area.items()
    ]
    # By event date (the decree's, the nomination's), like the page's timeline.
    transitions = timeline_entries(assessment)
    return {
        "assessment": assessment,
        "unit": assessment.unit,
        "pemda": assessment.unit.pemda,
        "target": target,
        "cards": cards,
        "main": main,
        "hasil": hasil,
        "completeness": completeness,
        "evidence_rows": evidence_rows,
        "transitions": transitions,
        "verdict": readiness(assessment, main),
        "printed_on": timezone.localdate(),
    }


def _hasil_rows(assessment, tree):
    """The Hasil part: survey figures (IPAK, IPKP) and capaian kinerja with their indicator scores."""
    rows = []
    for ind in assessment.instrument.structure()["indicators"]:
        node = tree.indicators.get(ind["code"])
        if node is None or ind.get("area"):
            continue
        for q in ind["questions"]:
            result = tree.questions.get(q["code"])
            value = result.value if result and result.answered else None
            if value is not None and q.get("survey"):
                value = formats.number(value)  # a survey index: 3,60
            rows.append(
                {
                    "name": ind["name"],
                    "survey": q.get("survey") or "",
                    "value": value,
                    "score": node.score,
                    "weight": node.weight,
                }
            )
    return rows


@dataclass
class Verdict:
    ready: bool
    headline: str
    reasons: list


def readiness(assessment, main) -> Verdict:
    """Short verdict for leadership: the nomination guard's reasons while the unit can still be nominated."""
    if assessment.stage in DESIGNATED:
        return Verdict(
            True, _("Tahap unit: %(stage)s.") % {"stage": assessment.get_stage_display()}, []
        )
    if assessment.stage not in OPEN_FOR_UNIT:
        return Verdict(
            False, _("Tahap saat ini: %(stage)s.") % {"stage": assessment.get_stage_display()}, []
        )
    try:
        reasons = lifecycle.nomination_blockers(assessment, assessment.target)
    except lifecycle.TransitionError as exc:
        reasons = exc.reasons
    if not reasons:
        return Verdict(
            True,
            _("Siap diusulkan %(target)s: seluruh ambang dan prasyarat terpenuhi.")
            % {"target": assessment.target},
            [],
        )
    return Verdict(
        False,
        _("Belum siap diusulkan %(target)s: %(n)d syarat belum terpenuhi.")
        % {"target": assessment.target, "n": len(reasons)},
        [str(r) for r in reasons],
    )


SUMMARY_FIELDS = [
    f"summary__{f}" for f in ("self_total", "tpi_total", "self_predicted", "tpi_predicted")
]


def recap_context(pemda, year, progress=lambda p: None) -> dict:
    """All active units of the Pemda for one year by stage and score (stored summaries), the ranking,
    charts, and designations by year. A fixed number of queries whatever the number of units."""
    units = list(WorkUnit.objects.filter(pemda=pemda, active=True).order_by("code"))
    # Figures from each assessment's summary (kept by the score recompute); the instrument is not
    # loaded with the rows (completeness_totals reads each version once).
    assessments = {
        a.unit_id: a
        for a in Assessment.objects.filter(unit__pemda=pemda, year=year)
        .select_related("summary")
        .only("id", "unit_id", "instrument_id", "stage", "target", *SUMMARY_FIELDS)
    }
    evidence = evidence_selectors.completeness_totals(assessments.values())
    rows: list[dict[str, Any]] = []
    for unit in units:
        a = assessments.get(unit.pk)
        summary = getattr(a, "summary", None) if a else None
        self_total = summary.self_total if summary else None
        tpi_total = summary.tpi_total if summary else None
        best = tpi_total if tpi_total is not None else self_total
        predicted = (
            (summary.tpi_predicted if tpi_total is not None else summary.self_predicted)
            if summary
            else ""
        )
        counts = evidence.get(a.pk) if a else None
        rows.append(
            {
                "unit": unit,
                "assessment": a,
                "stage": a.stage if a else NOT_PROCLAIMED,
                "stage_label": a.get_stage_display() if a else NOT_PROCLAIMED_LABEL,
                "target": a.target if a else "",
                "self": self_total,
                "tpi": tpi_total,
                "best": best,
                "predicted": (predicted if best is not None else "") or "",
                "evidence": counts.percent if counts and counts.scored else None,
            }
        )
    ranked = sorted(
        (r for r in rows if r["best"] is not None), key=lambda r: (-r["best"], r["unit"].code)
    )
    for i, r in enumerate(ranked, 1):
        r["rank"] = i
    unranked = [r for r in rows if r["best"] is None]
    stage_counts = Counter(r["stage"] for r in rows)
    stage_rows = [(label, stage_counts.get(value, 0)) for value, label in Stage.choices]
    stage_rows.append((NOT_PROCLAIMED_LABEL, stage_counts.get(NOT_PROCLAIMED, 0)))
    designations = Counter(
        (y, s)
        for y, s in Assessment.objects.filter(
            unit__pemda=pemda, stage__in=[*DESIGNATED, Stage.REVOKED]
        ).values_list("year", "stage")
    )
    years = sorted({y for y, _s in designations})
    by_year = [
        {
            "year": y,
            "wbk": designations[(y, Stage.DESIGNATED_WBK)],
            "wbbm": designations[(y, Stage.DESIGNATED_WBBM)],
            "revoked": designations[(y, Stage.REVOKED)],
        }
        for y in years
    ]
    progress(40)
    waiting = Counter(r["unit"].get_type_display() for r in rows if r["assessment"] is None)
    inspektorat = next((u for u in units if u.type == UnitType.INSPEKTORAT), None)
    return {
        "pemda": pemda,
        "year": year,
        "rows": ranked + unranked,
        # The PDF lists proclaimed units row by row and only counts the others, by type.
        "listed": [r for r in ranked + unranked if r["assessment"] is not None],
        "not_proclaimed": sum(waiting.values()),
        "not_proclaimed_by_type": sorted(waiting.items(), key=lambda kv: (-kv[1], kv[0])),
        "inspektur": unit_head(inspektorat) if inspektorat else None,
        "place": pemda.seat or pemda.name,
        "on": timezone.localdate(),
        "ranked": ranked,
        "top": ranked[:10],
        "unit_count": len(units),
        "proclaimed": len(assessments),
        "stage_rows": stage_rows,
        "stage_chart": charts.columns(stage_rows, title=_("Unit per tahap"), height=200),
        "score_chart": charts.histogram(
            [r["best"] for r in ranked],
            edges=list(range(0, 101, 10)),
            title=_("Sebaran nilai (TPI, atau penilaian mandiri)"),
        ),
        "by_year": by_year,
        "year_chart": charts.columns(
            [
                row
                for d in by_year
                for row in ((f"{d['year']} WBK", d["wbk"]), (f"{d['year']} WBBM", d["wbbm"]))
            ],
            title=_("Penetapan per tahun"),
            height=170,
            colors=[charts.FILL, charts.PALETTE[1]],
        )
        if by_year
        else "",
        "printed_on": timezone.localdate(),
    }


RECAP_PART_ROWS = 250  # units per part: about 8 pages and 45 MB while WeasyPrint lays them out


def recap_parts(context: dict, size: int | None = None) -> list[dict]:
    """The recap in parts of ``size`` listed units, so that rendering a Pemda of any size takes the
    memory of one part (``pdf.render_pdf_in_parts``). The first part carries the summary, charts and
    top ten; the last the note on units not yet proclaimed and the signature; the table's header
    repeats and the ranks run on."""
    listed, size = context["listed"], size or RECAP_PART_ROWS
    chunks = [listed[i : i + size] for i in range(0, len(listed), size)] or [[]]
    return [
        {**context, "listed": chunk, "continued": i > 0, "continues": i < len(chunks) - 1}
        for i, chunk in enumerate(chunks)
    ]


def visible_jobs(user):
    """Jobs the user may see: every job of a Pemda they read, and their own units' jobs."""
    from django.db.models import Q

    from accounts.roles import role_map
    from accounts.rules import PEMDA_READERS, UNIT_MEMBERS

    roles = role_map(user)
    return ReportJob.objects.filter(
        Q(pemda_id__in=roles.pemdas_with(PEMDA_READERS))
        | Q(unit_id__in=roles.units_with(UNIT_MEMBERS))
    )


def jobs_for_list(user):
    return (
        visible_jobs(user)
        .select_related("pemda", "unit", "requested_by")
        .order_by("-created_at", "-pk")
    )
