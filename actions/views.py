"""Pages of rekomendasi, rencana aksi and monev. Every view fetches through get_in_scope_or_404
(another unit's or Pemda's object is 404) and asks accounts.rules before showing or writing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.rules import get_in_scope_or_404
from assessments.models import Assessment, Question
from evidence.models import EvidenceItem
from review.models import RevisionRequest
from units.models import WorkUnit

from . import carryover, selectors, services
from .forms import (
    CommentForm,
    EvidenceDatesForm,
    FollowUpForm,
    ItemForm,
    MonevForm,
    ProgressForm,
    RecommendationForm,
    VerdictForm,
)
from .models import QUARTERS, ActionItem, EvidenceReuse, MonevEntry, Recommendation
from .services import ActionError


def _assessment(request, pk) -> Assessment:
    assessment = get_in_scope_or_404(
        request.user,
        Assessment.objects.select_related("unit__pemda", "instrument"),
        pk=pk,
    )
    if not request.user.has_perm("actions.view_actions", assessment):
        raise PermissionDenied
    return assessment


def _areas(assessment) -> list[tuple[str, str]]:
    return [(a["code"], a["name"]) for a in assessment.instrument.structure().get("areas", [])]


def _apply_error(form, exc: ActionError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, str(exc))


def _back(request, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


# --- recommendations ---------------------------------------------------------------------------


@login_required
def recommendations(request, pk):
    """An assessment's recommendations: the TPI adds them and gives verdicts, the unit follows up
    and turns one into an action item."""
    assessment = _assessment(request, pk)
    user = request.user
    questions = Question.objects.filter(instrument=assessment.instrument).order_by("order")
    form = RecommendationForm(
        areas=_areas(assessment),
        questions=[(q.pk, f"{q.label or q.code} {q.text[:80]}") for q in questions],
    )
    errors: dict[int, dict] = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "add":
            form = RecommendationForm(
                request.POST,
                areas=_areas(assessment),
                questions=[(q.pk, f"{q.label or q.code} {q.text[:80]}") for q in questions],
            )
            if form.is_valid():
                d = form.cleaned_data
                try:
                    services.add_recommendation(
                        assessment=assessment,
                        by=user,
                        text=d["text"],
                        source=d["source"],
                        area_code=d["area_code"],
                        question=questions.filter(pk=d["question"]).first()
                        if d["question"]
                        else None,
                        due_on=d["due_on"],
                    )
                except ActionError as exc:
                    _apply_error(form, exc)
                else:
                    messages.success(request, _("Rekomendasi tercatat."))
                    return redirect(request.path)
        else:
            rec = get_in_scope_or_404(
                user,
                Recommendation.objects.filter(assessment=assessment),
                pk=request.POST.get("rec") or 0,
            )
            sub = FollowUpForm(request.POST) if action == "follow_up" else VerdictForm(request.POST)
            if sub.is_valid():
                try:
                    if action == "follow_up":
                        services.follow_up(
                            recommendation=rec,
                            by=user,
                            response=sub.cleaned_data["response"],
                            evidence_url=sub.cleaned_data["evidence_url"],
                        )
                    elif action == "verdict":
                        services.judge_recommendation(
                            recommendation=rec,
                            by=user,
                            verdict=sub.cleaned_data["verdict"],
                            reason=sub.cleaned_data["reason"],
                        )
                    else:
                        raise PermissionDenied
                except ActionError as exc:
                    _apply_error(sub, exc)
                else:
                    messages.success(request, _("Tersimpan."))
                    return redirect(f"{request.path}#rek-{rec.pk}")
            errors[rec.pk] = {action: sub}
    can = {
        "add": user.has_perm("actions.add_recommendation", assessment),
        "add_tpn": user.has_perm("actions.add_tpn_recommendation", assessment),
        "judge": user.has_perm("actions.judge_recommendation", assessment),
        "follow_up": user.has_perm("actions.follow_up", assessment),
        "plan": user.has_perm("actions.manage_plan", assessment.unit),
    }
    if not can["add_tpn"]:
        form.fields["source"].choices = [c for c in form.fields["source"].choices if c[0] == "tpi"]
    return render(
        request,
        "actions/recommendations.html",
        {
            "assessment": assessment,
            "unit": assessment.unit,
            "recommendations": selectors.recommendations_of(assessment),
            "area_names": dict(_areas(assessment)),
            "form": form,
            "errors": errors,
            "can": can,
            "follow_up_form": FollowUpForm(),
            "verdict_form": VerdictForm(),
        },
        status=400 if errors or form.errors else 200,
    )


# --- one click: an action item from a gate, a revision request or a recommendation -------------


@login_required
@require_POST
def item_from(request, source, pk):
    user = request.user
    try:
        if source == "rekomendasi":
            rec = get_in_scope_or_404(
                user, Recommendation.objects.select_related("assessment__unit"), pk=pk
            )
            item = services.item_from_recommendation(recommendation=rec, by=user)
        elif source == "permintaan":
            rr = get_in_scope_or_404(
                user, RevisionRequest.objects.select_related("assessment__unit", "question"), pk=pk
            )
            item = services.item_from_revision(revision_request=rr, by=user)
        elif source == "syarat":
            assessment = get_in_scope_or_404(
                user, Assessment.objects.select_related("unit", "summary", "instrument"), pk=pk
            )
            item = services.item_from_gate(
                assessment=assessment, gate_code=request.POST.get("gate", ""), by=user
            )
        else:
            raise PermissionDenied
    except ActionError as exc:
        messages.error(request, str(exc))
        return redirect(_back(request, reverse("home")))
    messages.success(
        request, _("Rencana aksi dibuat. Lengkapi penanggung jawab dan tanggalnya bila perlu.")
    )
    return redirect(item.get_absolute_url())


# --- the plan ----------------------------------------------------------------------------------


def _unit(request, pk) -> WorkUnit:
    unit = get_in_scope_or_404(request.user, WorkUnit.objects.select_related("pemda"), pk=pk)
    if not request.user.has_perm("actions.view_actions", unit):
        raise PermissionDenied
    return unit


@login_required
def plan(request, pk, year):
    """A unit's rencana aksi for a year: its items with computed status, the add form, the
    quarter's monev form, and the documents."""
    unit = _unit(request, pk)
    user = request.user
    assessment = (
        Assessment.objects.filter(unit=unit, year=year).select_related("instrument").first()
    )
    areas = _areas(assessment) if assessment else []
    people = list(services.unit_people(unit.pk).order_by("first_name", "username"))
    can_plan = user.has_perm("actions.manage_plan", unit)
    today = timezone.localdate()
    quarter = _quarter(request.GET.get("triwulan"), today, year)
    form = ItemForm(
        areas=areas,
        people=people,
        initial={"start_on": today, "responsible": user.pk},
    )
    monev_errors: dict[int, MonevForm] = {}
    status = 200
    if request.method == "POST":
        if request.POST.get("action") == "monev":
            return _plan_monev(request, unit, year, quarter)
        if not can_plan:
            raise PermissionDenied
        form = ItemForm(request.POST, areas=areas, people=people)
        if form.is_valid():
            d = form.cleaned_data
            try:
                item = services.create_item(
                    unit=unit,
                    year=year,
                    by=user,
                    area_code=d["area_code"],
                    title=d["title"],
                    expected_output=d["expected_output"],
                    responsible=next((p for p in people if p.pk == d["responsible"]), None),
                    start_on=d["start_on"],
                    due_on=d["due_on"],
                )
            except ActionError as exc:
                _apply_error(form, exc)
            else:
                messages.success(request, _("Kegiatan ditambahkan: %(t)s") % {"t": item.title})
                return redirect(request.path)
        status = 400
    items = list(selectors.plan_items(unit=unit, year=year))
    for item in items:
        item.quarter_entry = next((m for m in item.monev.all() if m.quarter == quarter), None)
    return render(
        request,
        "actions/plan.html",
        {
            "unit": unit,
            "year": year,
            "assessment": assessment,
            "items": items,
            "form": form,
            "can_plan": can_plan,
            "can_report": user.has_perm("actions.report_monev", unit),
            "quarter": quarter,
            "quarters": QUARTERS,
            "quarter_label": dict(QUARTERS)[quarter],
            "monev_errors": monev_errors,
            "area_names": dict(areas),
            "today": today,
        },
        status=status,
    )


