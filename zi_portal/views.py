from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache

from accounts.roles import role_map
from accounts.rules import INSPEKTORAT, LEADERSHIP, TPN, UNIT_MEMBERS


@login_required
def home(request):
    """Send each person to the page made for their job."""
    roles = role_map(request.user)
    if request.user.is_superuser or roles.pemdas_with(INSPEKTORAT):
        return redirect("dashboards:inspektorat")
    if roles.pemdas_with(TPN):
        return redirect("dashboards:tpn")  # read-only: the units nominated to the TPN
    if roles.pemdas_with(LEADERSHIP):
        return redirect("dashboards:leadership")
    own_units = roles.units_with(UNIT_MEMBERS)
    if len(own_units) == 1:
        return redirect("dashboards:unit", unit_pk=next(iter(own_units)))
    return redirect("units:list")


@never_cache
def health(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def server_error(request):
    """HTTP 500: under /api/ the JSON body every API error has (a script reads JSON, never an HTML
    page); elsewhere the portal's 500 page."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {
                "detail": _(
                    "Terjadi galat di server. Coba lagi nanti; bila berulang, hubungi admin portal."
                ),
                "code": "server_error",
            },
            status=500,
        )
    return defaults.server_error(request)


def favicon(request):
    """/favicon.ico, which browsers and bookmark tools ask for whatever the page links: the SVG
    icon under its static name (hashed in production, so the redirect itself is not permanent)."""
    return redirect(static("img/favicon.svg"))
