from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from accounts.rules import get_in_scope_or_404, in_scope
from units.models import WorkUnit
from units.nip import format_nip

from . import lifecycle, selectors, services
from .forms import STEP_FORMS, ProclaimForm, ProclamationForm, TpnStageForm, witness_formset
from .models import Question, Stage, Track, ZeroDenominatorRule


def _assessment_or_403(request, pk):
    try:
        assessment = selectors.assessment_for_page(pk)
    except selectors.Assessment.DoesNotExist:
        raise Http404 from None
    if not in_scope(request.user, assessment):
        raise Http404  # another unit's or Pemda's: as if it did not exist (rules.get_in_scope_or_404)
    if not request.user.has_perm("assessments.view_assessment", assessment):
        raise PermissionDenied
    return assessment


def _track(value):
    try:
        return Track(value)
    except ValueError:
        raise Http404 from None


def _detail_context(request, assessment, bound=None):
    """The detail page's context; ``bound`` = (step name or "tpn", bound form) keeps a refused
    form's input and errors in place."""
    scores = selectors.stored_scores(assessment)
    steps = lifecycle.available_steps(assessment, request.user)
    bound_name, bound_form = bound or (None, None)
    can_record_tpn = assessment.stage == Stage.TPN_REVIEW and request.user.has_perm(
        "assessments.record_tpn", assessment
    )
    return {
        "assessment": assessment,
        "unit": assessment.unit,
        "scores": [scores.get(t.value) for t in Track],
        "tracks": list(Track),
        "timeline": selectors.timeline_entries(assessment),
        "steps": [(s, bound_form if s.name == bound_name else STEP_FORMS[s.name]()) for s in steps],
        "tpn_form": (bound_form if bound_name == "tpn" else TpnStageForm(prefix="tpn"))
        if can_record_tpn
        else None,
        "deadlines": selectors.upcoming_deadlines(assessment.unit.pemda, timezone.localdate()),
        "can": {
            t.value: request.user.has_perm(services.ANSWER_PERMISSION[t], assessment) for t in Track
        },
        "can_edit_proclamation": request.user.has_perm("assessments.edit_proclamation", assessment),
    }


@login_required
def assessment_detail(request, pk):
    assessment = _assessment_or_403(request, pk)
    context = _detail_context(request, assessment)
    if request.htmx and request.GET.get("part") == "scores":
        return render(request, "assessments/_scores.html", context)
    return render(request, "assessments/assessment_detail.html", context)


def _refused(request, assessment, name, form, exc):
    """Puts a refused step's reasons next to the field at fault (or above the form) and shows the
    page again with everything typed still in the form."""
    for reason in exc.reasons:
        field = exc.field if exc.field in form.fields else None
        form.add_error(field, reason)
    messages.error(request, _("Langkah tidak dapat dilakukan; lihat isian yang ditandai."))
    return render(
        request,
        "assessments/assessment_detail.html",
        _detail_context(request, assessment, (name, form)),
        status=409,
    )


# The worksheet's filters as the page names them (selectors.FILTERS decides which rows match).
FILTER_LABELS = {
    "belum": _lazy("Belum terjawab"),
    "tanpa_dukung": _lazy("Tanpa data dukung"),
    "perbaikan": _lazy("Ada permintaan perbaikan"),
}


@login_required
def worksheet(request, pk, track):
    """One change area of a track's LKE at a time (``?area=``), optionally only the rows of one
    filter (``?belum=1`` unanswered, ``?tanpa_dukung=1`` without evidence, ``?perbaikan=1`` with a
    revision request not yet closed) and beside another track (``?banding=``)."""
    assessment = _assessment_or_403(request, pk)
    track = _track(track)
    compare = request.GET.get("banding")
    compare = compare if compare in Track.values and compare != track.value else None
    only = next((name for name in selectors.FILTERS if request.GET.get(name) == "1"), None)
    data = selectors.worksheet(
        assessment,
        track.value,
        compare_with=compare,
        tab=request.GET.get("area"),
        only=only,
    )
    editable = request.user.has_perm(services.ANSWER_PERMISSION[track], assessment)

    def link(tab, which=only):
        params = {"area": tab.key, "banding": compare or "", which or "": "1" if which else ""}
        return "?" + urlencode({k: v for k, v in params.items() if k and v})

    tabs = data["tabs"]
    current = data["tab"]
    position = tabs.index(current)
    following = tabs[position + 1] if position + 1 < len(tabs) else None
    filters = [
        {
            "name": name,
            "label": label,
            "count": data["counts"][name],
            "href": link(current, None if name == only else name),
            "active": name == only,
        }
        for name, label in FILTER_LABELS.items()
    ]
    return render(
        request,
        "assessments/worksheet.html",
        {
            "assessment": assessment,
            "unit": assessment.unit,
            "track": track,
            "compare": compare,
            "compare_label": Track(compare).label if compare else "",
            "editable": editable,
            **data,
            "tab_links": [(t, link(t)) for t in tabs],
            "filters": filters,
            "all_link": link(current, None),
            "next_tab": (following, link(following)) if following else None,
            "nothing_left": bool(only) and not any(a.has_rows for a in data["areas"]),
            "nothing_open": only == "belum" and not any(a.has_rows for a in data["areas"]),
            "tracks": list(Track),
            "locked_reason": None if editable else services._locked_message(assessment, track),
            "can_override_zero": track == Track.TPI
            and request.user.has_perm("assessments.override_zero_denominator", assessment),
            "zero_rules": ZeroDenominatorRule.choices,
        },
    )


