import zipfile

import pytest
from django.core.files.storage import default_storage

from accounts.models import Role
from assessments.models import PemdaYear, Stage
from dossier import demo, selectors
from dossier.models import Dossier
from reports.models import Kind, ReportJob, Status
from tests.factories import PemdaFactory, WorkUnitFactory, make_assessment, person


# The assessments demo takes RSUD on into the TPN's desk stage; its package is the one it was
# nominated with either way.
@pytest.mark.parametrize("rsud_stage", [Stage.NOMINATED, Stage.TPN_REVIEW])
def test_demo_has_one_complete_dossier_and_one_in_progress(db, rsud_stage):
    pemda = PemdaFactory(name="Kabupaten Jepara", seat="Jepara", head_name="H. Darmanto Wibisono")
    PemdaYear.objects.create(pemda=pemda, year=2026, bpk_opinion="WTP", sakip_grade="BB")
    rsud_unit = WorkUnitFactory(pemda=pemda, code="OPD-28", name="RSUD RA Kartini")
    dpm_unit = WorkUnitFactory(pemda=pemda, code="OPD-22", name="DPMPTSP")
    person(Role.INSPEKTORAT_ADMIN, pemda=pemda, username="inspektur")
    person(Role.UNIT_OPERATOR, unit=dpm_unit, username="operator.dpmptsp")
    rsud = make_assessment(rsud_unit, stage=rsud_stage)
    dpm = make_assessment(dpm_unit)
    demo.seed(pemda)

    assert selectors.checklist(rsud).complete
    state = selectors.checklist(dpm)
    assert state.dossier.target == "WBBM"
    assert [s.item for s in state.missing] == ["lhe", "piagam", "pakta"]
    reasons = " ".join(str(r) for r in selectors.dossier_blockers(dpm, "WBBM"))
    assert "Laporan Hasil Evaluasi" in reasons and "Pakta Integritas" in reasons
    assert "Surat usulan" not in reasons  # the letter lists DPMPTSP for WBBM

    bundle = ReportJob.objects.get(kind=Kind.BUNDLE)
    assert bundle.status == Status.READY
    with default_storage.open(bundle.file.name, "rb") as fh:
        names = zipfile.ZipFile(fh).namelist()
    assert any(n.endswith("manifest.json") for n in names)

    demo.seed(pemda)  # again: nothing added
    assert Dossier.objects.count() == 2
    assert ReportJob.objects.count() == 3
