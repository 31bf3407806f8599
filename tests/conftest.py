"""Fixtures for every test package: the test settings, and one ``world`` (the roles of a Pemda)
from which the packages' own names (``zi``, ``w``, ``rz``, …) are derived. Builders live in
tests/factories.py; no test module imports a conftest."""

from pathlib import Path

import pytest
from django.core.cache import cache

from zi_portal.celery import app as celery_app


def pytest_configure(config):
    from django.conf import settings

    # Hashing at full strength costs ~0.3 s a user; tests do not test PBKDF2.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


@pytest.fixture(autouse=True)
def _eager_celery(request):
    """Tasks run in-process unless a test asks for the real broker with @pytest.mark.real_worker."""
    if request.node.get_closest_marker("real_worker"):
        yield
        return
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture(autouse=True)
def _indonesian(settings):
    """Each test starts in Bahasa Indonesia: a request that chose English leaves English active in
    the thread (LocaleMiddleware does not switch back), which would leak into the next test."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: SQLite reuses primary keys after a rollback, so a value
    cached under an id by one test could otherwise be read by another."""
    cache.clear()
    yield


@pytest.fixture
def unreachable_broker(monkeypatch):
    """The real Celery publish path (not eager) against a broker address nobody listens on."""
    conf = celery_app.conf
    saved = (
        conf.task_always_eager,
        conf.broker_url,
        celery_app._pool,
        celery_app.amqp._producer_pool,
    )
    conf.task_always_eager = False
    unreachable = "redis://127.0.0.1:9/0"  # discard port: connection refused
    conf.broker_url = unreachable
    # Celery reads the broker address from the environment before its configuration (CI sets it).
    monkeypatch.setenv("CELERY_BROKER_URL", unreachable)
    monkeypatch.delenv("CELERY_BROKER_WRITE_URL", raising=False)
    celery_app._pool = celery_app.amqp._producer_pool = None
    yield
    # Pools are left open on purpose: kombu keeps producer pools in a process-wide registry keyed
    # by broker address, so closing one would hand the next test "Acquire on closed pool".
    conf.task_always_eager, conf.broker_url, celery_app._pool, celery_app.amqp._producer_pool = (
        saved
    )


# --- the world -----------------------------------------------------------------------------------


class World(dict):
    """The roles of a Pemda. Keys:

    - ``pemda`` (also ``pemda_a``) "Kabupaten Uji" and ``other_pemda`` (also ``pemda_b``) "Kabupaten Sebelah";
    - units ``own`` (also ``unit``, "Dinas Milik Sendiri", A-01) and ``other`` (also ``other_unit``, A-02)
      in the Pemda, ``foreign`` (B-01) in the other Pemda;
    - ``users``: inspektorat_admin, evaluator, leadership, tpn_observer (the Pemda), unit_head and
      unit_operator (own unit), other_head and other_operator (other unit), foreign_admin,
      foreign_evaluator and foreign_operator (the other Pemda), outsider (no role).

    ``instrument``, ``q`` and ``assessments`` (evidence tests) are made when first asked for: a 2026
    assessment per unit on a new tiny instrument (tests.factories.TINY_SPEC), so a test that derives
    its own 2026 assessments (``zi``, ``w``, ``rz``) must not ask for them too."""

    LAZY = ("instrument", "q", "assessments")

    def __missing__(self, key):
        if key not in self.LAZY:
            raise KeyError(key)
        from assessments.models import Question
        from tests.factories import AssessmentFactory, tiny_instrument

        instrument = tiny_instrument()
        self["instrument"] = instrument
        self["q"] = {q.code: q for q in Question.objects.filter(instrument=instrument)}
        self["assessments"] = {
            key: AssessmentFactory(unit=self[key], instrument=instrument)
            for key in ("own", "other", "foreign")
        }
        return self[key]


