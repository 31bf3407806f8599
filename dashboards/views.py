"""The three home pages: Inspektorat monitoring, the unit workspace and the leadership view.

Thin views: the figures come from dashboards.selectors, permissions from accounts/rules.py."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.roles import role_map
from accounts.rules import INSPEKTORAT, LEADERSHIP, TPN, get_in_scope_or_404
from assessments.models import Track
from review import selectors as review_selectors
from units.models import WorkUnit
from zi_portal import exports

from . import selectors
from .forms import MonitoringFilterForm

PAGE_SIZE = 25
# The print view's one page: more units than any Pemda has (the largest, ~1,000), not unbounded.
ALL_ROWS = 5000
MAX_COMPARED = 8


def _pemda(request, roles, permission):
    """The Pemda the page is about: ``?pemda=<id>`` among the user's, else their first one."""
    pemdas = selectors.pemdas_for(request.user, roles)
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


def _monitoring(request):
    """The Pemda, its filter form and the filtered units of the monitoring table: what the page,
    its print view and its exports all show."""
    pemda, pemdas = _pemda(request, INSPEKTORAT | TPN, "dashboards.view_monitoring")
    years = selectors.years_of(pemda) or [timezone.localdate().year]
    form = MonitoringFilterForm(request.GET or None, years=years)
    form.is_valid()  # invalid fields are shown with their message and simply not applied
    f = getattr(form, "cleaned_data", {})
    year = f.get("year") or selectors.default_year(years)
    units = selectors.monitoring_units(
        pemda,
        year=year,
        search=f.get("q", ""),
        unit_type=f.get("type", ""),
        stage=f.get("stage", ""),
        basis=f.get("basis") or "tpi",
        score_min=f.get("score_min"),
        score_max=f.get("score_max"),
        sort=f.get("sort") or "nama",
    )
    return pemda, pemdas, form, year, units


@login_required
@require_GET
def inspektorat(request):
    """Every unit of the Pemda with stage, scores, evidence, open reviews and the next deadline.

    Not cached: its figures come from the assessments' stored summaries, so the page costs the
    same few queries whatever the number of answers, and every change shows on the next visit.
    ``?semua=1`` lists every filtered row on one page: what "Cetak" prints."""
    pemda, pemdas, form, year, units = _monitoring(request)
    rows_only = bool(request.htmx and request.htmx.target == "unit-rows")
    deadline = selectors.next_deadline(pemda, year)
    every_row = request.GET.get("semua") == "1"
    page = Paginator(units, ALL_ROWS if every_row else PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "pemda": pemda,
        "pemdas": pemdas,
        "year": year,
        "form": form,
        "page": page,
        "rows": selectors.decorate(page.object_list, deadline=deadline),
        "total": page.paginator.count,
        "deadline": deadline,
        "every_row": every_row,
        "query": _query_without(request, "page", "semua", "cetak"),
        # Links are shown only where the rules let this person follow them (TPN observers read
        # the monitoring page but not the evaluators' review queue).
        "can_view_queue": request.user.has_perm("review.view_queue", pemda),
        "is_tpn_observer": pemda.pk in role_map(request.user).pemdas_with(TPN),
    }
    if rows_only:
        return render(request, "dashboards/_monitoring_rows.html", context)
    overview = selectors.overview(pemda, year)
    context.update(overview, chart_data=_chart_labels(overview["charts"]))
    from actions.selectors import pemda_figures

    context["actions"] = pemda_figures(pemda=pemda, year=year, today=timezone.localdate())
    return render(request, "dashboards/inspektorat.html", context)


@login_required
@require_GET
def inspektorat_export(request, fmt):
    """Every row of the monitoring table under the current filters, as xlsx or CSV: whoever
    may see the page may download it, and only their Pemda's units."""
    if fmt not in exports.FORMATS:
        raise Http404
    pemda, _pemdas, form, year, units = _monitoring(request)
    deadline = selectors.next_deadline(pemda, year)
    return exports.table_download(
        fmt=fmt,
        columns=selectors.monitoring_columns(),
        rows=selectors.monitoring_export_rows(units, deadline=deadline),
        name=exports.filename("pemantauan-zi", pemda, fmt),
        title=_("Pemantauan ZI %(year)s") % {"year": year},
        about=exports.about(pemda, year=year, form=form),
    )


def _query_without(request, *names):
    """The current query string minus ``names`` (page, print flags): what export and print links
    carry so that they show the filters on screen."""
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def _chart_labels(charts):
    """The chart data plus its Indonesian labels (the script only draws what it is given)."""
    return {
        "distribution": {
            **charts["distribution"],
            "title": _("Sebaran nilai unit"),
            "xTitle": _("Rentang nilai"),
            "yTitle": _("Jumlah unit"),
        },
        "areas": {
            **charts["areas"],
            "title": _("Rata-rata capaian per area perubahan (% bobot)"),
            "xTitle": _("Area"),
            "yTitle": _("% bobot"),
        },
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
        "unit": unit,
        "ws": ws,
        "assessment": a,
        "self_score": ws.scores.get(Track.SELF.value),
        "tpi_score": ws.scores.get(Track.TPI.value),
        "can_answer": bool(a) and request.user.has_perm("assessments.answer_self", a),
        "can_upload": bool(a) and request.user.has_perm("evidence.upload_evidence", a),
        "revisions": review_selectors.live_requests(a) if a else [],
    }
    from actions.selectors import due_soon

    context["due_items"] = list(due_soon(unit_ids=[unit.pk], today=timezone.localdate()))
    summary = getattr(a, "summary", None) if a else None
    context["missed_gates"] = (
        summary.tpi_missed.get(a.target or "WBK", []) if summary and summary.tpi_answered else []
    )
    context["can_plan"] = request.user.has_perm("actions.manage_plan", unit)
    return render(request, "dashboards/unit.html", context)


