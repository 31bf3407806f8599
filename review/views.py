from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.rules import INSPEKTORAT, PEMDA_READERS, get_in_scope_or_404
from assessments.models import Assessment, Question
from assessments.services import current_instrument
from dashboards.selectors import default_year, pemdas_for, years_of
from evidence.models import EvidenceVersion
from zi_portal import exports

from . import previews, selectors, services
from .forms import AssignForm, QueueFilterForm
from .models import Assignment, Preview, RevisionRequest


def _pemda(request, roles, permission):
    pemdas = pemdas_for(request.user, roles)
    if not pemdas:
        raise PermissionDenied(_("Halaman ini hanya untuk Inspektorat."))
    wanted = request.GET.get("pemda", "") or request.POST.get("pemda", "")
    pemda = next((p for p in pemdas if str(p.pk) == wanted), pemdas[0])
    if not request.user.has_perm(permission, pemda):
        raise PermissionDenied
    return pemda


def _assessment(request, pk):
    return get_in_scope_or_404(
        request.user,
        Assessment.objects.select_related("unit__pemda", "instrument").defer("instrument__spec"),
        pk=pk,
    )


# --- the queue ---------------------------------------------------------------------------------


def _queue_filters(request):
    """The Pemda, the filter form and the filters of the queue: what the page and its exports show."""
    pemda = _pemda(request, INSPEKTORAT, "review.view_queue")
    units = selectors.queue_units(request.user, pemda)
    instrument = current_instrument(pemda)
    areas = (
        [(a["code"], a["name"]) for a in instrument.structure().get("areas", [])]
        if instrument
        else []
    )
    form = QueueFilterForm(request.GET or None, units=units, areas=areas)
    form.is_valid()  # an invalid filter shows its message and is not applied
    f = getattr(form, "cleaned_data", {})
    filters = selectors.QueueFilters(
        unit=f.get("unit") or None,
        area=f.get("area") or "",
        min_days=f.get("age"),
        newest_first=f.get("sort") == "baru",
    )
    return pemda, form, filters


@login_required
def queue(request):
    """One review queue across the evaluator's assigned units (the Admin Inspektorat: all)."""
    pemda, form, filters = _queue_filters(request)
    data = selectors.review_queue(request.user, pemda, filters)
    query = request.GET.copy()
    query["pemda"] = str(pemda.pk)
    return render(
        request,
        "review/queue.html",
        {"pemda": pemda, "form": form, "query": query.urlencode(), **data},
    )


@login_required
@require_GET
def queue_export(request, fmt):
    """Every item waiting in the person's queue under the current filters, as xlsx or CSV: the
    same people and the same assessments as the page (an evaluator: their assigned units)."""
    if fmt not in exports.FORMATS:
        raise Http404
    pemda, form, filters = _queue_filters(request)
    return exports.table_download(
        fmt=fmt,
        columns=selectors.queue_columns(),
        rows=selectors.queue_export_rows(request.user, pemda, filters),
        name=exports.filename("antrean-reviu", pemda, fmt),
        title=_("Antrean reviu TPI"),
        about=exports.about(pemda, form=form),
    )


@login_required
@require_POST
def bulk_accept(request):
    pemda = _pemda(request, INSPEKTORAT, "review.view_queue")
    ids = [int(v) for v in request.POST.getlist("item") if v.isdigit()]
    if not ids:
        messages.error(request, _("Pilih data dukung yang akan diterima."))
    else:
        try:
            accepted, problems = services.bulk_accept(item_ids=ids, by=request.user)
        except services.ReviewError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("%(n)d data dukung diterima.") % {"n": accepted})
            for problem in problems[:10]:
                messages.error(request, problem)
    back = request.POST.get("next", "")
    return redirect(
        back if back.startswith("/reviu/") else f"{reverse('review:queue')}?pemda={pemda.pk}"
    )


# --- revision requests -------------------------------------------------------------------------


def _request(request, pk) -> RevisionRequest:
    found = get_in_scope_or_404(
        request.user,
        RevisionRequest.objects.select_related("assessment__unit__pemda", "question", "opened_by"),
        pk=pk,
    )
    if not request.user.has_perm("review.view_revision", found):
        raise PermissionDenied
    return found


@login_required
def request_detail(request, pk):
    rr = _request(request, pk)
    return render(request, "review/request.html", _detail_context(request, rr))


ACTIONS = {
    "jawab": lambda rr, by, text: services.reply_revision(request=rr, by=by, text=text),
    "tutup": lambda rr, by, text: services.close_revision(request=rr, by=by, note=text),
    "buka": lambda rr, by, text: services.reopen_revision(request=rr, by=by, note=text),
}


@login_required
@require_POST
def request_action(request, pk, action):
    rr = _request(request, pk)
    if action not in ACTIONS:
        raise Http404
    text = request.POST.get("text", "")
    try:
        ACTIONS[action](rr, request.user, text)
    except services.ReviewError as exc:
        # The text stays in the form next to its message (nothing typed is lost).
        context = {**_detail_context(request, rr), "error": str(exc), "text": text}
        return render(request, "review/request.html", context, status=400)
    messages.success(request, _("Tersimpan."))
    return redirect(rr)


