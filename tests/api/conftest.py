import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import Role
from assessments.models import Question
from evidence import services
from assessments.models import Instrument
from tests.evidence.factories import AssessmentFactory, pdf_file
from tests.factories import PemdaFactory, UserFactory, WorkUnitFactory, person



def shipped_instrument():
    """The LKE the data migration loads (again, if a transactional test's flush removed it)."""
    from assessments.instrument_io import create_instrument, load_shipped_spec

    found = Instrument.objects.filter(code="LKE-ZI-2024", pemda__isnull=True).first()
    return found or create_instrument(Instrument, Question, load_shipped_spec(), pemda=None,
                                      source_name="lke-2024.json")


@pytest.fixture
def w(db):
    """Pemda A with an own unit (head, operator) and another unit (its operator); Pemda B with a
    foreign unit (Inspektorat admin, operator). Each unit has a 2026 assessment in development on
    the shipped LKE 2024, and one uploaded PDF for question PEM-MP-01.a."""
    pemda_a, pemda_b = PemdaFactory(name="Kabupaten A"), PemdaFactory(name="Kabupaten B")
    units = {
        "own": WorkUnitFactory(pemda=pemda_a, name="Dinas Milik Sendiri", code="A-01"),
        "other": WorkUnitFactory(pemda=pemda_a, name="Dinas Lain", code="A-02"),
        "foreign": WorkUnitFactory(pemda=pemda_b, name="Dinas Pemda Lain", code="B-01"),
    }
    instrument = shipped_instrument()
    users = {
        "inspektorat_admin": person(Role.INSPEKTORAT_ADMIN, pemda=pemda_a),
        "evaluator": person(Role.EVALUATOR, pemda=pemda_a),
        "leadership": person(Role.LEADERSHIP, pemda=pemda_a),
        "tpn_observer": person(Role.TPN_OBSERVER, pemda=pemda_a),
        "unit_head": person(Role.UNIT_HEAD, unit=units["own"]),
        "unit_operator": person(Role.UNIT_OPERATOR, unit=units["own"]),
        "other_operator": person(Role.UNIT_OPERATOR, unit=units["other"]),
        "foreign_admin": person(Role.INSPEKTORAT_ADMIN, pemda=pemda_b),
        "foreign_operator": person(Role.UNIT_OPERATOR, unit=units["foreign"]),
        "outsider": UserFactory(),
    }
    assessments = {key: AssessmentFactory(unit=unit, instrument=instrument) for key, unit in units.items()}
    q = {question.code: question for question in Question.objects.filter(instrument=instrument)}
    uploader = {"own": "unit_operator", "other": "other_operator", "foreign": "foreign_operator"}
    items = {
        key: services.upload_file(assessment=a, question=q["PEM-MP-01.a"], uploaded_file=pdf_file(text=f"SK {key}"),
                                  by=users[uploader[key]])
        for key, a in assessments.items()
    }
    return {"pemda": {"own": pemda_a, "other": pemda_a, "foreign": pemda_b}, "units": units,
            "instrument": instrument, "users": users, "assessments": assessments, "q": q, "items": items}


@pytest.fixture
def api():
    """api(user) -> an APIClient sending that user's token (None: anonymous)."""

    def _client(user=None):
        client = APIClient()
        if user is not None:
            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return _client


@pytest.fixture
def as_role(w, api):
    def _client(role):
        return api(None if role == "anonymous" else w["users"][role])

    return _client