def _quarter(raw, today, year) -> int:
    try:
        q = int(raw)
    except (TypeError, ValueError):
        q = services.quarter_of(today) if today.year == year else 1
    return q if q in dict(QUARTERS) else 1


def _plan_monev(request, unit, year, quarter):
    """One quarter's reports for several items at once; a refused row keeps what was typed."""
    user = request.user
    items = {i.pk: i for i in ActionItem.objects.filter(unit=unit, year=year)}
    refused = []
    saved = 0
    for pk, item in items.items():
        narrative = request.POST.get(f"narrative-{pk}", "").strip()
        progress = request.POST.get(f"progress-{pk}", "").strip()
        if not narrative and not progress:
            continue
        form = MonevForm({"quarter": quarter, "progress": progress, "narrative": narrative})
        if not form.is_valid():
            refused.append((item, form.errors.as_text()))
            continue
        try:
            services.report_monev(
                item=item,
                quarter=quarter,
                by=user,
                progress=form.cleaned_data["progress"],
                narrative=form.cleaned_data["narrative"],
            )
            saved += 1
        except ActionError as exc:
            refused.append((item, str(exc)))
    if refused:
        for item, error in refused:
            messages.error(request, f"{item.title}: {error}")
    if saved:
        messages.success(
            request,
            _("Monev %(q)s tersimpan untuk %(n)d kegiatan.")
            % {"q": dict(QUARTERS)[quarter], "n": saved},
        )
    return redirect(f"{request.path}?triwulan={quarter}")


