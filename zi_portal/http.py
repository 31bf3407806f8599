"""The client's address as the portal sees it, for the login lock (django-axes) and the public
survey's per-address limit."""

from django.conf import settings


def client_address(request) -> str:
    """REMOTE_ADDR, or behind a reverse proxy the last entry of the header it appends
    (CLIENT_ADDRESS_HEADER, e.g. X-Forwarded-For). Earlier entries are the client's own claim and
    are ignored, so a forged header cannot pick the address that is counted or locked."""
    header = settings.CLIENT_ADDRESS_HEADER
    if header:
        meta = "HTTP_" + header.upper().replace("-", "_")
        forwarded = [a.strip() for a in request.META.get(meta, "").split(",") if a.strip()]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR", "")
