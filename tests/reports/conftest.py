import pytest

from accounts.models import Role
from assessments.models import PemdaYear, Stage, Track, Transition
from tests.assessments.conftest import best_answers, fill, make_assessment
from tests.factories import PemdaFactory, UserFactory, WorkUnitFactory, person

WITNESSES = [
    {"name": "H. Bupati Contoh, S.Sos.", "title": "Bupati Uji"},
    {"name": "AKBP Raden Ayu Sekar", "title": "Kapolres Uji"},
    {"name": "Dr. Kajari Teguh, S.H.", "title": "Kepala Kejaksaan Negeri Uji"},
    {"name": "Siti Farida, S.H., M.H.", "title": "Kepala Ombudsman RI Perwakilan Jawa Tengah"},
    {"name": "Ir. Bambang Wicaksono, M.T.", "title": "Inspektur Daerah Kabupaten Uji"},
]


@pytest.fixture
def rz(db):
    """Pemda A (prerequisites met) with two units and their 2026 assessments on the shipped LKE;
    a foreign Pemda with one unit; a person for every role."""
    pemda = PemdaFactory(name="Kabupaten Uji", seat="Ujiharjo", head_name="Bupati Uji")
    foreign_pemda = PemdaFactory(name="Kabupaten Sebelah")
    unit = WorkUnitFactory(pemda=pemda, name="Dinas Penanaman Modal dan PTSP", code="OPD-01",
                           short_name="DPMPTSP", head_name="Drs. Sutrisno Wibowo, M.Si.",
                           head_nip="197003121995031002", head_title="Kepala Dinas Penanaman Modal dan PTSP")
    other = WorkUnitFactory(pemda=pemda, name="Dinas Kependudukan dan Pencatatan Sipil", code="OPD-02")
    foreign = WorkUnitFactory(pemda=foreign_pemda, name="Dinas Pemda Sebelah", code="X-01")
    PemdaYear.objects.create(pemda=pemda, year=2026, bpk_opinion="WTP", sakip_grade="BB")
    users = {
        "inspektorat_admin": person(Role.INSPEKTORAT_ADMIN, pemda=pemda),
        "evaluator": person(Role.EVALUATOR, pemda=pemda),
        "leadership": person(Role.LEADERSHIP, pemda=pemda),
        "tpn_observer": person(Role.TPN_OBSERVER, pemda=pemda),
        "unit_head": person(Role.UNIT_HEAD, unit=unit),
        "unit_operator": person(Role.UNIT_OPERATOR, unit=unit),
        "other_operator": person(Role.UNIT_OPERATOR, unit=other),
        "foreign_admin": person(Role.INSPEKTORAT_ADMIN, pemda=foreign_pemda),
        "foreign_operator": person(Role.UNIT_OPERATOR, unit=foreign),
        "outsider": UserFactory(),
    }
    assessment = make_assessment(unit)
    assessment.witnesses = WITNESSES
    assessment.proclaimed_at = "Pendopo Kabupaten Uji"
    assessment.signatory_name = unit.head_name
    assessment.signatory_title = unit.head_title
    assessment.save()
    Transition.objects.create(assessment=assessment, name="proclaim", target=Stage.PROCLAIMED,
                              by=users["inspektorat_admin"], note="Pencanangan bersama")
    Transition.objects.create(assessment=assessment, name="start_development", source=Stage.PROCLAIMED,
                              target=Stage.DEVELOPMENT, by=users["inspektorat_admin"])
    return {
        "pemda": pemda, "foreign_pemda": foreign_pemda, "unit": unit, "other": other, "foreign": foreign,
        "assessment": assessment, "other_assessment": make_assessment(other),
        "foreign_assessment": make_assessment(foreign), "users": users,
    }


@pytest.fixture
def evaluated(rz):
    """The own unit's LKE filled at its best on the self and TPI tracks."""
    a = rz["assessment"]
    values = best_answers(a.instrument)
    fill(a, Track.SELF, values)
    fill(a, Track.TPI, values)
    return a
