"""Demo dossiers for 2026: RSUD (nominated for WBK) with its package complete, and DPMPTSP
(preparing its WBBM nomination) with the video link and the SPTJM scan in, the LHE, the Piagam and
the Pakta still missing. The demo Pemda requires every item, so DPMPTSP's "Usulkan" is refused
with the missing items listed."""

from django.core.files.base import ContentFile

from accounts.models import Role, User
from assessments.models import Assessment, Stage
from reports import pdf
from reports import services as report_services
from reports.models import Kind, ReportJob

from . import services
from .documents import sptjm_context
from .models import ALL_ITEMS, Dossier, DossierPolicy

YEAR = 2026
RECOMMENDATIONS = """Mutakhirkan SK Tim Kerja ZI dan rencana kerja 2026 sesuai hasil monev triwulan III.
Tindak lanjuti dua pengaduan SP4N-LAPOR! yang melewati batas waktu penyelesaian.
Perluas survei IPKP ke layanan rawat jalan dan IGD agar sampel mewakili seluruh jenis layanan.
Publikasikan maklumat pelayanan dan standar pelayanan di ruang tunggu dan laman RSUD."""


def seed(pemda):
    if DossierPolicy.objects.filter(pemda=pemda).exists():
        return  # already seeded: keep what people changed in the demo
    DossierPolicy.objects.create(pemda=pemda, required_items=ALL_ITEMS)
    admin = User.objects.filter(username="inspektur").first()
    current = {
        a.unit.code: a
        for a in Assessment.objects.filter(
            unit__pemda=pemda, year=YEAR, unit__code__in=["OPD-28", "OPD-22"]
        ).select_related("unit__pemda", "instrument")
    }
    rsud, dpm = current.get("OPD-28"), current.get("OPD-22")
    if admin is None or rsud is None or dpm is None:
        return

    # DPMPTSP, in development: the Inspektorat opens the WBBM package, the unit sends its SPTJM.
    dossier = services.open_dossier(assessment=dpm, target="WBBM", by=admin)
    services.update_details(
        dossier=dossier,
        by=admin,
        video_url="https://www.youtube.com/watch?v=Jp4r4DPmTsP",
        recommendations="",
    )
    services.upload_scan(
        assessment=dpm,
        item="sptjm",
        uploaded_file=_scan("SPTJM DPMPTSP bertanda tangan.pdf", sptjm_context(dpm)),
        by=_operator(dpm.unit) or admin,
    )

    # RSUD, nominated in the assessments demo (and since in TPN review): its package as sent with
    # the nomination.
    if rsud.stage in (Stage.NOMINATED, Stage.TPN_REVIEW):
        dossier = Dossier.objects.create(assessment=rsud, target="WBK", created_by=admin)
        dossier.video_url = services.clean_video_url("https://vimeo.com/887412356")
        dossier.recommendations = RECOMMENDATIONS
        dossier.save()
        operator = _operator(rsud.unit) or admin
        for item, name, template, context in [
            ("sptjm", "SPTJM RSUD bertanda tangan.pdf", None, sptjm_context(rsud)),
            ("piagam", "Piagam Pencanangan RSUD.pdf", "charter", None),
            ("pakta", "Pakta Integritas Direktur RSUD.pdf", "pact", None),
        ]:
            if template == "charter":
                context = report_services.charter_context([rsud])
            elif template == "pact":
                context = report_services.pact_context(rsud.unit)
            services.store_scan(
                dossier=dossier,
                item=item,
                uploaded_file=_scan(name, context, template),
                by=operator,
            )
    # The Pemda's letter lists both units; the LHE and the bundle are RSUD's.
    for kind, assessment, year in [
        (Kind.SURAT_USULAN, None, YEAR),
        (Kind.LHE, rsud, None),
        (Kind.BUNDLE, rsud, None),
    ]:
        job = ReportJob.objects.create(
            kind=kind,
            pemda=pemda,
            unit=assessment.unit if assessment else None,
            assessment=assessment,
            year=year or assessment.year,
            requested_by=admin,
        )
        report_services.render_job(job)


def _operator(unit):
    return User.objects.filter(memberships__unit=unit, memberships__role=Role.UNIT_OPERATOR).first()


def _scan(name, context, template=None):
    """A stand-in for the signed paper: the document as the portal prints it."""
    path = {
        None: "reports/pdf/sptjm.html",
        "charter": "reports/pdf/charter.html",
        "pact": "reports/pdf/pact.html",
    }[template]
    return ContentFile(pdf.render_pdf(path, context), name=name)
