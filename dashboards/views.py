"""The three home pages: Inspektorat monitoring, the unit workspace and the leadership view.

Thin views: the figures come from dashboards.selectors, permissions from accounts/rules.py."""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.roles import role_map
from accounts.rules import INSPEKTORAT, LEADERSHIP, TPN, get_in_scope_or_404
from assessments.models import Track
from units.models import WorkUnit

from . import selectors
from .forms import MonitoringFilterForm

PAGE_SIZE = 25
PAGE_TTL = 30  # seconds
MAX_COMPARED = 8


def _pemda(request, roles, permission, version=None):
    """The Pemda the page is about: ``?pemda=<id>`` among the user's, else their first one."""
    if version is None:
        pemdas = selectors.pemdas_for(request.user, roles)
    else:
        pemdas = selectors.cached_pemdas_for(request.user, roles, version)
    if not pemdas:
        raise PermissionDenied(_("Halaman ini hanya untuk peran tingkat Pemda yang sesuai."))
    wanted = request.GET.get("pemda", "")
    pemda = next((p for p in pemdas if str(p.pk) == wanted), pemdas[0])
    if not request.user.has_perm(permission, pemda) and not request.user.is_superuser:
        raise PermissionDenied
    return pemda, pemdas


def _year(request, years):
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and int(raw) in years else selectors.default_year(years)


@login_required
@require_GET
def inspektorat(request):
    """Every unit of the Pemda with stage, scores, evidence, open reviews and the next deadline."""
    version = selectors.data_version()
    selectors.remember_roles(request.user, version)
    pemda, pemdas = _pemda(request, INSPEKTORAT | TPN, "dashboards.view_monitoring", version)
    rows_only = bool(request.htmx and request.htmx.target == "unit-rows")
    # The page is the same for everyone of the Pemda who asks the same question of the same data
    # on the same day, so its HTML is cached under the data fingerprint (which covers the calendar
    # too); the short TTL only refreshes the "… minutes ago" of the attention list.
    key = _page_key(request, pemda, pemdas, version, rows_only)
    # The whole page around it (name, menu, CSRF token) is cached per person's session as well.
    own_key = None if rows_only else _own_page_key(request, key)
    if own_key and (body := cache.get(own_key)) is not None:
        return HttpResponse(body)
    html = cache.get(key)
    if html is None:
        html = _monitoring_html(request, pemda, pemdas, version, rows_only)
        cache.set(key, html, PAGE_TTL)
    if rows_only:
        return HttpResponse(html)
    response = render(request, "dashboards/inspektorat.html", {"main": mark_safe(html)})  # our own render
    if own_key:
        cache.set(own_key, response.content, PAGE_TTL)
    return response


def _own_page_key(request, page_key):
    """Key of one person's whole page, or None when it must be rendered: a first visit (the CSRF
    cookie is set by this very response) or messages waiting to be shown once."""
    csrf_cookie = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
    if not csrf_cookie or not request.session.session_key or len(messages.get_messages(request)):
        return None
    digest = hashlib.sha1(f"{request.session.session_key}:{csrf_cookie}".encode()).hexdigest()
    return f"{page_key}:own:{digest}"


def _monitoring_html(request, pemda, pemdas, version, rows_only):
    years = selectors.cached_years_of(pemda, version) or [timezone.localdate().year]
    form = MonitoringFilterForm(request.GET or None, years=years)
    form.is_valid()  # invalid fields are shown with their message and simply not applied
    f = getattr(form, "cleaned_data", {})
    year = f.get("year") or selectors.default_year(years)
    deadline = selectors.next_deadline(pemda, year, version)
    units = selectors.monitoring_units(
        pemda, year=year, search=f.get("q", ""), unit_type=f.get("type", ""), stage=f.get("stage", ""),
        basis=f.get("basis") or "tpi", score_min=f.get("score_min"), score_max=f.get("score_max"),
        sort=f.get("sort") or "nama",
    )
    page = Paginator(units, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "pemda": pemda, "pemdas": pemdas, "year": year, "form": form, "page": page,
        "rows": selectors.decorate(page.object_list, deadline=deadline),
        "total": page.paginator.count, "deadline": deadline,
    }
    if rows_only:
        return render_to_string("dashboards/_monitoring_rows.html", context, request)
    overview = selectors.overview(pemda, year, version)
    context.update(overview, chart_data=_chart_labels(overview["charts"]))
    return render_to_string("dashboards/_inspektorat_main.html", context, request)


