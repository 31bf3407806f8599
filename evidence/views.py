"""Evidence pages: the per-question panel (htmx fragment), the assessment-wide list, uploads,
permission-checked downloads and the zip archive for the Inspektorat."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from accounts.rules import get_in_scope_or_404, is_unit_member
from assessments.models import Assessment, Question
from zi_portal.downloads import protected_download
from zi_portal.middleware import body_limit
from zi_portal.sizes import human_size

from . import selectors, services, upload
from .forms import CommentForm, EvidenceFilterForm, LinkForm, ReviewForm
from .models import EvidenceArchive, EvidenceItem, EvidenceVersion

logger = logging.getLogger("evidence")


# --- helpers -------------------------------------------------------------------------------

# Objects of another unit or Pemda answer 404 like missing ones (accounts.rules.get_in_scope_or_404).


def _assessment(request, pk) -> Assessment:
    return get_in_scope_or_404(
        request.user,
        Assessment.objects.select_related("unit__pemda", "instrument").defer("instrument__spec"),
        pk=pk,
    )


def _question(assessment, pk) -> Question:
    return get_object_or_404(Question, pk=pk, instrument_id=assessment.instrument_id)


def _item(request, pk) -> EvidenceItem:
    return get_in_scope_or_404(
        request.user,
        EvidenceItem.objects.select_related(
            "assessment__unit__pemda", "assessment__instrument", "question", "current_version"
        ).defer("assessment__instrument__spec"),
        pk=pk,
    )


def _abilities(user, assessment) -> dict:
    """What the user may do with this assessment's evidence; items inherit it (one rule check each)."""
    return {
        "view_deleted": user.has_perm("evidence.view_deleted_evidence", assessment),
        "upload": user.has_perm("evidence.upload_evidence", assessment),
        "delete": user.has_perm("evidence.delete_evidence", assessment),
        "restore": user.has_perm("evidence.restore_evidence", assessment),
        "review": user.has_perm("evidence.review_evidence", assessment),
        "comment": user.has_perm("evidence.comment_evidence", assessment),
        "archive": user.has_perm("evidence.download_archive", assessment),
        "locked": is_unit_member.test(user, assessment) and not assessment.open_for_unit,
    }


def _upload_context():
    return {
        "max_bytes": upload.max_bytes(),
        "max_size": human_size(upload.max_bytes()),
        "accept": upload.accept_attribute(),
        "allowed_labels": upload.allowed_labels(),
    }


def panel_context(
    request,
    assessment,
    question,
    *,
    items=None,
    can=None,
    guidance=None,
    errors=(),
    notices=(),
    review_error=None,
):
    can = can or _abilities(request.user, assessment)
    if items is None:
        items = selectors.items_for(
            assessment, include_deleted=can["view_deleted"], question=question
        )
    if guidance is None:
        guidance = selectors.question_guidance(assessment.instrument).get(question.code, [])
    return {
        "assessment": assessment,
        "question": question,
        "items": items,
        "live_count": sum(1 for i in items if not i.is_deleted),
        "can": can,
        "guidance": guidance,
        "errors": list(errors),
        "notices": list(notices),
        "link_form": LinkForm(),
        "review_form": ReviewForm(),
        "comment_form": CommentForm(),
        # A refused review: the item's form stays open with the decision and text kept, and the
        # message beside the field at fault.
        "review_error": review_error,
        **_upload_context(),
    }


def _respond(request, assessment, question, *, errors=(), notices=(), status=200):
    """htmx/XHR callers get the refreshed panel; a plain form post is redirected back with messages."""
    if request.htmx:
        context = panel_context(request, assessment, question, errors=errors, notices=notices)
        return render(request, "evidence/_question_panel.html", context, status=status)
    for text in errors:
        messages.error(request, text)
    for text in notices:
        messages.success(request, text)
    target = request.POST.get("next") or request.GET.get("next")
    if not target or not url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        target = reverse("evidence:assessment_list", args=[assessment.pk]) + f"#q-{question.pk}"
    return redirect(target)


