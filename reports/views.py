from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.roles import role_map
from accounts.rules import PEMDA_READERS, get_in_scope_or_404
from assessments import answer_xlsx
from assessments.models import Assessment, Track
from units.models import Pemda, WorkUnit
from zi_portal.downloads import protected_download

from . import services
from .models import BUSY, Kind, ReportJob, Status

PAGE_SIZE = 50


def _readable_pemdas(user):
    return Pemda.objects.filter(pk__in=role_map(user).pemdas_with(PEMDA_READERS)).order_by("name")


@login_required
@require_GET
def job_list(request):
    """The user's reports with status and progress; htmx polls the table while any job is busy."""
    page = Paginator(services.jobs_for_list(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    jobs = list(page.object_list)
    context = {
        "page": page,
        "jobs": jobs,
        "busy": any(j.status in BUSY for j in jobs),
        # Finished jobs, and jobs whose worker died mid-render (see services.is_stale), can be re-run.
        "can_rerender": {
            j.pk: (j.finished or services.is_stale(j)) and services.can_request(request.user, j)
            for j in jobs
        },
        "highlight": request.GET.get("job", ""),
        "waiting": {j.pk: services.waiting(j) for j in jobs if j.status in BUSY},
    }
    if request.htmx and request.GET.get("part") == "jobs":
        return render(request, "reports/_jobs.html", context)
    context["pemdas"] = list(_readable_pemdas(request.user))
    return render(request, "reports/job_list.html", context)


def _int(value):
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        raise Http404 from None


def _year(value):
    """A typed year; unlike the ids above (never typed), a bad one gets a message, not a 404."""
    value = (value or "").strip()
    if not value:
        return None
    if not value.isdecimal():
        raise services.ReportError(_("Tahun harus berupa angka, misalnya 2026."))
    return int(value)


@login_required
@require_POST
def request_report(request):
    """POST kind + assessment / unit / pemda (+ year, proclaimed_on): queues the job, back to the list."""
    data = request.POST
    assessment = unit = pemda = None
    if _int(data.get("assessment")):
        assessment = get_in_scope_or_404(
            request.user,
            Assessment.objects.select_related("unit__pemda"),
            pk=_int(data["assessment"]),
        )
    elif _int(data.get("unit")):
        unit = get_in_scope_or_404(
            request.user, WorkUnit.objects.select_related("pemda"), pk=_int(data["unit"])
        )
    if _int(data.get("pemda")):
        pemda = get_in_scope_or_404(request.user, Pemda, pk=_int(data["pemda"]))
    params = {"proclaimed_on": data["proclaimed_on"]} if data.get("proclaimed_on") else None
    if data.get("quarter"):  # the monev report of one quarter (actions)
        params = {"quarter": data["quarter"]}
    try:
        job = services.request_report(
            kind=data.get("kind", ""),
            by=request.user,
            pemda=pemda,
            unit=unit,
            assessment=assessment,
            year=_year(data.get("year")),
            params=params,
        )
    except services.ReportError as exc:
        messages.error(request, str(exc))
        return redirect(_back(request))
    if getattr(job, "broker_unavailable", False):
        messages.warning(
            request,
            _(
                "%(kind)s tercatat dalam antrean, tetapi layanan antrean sedang tidak tersedia. "
                "Laporan akan dibuat otomatis setelah layanan pulih; tidak perlu meminta ulang."
            )
            % {"kind": job.get_kind_display()},
        )
    else:
        messages.success(
            request,
            _("%(kind)s sedang disiapkan. Daftar ini diperbarui otomatis.")
            % {"kind": job.get_kind_display()},
        )
    return redirect(f"{_list_url()}?job={job.pk}")


def _list_url():
    from django.urls import reverse

    return reverse("reports:list")


def _back(request):
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or request.META.get("HTTP_REFERER") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return _list_url()


def _job(request, pk) -> ReportJob:
    job = get_in_scope_or_404(
        request.user, ReportJob.objects.select_related("pemda", "unit", "assessment"), pk=pk
    )
    if not request.user.has_perm("reports.view_report", job):
        raise PermissionDenied
    return job


@login_required
@require_POST
def rerender(request, pk):
    job = _job(request, pk)
    services.rerender(job=job, by=request.user)
    messages.success(request, _("Laporan sedang dibuat ulang dari data terbaru."))
    return redirect(f"{_list_url()}?job={job.pk}")


@login_required
@require_GET
def download(request, pk):
    """The stored file, as an attachment, after the permission check (never a public media URL)."""
    job = _job(request, pk)
    if job.status != Status.READY or not job.file:
        raise Http404
    try:
        stream = default_storage.open(job.file.name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    return protected_download(
        stream, services.download_name(job), content_type=services.content_type(job)
    )


class LkeImportForm(forms.Form):
    track = forms.ChoiceField(
        label=gettext_lazy("Jalur jawaban yang diimpor"), choices=Track.choices
    )
    file = forms.FileField(label=gettext_lazy("Berkas LKE (.xlsx)"))


@login_required
def lke_xlsx(request, assessment_pk):
    """Export (as a report job) and import of one assessment's LKE in xlsx."""
    assessment = get_in_scope_or_404(
        request.user,
        Assessment.objects.select_related("unit__pemda", "instrument"),
        pk=assessment_pk,
    )
    if not request.user.has_perm("assessments.view_assessment", assessment):
        raise PermissionDenied
    can_import = request.user.has_perm("reports.import_lke", assessment)
    report = None
    initial_track = (
        Track.SELF if request.user.has_perm("assessments.answer_self", assessment) else Track.TPI
    )
    form = LkeImportForm(
        request.POST or None, request.FILES or None, initial={"track": initial_track}
    )
    if request.method == "POST":
        if not can_import:
            raise PermissionDenied
        if form.is_valid():
            report = answer_xlsx.import_lke(
                assessment=assessment,
                track=form.cleaned_data["track"],
                fileobj=form.cleaned_data["file"],
                by=request.user,
                dry_run="check" in request.POST,
            )
            if report.ok and not report.dry_run:
                messages.success(
                    request,
                    _("Impor selesai: %(saved)d jawaban berubah, %(same)d tetap.")
                    % {"saved": report.saved, "same": report.unchanged},
                )
            elif report.ok:
                messages.info(
                    request,
                    _("Berkas valid: %(n)d jawaban siap diimpor. Belum ada yang disimpan.")
                    % {"n": report.checked},
                )
            else:
                messages.error(
                    request,
                    _(
                        "Impor dibatalkan: perbaiki kesalahan di bawah ini. Tidak ada jawaban yang disimpan."
                    ),
                )
    recent = (
        ReportJob.objects.filter(assessment=assessment, kind=Kind.LKE_XLSX)
        .select_related("requested_by")
        .order_by("-created_at")[:5]
    )
    return render(
        request,
        "reports/lke_xlsx.html",
        {
            "assessment": assessment,
            "unit": assessment.unit,
            "form": form,
            "report": report,
            "can_import": can_import,
            "recent": recent,
        },
        status=400 if report is not None and not report.ok else 200,
    )
