"""Write-side rules of the surveys: questionnaire versions, periods, public submissions, voiding,
closing, and the index landing in the LKE. Views, the API, the demo and the bench call these."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import services as assessment_services
from assessments.models import Assessment, Question, Track
from zi_portal import formats

from . import scoring
from .models import Landing, PeriodStatus, Questionnaire, Response, SurveyPeriod

DEFAULT_FILE = Path(__file__).resolve().parent / "questionnaires" / "spak-spkp-v1.json"
PROFILE_FIELDS = ("service_type", "age_band", "gender", "education", "occupation")


class SurveyError(ValueError):
    """A refused action; the message is for the person who asked."""


@dataclass
class SubmissionRefused(Exception):
    """A public submission that was not stored. ``code`` says why (closed, duplicate, rate_limited,
    invalid, honeypot); ``fields`` maps a form field to its message for 'invalid'."""

    code: str
    message: str = ""
    fields: dict[str, str] = field(default_factory=dict)

    def __str__(self):
        return self.message


# --- questionnaires -----------------------------------------------------------------------------


def _checksum(spec: dict) -> str:
    return hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()


def import_questionnaire(*, spec: dict, by=None, pemda=None) -> Questionnaire:
    """Stores a validated questionnaire as the next version of its code; identical data gives back
    the existing version (a version in use is never changed, only followed by a new one)."""
    errors = scoring.validate_spec(spec)
    if errors:
        raise SurveyError(" ".join(errors))
    if pemda is not None and by is not None:
        if not by.has_perm("surveys.manage_questionnaires", pemda):
            raise PermissionDenied(_("Anda tidak berwenang menambah versi kuesioner."))
    checksum = _checksum(spec)
    existing = Questionnaire.objects.filter(code=spec["code"], pemda=pemda, checksum=checksum)
    if existing.exists():
        return existing.get()
    with transaction.atomic():
        last = (
            Questionnaire.objects.select_for_update()
            .filter(code=spec["code"], pemda=pemda)
            .order_by("-version")
            .first()
        )
        return Questionnaire.objects.create(
            code=spec["code"],
            version=(last.version + 1) if last else int(spec.get("version") or 1),
            name=spec["name"],
            pemda=pemda,
            spec=spec,
            checksum=checksum,
            created_by=by,
        )


def default_questionnaire(pemda=None) -> Questionnaire:
    """The newest version a Pemda may use: its own, else the national 1–4 form (loaded from
    questionnaires/spak-spkp-v1.json the first time it is needed)."""
    own = Questionnaire.objects.filter(pemda=pemda).order_by("-version").first() if pemda else None
    if own:
        return own
    national = Questionnaire.objects.filter(pemda__isnull=True).order_by("-version").first()
    return national or import_questionnaire(spec=json.loads(DEFAULT_FILE.read_text("utf-8")))


# --- periods ------------------------------------------------------------------------------------


def open_period(
    *,
    unit,
    year: int,
    name: str,
    population: int,
    service_types: list[str],
    starts_on: date,
    by,
    ends_on: date | None = None,
    questionnaire: Questionnaire | None = None,
) -> SurveyPeriod:
    """Opens a survey round for a unit; the sample target follows Krejcie–Morgan on the number of
    service recipients."""
    if not by.has_perm("surveys.open_period", unit):
        raise PermissionDenied(_("Anda tidak berwenang membuka periode survei untuk unit ini."))
    services = [s.strip() for s in service_types if s.strip()]
    if not services:
        raise SurveyError(_("Sebutkan sedikitnya satu jenis layanan."))
    if population < 1:
        raise SurveyError(_("Jumlah penerima layanan harus lebih dari nol."))
    if ends_on and ends_on < starts_on:
        raise SurveyError(_("Tanggal selesai tidak boleh sebelum tanggal mulai."))
    return SurveyPeriod.objects.create(
        unit=unit,
        year=year,
        name=name.strip(),
        questionnaire=questionnaire or default_questionnaire(unit.pemda),
        service_types=services,
        population=population,
        sample_target=scoring.sample_size(population),
        starts_on=starts_on,
        ends_on=ends_on,
        code=secrets.token_urlsafe(6).replace("-", "x").replace("_", "y"),
        salt=secrets.token_hex(16),
        opened_by=by,
    )


def accepting(period: SurveyPeriod, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return (
        period.status == PeriodStatus.OPEN
        and period.starts_on <= today
        and (period.ends_on is None or today <= period.ends_on)
    )


def close_period(*, period: SurveyPeriod, by, land: bool = True) -> list[Landing]:
    """Closes a round (no more submissions) and, unless told not to, lands its indices in the LKE."""
    if not by.has_perm("surveys.close_period", period):
        raise PermissionDenied(_("Anda tidak berwenang menutup periode survei ini."))
    with transaction.atomic():
        locked = SurveyPeriod.objects.select_for_update().get(pk=period.pk)
        if locked.status != PeriodStatus.CLOSED:
            locked.status, locked.closed_at, locked.closed_by = (
                PeriodStatus.CLOSED,
                timezone.now(),
                by,
            )
            locked.save(update_fields=["status", "closed_at", "closed_by"])
    period.refresh_from_db()
    return land_index(period=period, by=by) if land else []


# --- public submissions -------------------------------------------------------------------------


def keyed_hash(period: SurveyPeriod, value: str) -> str:
    """HMAC-SHA256 under SECRET_KEY and the period's salt: comparable within a period, useless
    outside it, and not reversible to an address by anyone without the key."""
    key = f"{settings.SECRET_KEY}:survey:{period.salt}".encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def rate_limit() -> tuple[int, int]:
    """(submissions, seconds) allowed per address per period; 0 submissions: no limit."""
    return settings.SURVEY_RATE_LIMIT


def _rate_key(period, address_hash):
    return f"survey:rate:{period.pk}:{address_hash}"


def validate_submission(period: SurveyPeriod, data) -> tuple[dict, dict, dict[str, str]]:
    """(profile, answers, errors) from the posted form; every field is checked on the server."""
    spec = period.questionnaire.spec
    errors: dict[str, str] = {}
    profile = {}
    choices = dict(spec["profile"], service_type=period.service_types)
    for name in PROFILE_FIELDS:
        value = (data.get(name) or "").strip()
        if value not in choices[name]:
            errors[name] = (
                _("Pilih salah satu.") if not value else _("Pilihan ini tidak ada di daftar.")
            )
        profile[name] = value
    allowed = {str(v) for v in scoring.scale_values(spec)}
    answers = {}
    for item in scoring.items(spec):
        value = (data.get(item["code"]) or "").strip()
        if value not in allowed:
            errors[item["code"]] = (
                _("Pertanyaan ini belum dijawab.")
                if not value
                else _("Jawaban harus salah satu pilihan yang tersedia.")
            )
        else:
            answers[item["code"]] = int(value)
    return profile, answers, errors


def submit_response(*, period: SurveyPeriod, data, device: str, address: str) -> Response:
    """Stores one public submission, or raises SubmissionRefused and stores nothing.

    One response per device (a signed cookie's id, kept only as a keyed hash; the database's unique
    constraint decides between two simultaneous tries), a limit per address, a honeypot field, and
    every answer validated against the questionnaire version."""
    if not accepting(period):
        raise SubmissionRefused(
            "closed", _("Periode survei ini sudah ditutup; jawaban tidak lagi diterima.")
        )
    if (data.get("website") or "").strip():
        raise SubmissionRefused("honeypot")
    profile, answers, errors = validate_submission(period, data)
    if errors:
        raise SubmissionRefused(
            "invalid",
            _("Ada isian yang belum lengkap atau tidak sah; lihat tanda di bawah."),
            errors,
        )
    device_hash = keyed_hash(period, device)
    if Response.objects.filter(period=period, device_hash=device_hash).exists():
        raise _duplicate()
    address_hash = keyed_hash(period, address)
    limit, seconds = rate_limit()
    key = _rate_key(period, address_hash)
    if limit and (cache.get(key) or 0) >= limit:
        raise SubmissionRefused(
            "rate_limited",
            _(
                "Terlalu banyak jawaban dari jaringan ini dalam waktu singkat. Silakan coba lagi "
                "beberapa saat lagi."
            ),
        )
    try:
        with transaction.atomic():
            response = Response.objects.create(
                period=period,
                device_hash=device_hash,
                address_hash=address_hash,
                answers=answers,
                **profile,
            )
    except IntegrityError:
        raise _duplicate() from None
    if limit:
        # add() then incr(): the counter's window starts at the first submission from the address.
        if not cache.add(key, 1, seconds):
            try:
                cache.incr(key)
            except ValueError:  # expired between add() and incr()
                cache.set(key, 1, seconds)
    return response


def already_answered(*, period: SurveyPeriod, device: str) -> bool:
    return Response.objects.filter(period=period, device_hash=keyed_hash(period, device)).exists()


def _duplicate():
    return SubmissionRefused(
        "duplicate",
        _(
            "Perangkat ini sudah mengirim jawaban untuk periode survei ini. Terima kasih, "
            "satu perangkat cukup satu kali."
        ),
    )


# --- voiding ------------------------------------------------------------------------------------


def void_response(*, response: Response, by, reason: str) -> Response:
    """Takes a response out of the results with who, when and why; it is never deleted or edited."""
    if not by.has_perm("surveys.void_response", response):
        raise PermissionDenied(_("Hanya Admin Inspektorat yang dapat membatalkan respons."))
    reason = (reason or "").strip()
    if not reason:
        raise SurveyError(_("Tuliskan alasan pembatalan."))
    with transaction.atomic():
        locked = Response.objects.select_for_update().get(pk=response.pk)
        if locked.voided_at:
            raise SurveyError(_("Respons ini sudah dibatalkan."))
        locked.voided_at, locked.voided_by, locked.void_reason = timezone.now(), by, reason
        locked.save(update_fields=["voided_at", "voided_by", "void_reason"])
    return locked


# --- the LKE ------------------------------------------------------------------------------------


def survey_questions(assessment: Assessment) -> dict[str, Question]:
    """{'IPAK': question, 'IPKP': question} of the assessment's instrument (marked 'survey' in it)."""
    spec = assessment.instrument.spec
    codes = {
        q["survey"]: q["code"]
        for ind in spec["indicators"]
        for q in ind["questions"]
        if q.get("survey")
    }
    found = {
        q.code: q
        for q in Question.objects.filter(instrument=assessment.instrument, code__in=codes.values())
    }
    return {index: found[code] for index, code in codes.items() if code in found}


