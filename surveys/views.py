import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import role_map
from accounts.rules import ADMIN, UNIT_MEMBERS, get_in_scope_or_404
from reports import services as report_services
from reports.models import Kind
from reports.qr import qr_svg_data_uri
from units.models import WorkUnit
from zi_portal import formats
from zi_portal.downloads import XLSX_CONTENT_TYPE, protected_download
from zi_portal.http import client_address

from . import exports, poster, questionnaire_xlsx, scoring, selectors, services
from .forms import OpenPeriodForm, QuestionnaireImportForm, TpiValueForm, VoidForm
from .models import Landing, Questionnaire, Response, SurveyPeriod

DEVICE_COOKIE = "zi_survei"
DEVICE_SALT = "surveys.device"
DEVICE_MAX_AGE = 2 * 365 * 24 * 3600


# --- the public form (no login) -----------------------------------------------------------------


def _public_period(code):
    return get_object_or_404(
        SurveyPeriod.objects.select_related("unit", "unit__pemda", "questionnaire"), code=code
    )


def _device(request):
    return request.get_signed_cookie(DEVICE_COOKIE, default=None, salt=DEVICE_SALT)


def _form_context(period, data=None, errors=None, refused=None):
    spec = period.questionnaire.spec
    data = data or {}
    values = scoring.scale_values(spec)
    surveys = [
        {
            **survey,
            "items": [
                {
                    **item,
                    "choices": list(zip(values, item["options"], strict=True)),
                    "chosen": str(data.get(item["code"], "")),
                    "error": (errors or {}).get(item["code"]),
                }
                for item in survey["items"]
            ],
        }
        for survey in spec["surveys"]
    ]
    profile = [
        (name, label, options, data.get(name, ""), (errors or {}).get(name))
        for name, label, options in (
            ("service_type", _("Jenis layanan yang Saudara terima"), period.service_types),
            ("age_band", _("Usia"), spec["profile"]["age_band"]),
            ("gender", _("Jenis kelamin"), spec["profile"]["gender"]),
            ("education", _("Pendidikan terakhir"), spec["profile"]["education"]),
            ("occupation", _("Pekerjaan"), spec["profile"]["occupation"]),
        )
    ]
    return {
        "period": period,
        "unit": period.unit,
        "surveys": surveys,
        "profile": profile,
        "errors": errors or {},
        "refused": refused,
    }


def public_form(request, code):
    """The respondent's page: one form, no login, no JavaScript needed; refusals keep every answer."""
    period = _public_period(code)
    if not services.accepting(period):
        return render(request, "surveys/public_closed.html", {"period": period}, status=410)
    device = _device(request)
    if request.method == "POST":
        new_device = device is None
        device = device or uuid.uuid4().hex
        try:
            services.submit_response(
                period=period,
                data=request.POST,
                device=device,
                address=client_address(request),
            )
        except services.SubmissionRefused as refused:
            if refused.code == "honeypot":
                return redirect("surveys:public_thanks", code=code)  # nothing stored, nothing said
            status = {"duplicate": 409, "rate_limited": 429, "closed": 410}.get(refused.code, 400)
            context = _form_context(period, request.POST, refused.fields, refused)
            response = render(request, "surveys/public_form.html", context, status=status)
        else:
            response = redirect("surveys:public_thanks", code=code)
        if new_device:
            response.set_signed_cookie(
                DEVICE_COOKIE,
                device,
                salt=DEVICE_SALT,
                max_age=DEVICE_MAX_AGE,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response
    done = device is not None and services.already_answered(period=period, device=device)
    context = _form_context(period)
    context["done"] = done
    return render(request, "surveys/public_form.html", context)


def public_thanks(request, code):
    period = _public_period(code)
    return render(request, "surveys/public_thanks.html", {"period": period})


# --- staff pages --------------------------------------------------------------------------------


def _period(request, pk):
    period = get_in_scope_or_404(
        request.user,
        SurveyPeriod.objects.select_related("unit", "unit__pemda", "questionnaire"),
        pk=pk,
    )
    if not request.user.has_perm("surveys.view_period", period):
        raise PermissionDenied
    return period


def _openable_units(user):
    roles = role_map(user)
    if user.is_superuser:
        return WorkUnit.objects.filter(active=True)
    return WorkUnit.objects.filter(active=True).filter(
        pk__in=roles.units_with(UNIT_MEMBERS)
    ) | WorkUnit.objects.filter(active=True, pemda_id__in=roles.pemdas_with(ADMIN))


@login_required
def period_list(request):
    periods = selectors.periods_for_list(request.user)
    page = Paginator(periods, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "surveys/period_list.html",
        {
            "page": page,
            "periods": page.object_list,
            "can_open": _openable_units(request.user).exists(),
        },
    )


@login_required
def period_open(request):
    units = _openable_units(request.user).select_related("pemda").order_by("pemda", "name")
    if not units.exists():
        raise PermissionDenied(_("Anda tidak berwenang membuka periode survei."))
    form = OpenPeriodForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            period = services.open_period(
                unit=d["unit"],
                year=d["year"],
                name=d["name"],
                population=d["population"],
                service_types=d["service_types"],
                starts_on=d["starts_on"],
                ends_on=d["ends_on"],
                by=request.user,
            )
        except services.SurveyError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Periode survei dibuka. Target sampel: %(n)d responden.")
                % {"n": period.sample_target},
            )
            return redirect(period)
    return render(request, "surveys/period_open.html", {"form": form})