@pytest.fixture
def world(db):
    from accounts.models import Role
    from tests.factories import PemdaFactory, UserFactory, WorkUnitFactory, person

    pemda = PemdaFactory(name="Kabupaten Uji", seat="Ujiharjo", head_name="Bupati Uji")
    other_pemda = PemdaFactory(name="Kabupaten Sebelah")
    own = WorkUnitFactory(pemda=pemda, name="Dinas Milik Sendiri", code="A-01")
    other = WorkUnitFactory(pemda=pemda, name="Dinas Lain", code="A-02")
    foreign = WorkUnitFactory(pemda=other_pemda, name="Dinas Pemda Lain", code="B-01")
    users = {
        "inspektorat_admin": person(Role.INSPEKTORAT_ADMIN, pemda=pemda),
        "evaluator": person(Role.EVALUATOR, pemda=pemda),
        "leadership": person(Role.LEADERSHIP, pemda=pemda),
        "tpn_observer": person(Role.TPN_OBSERVER, pemda=pemda),
        "unit_head": person(Role.UNIT_HEAD, unit=own),
        "unit_operator": person(Role.UNIT_OPERATOR, unit=own),
        "other_head": person(Role.UNIT_HEAD, unit=other),
        "other_operator": person(Role.UNIT_OPERATOR, unit=other),
        "foreign_admin": person(Role.INSPEKTORAT_ADMIN, pemda=other_pemda),
        "foreign_evaluator": person(Role.EVALUATOR, pemda=other_pemda),
        "foreign_operator": person(Role.UNIT_OPERATOR, unit=foreign),
        "outsider": UserFactory(),
    }
    return World(
        pemda=pemda,
        pemda_a=pemda,
        other_pemda=other_pemda,
        pemda_b=other_pemda,
        own=own,
        unit=own,
        other=other,
        other_unit=other,
        foreign=foreign,
        users=users,
    )


def _prerequisites_met(pemda, year=2026):
    from assessments.models import PemdaYear

    return PemdaYear.objects.create(pemda=pemda, year=year, bpk_opinion="WTP", sakip_grade="BB")


@pytest.fixture
def zi(world):
    """The world with the Pemda's 2026 prerequisites met and the own unit's 2026 assessment in
    development on the shipped LKE."""
    from tests.factories import make_assessment

    _prerequisites_met(world["pemda"])
    assessment = make_assessment(world["own"])
    return {
        "pemda": world["pemda"],
        "unit": world["own"],
        "other_unit": world["other"],
        "assessment": assessment,
        "users": world["users"],
        "instrument": assessment.instrument,
    }


@pytest.fixture
def w(world):
    """API tests: each unit (own, other, foreign) with a 2026 assessment in development on the shipped
    LKE and one PDF uploaded by its operator for question PEM-MP-01.a."""
    from assessments.models import Question
    from tests.factories import AssessmentFactory, shipped_instrument, upload_evidence

    units = {key: world[key] for key in ("own", "other", "foreign")}
    instrument = shipped_instrument()
    users = world["users"]
    assessments = {
        key: AssessmentFactory(unit=unit, instrument=instrument) for key, unit in units.items()
    }
    q = {question.code: question for question in Question.objects.filter(instrument=instrument)}
    uploader = {"own": "unit_operator", "other": "other_operator", "foreign": "foreign_operator"}
    items = {
        key: upload_evidence(a, q["PEM-MP-01.a"], users[uploader[key]], text=f"SK {key}")
        for key, a in assessments.items()
    }
    return {
        "pemda": {"own": world["pemda"], "other": world["pemda"], "foreign": world["other_pemda"]},
        "units": units,
        "instrument": instrument,
        "users": users,
        "assessments": assessments,
        "q": q,
        "items": items,
    }


WITNESSES = [
    {"name": "H. Bupati Contoh, S.Sos.", "position": "Bupati Uji"},
    {"name": "AKBP Raden Ayu Sekar", "position": "Kapolres Uji"},
    {"name": "Dr. Kajari Teguh, S.H.", "position": "Kepala Kejaksaan Negeri Uji"},
    {"name": "Siti Farida, S.H., M.H.", "position": "Kepala Ombudsman RI Perwakilan Jawa Tengah"},
    {
        "name": "Ir. Bambang Wicaksono, M.T.",
        "position": "Inspektur Daerah Kabupaten Uji",
        "nip": "196805121994031004",
    },
]