def _page_key(request, pemda, pemdas, version, rows_only):
    query = sorted((k, v) for k, values in request.GET.lists() for v in values)
    digest = hashlib.sha1(repr((
        query, get_language(), version, timezone.localdate().isoformat(), rows_only,
        [p.pk for p in pemdas], sorted(role_map(request.user).all_roles()), request.user.is_superuser,
    )).encode()).hexdigest()
    return f"dash:page:{pemda.pk}:{digest}"


def _chart_labels(charts):
    """The chart data plus its Indonesian labels (the script only draws what it is given)."""
    return {
        "distribution": {**charts["distribution"], "title": _("Sebaran nilai unit"),
                         "xTitle": _("Rentang nilai"), "yTitle": _("Jumlah unit")},
        "areas": {**charts["areas"], "title": _("Rata-rata capaian per area perubahan (% bobot)"),
                  "xTitle": _("Area"), "yTitle": _("% bobot")},
        "series": {"self": str(Track.SELF.label), "tpi": str(Track.TPI.label)},
    }


@login_required
@require_GET
def unit_workspace(request, unit_pk):
    """The unit's own page: current assessment, progress per area, evidence, comments, deadlines."""
    unit = get_in_scope_or_404(request.user, WorkUnit.objects.select_related("pemda"), pk=unit_pk)
    if not request.user.has_perm("dashboards.view_workspace", unit):
        raise PermissionDenied
    ws = selectors.workspace(unit)
    a = ws.assessment
    context = {
        "unit": unit, "ws": ws, "assessment": a,
        "self_score": ws.scores.get(Track.SELF.value), "tpi_score": ws.scores.get(Track.TPI.value),
        "can_answer": bool(a) and request.user.has_perm("assessments.answer_self", a),
        "can_upload": bool(a) and request.user.has_perm("evidence.upload_evidence", a),
    }
    return render(request, "dashboards/unit.html", context)


@login_required
@require_GET
def leadership(request):
    """Readiness before nomination, designations over the years, units and years compared."""
    pemda, pemdas = _pemda(request, LEADERSHIP | INSPEKTORAT, "dashboards.view_readiness")
    years = selectors.years_of(pemda) or [timezone.localdate().year]
    year = _year(request, years)
    ready = selectors.readiness(pemda, year)
    wanted = [int(v) for v in request.GET.getlist("unit") if v.isdigit()][:MAX_COMPARED]
    compared = wanted or selectors.default_comparison(ready["rows"])
    context = {
        "pemda": pemda, "pemdas": pemdas, "year": year, "years": years, "ready": ready,
        "designations": selectors.designations_by_year(pemda),
        "year_rows": selectors.year_comparison(pemda),
        "comparison": selectors.unit_comparison(pemda, compared),
        "candidates": selectors.comparable_units(pemda),
        "compared": set(compared),
        "max_compared": MAX_COMPARED,
        "recap_jobs": _recap_jobs(pemda),
    }
    return render(request, "dashboards/leadership.html", context)


def _recap_jobs(pemda):
    """The latest regional recaps (reports app), if that app offers them yet."""
    try:
        reverse("reports:request")
        from reports.models import Kind, ReportJob
    except (NoReverseMatch, ImportError):
        return None
    return list(ReportJob.objects.filter(pemda=pemda, kind=Kind.RECAP).select_related("pemda")[:3])
