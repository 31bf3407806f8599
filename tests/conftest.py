import pytest

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


@pytest.fixture
def unreachable_broker():
    """The real Celery publish path (not eager) against a broker address nobody listens on."""
    conf = celery_app.conf
    saved = (conf.task_always_eager, conf.broker_url, celery_app._pool, celery_app.amqp._producer_pool)
    conf.task_always_eager = False
    conf.broker_url = "redis://127.0.0.1:9/0"  # discard port: connection refused
    celery_app._pool = celery_app.amqp._producer_pool = None
    yield
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
    conf.task_always_eager, conf.broker_url, celery_app._pool, celery_app.amqp._producer_pool = saved