@login_required
def period_detail(request, pk):
    period = _period(request, pk)
    user = request.user
    results = selectors.period_results(period)
    landings = {
        landing.index: landing
        for landing in Landing.objects.filter(period=period).order_by("at", "pk")
    }
    assessment = next(iter(landings.values())).assessment if landings else None
    can_tpi = bool(assessment) and user.has_perm("assessments.answer_tpi", assessment)
    return render(
        request,
        "surveys/period_detail.html",
        {
            "period": period,
            "unit": period.unit,
            "r": results,
            "public_url": request.build_absolute_uri(period.public_path()),
            "qr": qr_svg_data_uri(request.build_absolute_uri(period.public_path())),
            "landings": landings,
            "can": {
                "close": user.has_perm("surveys.close_period", period),
                "land": user.has_perm("surveys.land_index", period),
                "void": user.has_perm("surveys.void_response", period),
                "tpi": can_tpi,
            },
            "tpi_form": TpiValueForm(),
        },
    )


@login_required
def responses(request, pk):
    period = _period(request, pk)
    qs = Response.objects.filter(period=period).select_related("voided_by").order_by("-pk")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "surveys/responses.html",
        {
            "period": period,
            "page": page,
            "codes": [i["code"] for i in scoring.items(period.questionnaire.spec)],
            "can_void": request.user.has_perm("surveys.void_response", period),
            "void_form": VoidForm(),
        },
    )


@login_required
@require_POST
def void(request, pk, response_pk):
    period = _period(request, pk)
    response = get_object_or_404(Response, pk=response_pk, period=period)
    form = VoidForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tuliskan alasan pembatalan."))
    else:
        try:
            services.void_response(
                response=response, by=request.user, reason=form.cleaned_data["reason"]
            )
        except services.SurveyError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Respons dibatalkan; alasannya tercatat."))
    return redirect("surveys:responses", pk=period.pk)


def _landed_message(request, landings):
    for landing in landings:
        messages.success(
            request,
            _("%(index)s %(value)s masuk ke LKE penilaian mandiri (n = %(n)d).")
            % {
                "index": landing.index,
                "value": formats.number(landing.value),
                "n": landing.respondents,
            },
        )


@login_required
@require_POST
def close(request, pk):
    period = _period(request, pk)
    try:
        landings = services.close_period(period=period, by=request.user)
    except services.SurveyError as exc:
        messages.warning(request, _("Periode ditutup, tetapi: %(why)s") % {"why": exc})
    else:
        messages.success(request, _("Periode survei ditutup."))
        _landed_message(request, landings)
    return redirect(period)


@login_required
@require_POST
def land(request, pk):
    period = _period(request, pk)
    try:
        _landed_message(request, services.land_index(period=period, by=request.user))
    except services.SurveyError as exc:
        messages.error(request, str(exc))
    return redirect(period)


