import datetime

import pytest

from accounts.models import Role
from assessments.models import Answer, Assessment, Instrument, PemdaYear, Question, Stage, Track
from tests.factories import PemdaFactory, UserFactory, WorkUnitFactory, person


def shipped_instrument():
    return Instrument.objects.get(code="LKE-ZI-2024", pemda__isnull=True)


def make_assessment(unit, *, year=2026, stage=Stage.DEVELOPMENT, target="WBK"):
    return Assessment.objects.create(
        unit=unit, year=year, instrument=shipped_instrument(), stage=stage, target=target,
        proclaimed_on=datetime.date(year, 2, 5), proclaimed_at="Jepara", signatory_name="Kepala Uji",
        signatory_title="Kepala Dinas Uji",
    )


def best_answers(instrument, *, ipak="3.60", capaian="B", ipkp="3.20"):
    """Every Pengungkit question at its best value (ZI.md boundary example for the Hasil part)."""
    spec = instrument.spec
    values = {}
    for indicator in spec["indicators"]:
        for q in indicator["questions"]:
            atype = spec["answer_types"][q["answer_type"]]
            if "options" in atype:
                values[q["code"]] = atype["options"][0]["value"]
            elif atype.get("scored") is False:
                values[q["code"]] = "10"
    for indicator in spec["indicators"]:
        for q in indicator["questions"]:
            for sign, code in (q.get("formula") or {}).get("numerator", []):
                if sign == "-":
                    values[code] = "0"  # e.g. violations this year: none
            if q.get("survey") == "IPAK":
                values[q["code"]] = ipak
            elif q.get("survey") == "IPKP":
                values[q["code"]] = ipkp
    capaian_code = next(q["code"] for ind in spec["indicators"] if ind["section"] == "BERSIH"
                        for q in ind["questions"] if "options" in spec["answer_types"][q["answer_type"]])
    values[capaian_code] = capaian
    return values


def fill(assessment, track, values, by=None):
    """Test setup shortcut: writes answers directly (the save service is tested on its own)."""
    questions = {q.code: q for q in Question.objects.filter(instrument=assessment.instrument)}
    Answer.objects.bulk_create([
        Answer(assessment=assessment, question=questions[code], track=track, value=value, updated_by=by, revision=1)
        for code, value in values.items()
    ])


@pytest.fixture
def zi(db):
    """A Pemda with prerequisites met, one unit in development, and a person for every role."""
    pemda = PemdaFactory(name="Kabupaten Uji")
    other_pemda = PemdaFactory(name="Kabupaten Sebelah")
    unit = WorkUnitFactory(pemda=pemda, name="Dinas Penanaman Modal")
    other_unit = WorkUnitFactory(pemda=pemda, name="Dinas Lain")
    PemdaYear.objects.create(pemda=pemda, year=2026, bpk_opinion="WTP", sakip_grade="BB")
    users = {
        "inspektorat_admin": person(Role.INSPEKTORAT_ADMIN, pemda=pemda),
        "evaluator": person(Role.EVALUATOR, pemda=pemda),
        "leadership": person(Role.LEADERSHIP, pemda=pemda),
        "tpn_observer": person(Role.TPN_OBSERVER, pemda=pemda),
        "unit_head": person(Role.UNIT_HEAD, unit=unit),
        "unit_operator": person(Role.UNIT_OPERATOR, unit=unit),
        "other_operator": person(Role.UNIT_OPERATOR, unit=other_unit),
        "foreign_admin": person(Role.INSPEKTORAT_ADMIN, pemda=other_pemda),
        "outsider": UserFactory(),
    }
    assessment = make_assessment(unit)
    return {"pemda": pemda, "unit": unit, "other_unit": other_unit, "assessment": assessment, "users": users,
            "instrument": assessment.instrument}