@login_required
@require_GET
def leadership(request):
    """Readiness before nomination, designations over the years, units and years compared."""
    pemda, pemdas = _pemda(request, LEADERSHIP | INSPEKTORAT, "dashboards.view_readiness")
    years = selectors.years_of(pemda) or [timezone.localdate().year]
    year = _year(request, years)
    wanted = [int(v) for v in request.GET.getlist("unit") if v.isdigit()][:MAX_COMPARED]

    def boxes(compared):
        return _checkboxes(
            selectors.comparable_units(pemda).values_list("pk", "name"), set(compared)
        )

    if request.htmx and request.GET.get("part") == "units":
        return HttpResponse(boxes(wanted))
    every_row = request.GET.get("semua") == "1"
    ready = selectors.readiness(
        pemda, year, request.GET.get("page"), per_page=ALL_ROWS if every_row else PAGE_SIZE
    )
    from actions.selectors import open_recommendation_counts

    open_recs = open_recommendation_counts(r.assessment.pk for r in ready["rows"])
    for r in ready["rows"]:
        r.open_recommendations = open_recs.get(r.assessment.pk, 0)
    compared = wanted or selectors.default_comparison(ready["rows"])
    comparison = selectors.unit_comparison(pemda, compared)
    # The 1,000 checkboxes of a large Pemda load when the list is opened (htmx, or ?pilih=1
    # without scripts): built on every visit they were ~40% of the page (bench/README.md).
    pick = request.GET.get("pilih") == "1" or not comparison["rows"]
    params = [("pemda", pemda.pk), ("year", year), *(("unit", pk) for pk in compared)]
    context = {
        "pemda": pemda,
        "pemdas": pemdas,
        "year": year,
        "years": years,
        "ready": ready,
        "designations": selectors.designations_by_year(pemda),
        "year_rows": selectors.year_comparison(pemda),
        "comparison": comparison,
        "candidate_boxes": boxes(compared) if pick else None,
        "candidates_url": "?" + urlencode([("part", "units"), *params]),
        "candidates_page_url": "?" + urlencode([("pilih", "1"), *params]) + "#compare-title",
        "compared": set(compared),
        "max_compared": MAX_COMPARED,
        "recap_jobs": _recap_jobs(pemda),
        "every_row": every_row,
        "query": urlencode(params),
    }
    return render(request, "dashboards/leadership.html", context)


@login_required
@require_GET
def leadership_export(request, fmt):
    """Kesiapan's ranking, every unit of the year, as xlsx or CSV (who may see the page)."""
    if fmt not in exports.FORMATS:
        raise Http404
    pemda, _pemdas = _pemda(request, LEADERSHIP | INSPEKTORAT, "dashboards.view_readiness")
    years = selectors.years_of(pemda) or [timezone.localdate().year]
    year = _year(request, years)
    return exports.table_download(
        fmt=fmt,
        columns=selectors.readiness_columns(),
        rows=selectors.readiness_export_rows(pemda, year),
        name=exports.filename("kesiapan-zi", pemda, fmt),
        title=_("Kesiapan ZI %(year)s") % {"year": year},
        about=exports.about(pemda, year=year),
    )


def _checkboxes(units, checked):
    """One checkbox per unit to compare. Built here, not in the template: a Pemda of 1,000 units made
    that loop most of the Kesiapan page's time (one request in-process, 1,000 units: 593 → 171 ms)."""
    return format_html_join(
        "",
        '<label><input type="checkbox" name="unit" value="{}"{}> {}</label>',
        ((pk, mark_safe(" checked") if pk in checked else "", name) for pk, name in units),
    )


def _recap_jobs(pemda):
    """The latest regional recaps (reports app), if that app offers them yet."""
    try:
        reverse("reports:request")
        from reports.models import Kind, ReportJob
    except (NoReverseMatch, ImportError):
        return None
    return list(ReportJob.objects.filter(pemda=pemda, kind=Kind.RECAP).select_related("pemda")[:3])


@login_required
@require_GET
def tpn(request):
    """The TPN observer's page: the Pemda's units nominated to the TPN, read-only, with their TPI
    results, package and TPN stages, and who records the TPN's results (the Admin Inspektorat)."""
    pemda, pemdas = _pemda(request, TPN | INSPEKTORAT, "dashboards.view_monitoring")
    years = selectors.years_of(pemda) or [timezone.localdate().year]
    year = _year(request, years)
    user = request.user
    rows = [
        {
            "assessment": a,
            "summary": getattr(a, "summary", None),
            "stages": list(a.tpn_stages.all()),
            # Each link only where the rules let this person follow it.
            "can_view": user.has_perm("assessments.view_assessment", a),
            "can_view_dossier": user.has_perm("dossier.view_dossier", a),
        }
        for a in selectors.tpn_assessments(pemda, year)
    ]
    context = {
        "pemda": pemda,
        "pemdas": pemdas,
        "year": year,
        "years": years,
        "rows": rows,
        "recorders": selectors.inspektorat_admins(pemda),
        "can_record_tpn": user.has_perm("assessments.record_tpn", pemda),
        "can_view_monitoring": user.has_perm("dashboards.view_monitoring", pemda),
        "can_view_reports": user.has_perm("reports.request_report", pemda),
    }
    return render(request, "dashboards/tpn.html", context)