@login_required
def item_detail(request, pk):
    item = get_in_scope_or_404(
        request.user,
        ActionItem.objects.select_related(
            "unit__pemda", "responsible", "recommendation", "revision_request__question", "question"
        ),
        pk=pk,
    )
    user = request.user
    if not user.has_perm("actions.view_actions", item):
        raise PermissionDenied
    progress_form = ProgressForm(initial={"progress": item.progress})
    monev_form = MonevForm(initial={"quarter": services.quarter_of(timezone.localdate())})
    comment_errors = {}
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "progress":
                progress_form = ProgressForm(request.POST)
                if progress_form.is_valid():
                    services.update_item(
                        item=item,
                        by=user,
                        progress=progress_form.cleaned_data["progress"],
                        completed_on=progress_form.cleaned_data["completed_on"],
                    )
                    messages.success(request, _("Kemajuan tersimpan."))
                    return redirect(request.path)
            elif action == "monev":
                monev_form = MonevForm(request.POST)
                if monev_form.is_valid():
                    services.report_monev(item=item, by=user, **monev_form.cleaned_data)
                    messages.success(request, _("Monev tersimpan."))
                    return redirect(request.path)
            elif action == "evidence":
                chosen = _year_evidence(item).filter(
                    pk__in=[v for v in request.POST.getlist("evidence") if v.isdigit()]
                )
                services.update_item(item=item, by=user, evidence=list(chosen))
                messages.success(request, _("Data dukung kegiatan tersimpan."))
                return redirect(request.path)
            elif action == "comment":
                entry = get_in_scope_or_404(
                    user, MonevEntry.objects.filter(item=item), pk=request.POST.get("entry") or 0
                )
                cform = CommentForm(request.POST)
                if cform.is_valid():
                    services.comment_monev(
                        entry=entry, by=user, comment=cform.cleaned_data["comment"]
                    )
                    messages.success(request, _("Tanggapan tersimpan."))
                    return redirect(request.path)
                comment_errors[entry.pk] = cform
            else:
                raise PermissionDenied
        except ActionError as exc:
            target = {"progress": progress_form, "monev": monev_form}.get(action)
            if target is not None:
                _apply_error(target, exc)
            else:
                messages.error(request, str(exc))
        status = 400
    return render(
        request,
        "actions/item.html",
        {
            "item": item,
            "unit": item.unit,
            "monev": item.monev.select_related("reported_by", "commented_by"),
            "progress_form": progress_form,
            "monev_form": monev_form,
            "comment_errors": comment_errors,
            "can_plan": user.has_perm("actions.manage_plan", item),
            "can_comment": user.has_perm("actions.comment_monev", item),
            "evidence": item.evidence.all(),
            "year_evidence": _year_evidence(item).select_related("question")
            if user.has_perm("actions.manage_plan", item)
            else [],
        },
        status=status,
    )


def _year_evidence(item):
    """The unit's evidence of the item's year: what an item may link to."""
    return EvidenceItem.objects.filter(
        assessment__unit_id=item.unit_id, assessment__year=item.year, deleted_at__isnull=True
    ).order_by("question__order", "pk")


# --- carry-over: confirming answers and evidence, evidence dates -------------------------------


