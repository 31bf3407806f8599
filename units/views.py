import openpyxl
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from openpyxl.styles import Font

from accounts.roles import role_map
from accounts.rules import ADMIN, get_in_scope_or_404
from zi_portal import spreadsheets
from zi_portal.downloads import XLSX_CONTENT_TYPE, protected_download

from . import selectors, services
from .forms import UnitFilterForm, UnitImportForm
from .models import Pemda, WorkUnit
from .resources import WorkUnitResource

PAGE_SIZE = 50


@login_required
def unit_list(request):
    form = UnitFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    units = selectors.unit_list(
        request.user, search=filters.get("q", ""), unit_type=filters.get("type", "")
    )
    page = Paginator(units, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "total": page.paginator.count}
    template = "units/_unit_rows.html" if request.htmx else "units/unit_list.html"
    return render(request, template, context)


@login_required
def unit_detail(request, pk):
    # Another Pemda's or unit's: 404, like a missing id.
    if not request.user.has_perm(
        "units.view_unit", get_in_scope_or_404(request.user, WorkUnit, pk=pk)
    ):
        raise PermissionDenied
    unit = selectors.unit_detail(pk)
    context = {
        "unit": unit,
        "children": selectors.unit_children(unit),
        "people": selectors.unit_people(unit),
        "can_change": request.user.has_perm("units.change_unit", unit),
    }
    return render(request, "units/unit_detail.html", context)


def _importable_pemdas(user):
    if user.is_superuser:
        return Pemda.objects.all()
    return Pemda.objects.filter(pk__in=role_map(user).pemdas_with(ADMIN))


@login_required
def unit_import(request):
    pemdas = _importable_pemdas(request.user)
    if not pemdas.exists():
        raise PermissionDenied(_("Hanya Admin Inspektorat yang dapat mengimpor unit kerja."))
    report = None
    form = UnitImportForm(request.POST or None, request.FILES or None, pemdas=pemdas)
    if request.method == "POST" and form.is_valid():
        dry_run = "check" in request.POST
        report = services.import_units(
            pemda=form.cleaned_data["pemda"],
            uploaded=form.cleaned_data["file"],
            by=request.user,
            dry_run=dry_run,
        )
        if report.saved:
            messages.success(
                request,
                _(
                    "Impor selesai: %(new)d unit baru, %(updated)d diperbarui, %(unchanged)d tidak berubah."
                )
                % {"new": report.new, "updated": report.updated, "unchanged": report.unchanged},
            )
        elif report.ok:
            messages.info(
                request,
                _(
                    "Berkas valid: %(new)d unit baru, %(updated)d akan diperbarui. Belum ada yang disimpan."
                )
                % {"new": report.new, "updated": report.updated},
            )
        else:
            messages.error(
                request,
                _(
                    "Impor dibatalkan: perbaiki kesalahan di bawah ini. Tidak ada data yang disimpan."
                ),
            )
    return render(request, "units/unit_import.html", {"form": form, "report": report})


@login_required
def unit_export(request, pemda_pk):
    pemda = get_in_scope_or_404(request.user, Pemda, pk=pemda_pk)
    if not request.user.has_perm("units.import_units", pemda):
        raise PermissionDenied
    dataset = WorkUnitResource(pemda).export()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = _("Unit kerja")
    ws.append(dataset.headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in dataset:
        ws.append(list(row))
    ws.freeze_panes = "A2"
    # Unit names are typed by people: text cells, never formulas.
    return protected_download(
        spreadsheets.workbook_bytes(wb),
        f"unit-kerja-{pemda.code}.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )
