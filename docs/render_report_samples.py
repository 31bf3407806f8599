#!/usr/bin/env python
"""Renders the README's report samples from the demo data: a throwaway database, seed_demo, then
page 1 of each PDF as a PNG at 60 dpi (pypdfium2, from the test extra) with a 256-colour palette in
docs/img/. PORTAL_BASE_URL is set as in a deployment, so the QR codes hold full addresses.

    .venv/bin/python docs/render_report_samples.py [name …]   # only these, e.g. lhe sptjm
"""

import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    workdir = Path(tempfile.mkdtemp(prefix="zi-report-samples-"))
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "zi_portal.settings",
            "ZI_VAR_DIR": str(workdir),
            "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
            "CELERY_BROKER_URL": "memory://",
            "PORTAL_BASE_URL": os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000"),
        }
    )
    os.environ.setdefault(
        "SECRET_KEY", "report-samples-only-not-a-secret-key-" * 2
    )  # DEBUG=0 needs one
    import django

    django.setup()
    from django.core.files.storage import default_storage
    from django.core.management import call_command

    from accounts.models import User
    from assessments.models import Assessment
    from reports import services
    from reports.models import Kind, ReportJob
    from units.models import Pemda

    try:
        call_command("migrate", verbosity=0)
        call_command("seed_demo", verbosity=0)
        pemda = Pemda.objects.get(name="Kabupaten Jepara")
        admin = User.objects.get(username="inspektur")
        a = Assessment.objects.get(unit__pemda=pemda, unit__code="OPD-22", year=2026)
        targets = {
            "charter": dict(kind=Kind.CHARTER, unit=a.unit, assessment=a, year=a.year),
            "pact": dict(kind=Kind.PACT, unit=a.unit, year=a.year),
            "scorecard": dict(kind=Kind.SCORECARD, unit=a.unit, assessment=a, year=a.year),
            "recap": dict(kind=Kind.RECAP, year=a.year),
        }
        # The nomination dossier's documents: RSUD's package is complete in the demo.
        rsud = Assessment.objects.get(unit__pemda=pemda, unit__code="OPD-28", year=2026)
        targets |= {
            "surat-usulan": dict(kind=Kind.SURAT_USULAN, year=rsud.year),
            "sptjm": dict(kind=Kind.SPTJM, unit=rsud.unit, assessment=rsud, year=rsud.year),
            "lhe": dict(kind=Kind.LHE, unit=rsud.unit, assessment=rsud, year=rsud.year),
        }
        wanted = sys.argv[1:] or list(targets)
        for name, fields in targets.items():
            if name not in wanted:
                continue
            job = ReportJob.objects.create(pemda=pemda, requested_by=admin, **fields)
            job = services.render_job(job)
            assert job.status == "ready", job.error
            pdf_path = workdir / f"{name}.pdf"
            with default_storage.open(job.file.name, "rb") as src:
                pdf_path.write_bytes(src.read())
            out = ROOT / "docs" / "img" / f"report-{name}"
            png(pdf_path, Path(f"{out}.png"))
            print(f"{out}.png")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def png(pdf_path: Path, target: Path, dpi: int = 60):
    """Page 1 of a PDF as a palette PNG (small in the repository, still readable)."""
    import pypdfium2 as pdfium
    from PIL import Image

    doc = pdfium.PdfDocument(str(pdf_path))
    try:
        image = doc[0].render(scale=dpi / 72).to_pil()
    finally:
        doc.close()
    image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(
        target, optimize=True
    )


if __name__ == "__main__":
    main()