# --- pages ---------------------------------------------------------------------------------


@login_required
@require_GET
def assessment_list(request, assessment_pk):
    """All evidence of one assessment, grouped by area and question, with filters and completeness."""
    assessment = _assessment(request, assessment_pk)
    if not request.user.has_perm("evidence.view_evidence", assessment):
        raise PermissionDenied
    can = _abilities(request.user, assessment)
    instrument = assessment.instrument
    questions = list(
        Question.objects.filter(instrument_id=instrument.pk)
        .order_by("order")
        .only("id", "code", "label", "text", "area_code", "section_code", "answer_type", "order")
    )
    names = selectors.area_names(instrument)
    unscored = selectors.unscored_types(instrument)
    area_keys = list(
        dict.fromkeys(selectors.area_key(q.area_code, q.section_code) for q in questions)
    )
    form = EvidenceFilterForm(
        request.GET or None,
        areas=[(k, names.get(k, k)) for k in area_keys],
        show_deleted=can["view_deleted"],
    )
    filters = form.cleaned_data if form.is_valid() else {}
    wanted_status, wanted_area = filters.get("status", ""), filters.get("area", "")

    by_question = {}
    for item in selectors.items_for(assessment, include_deleted=can["view_deleted"]):
        by_question.setdefault(item.question_id, []).append(item)
    guidance = selectors.question_guidance(instrument)
    groups, shown = {}, 0
    for question in questions:
        key = selectors.area_key(question.area_code, question.section_code)
        items = by_question.get(question.pk, [])
        live = [i for i in items if not i.is_deleted]
        if wanted_area and key != wanted_area:
            continue
        if question.answer_type in unscored and not items:
            continue  # Jumlah rows only feed a % question; show them only when they carry evidence
        if wanted_status == EvidenceFilterForm.NO_EVIDENCE:
            if live:
                continue
        elif wanted_status == EvidenceFilterForm.DELETED:
            items = [i for i in items if i.is_deleted]
            if not items:
                continue
        elif wanted_status:
            items = [i for i in live if i.status == wanted_status]
            if not items:
                continue
        panel = panel_context(
            request,
            assessment,
            question,
            items=items,
            can=can,
            guidance=guidance.get(question.code, []),
        )
        groups.setdefault(key, []).append(panel)
        shown += 1
    context = {
        "assessment": assessment,
        "unit": assessment.unit,
        "can": can,
        "form": form,
        "groups": [(key, names.get(key, key), groups[key]) for key in area_keys if key in groups],
        "shown": shown,
        "completeness": (done := selectors.completeness(assessment)),
        "areas": [
            (key, names.get(key, key), done.per_area[key], done.share(done.per_area[key]))
            for key in area_keys
            if key in done.per_area
        ],
        "archives": (
            EvidenceArchive.objects.filter(assessment=assessment).order_by("-created_at")[:1]
            if can["archive"]
            else []
        ),
        "filtered": bool(wanted_status or wanted_area),
        **_upload_context(),
    }
    return render(request, "evidence/assessment_list.html", context)


def _completeness_context(assessment) -> dict:
    instrument = assessment.instrument
    names = selectors.area_names(instrument)
    done = selectors.completeness(assessment)
    return {
        "completeness": done,
        "areas": [
            (key, names.get(key, key), counts, done.share(counts))
            for key, counts in done.per_area.items()
        ],
    }


@login_required
@require_GET
def completeness_card(request, assessment_pk):
    """Evidence completeness per area as a card, for the LKE worksheet (hx-get on load)."""
    assessment = _assessment(request, assessment_pk)
    if not request.user.has_perm("evidence.view_evidence", assessment):
        raise PermissionDenied
    return render(
        request,
        "evidence/_completeness.html",
        {"assessment": assessment, "link_to_list": True, **_completeness_context(assessment)},
    )


