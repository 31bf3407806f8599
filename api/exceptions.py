"""Every API error as JSON ``{"detail": <clear message>, "code": <machine code>, ...}``.

The domain's own refusals (answers, lifecycle steps, evidence) keep their Indonesian messages:
bad input is 400, a missing right 403, a state that does not allow the action 409."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import OperationalError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from assessments.lifecycle import TransitionError
from assessments.services import AnswerConflict, AnswerError
from evidence.services import EvidenceError, EvidenceIntegrityError
from reports.services import ReportError


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def _messages(detail):
    if isinstance(detail, dict):
        out = []
        for key, value in detail.items():
            for line in _messages(value):
                out.append(line if key in ("non_field_errors", "detail") else f"{key}: {line}")
        return out
    if isinstance(detail, list):
        return [line for item in detail for line in _messages(item)]
    return [str(detail)]


def _body(detail, code, **extra):
    return {"detail": str(detail), "code": code, **extra}


def exception_handler(exc, context):
    if isinstance(exc, AnswerConflict):
        current = exc.current
        return Response(
            _body(
                exc,
                "conflict",
                current={
                    "value": current.value,
                    "note": current.note,
                    "revision": current.revision,
                    "updated_at": current.updated_at.isoformat() if current.updated_at else None,
                },
            ),
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, AnswerError):
        return Response(_body(exc, "invalid_answer"), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, TransitionError):
        reasons = [str(r) for r in exc.reasons]
        return Response(
            _body(
                _("Langkah tidak dapat dilakukan: %(reasons)s") % {"reasons": "; ".join(reasons)},
                "transition_refused",
                reasons=reasons,
                # The input at fault (on, decree_number, phase…), for clients that mark fields.
                **({"field": exc.field} if exc.field else {}),
            ),
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, EvidenceIntegrityError):
        return Response(_body(exc, "integrity_error"), status=status.HTTP_409_CONFLICT)
    if isinstance(exc, EvidenceError):
        return Response(_body(exc, "invalid_evidence"), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, ReportError):
        return Response(_body(exc, "invalid_report"), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoValidationError):
        lines = _messages(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
        return Response(_body("; ".join(lines), "invalid"), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoPermissionDenied):
        message = str(exc) or _("Anda tidak berwenang melakukan tindakan ini.")
        return Response(_body(message, "permission_denied"), status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, OperationalError):
        # The database did not answer in time (SQLite busy past its timeout, PostgreSQL restarting):
        # nothing was saved (the request's transaction rolled back), so the client may retry.
        return Response(
            _body(
                _("Basis data sedang sibuk; tidak ada yang disimpan. Coba lagi sebentar lagi."),
                "database_unavailable",
            ),
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": "5"},
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Data tidak ditemukan atau Anda tidak berwenang melihatnya."))

    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a real bug: let Django report it as a 500
    if isinstance(exc, exceptions.ValidationError):
        lines = _messages(exc.detail)
        response.data = _body(
            _("Periksa isian: %(errors)s") % {"errors": "; ".join(lines)},
            "invalid",
            errors=exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail},
        )
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else response.data
        code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        response.data = _body("; ".join(_messages(detail)), code)
    return response
