"""The dossier page of one unit-year: the checklist, the Inspektorat's details, the unit's signed
scans, and buttons for the generated documents and the bundle (report jobs, progress on Laporan)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from accounts.rules import get_in_scope_or_404
from assessments.models import Assessment
from evidence import upload
from evidence.services import EvidenceIntegrityError, open_verified_file
from reports import services as report_services
from reports.models import Kind, ReportJob
from zi_portal.downloads import protected_download
from zi_portal.middleware import body_limit

from . import selectors, services
from .forms import DetailsForm, OpenForm
from .models import SCANS, DossierScan, Item

DOCUMENT_KINDS = {k.value: k for k in (Kind.SURAT_USULAN, Kind.SPTJM, Kind.LHE, Kind.BUNDLE)}


def _assessment(request, pk) -> Assessment:
    assessment = get_in_scope_or_404(
        request.user,
        Assessment.objects.select_related("unit__pemda", "instrument").defer("instrument__spec"),
        pk=pk,
    )
    if not request.user.has_perm("dossier.view_dossier", assessment):
        raise PermissionDenied
    return assessment


def _page(request, assessment, *, details=None, upload_errors=None, status=200):
    user = request.user
    state = selectors.checklist(assessment)
    dossier = state.dossier
    can_prepare = user.has_perm("dossier.prepare_dossier", assessment)
    if details is None and dossier is not None:
        details = DetailsForm(
            initial={"video_url": dossier.video_url, "recommendations": dossier.recommendations}
        )
    jobs = (
        ReportJob.objects.filter(
            Q(kind=Kind.SURAT_USULAN, pemda_id=assessment.unit.pemda_id, year=assessment.year)
            | Q(assessment=assessment, kind__in=[Kind.SPTJM, Kind.LHE, Kind.BUNDLE])
        )
        .select_related("requested_by")
        .order_by("-created_at", "-pk")[:8]
    )
    # The Pemda's letter lists other units: a unit's people see their own unit's documents only.
    jobs = [j for j in jobs if user.has_perm("reports.view_report", j)]
    for s in state.items:
        if s.job is not None and not user.has_perm("reports.view_report", s.job):
            s.job = None
    return render(
        request,
        "dossier/detail.html",
        {
            "assessment": assessment,
            "unit": assessment.unit,
            "state": state,
            "dossier": dossier,
            "scan_items": [s for s in state.items if s.item in SCANS],
            "open_form": OpenForm(
                initial={"target": dossier.target if dossier else assessment.target}
            ),
            "details": details,
            "can_prepare": can_prepare,
            "can_upload": user.has_perm("dossier.upload_dossier_scan", assessment),
            "can_letter": user.has_perm("dossier.request_surat_usulan", assessment.unit.pemda),
            "can_lhe": user.has_perm("dossier.request_lhe", assessment),
            "can_sptjm": user.has_perm("dossier.request_sptjm", assessment),
            "can_bundle": user.has_perm("dossier.build_bundle", assessment),
            "upload_errors": upload_errors or {},
            "accept": ",".join(f".{t}" for t in sorted(services.SCAN_TYPES)) + ",.jpeg",
            "max_size": upload.max_bytes(),
            "jobs": jobs,
        },
        status=status,
    )


@login_required
@require_GET
def detail(request, assessment_pk):
    return _page(request, _assessment(request, assessment_pk))


@login_required
@require_POST
def open_dossier(request, assessment_pk):
    assessment = _assessment(request, assessment_pk)
    form = OpenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih usulan predikat WBK atau WBBM."))
        return redirect("dossier:detail", assessment.pk)
    try:
        services.open_dossier(
            assessment=assessment, target=form.cleaned_data["target"], by=request.user
        )
    except services.DossierError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Paket usulan dibuka."))
    return redirect("dossier:detail", assessment.pk)


@login_required
@require_POST
def save_details(request, assessment_pk):
    assessment = _assessment(request, assessment_pk)
    dossier = selectors.checklist(assessment).dossier
    if dossier is None:
        raise Http404
    form = DetailsForm(request.POST)
    if form.is_valid():
        try:
            services.update_details(
                dossier=dossier,
                by=request.user,
                video_url=form.cleaned_data["video_url"],
                recommendations=form.cleaned_data["recommendations"],
            )
        except services.DossierErrors as exc:
            for field, message in exc.errors.items():
                form.add_error(field, message)
    if form.errors:
        messages.error(request, _("Periksa isian yang ditandai; belum ada yang disimpan."))
        return _page(request, assessment, details=form, status=400)
    messages.success(request, _("Paket usulan disimpan."))
    return redirect("dossier:detail", assessment.pk)


@csrf_exempt
@body_limit(upload.max_request_bytes)
@login_required
@require_POST
def upload_scan(request, assessment_pk, item):
    """One signed scan (field ``file``) through the evidence upload handler: permission first, then
    the body streams to a temporary file, hashed, stopped past the size limit."""
    assessment = _assessment(request, assessment_pk)
    if item not in SCANS:
        raise Http404
    services.require_scan_permission(request.user, assessment)
    handler = upload.EvidenceUploadHandler(request)
    request.upload_handlers.insert(0, handler)
    return _receive_scan(request, assessment, item, handler)


@csrf_protect
def _receive_scan(request, assessment, item, handler):
    uploaded = request.FILES.get("file")
    error = ""
    if handler.too_large is not None:
        error = upload.too_large_message(handler.too_large)
    elif uploaded is None:
        error = _("Pilih berkas pindaian yang akan diunggah.")
    else:
        try:
            services.upload_scan(
                assessment=assessment, item=item, uploaded_file=uploaded, by=request.user
            )
        except services.DossierError as exc:
            error = str(exc)
        finally:
            uploaded.close()
    if error:
        return _page(request, assessment, upload_errors={item: error}, status=400)
    messages.success(request, _("Pindaian %(item)s tersimpan.") % {"item": Item(item).label})
    return redirect("dossier:detail", assessment.pk)


@login_required
@require_POST
def request_document(request, assessment_pk, kind):
    assessment = _assessment(request, assessment_pk)
    if kind not in DOCUMENT_KINDS:
        raise Http404
    try:
        job = services.request_document(assessment=assessment, kind=kind, by=request.user)
    except (services.DossierError, report_services.ReportError) as exc:
        messages.error(request, str(exc))
        return redirect("dossier:detail", assessment.pk)
    messages.success(
        request,
        _("%(kind)s sedang disiapkan. Daftar ini diperbarui otomatis.")
        % {"kind": job.get_kind_display()},
    )
    return redirect(f"{reverse('reports:list')}?job={job.pk}")


@login_required
@require_GET
def download_scan(request, pk):
    scan = get_in_scope_or_404(
        request.user,
        DossierScan.objects.select_related("dossier__assessment__unit"),
        pk=pk,
    )
    if not request.user.has_perm("dossier.view_dossier", scan.dossier.assessment):
        raise PermissionDenied
    try:
        stream = open_verified_file(scan.file.name, scan.sha256, f"dossier scan {scan.pk}")
    except EvidenceIntegrityError as exc:
        return render(request, "evidence/integrity_error.html", {"message": str(exc)}, status=409)
    return protected_download(
        stream, scan.original_name, content_type=scan.content_type, size=scan.size
    )
