"""Demo reports: one ready charter (DPMPTSP 2026) so the Laporan page is not empty. Rendered
directly (about a second); everything else is requested from the UI and rendered by the worker."""

from accounts.models import User
from assessments.models import Assessment

from . import services
from .models import Kind, ReportJob


def seed(pemda):
    if ReportJob.objects.filter(pemda=pemda).exists():
        return  # already seeded
    admin = User.objects.filter(username="inspektur").first()
    assessment = (
        Assessment.objects.filter(unit__pemda=pemda, unit__code="OPD-22").order_by("-year").first()
        or Assessment.objects.filter(unit__pemda=pemda).order_by("-year", "pk").first()
    )
    if admin is None or assessment is None:
        return
    job = ReportJob.objects.create(
        kind=Kind.CHARTER,
        pemda=pemda,
        unit=assessment.unit,
        assessment=assessment,
        year=assessment.year,
        requested_by=admin,
    )
    services.render_job(job)