def source_note(period: SurveyPeriod, n: int, on: date) -> str:
    return _("Dari survei %(period)s (n = %(n)d, %(date)s)") % {
        "period": period.name,
        "n": n,
        "date": formats.long_date(on),
    }


def land_index(*, period: SurveyPeriod, by) -> list[Landing]:
    """Writes the period's IPAK and IPKP (as the LKE's 0–4 value) into the unit's self-assessment
    answers through the LKE's own save service, so scores recompute as usual; each landing is
    recorded with its source (period, n, date)."""
    from . import selectors

    if not by.has_perm("surveys.land_index", period):
        raise PermissionDenied(_("Anda tidak berwenang memindahkan indeks survei ke LKE."))
    assessment = (
        Assessment.objects.select_related("instrument", "unit")
        .filter(unit_id=period.unit_id, year=period.year)
        .first()
    )
    if assessment is None:
        raise SurveyError(
            _("Unit ini belum punya penilaian ZI tahun %(year)d; indeks belum dapat dipindahkan.")
            % {"year": period.year}
        )
    if not assessment.open_for_unit:
        raise SurveyError(
            _("LKE %(year)d sudah dikunci untuk unit (tahap %(stage)s); indeks tidak dipindahkan.")
            % {"year": period.year, "stage": assessment.get_stage_display()}
        )
    results = selectors.period_results(period)["indices"]
    questions = survey_questions(assessment)
    landed = []
    now = timezone.now()
    with transaction.atomic():
        for index, result in results.items():
            if result["lke_value"] is None or index not in questions:
                continue
            assessment_services.save_answer(
                assessment=assessment,
                question=questions[index],
                track=Track.SELF,
                by=by,
                value=str(result["lke_value"]),
                note=source_note(period, result["n"], timezone.localdate(now)),
                permission_checked=True,
            )
            landed.append(
                Landing.objects.create(
                    period=period,
                    assessment=assessment,
                    index=index,
                    value=result["lke_value"],
                    respondents=result["n"],
                    by=by,
                )
            )
    if not landed:
        raise SurveyError(_("Belum ada respons yang sah; tidak ada indeks untuk dipindahkan."))
    return landed


