"""Portal-wide middleware."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from zi_portal.sizes import MiB, human_size


class IndonesianByDefault:
    """The portal speaks Bahasa Indonesia whatever the browser's Accept-Language says; English is
    shown only to those who choose it (the language cookie set by the switcher).

    Government staff often run English-language browsers; that must not switch the portal."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


# Bytes a body may hold beyond its files: form fields, multipart headers and boundaries.
FORM_OVERHEAD_BYTES = 1 * MiB
# The longest "line" anything may read from a body at once (Django reads what is left of a body
# it stops parsing line by line; a part without newlines would otherwise be one line, whole).
MAX_LINE_BYTES = 64 * 1024


def body_limit(limit):
    """Marks a view (or DRF view class) with the most bytes its request body may hold:
    ``limit`` is a number or a callable, called per request so that settings changes apply."""

    def mark(view):
        view.max_request_bytes = limit
        return view

    return mark


def _limit_of(view_func) -> int:
    limit = getattr(view_func, "max_request_bytes", None)
    if limit is None:
        limit = getattr(getattr(view_func, "cls", None), "max_request_bytes", None)  # DRF
    if limit is None:
        return settings.REQUEST_MAX_BYTES
    return int(limit() if callable(limit) else limit)


class _LineBoundedStream:
    """A request body whose readline() returns at most MAX_LINE_BYTES at a time."""

    def __init__(self, stream):
        self._stream = stream

    def read(self, *args):
        return self._stream.read(*args)

    def readline(self, size=-1, /):
        if size is None or size < 0 or size > MAX_LINE_BYTES:
            size = MAX_LINE_BYTES
        return self._stream.readline(size)

    def __getattr__(self, name):
        return getattr(self._stream, name)


class RequestBodyLimits:
    """What a request body may cost, decided before anything reads it.

    A body whose Content-Length passes the view's limit (``body_limit``; REQUEST_MAX_BYTES for
    every other view) is answered 413 without reading a byte of it. A body that is read is never
    read by lines longer than MAX_LINE_BYTES. Must come before CsrfViewMiddleware, which reads
    the body of a POST."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if hasattr(request, "_stream"):
            request._stream = _LineBoundedStream(request._stream)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = _limit_of(view_func)
        if length <= limit:
            return None
        message = _(
            "Permintaan terlalu besar (%(size)s; batas %(limit)s). Tidak ada yang disimpan."
        ) % {"size": human_size(length), "limit": human_size(limit)}
        if request.path_info.startswith("/api/"):
            return JsonResponse({"detail": message, "code": "request_too_large"}, status=413)
        return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