@login_required
def carried(request, pk):
    """What last year left this assessment: answers perlu dikonfirmasi (confirm one, an indicator,
    an area or all), last year's evidence to reuse or not, and this year's evidence dates."""
    assessment = _assessment(request, pk)
    user = request.user
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "confirm":
            codes = request.POST.getlist("question")
            n = carryover.confirm_answers(
                assessment=assessment,
                by=user,
                question_codes=codes or None,
                indicator_code=request.POST.get("indicator", ""),
                area_code=request.POST.get("area", ""),
            )
            messages.success(request, _("%(n)d jawaban dikonfirmasi.") % {"n": n})
        elif action in ("reuse", "decline"):
            reuse = get_in_scope_or_404(
                user,
                EvidenceReuse.objects.filter(assessment=assessment),
                pk=request.POST.get("reuse") or 0,
            )
            carryover.decide_reuse(reuse=reuse, by=user, use=action == "reuse")
            messages.success(request, _("Pilihan data dukung tersimpan."))
        elif action == "dates":
            from evidence.services import EvidenceError, set_document_dates

            item = get_in_scope_or_404(
                user,
                EvidenceItem.objects.filter(assessment=assessment, deleted_at__isnull=True),
                pk=request.POST.get("item") or 0,
            )
            form = EvidenceDatesForm(request.POST)
            if form.is_valid():
                try:
                    set_document_dates(item=item, by=user, **form.cleaned_data)
                    messages.success(request, _("Tanggal dokumen tersimpan."))
                except EvidenceError as exc:
                    messages.error(request, f"{item.title}: {exc}")
            else:
                messages.error(request, f"{item.title}: {form.errors.as_text()}")
        else:
            raise PermissionDenied
        return redirect(_back(request, request.path))
    answers = list(
        carryover.unconfirmed(assessment).select_related("question").order_by("question__order")
    )
    by_indicator: dict[str, list] = {}
    for a in answers:
        by_indicator.setdefault(a.question.indicator_code, []).append(a)
    today = timezone.localdate()
    items = list(
        EvidenceItem.objects.filter(assessment=assessment, deleted_at__isnull=True)
        .select_related("question")
        .order_by("question__order", "pk")
    )
    for item in items:
        item.year_warning = selectors.evidence_year_warning(item, assessment)
        item.expired = item.valid_until is not None and item.valid_until < today
    return render(
        request,
        "actions/carried.html",
        {
            "assessment": assessment,
            "unit": assessment.unit,
            "by_indicator": by_indicator,
            "unconfirmed": len(answers),
            "areas": _areas(assessment),
            "reuses": EvidenceReuse.objects.filter(assessment=assessment)
            .select_related("source__question", "source__assessment", "question", "decided_by")
            .order_by("question__order", "pk"),
            "items": items,
            "expired": [i for i in items if i.expired],
            "can_confirm": user.has_perm("assessments.answer_self", assessment),
            "can_evidence": user.has_perm("evidence.upload_evidence", assessment),
        },
    )


@login_required
def recommendation(request, pk):
    rec = get_in_scope_or_404(
        request.user, Recommendation.objects.select_related("assessment__unit"), pk=pk
    )
    if not request.user.has_perm("actions.view_actions", rec):
        raise PermissionDenied
    return redirect(reverse("actions:recommendations", args=[rec.assessment_id]) + f"#rek-{rec.pk}")


@login_required
def assessment_plan(request, pk):
    """The action plan of an assessment's unit and year (links from pages that know the assessment)."""
    assessment = _assessment(request, pk)
    query = f"?{request.GET.urlencode()}" if request.GET else ""
    return redirect(reverse("actions:plan", args=[assessment.unit_id, assessment.year]) + query)


# --- the navigation's "Rencana aksi" -----------------------------------------------------------


@login_required
def index(request):
    """Where the navigation's "Rencana aksi" leads: a unit person to the own unit's plan of the
    year, a Pemda-wide reader to every unit's plan with its open and overdue items."""
    from accounts.models import PEMDA_ROLES, UNIT_ROLES
    from accounts.roles import role_map
    from dashboards.selectors import pemdas_for

    today = timezone.localdate()
    year = today.year
    pemdas = pemdas_for(request.user, PEMDA_ROLES)
    if not pemdas:
        units = sorted(role_map(request.user).units_with(UNIT_ROLES))
        if not units:
            raise PermissionDenied
        latest = (
            Assessment.objects.filter(unit_id=units[0]).order_by("-year").values("year").first()
        )
        return redirect("actions:plan", units[0], latest["year"] if latest else year)
    # ?pemda=<id> among the person's Pemdas, else the first, as on the dashboards
    wanted = request.GET.get("pemda", "")
    pemda = next((p for p in pemdas if str(p.pk) == wanted), pemdas[0])
    if not request.user.has_perm("actions.view_pemda_actions", pemda):
        raise PermissionDenied
    latest = Assessment.objects.filter(unit__pemda=pemda).order_by("-year").values("year").first()
    year = latest["year"] if latest else year
    return render(
        request,
        "actions/index.html",
        {
            "pemda": pemda,
            "year": year,
            "actions": selectors.pemda_figures(pemda=pemda, year=year, today=today),
        },
    )