def accept_into_tpi(*, landing: Landing, by) -> None:
    """The TPI takes the survey index as its own evaluation of the question (the LKE's permission
    for the TPI track decides who and when)."""
    question = survey_questions(landing.assessment)[landing.index]
    assessment_services.save_answer(
        assessment=landing.assessment,
        question=question,
        track=Track.TPI,
        by=by,
        value=str(landing.value),
        note=_("Diterima dari survei: %(note)s")
        % {
            "note": source_note(landing.period, landing.respondents, timezone.localdate(landing.at))
        },
    )


def set_tpi_value(*, landing: Landing, value: str, reason: str, by) -> None:
    """The TPI enters its own value instead of the survey's; a reason is required."""
    reason = (reason or "").strip()
    if not reason:
        raise SurveyError(_("Tuliskan alasan bila TPI memakai nilai sendiri."))
    number = formats.parse_number(str(value))
    if number is None:
        raise SurveyError(_("Nilai harus berupa angka 0–4, misalnya 3,5.")) from None
    question = survey_questions(landing.assessment)[landing.index]
    try:
        assessment_services.save_answer(
            assessment=landing.assessment,
            question=question,
            track=Track.TPI,
            by=by,
            value=str(number),
            note=reason,
        )
    except assessment_services.AnswerError as exc:
        raise SurveyError(str(exc)) from None