@login_required
@require_POST
def zero_denominator(request, pk, code):
    """The TPI sets (or clears) what a zero denominator means for one % question of the assessment."""
    assessment = _assessment_or_403(request, pk)
    back = reverse("assessments:worksheet", args=[assessment.pk, Track.TPI.value])
    try:
        services.set_zero_denominator_override(
            assessment=assessment,
            question_code=code,
            rule=request.POST.get("rule", ""),
            reason=request.POST.get("reason", ""),
            by=request.user,
        )
    except services.AnswerError as exc:
        messages.error(request, str(exc))
    else:
        number = selectors.visible_numbers(assessment.instrument.structure()).get(code, code)
        messages.success(
            request, _("Arti penyebut nol pertanyaan %(number)s disimpan.") % {"number": number}
        )
    return redirect(back)


@login_required
@require_POST
def save_answer(request, pk, track, question_pk):
    """htmx autosave of one question row; returns its indicator, re-rendered with its new state, and
    the area's progress and the track's total (out of band)."""
    assessment = _assessment_or_403(request, pk)
    track = _track(track)
    # The question with the other questions of its indicator (the fragment shows them all).
    indicator = {q.pk: q for q in selectors.indicator_questions(assessment, question_pk)}
    if question_pk not in indicator:
        raise Http404
    question = indicator[question_pk]
    error, reason = None, ""
    revision = request.POST.get("revision")
    try:
        services.save_answer(
            assessment=assessment,
            question=question,
            track=track,
            by=request.user,
            value=request.POST.get("value") if "value" in request.POST else None,
            note=request.POST.get("note") if "note" in request.POST else None,
            expected_revision=int(revision) if revision and revision.isdigit() else None,
        )
        saved = True
    except PermissionDenied as exc:
        error, saved = str(exc), False
    except services.AnswerError as exc:
        error, reason, saved = str(exc), exc.reason, False
    compare = request.GET.get("banding")
    compare = compare if compare in Track.values and compare != track.value else None
    block, area, data = selectors.indicator_block(
        assessment, question, track.value, list(indicator.values()), compare_with=compare
    )
    if reason:  # named by the number the row shows, not the instrument's code
        number = next((r.number for r in _rows_of(block) if r.question_id == question.pk), "")
        error = _("Pertanyaan %(number)s: %(reason)s") % {"number": number, "reason": reason}
    # Errors come back as 200 so htmx swaps them in: the row itself shows the message, and
    # what was typed or chosen stays in the field.
    return render(
        request,
        "assessments/_indicator.html",
        {
            "ind": block,
            "area": area,
            "assessment": assessment,
            "track": track,
            "editable": request.user.has_perm(services.ANSWER_PERMISSION[track], assessment),
            "status": {
                "question_id": question.pk,
                "saved": saved,
                "error": error,
                "submitted": request.POST.get("value", "") if error else None,
                "submitted_note": request.POST.get("note") if error else None,
            },
            "oob": True,
            "tree": data["tree"],
            "compare_label": Track(compare).label if compare else "",
            "tab": data["tab"],
        },
    )


def _rows_of(block):
    """Every row of an indicator block, a % question's Jumlah parts included."""
    for row in block.rows:
        yield row
        yield from row.parts


@login_required
def answer_history(request, pk, track, question_pk):
    """Who changed this answer, when, from what to what (htmx fragment)."""
    assessment = _assessment_or_403(request, pk)
    track = _track(track)
    question = get_object_or_404(Question, pk=question_pk, instrument_id=assessment.instrument_id)
    return render(
        request,
        "assessments/_answer_history.html",
        {
            "changes": selectors.answer_changes(assessment, question, track.value),
            "question": question,
        },
    )


