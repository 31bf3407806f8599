"""Pages for LKE instrument versions: list, xlsx export, xlsx import as a new version, activation."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.roles import role_map
from accounts.rules import ADMIN, INSPEKTORAT, get_in_scope_or_404, is_inspektorat
from units.models import Pemda
from zi_portal.downloads import protected_download

from .instrument_xlsx import XLSX_CONTENT_TYPE, XlsxLayoutError, export_instrument, import_xlsx
from .models import Assessment, Instrument, Question
from .services import current_instrument


class InstrumentImportForm(forms.Form):
    pemda = forms.ModelChoiceField(label=gettext_lazy("Pemda"), queryset=None, empty_label=None)
    file = forms.FileField(
        label=gettext_lazy("Berkas instrumen (.xlsx)"),
        help_text=gettext_lazy("Unduh versi yang ada sebagai .xlsx, ubah, lalu unggah di sini."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def __init__(self, *args, pemdas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pemda"].queryset = pemdas


class ActivationError(ValueError):
    """A version that cannot be made the one new assessments of a Pemda get."""


# --- rules ---------------------------------------------------------------------------------
# Activation belongs with the other instrument writes in services.py; it lives here only because
# that file was being edited by someone else when this page was written.


def activate_instrument(*, instrument: Instrument, pemda: Pemda, by) -> None:
    """Makes ``instrument`` the version new assessments of ``pemda`` get.

    Existing assessments keep the version they point at. A national version is chosen by switching
    off the Pemda's own versions (``current_instrument`` then falls back to the newest national one),
    so only that newest national version can be chosen; national rows are never changed for one Pemda."""
    if not by.has_perm("assessments.manage_instruments", pemda):
        raise PermissionDenied(_("Anda tidak berwenang mengatur instrumen Pemda ini."))
    if instrument.pemda_id not in (None, pemda.pk):
        raise ActivationError(_("Versi ini milik Pemda lain."))
    if instrument.pemda_id is None:
        newest = (
            Instrument.objects.filter(pemda__isnull=True, active=True)
            .defer("spec")
            .order_by("-year", "-version")
            .first()
        )
        if newest is None or newest.pk != instrument.pk:
            raise ActivationError(
                _(
                    "Hanya versi nasional terbaru yang dapat dipilih. Untuk memakai versi "
                    "nasional lain, unduh lalu impor sebagai versi Pemda."
                )
            )
    with transaction.atomic():
        for other in (
            Instrument.objects.filter(pemda=pemda, active=True)
            .exclude(pk=instrument.pk)
            .defer("spec")
        ):
            _set_active(other, False, by)
        if instrument.pemda_id == pemda.pk and not instrument.active:
            _set_active(instrument, True, by)


def _set_active(instrument, active, by):
    instrument.active = active
    instrument._history_user = by  # simple_history: who switched it
    instrument.save(update_fields=["active"])


def can_export(user, instrument: Instrument) -> bool:
    """Any Inspektorat admin or evaluator may export national versions and their own Pemda's."""
    if user.is_superuser:
        return True
    if instrument.pemda_id is None:
        return bool(role_map(user).pemdas_with(INSPEKTORAT))
    return is_inspektorat.test(user, instrument.pemda)


def _instrument_or_404(user, queryset, pk):
    """A national version (every Pemda's) or one of the person's own Pemda; another Pemda's own
    version answers 404 like a missing id, as the API does (accounts.rules.get_in_scope_or_404)."""
    instrument = get_object_or_404(queryset, pk=pk)
    if instrument.pemda_id is not None and not user.is_superuser:
        if instrument.pemda_id not in role_map(user).pemda_ids:
            raise Http404
    return instrument


def _int(value) -> int:
    return int(value) if value and str(value).isdigit() else 0


def _pemdas(user, roles):
    if user.is_superuser:
        return Pemda.objects.all()
    return Pemda.objects.filter(pk__in=role_map(user).pemdas_with(roles))


def _instrument_rows(pemda):
    """National versions and the Pemda's own, each with its question count and its use in the Pemda."""

    def count(model, **filters):
        return Coalesce(
            Subquery(
                model.objects.filter(instrument=OuterRef("pk"), **filters)
                .order_by()
                .values("instrument")
                .annotate(n=Count("pk"))
                .values("n"),
                output_field=IntegerField(),
            ),
            0,
        )

    return (
        Instrument.objects.filter(Q(pemda__isnull=True) | Q(pemda=pemda))
        .defer("spec")  # the full structure is large and this page does not need it
        .select_related("pemda", "created_by")
        .annotate(
            question_count=count(Question), assessment_count=count(Assessment, unit__pemda=pemda)
        )
        .order_by("-year", "code", "-version")
    )


