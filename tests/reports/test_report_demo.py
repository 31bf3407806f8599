from accounts.models import Role
from reports import demo
from reports.models import ReportJob, Status
from tests.factories import PemdaFactory, WorkUnitFactory, make_assessment, person


def test_demo_seed_renders_one_ready_charter_once(db):
    pemda = PemdaFactory()
    unit = WorkUnitFactory(pemda=pemda, code="OPD-22", name="DPMPTSP")
    person(Role.INSPEKTORAT_ADMIN, pemda=pemda, username="inspektur")
    make_assessment(unit)
    demo.seed(pemda)
    job = ReportJob.objects.get()
    assert job.status == Status.READY and job.unit == unit
    demo.seed(pemda)
    assert ReportJob.objects.count() == 1


def test_demo_seed_does_nothing_without_assessments(db):
    demo.seed(PemdaFactory())
    assert not ReportJob.objects.exists()