@login_required
def proclaim(request, unit_pk):
    unit = get_in_scope_or_404(request.user, WorkUnit.objects.select_related("pemda"), pk=unit_pk)
    if not request.user.has_perm("assessments.proclaim", unit):
        raise PermissionDenied(_("Anda tidak berwenang mencatat pencanangan untuk unit ini."))
    form = ProclaimForm(request.POST or None, unit=unit)
    witnesses = witness_formset(request.POST or None)
    if request.method == "POST" and form.is_valid() & witnesses.is_valid():
        d = form.cleaned_data
        try:
            assessment = lifecycle.proclaim(
                unit=unit,
                year=d["year"],
                proclaimed_on=d["proclaimed_on"],
                place=d["place"],
                signatory_name=d["signatory_name"],
                signatory_title=d["signatory_title"],
                signatory_nip=d["signatory_nip"],
                target=d["target"],
                witnesses=witnesses.rows(),
                by=request.user,
                note=d["note"],
            )
        except lifecycle.TransitionError as exc:
            for reason in exc.reasons:
                form.add_error(None, reason)
        else:
            messages.success(
                request, _("Pencanangan ZI %(year)d dicatat.") % {"year": assessment.year}
            )
            return redirect(assessment)
    return render(
        request,
        "assessments/proclaim.html",
        {"unit": unit, "form": form, "witnesses": witnesses},
    )


@login_required
def edit_proclamation(request, pk):
    """The Inspektorat corrects what the Piagam prints (witnesses, signatory, target) after the
    ceremony; every change is kept in the assessment's and the witnesses' history."""
    assessment = _assessment_or_403(request, pk)
    if not request.user.has_perm("assessments.edit_proclamation", assessment):
        raise PermissionDenied(_("Anda tidak berwenang mengubah data pencanangan ini."))
    initial = {
        "proclaimed_on": assessment.proclaimed_on,
        "place": assessment.proclaimed_at,
        "target": assessment.target,
        "signatory_name": assessment.signatory_name,
        "signatory_title": assessment.signatory_title,
        "signatory_nip": format_nip(assessment.signatory_nip),
    }
    rows = [
        {
            "name": w.name,
            "position": w.position,
            "institution": w.institution,
            "nip": format_nip(w.nip),
        }
        for w in assessment.witnesses.all()
    ]
    form = ProclamationForm(request.POST or None, initial=initial)
    witnesses = witness_formset(request.POST or None, initial=rows)
    if request.method == "POST" and form.is_valid() & witnesses.is_valid():
        d = form.cleaned_data
        try:
            lifecycle.update_proclamation(
                assessment=assessment,
                by=request.user,
                proclaimed_on=d["proclaimed_on"],
                place=d["place"],
                signatory_name=d["signatory_name"],
                signatory_title=d["signatory_title"],
                signatory_nip=d["signatory_nip"],
                target=d["target"],
                witnesses=witnesses.rows(),
            )
        except lifecycle.TransitionError as exc:
            for reason in exc.reasons:
                form.add_error(None, reason)
        else:
            messages.success(request, _("Data pencanangan diperbarui."))
            return redirect(assessment)
    return render(
        request,
        "assessments/proclaim.html",
        {"unit": assessment.unit, "assessment": assessment, "form": form, "witnesses": witnesses},
    )


@login_required
@require_POST
def take_step(request, pk, step):
    assessment = _assessment_or_403(request, pk)
    if step not in lifecycle.STEPS:
        raise Http404
    form = STEP_FORMS[step](request.POST)
    if not form.is_valid():
        messages.error(request, _("Periksa isian yang ditandai."))
        context = _detail_context(request, assessment, (step, form))
        return render(request, "assessments/assessment_detail.html", context, status=400)
    d = form.cleaned_data
    try:
        lifecycle.take_step(
            step,
            assessment=assessment,
            by=request.user,
            note=d["note"],
            target=d.get("target"),
            result=d.get("result"),
            on=d.get("on"),
            decree_number=d.get("decree_number") or "",
            override_reason=d.get("override_reason") or "",
        )
    except lifecycle.TransitionError as exc:
        return _refused(request, assessment, step, form, exc)
    assessment.refresh_from_db()
    messages.success(
        request, _("Tahap sekarang: %(stage)s.") % {"stage": assessment.get_stage_display()}
    )
    return redirect(assessment)


@login_required
@require_POST
def record_tpn_stage(request, pk):
    assessment = _assessment_or_403(request, pk)
    if not request.user.has_perm("assessments.record_tpn", assessment):
        raise PermissionDenied(_("Anda tidak berwenang mencatat hasil tahapan TPN."))
    # Prefixed: the step forms on the same page have fields (and ids) of the same names.
    form = TpnStageForm(request.POST, prefix="tpn")
    if not form.is_valid():
        context = _detail_context(request, assessment, ("tpn", form))
        return render(request, "assessments/assessment_detail.html", context, status=400)
    d = form.cleaned_data
    try:
        stage = lifecycle.record_tpn_stage(
            assessment=assessment,
            phase=d["phase"],
            result=d["result"],
            on=d["on"],
            note=d["note"],
            by=request.user,
        )
    except lifecycle.TransitionError as exc:
        return _refused(request, assessment, "tpn", form, exc)
    messages.success(
        request,
        _("Hasil %(phase)s dicatat: %(result)s.")
        % {"phase": stage.get_phase_display().lower(), "result": stage.get_result_display()},
    )
    return redirect(assessment)