@login_required
@require_GET
def question_panel(request, assessment_pk, question_pk):
    """The evidence of one question as an HTML fragment, for the LKE worksheet (hx-get, lazy)."""
    assessment = _assessment(request, assessment_pk)
    question = _question(assessment, question_pk)
    if not request.user.has_perm("evidence.view_evidence", assessment):
        raise PermissionDenied
    context = panel_context(request, assessment, question)
    context["with_script"] = True  # the worksheet may not have loaded the upload script yet
    return render(request, "evidence/_question_panel.html", context)


# --- uploads -------------------------------------------------------------------------------


@body_limit(lambda: upload.max_request_bytes(files=upload.PAGE_UPLOAD_FILES))
@csrf_exempt
@login_required
@require_POST
def upload_files(request, assessment_pk, question_pk):
    """Receives one or more files (field ``files``); ``?replaces=<item>`` makes it a new version.

    The streaming handler is installed before anything reads the body (hence csrf_exempt here and
    csrf_protect on the inner view), and permission is checked before the body is read at all."""
    assessment = _assessment(request, assessment_pk)
    question = _question(assessment, question_pk)
    services.require_permission(
        request.user, "evidence.upload_evidence", assessment, unit_action=True
    )
    handler = upload.EvidenceUploadHandler(request)
    request.upload_handlers.insert(0, handler)
    return _receive_files(request, assessment, question, handler)


@csrf_protect
def _receive_files(request, assessment, question, handler):
    files = request.FILES.getlist("files")
    errors, stored = [], []
    if handler.too_large is not None:
        errors.append(upload.too_large_message(handler.too_large))
    replaces = None
    replaces_id = request.GET.get("replaces") or request.POST.get("replaces")
    if replaces_id:
        if not str(replaces_id).isdigit():
            raise Http404
        replaces = get_object_or_404(
            EvidenceItem.objects.select_related("current_version"),
            pk=replaces_id,
            assessment=assessment,
            question=question,
        )
    if not files and not errors:
        errors.append(_("Pilih berkas yang akan diunggah."))
    if replaces is not None and len(files) > 1:
        errors.append(_("Pilih satu berkas untuk mengganti data dukung."))
        files = []
    for uploaded in files:
        try:
            services.upload_file(
                assessment=assessment,
                question=question,
                uploaded_file=uploaded,
                by=request.user,
                replaces=replaces,
            )
            stored.append(uploaded.name)
        except services.EvidenceError as exc:
            errors.append(str(exc))
        finally:
            uploaded.close()
    notices = []
    if stored and replaces is not None:
        notices.append(_("Berkas diganti. Versi sebelumnya tetap tersimpan di riwayat."))
    elif stored:
        notices.append(
            ngettext(
                "%(n)d berkas berhasil diunggah.", "%(n)d berkas berhasil diunggah.", len(stored)
            )
            % {"n": len(stored)}
        )
    return _respond(
        request,
        assessment,
        question,
        errors=errors,
        notices=notices,
        status=400 if errors and not stored else 200,
    )


@login_required
@require_POST
def add_link(request, assessment_pk, question_pk):
    assessment = _assessment(request, assessment_pk)
    question = _question(assessment, question_pk)
    # The service validates (one rule for the page and the API); the form only renders the fields.
    try:
        services.add_link(
            assessment=assessment,
            question=question,
            url=request.POST.get("url", ""),
            title=request.POST.get("title", ""),
            by=request.user,
        )
    except services.EvidenceError as exc:
        return _respond(request, assessment, question, errors=[str(exc)])
    return _respond(request, assessment, question, notices=[_("Tautan ditambahkan.")])


# --- item actions --------------------------------------------------------------------------


def _item_action(request, item_pk, action, done_message):
    item = _item(request, item_pk)
    try:
        action(item)
    except services.EvidenceError as exc:
        return _respond(request, item.assessment, item.question, errors=[str(exc)])
    return _respond(request, item.assessment, item.question, notices=[done_message])


