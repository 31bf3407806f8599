from accounts.models import Role
from evidence import demo
from evidence.models import EvidenceItem, Status
from tests.factories import (
    AssessmentFactory,
    PemdaFactory,
    WorkUnitFactory,
    make_instrument,
    person,
)


def test_demo_seed_does_nothing_without_assessments(db):
    demo.seed(PemdaFactory())
    assert not EvidenceItem.objects.exists()


def test_demo_seed_adds_reviewed_evidence_to_open_assessments_once(db):
    pemda = PemdaFactory()
    unit = WorkUnitFactory(pemda=pemda, code="OPD-22", name="DPMPTSP")
    person(Role.UNIT_OPERATOR, unit=unit)
    person(Role.EVALUATOR, pemda=pemda)
    instrument = make_instrument()
    spec = dict(instrument.spec)
    for indicator in spec["indicators"]:
        for q in indicator["questions"]:
            q.setdefault("evidence", [f"Dokumen {q['code']}", "Foto kegiatan"])
    instrument.spec = spec
    instrument.save()
    assessment = AssessmentFactory(unit=unit, instrument=instrument)

    demo.seed(pemda)
    items = EvidenceItem.objects.filter(assessment=assessment)
    assert items.filter(kind="file").count() >= 4 and items.filter(kind="link").exists()
    assert (
        items.filter(status=Status.ACCEPTED).exists()
        and items.filter(status=Status.REVISION).exists()
    )
    count = items.count()
    demo.seed(pemda)
    assert EvidenceItem.objects.count() == count