# --- views ---------------------------------------------------------------------------------


@login_required
def instrument_list(request):
    pemdas = list(_pemdas(request.user, INSPEKTORAT))
    if not pemdas:
        raise PermissionDenied(_("Hanya Inspektorat yang dapat melihat instrumen LKE."))
    pemda = next((p for p in pemdas if str(p.pk) == request.GET.get("pemda")), pemdas[0])
    current = current_instrument(pemda)
    context = {
        "pemda": pemda,
        "pemdas": pemdas,
        "instruments": _instrument_rows(pemda),
        "current_id": current.pk if current else None,
        "can_manage": request.user.has_perm("assessments.manage_instruments", pemda),
    }
    return render(request, "assessments/instrument_list.html", context)


@login_required
def instrument_export(request, pk):
    instrument = _instrument_or_404(request.user, Instrument.objects.select_related("pemda"), pk)
    if not can_export(request.user, instrument):
        raise PermissionDenied(_("Hanya Inspektorat yang dapat mengunduh instrumen LKE."))
    try:
        data = export_instrument(instrument.spec)
    except XlsxLayoutError as exc:
        messages.error(request, str(exc))
        return redirect("assessments:instrument_list")
    name = slugify(f"{instrument.code}-v{instrument.version}")
    return protected_download(data, f"{name}.xlsx", content_type=XLSX_CONTENT_TYPE)


@login_required
def instrument_import(request):
    pemdas = _pemdas(request.user, ADMIN)
    if not pemdas.exists():
        raise PermissionDenied(_("Hanya Admin Inspektorat yang dapat mengimpor instrumen LKE."))
    form = InstrumentImportForm(
        request.POST or None,
        request.FILES or None,
        pemdas=pemdas,
        initial={"pemda": request.GET.get("pemda")},
    )
    result = None
    if request.method == "POST" and form.is_valid():
        pemda, upload = form.cleaned_data["pemda"], form.cleaned_data["file"]
        dry_run = "check" in request.POST
        result = import_xlsx(
            fileobj=upload, pemda=pemda, by=request.user, source_name=upload.name, dry_run=dry_run
        )
        if result.ok:
            _report_success(request, result, pemda, dry_run)
            if not dry_run:
                return redirect(reverse("assessments:instrument_list") + f"?pemda={pemda.pk}")
        else:
            messages.error(
                request,
                _("Impor dibatalkan: perbaiki kesalahan di bawah ini. Tidak ada yang disimpan."),
            )
    return render(request, "assessments/instrument_import.html", {"form": form, "result": result})


def _report_success(request, result, pemda, dry_run):
    spec = result.spec
    size = {
        "indicators": len(spec["indicators"]),
        "questions": sum(len(i["questions"]) for i in spec["indicators"]),
    }
    if result.instrument and not result.created:
        messages.info(
            request,
            _(
                "Isi berkas sama persis dengan %(name)s versi %(version)d yang sudah ada; "
                "tidak ada versi baru yang dibuat."
            )
            % {"name": result.instrument.name, "version": result.instrument.version},
        )
    elif dry_run:
        messages.info(
            request,
            _(
                "Berkas valid: %(indicators)d indikator, %(questions)d pertanyaan. "
                "Belum ada yang disimpan."
            )
            % size,
        )
    else:
        instrument = result.instrument
        current = current_instrument(pemda)
        message = _(
            "Versi baru tersimpan: %(name)s versi %(version)d (%(questions)d pertanyaan)."
        ) % {"name": instrument.name, "version": instrument.version, **size}
        if current and current.pk == instrument.pk:
            message += " " + _(
                "Versi ini kini dipakai untuk penilaian baru di %(pemda)s; penilaian yang sudah "
                "ada tetap memakai versinya."
            ) % {"pemda": pemda}
        else:
            message += " " + _(
                "Penilaian baru masih memakai versi %(version)d; aktifkan versi ini di daftar "
                "bila perlu."
            ) % {"version": current.version if current else 0}
        messages.success(request, message)


@login_required
@require_POST
def instrument_activate(request, pk):
    instrument = _instrument_or_404(request.user, Instrument.objects.defer("spec"), pk)
    pemda = get_in_scope_or_404(
        request.user, Pemda, pk=_int(request.POST.get("pemda")) or instrument.pemda_id or 0
    )
    try:
        activate_instrument(instrument=instrument, pemda=pemda, by=request.user)
    except ActivationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _(
                "Penilaian baru di %(pemda)s kini memakai %(name)s versi %(version)d. "
                "Penilaian yang sudah ada tetap memakai versinya."
            )
            % {"pemda": pemda, "name": instrument.name, "version": instrument.version},
        )
    return redirect(reverse("assessments:instrument_list") + f"?pemda={pemda.pk}")