@pytest.fixture
def rz(world):
    """Report tests: the world with prerequisites met, the own unit as a real DPMPTSP (head, NIP,
    title), and a 2026 assessment per unit on the shipped LKE; the own one proclaimed with witnesses
    and in development, with its two transitions."""
    from assessments.models import Stage, Transition
    from tests.factories import make_assessment

    users = world["users"]
    unit, other = world["own"], world["other"]
    unit.name, unit.code, unit.short_name = "Dinas Penanaman Modal dan PTSP", "OPD-01", "DPMPTSP"
    unit.head_name, unit.head_nip = "Drs. Sutrisno Wibowo, M.Si.", "197003121995031002"
    unit.head_title = "Kepala Dinas Penanaman Modal dan PTSP"
    unit.save()
    other.name, other.code = "Dinas Kependudukan dan Pencatatan Sipil", "OPD-02"
    other.save()
    _prerequisites_met(world["pemda"])
    assessment = make_assessment(unit)
    for order, w in enumerate(WITNESSES):
        assessment.witnesses.create(order=order, **w)
    assessment.proclaimed_at = "Pendopo Kabupaten Uji"
    assessment.signatory_name = unit.head_name
    assessment.signatory_title = unit.head_title
    assessment.save()
    Transition.objects.create(
        assessment=assessment,
        name="proclaim",
        target=Stage.PROCLAIMED,
        by=users["inspektorat_admin"],
        note="Pencanangan bersama",
    )
    Transition.objects.create(
        assessment=assessment,
        name="start_development",
        source=Stage.PROCLAIMED,
        target=Stage.DEVELOPMENT,
        by=users["inspektorat_admin"],
    )
    return {
        "pemda": world["pemda"],
        "foreign_pemda": world["other_pemda"],
        "unit": unit,
        "other": other,
        "foreign": world["foreign"],
        "assessment": assessment,
        "other_assessment": make_assessment(other),
        "foreign_assessment": make_assessment(world["foreign"]),
        "users": users,
    }


@pytest.fixture
def evaluated(rz):
    """The own unit's LKE (of ``rz``) filled at its best on the self and TPI tracks."""
    from assessments.models import Track
    from tests.factories import best_answers, fill

    a = rz["assessment"]
    values = best_answers(a.instrument)
    fill(a, Track.SELF, values)
    fill(a, Track.TPI, values)
    return a


# --- evidence --------------------------------------------------------------------------------------


@pytest.fixture
def q1(world):
    return world["q"]["PEM-MP-01.a"]


@pytest.fixture
def own_item(world, q1):
    """A PDF uploaded by the own unit's operator."""
    from tests.factories import upload_evidence

    return upload_evidence(world["assessments"]["own"], q1, world["users"]["unit_operator"])


@pytest.fixture
def items_of(world):
    """One uploaded PDF per unit (own, other, foreign), each by that unit's operator."""
    from tests.factories import upload_evidence

    uploaders = {"own": "unit_operator", "other": "other_operator", "foreign": "foreign_operator"}
    q = world["q"]["PEM-MP-01.a"]
    return {
        target: upload_evidence(
            world["assessments"][target], q, world["users"][who], text=f"SK {target}"
        )
        for target, who in uploaders.items()
    }


@pytest.fixture
def stored_files():
    """Every file under MEDIA_ROOT (pointed at a fresh tmp dir by ``_isolated_media``)."""
    from django.conf import settings

    def _files():
        root = Path(settings.MEDIA_ROOT)
        return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []

    return _files


# --- API clients ----------------------------------------------------------------------------------


@pytest.fixture
def api():
    """api(user) -> an APIClient sending that user's token (None: anonymous)."""
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

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


@pytest.fixture
def dz(world):
    """Dossier tests: the world with the Pemda's 2026 prerequisites met and every dossier item
    required; the own unit's 2026 assessment (``assessment``) in development with the TPI track at
    its best, so that only the dossier stands between it and a WBK nomination."""
    from assessments.models import Track
    from dossier.models import ALL_ITEMS, DossierPolicy
    from tests.factories import best_answers, evaluation_done, fill, make_assessment

    _prerequisites_met(world["pemda"])
    DossierPolicy.objects.create(pemda=world["pemda"], required_items=ALL_ITEMS)
    assessment = make_assessment(world["own"])
    fill(assessment, Track.TPI, best_answers(assessment.instrument))
    users = world["users"]
    evaluation_done(assessment, users["inspektorat_admin"])  # the TPI workflow's part of the guard
    return {
        **world,
        "assessment": assessment,
        "admin": users["inspektorat_admin"],
        "operator": users["unit_operator"],
    }


@pytest.fixture(autouse=True)
def _second_factor_not_required_by_default(settings):
    """Outside DEBUG a second factor is required of Inspektorat roles (MFA_REQUIRED_DEFAULT); tests
    sign such people in by force_login, so only tests/signin turn the requirement on."""
    settings.MFA_REQUIRED_DEFAULT = False
