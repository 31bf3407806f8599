from pathlib import Path

import pytest
from django.conf import settings

from accounts.models import Role
from assessments.models import Question
from evidence import services
from tests.evidence.factories import AssessmentFactory, make_instrument, pdf_file
from tests.factories import PemdaFactory, UserFactory, WorkUnitFactory, person


@pytest.fixture
def world(db):
    """Pemda A with an own unit (head, operator) and another unit (its operator); Pemda B with a
    foreign unit (operator, evaluator). Each unit has a 2026 assessment in development on one
    tiny instrument."""
    pemda_a, pemda_b = PemdaFactory(name="Kabupaten A"), PemdaFactory(name="Kabupaten B")
    own = WorkUnitFactory(pemda=pemda_a, name="Dinas Milik Sendiri", code="A-01")
    other = WorkUnitFactory(pemda=pemda_a, name="Dinas Lain", code="A-02")
    foreign = WorkUnitFactory(pemda=pemda_b, name="Dinas Pemda Lain", code="B-01")
    instrument = make_instrument()
    questions = {q.code: q for q in Question.objects.filter(instrument=instrument)}
    users = {
        "inspektorat_admin": person(Role.INSPEKTORAT_ADMIN, pemda=pemda_a),
        "evaluator": person(Role.EVALUATOR, pemda=pemda_a),
        "leadership": person(Role.LEADERSHIP, pemda=pemda_a),
        "tpn_observer": person(Role.TPN_OBSERVER, pemda=pemda_a),
        "unit_head": person(Role.UNIT_HEAD, unit=own),
        "unit_operator": person(Role.UNIT_OPERATOR, unit=own),
        "other_operator": person(Role.UNIT_OPERATOR, unit=other),
        "foreign_operator": person(Role.UNIT_OPERATOR, unit=foreign),
        "foreign_evaluator": person(Role.EVALUATOR, pemda=pemda_b),
        "outsider": UserFactory(),
    }
    return {
        "pemda_a": pemda_a, "pemda_b": pemda_b, "own": own, "other": other, "foreign": foreign,
        "instrument": instrument, "q": questions, "users": users,
        "assessments": {
            "own": AssessmentFactory(unit=own, instrument=instrument),
            "other": AssessmentFactory(unit=other, instrument=instrument),
            "foreign": AssessmentFactory(unit=foreign, instrument=instrument),
        },
    }


@pytest.fixture
def q1(world):
    return world["q"]["PEM-MP-01.a"]


@pytest.fixture
def own_item(world, q1):
    """A PDF uploaded by the own unit's operator."""
    return services.upload_file(assessment=world["assessments"]["own"], question=q1, uploaded_file=pdf_file(),
                                by=world["users"]["unit_operator"])


@pytest.fixture
def items_of(world):
    """One uploaded PDF per unit (own, other, foreign), each by that unit's operator."""
    uploaders = {"own": "unit_operator", "other": "other_operator", "foreign": "foreign_operator"}
    q = world["q"]["PEM-MP-01.a"]
    return {
        target: services.upload_file(assessment=world["assessments"][target], question=q,
                                     uploaded_file=pdf_file(text=f"SK {target}"), by=world["users"][who])
        for target, who in uploaders.items()
    }


@pytest.fixture
def stored_files():
    """Every file under MEDIA_ROOT (tests/conftest.py points it at a fresh tmp dir)."""
    def _files():
        root = Path(settings.MEDIA_ROOT)
        return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []

    return _files