def _detail_context(request, rr):
    user = request.user
    return {
        "rr": rr,
        "assessment": rr.assessment,
        "unit": rr.assessment.unit,
        "thread": rr.messages.select_related("author"),
        "can": {
            "reply": rr.is_live and user.has_perm("review.reply_revision", rr),
            "close": rr.is_live and user.has_perm("review.close_revision", rr),
            "reopen": not rr.is_live and user.has_perm("review.reopen_revision", rr),
        },
        "evidence": rr.assessment.evidence_items.filter(
            question=rr.question, deleted_at__isnull=True
        ).select_related("current_version", "current_version__preview"),
    }


@login_required
@require_POST
def open_request(request, pk, question_pk):
    assessment = _assessment(request, pk)
    question = Question.objects.filter(
        pk=question_pk, instrument_id=assessment.instrument_id
    ).first()
    if question is None:
        raise Http404
    back = reverse("assessments:worksheet", args=[assessment.pk, "tpi"]) + f"#q-{question.pk}"
    try:
        rr = services.open_revision(
            assessment=assessment,
            question=question,
            by=request.user,
            note=request.POST.get("note", ""),
            about=request.POST.get("about", "both"),
        )
    except services.ReviewError as exc:
        messages.error(request, f"{question.code}: {exc}")
        return redirect(back)
    messages.success(
        request, _("Permintaan perbaikan %(code)s dikirim ke unit.") % {"code": question.code}
    )
    return redirect(rr)


# --- sign-off ----------------------------------------------------------------------------------


@login_required
@require_POST
def evaluation_step(request, pk, action):
    assessment = _assessment(request, pk)
    note = request.POST.get("note", "")
    try:
        if action == "kembalikan":
            services.send_back(assessment=assessment, by=request.user, reason=note)
        elif action == "sahkan":
            evaluation = services.evaluation_of(assessment)
            if evaluation.state == "draft":
                services.submit_evaluation(assessment=assessment, by=request.user, note=note)
            else:
                services.sign_off(assessment=assessment, by=request.user, note=note)
        else:
            raise Http404
    except services.ReviewError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Langkah evaluasi TPI dicatat."))
    return redirect(reverse("assessments:detail", args=[assessment.pk]) + "#evaluasi-tpi")


# --- assignments -------------------------------------------------------------------------------


@login_required
def assignments(request):
    """Who evaluates which unit and how far each is (Pemda readers); the Admin assigns here."""
    pemda = _pemda(request, PEMDA_READERS, "review.view_assignments")
    years = years_of(pemda)
    raw = request.GET.get("tahun", "")
    year = int(raw) if raw.isdigit() and int(raw) in years else default_year(years)
    rows = selectors.assignment_overview(pemda, year)
    can_assign = request.user.has_perm("review.assign_tpi", pemda)
    form = None
    if can_assign:
        form = AssignForm(
            request.POST or None, pemda=pemda, assessments=[r["assessment"] for r in rows]
        )
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            try:
                services.assign(
                    assessment=d["assessment"],
                    user=d["user"],
                    role=d["role"],
                    area_code=d["area_code"],
                    by=request.user,
                )
            except services.ReviewError as exc:
                form.add_error(exc.field or None, str(exc))
            else:
                messages.success(request, _("Penugasan disimpan."))
                return redirect(f"{reverse('review:assignments')}?tahun={year}")
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "review/assignments.html",
        {"pemda": pemda, "rows": rows, "year": year, "years": years, "form": form},
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_POST
def unassign(request, pk):
    assignment = get_in_scope_or_404(
        request.user, Assignment.objects.select_related("assessment__unit"), pk=pk
    )
    services.unassign(assignment=assignment, by=request.user)
    messages.success(request, _("Penugasan dihapus."))
    return redirect(f"{reverse('review:assignments')}?tahun={assignment.assessment.year}")


# --- previews ----------------------------------------------------------------------------------


def _version(request, pk) -> EvidenceVersion:
    version = get_in_scope_or_404(
        request.user,
        EvidenceVersion.objects.select_related("item__assessment__unit"),
        pk=pk,
    )
    if version.item.is_deleted or not request.user.has_perm("evidence.view_evidence", version.item):
        raise PermissionDenied
    return version


@login_required
def preview(request, version_pk):
    """htmx: asks for the preview (POST) and shows its state or its page images (GET polls)."""
    version = _version(request, version_pk)
    found = Preview.objects.filter(version=version).first()
    error = ""
    if request.method == "POST":
        try:
            found = previews.request_preview(version=version, by=request.user)
        except ValueError as exc:
            error = str(exc)
    return render(
        request, "review/_preview.html", {"version": version, "preview": found, "error": error}
    )


@login_required
def preview_page(request, version_pk, page):
    """One rendered page: a PNG the portal drew itself, never the uploaded bytes."""
    version = _version(request, version_pk)
    found = Preview.objects.filter(version=version, state=Preview.State.READY).first()
    if found is None or not 1 <= page <= len(found.pages):
        raise Http404
    response = FileResponse(
        default_storage.open(found.pages[page - 1], "rb"), content_type="image/png"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Content-Disposition"] = "inline"
    return response