@login_required
@require_POST
def delete_item(request, item_pk):
    return _item_action(
        request,
        item_pk,
        lambda item: services.soft_delete(item=item, by=request.user),
        _("Data dukung dihapus. Inspektorat masih dapat melihat dan memulihkannya."),
    )


@login_required
@require_POST
def restore_item(request, item_pk):
    return _item_action(
        request,
        item_pk,
        lambda item: services.restore(item=item, by=request.user),
        _("Data dukung dipulihkan."),
    )


@login_required
@require_POST
def review_item(request, item_pk):
    status, comment_text = request.POST.get("status", ""), request.POST.get("comment", "")
    item = _item(request, item_pk)
    try:
        services.review(item=item, by=request.user, status=status, comment=comment_text)
    except services.EvidenceError as exc:
        if not (request.htmx and exc.field):
            return _respond(request, item.assessment, item.question, errors=[str(exc)])
        refused = {
            "item_id": item.pk,
            "field": exc.field,
            "message": str(exc),
            "status": status,
            "comment": comment_text,
        }
        context = panel_context(request, item.assessment, item.question, review_error=refused)
        return render(request, "evidence/_question_panel.html", context)
    return _respond(request, item.assessment, item.question, notices=[_("Hasil reviu disimpan.")])


@login_required
@require_POST
def comment_item(request, item_pk):
    text = request.POST.get("text", "")
    return _item_action(
        request,
        item_pk,
        lambda item: services.comment(item=item, by=request.user, text=text),
        _("Komentar terkirim."),
    )


# --- downloads -----------------------------------------------------------------------------


@login_required
@require_GET
def download(request, version_pk):
    """Streams one stored version after checking permission and its SHA-256."""
    version = get_in_scope_or_404(
        request.user,
        EvidenceVersion.objects.select_related("item__assessment__unit", "item__question"),
        pk=version_pk,
    )
    if not selectors.item_visible_to(request.user, version.item):
        raise PermissionDenied
    try:
        stream = services.open_verified(version)
    except services.EvidenceIntegrityError as exc:
        context = {"message": str(exc), "version": version, "assessment": version.item.assessment}
        return render(request, "evidence/integrity_error.html", context, status=409)
    return protected_download(
        stream, upload.served_name(version), content_type=version.content_type, size=version.size
    )


# --- archives ------------------------------------------------------------------------------


@login_required
@require_POST
def archive_request(request, assessment_pk):
    assessment = _assessment(request, assessment_pk)
    archive = services.request_archive(assessment=assessment, by=request.user)
    return redirect("evidence:archive_detail", archive_pk=archive.pk)


def _archive(request, pk) -> EvidenceArchive:
    archive = get_in_scope_or_404(
        request.user,
        EvidenceArchive.objects.select_related("assessment__unit__pemda", "requested_by"),
        pk=pk,
    )
    if not request.user.has_perm("evidence.download_archive", archive):
        raise PermissionDenied
    return archive


@login_required
@require_GET
def archive_detail(request, archive_pk):
    """The progress page; htmx polls it every 2 s for the status fragment until the zip is done."""
    archive = _archive(request, archive_pk)
    context = {"archive": archive, "assessment": archive.assessment}
    if request.htmx:
        return render(request, "evidence/_archive_status.html", context)
    context["earlier"] = (
        EvidenceArchive.objects.filter(assessment=archive.assessment)
        .exclude(pk=archive.pk)
        .select_related("requested_by")
        .order_by("-created_at")[:5]
    )
    return render(request, "evidence/archive_detail.html", context)


@login_required
@require_GET
def archive_download(request, archive_pk):
    archive = _archive(request, archive_pk)
    if archive.status != EvidenceArchive.State.READY or not archive.file:
        raise Http404
    unit = archive.assessment.unit
    filename = f"data-dukung-{slugify(unit.short_name or unit.code) or unit.pk}-{archive.assessment.year}.zip"
    return protected_download(
        default_storage.open(archive.file.name, "rb"),
        filename,
        content_type="application/zip",
        size=archive.size,
    )
