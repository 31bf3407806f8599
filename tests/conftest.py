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
    """Each test starts with an empty cache: SQLite reuses primary keys after a rollback, so a
    dashboard cached by one test could otherwise match another test's data fingerprint."""
    cache.clear()
    yield


@pytest.fixture
def unreachable_broker(monkeypatch):
    """The real Celery publish path (not eager) against a broker address nobody listens on."""
    conf = celery_app.conf
    saved = (conf.task_always_eager, conf.broker_url, celery_app._pool, celery_app.amqp._producer_pool)
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
    conf.task_always_eager, conf.broker_url, celery_app._pool, celery_app.amqp._producer_pool = saved
