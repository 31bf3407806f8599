import pytest

from accounts.models import Role
from tests.factories import PemdaFactory, UserFactory, WorkUnitFactory, person


@pytest.fixture
def world(db):
    """Two Pemda; in Pemda A an own unit (with head and operator) and another unit."""
    pemda_a, pemda_b = PemdaFactory(name="Kabupaten A"), PemdaFactory(name="Kabupaten B")
    own = WorkUnitFactory(pemda=pemda_a, name="Dinas Milik Sendiri", code="A-01")
    other = WorkUnitFactory(pemda=pemda_a, name="Dinas Lain", code="A-02")
    foreign = WorkUnitFactory(pemda=pemda_b, name="Dinas Pemda Lain", code="B-01")
    users = {
        "inspektorat_admin": person(Role.INSPEKTORAT_ADMIN, pemda=pemda_a),
        "evaluator": person(Role.EVALUATOR, pemda=pemda_a),
        "leadership": person(Role.LEADERSHIP, pemda=pemda_a),
        "tpn_observer": person(Role.TPN_OBSERVER, pemda=pemda_a),
        "unit_head": person(Role.UNIT_HEAD, unit=own),
        "unit_operator": person(Role.UNIT_OPERATOR, unit=own),
        "outsider": UserFactory(),
    }
    return {"pemda_a": pemda_a, "pemda_b": pemda_b, "own": own, "other": other, "foreign": foreign, "users": users}