@login_required
@require_POST
def tpi(request, pk, index):
    period = _period(request, pk)
    landing = Landing.objects.filter(period=period, index=index).order_by("-at", "-pk").first()
    if landing is None:
        raise Http404
    try:
        if "accept" in request.POST:
            services.accept_into_tpi(landing=landing, by=request.user)
            messages.success(request, _("Nilai survei diterima ke evaluasi TPI."))
        else:
            form = TpiValueForm(request.POST)
            if not form.is_valid():
                raise services.SurveyError(_("Isi nilai dan alasannya."))
            services.set_tpi_value(
                landing=landing,
                value=form.cleaned_data["value"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
            messages.success(request, _("Nilai TPI dan alasannya disimpan."))
    except PermissionDenied:
        raise
    except (services.SurveyError, ValueError) as exc:
        messages.error(request, str(exc))
    return redirect(period)


@login_required
def poster_pdf(request, pk):
    period = _period(request, pk)
    base = request.build_absolute_uri("/").rstrip("/")
    return protected_download(
        poster.poster_pdf(period, base),
        f"poster-survei-{period.unit.short_name or period.unit.code}-{period.pk}.pdf",
        content_type="application/pdf",
    )


@login_required
def responses_xlsx(request, pk):
    period = _period(request, pk)
    return protected_download(
        exports.responses_xlsx(period),
        f"respons-survei-{period.unit.short_name or period.unit.code}-{period.pk}.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )


@login_required
@require_POST
def request_report(request, pk):
    period = _period(request, pk)
    try:
        job = report_services.request_report(
            kind=Kind.SURVEY, by=request.user, params={"period": period.pk}
        )
    except report_services.ReportError as exc:
        messages.error(request, str(exc))
        return redirect(period)
    return redirect(f"{reverse('reports:list')}?job={job.pk}#job-{job.pk}")


# --- questionnaire versions ---------------------------------------------------------------------


def _admin_pemdas(user):
    from units.models import Pemda

    return Pemda.objects.filter(pk__in=role_map(user).pemdas_with(ADMIN)).order_by("name")


@login_required
def questionnaires(request):
    """Versions a Pemda's Admin Inspektorat may use, export and extend (xlsx import)."""
    from django.db.models import Q

    pemdas = _admin_pemdas(request.user)
    if not pemdas.exists():
        raise PermissionDenied(_("Hanya Admin Inspektorat yang mengelola kuesioner survei."))
    services.default_questionnaire()  # the national version exists before it is listed
    versions = (
        Questionnaire.objects.filter(Q(pemda__isnull=True) | Q(pemda__in=pemdas))
        .select_related("pemda")
        .annotate(period_count=Count("periods"))
        .order_by("pemda__name", "code", "-version")
    )
    form = QuestionnaireImportForm(request.POST or None, request.FILES or None, pemdas=pemdas)
    errors = []
    if request.method == "POST" and form.is_valid():
        spec, errors = questionnaire_xlsx.parse(form.cleaned_data["file"].read())
        if not errors and spec is not None:
            try:
                version = services.import_questionnaire(
                    spec=spec, by=request.user, pemda=form.cleaned_data["pemda"]
                )
            except services.SurveyError as exc:
                errors = [questionnaire_xlsx.CellError("", None, str(exc))]
            else:
                messages.success(
                    request,
                    _("Versi %(v)d disimpan; periode baru %(pemda)s memakainya.")
                    % {"v": version.version, "pemda": version.pemda},
                )
                return redirect("surveys:questionnaires")
    return render(
        request,
        "surveys/questionnaires.html",
        {"versions": versions, "form": form, "errors": errors},
    )


@login_required
def questionnaire_xlsx_export(request, pk):
    version = get_object_or_404(Questionnaire, pk=pk)
    if version.pemda_id is not None and not request.user.has_perm(
        "surveys.manage_questionnaires", version.pemda
    ):
        raise Http404
    if not _admin_pemdas(request.user).exists():
        raise PermissionDenied
    return protected_download(
        questionnaire_xlsx.export(version.spec),
        f"kuesioner-{version.code.lower()}-v{version.version}.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )
