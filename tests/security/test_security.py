"""Security behaviour a user or an auditor would notice: login throttling, the CSP header,
evidence never served inline, cookies, and the audit trail of changes."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from tests.factories import UserFactory

PASSWORD = "rahasia-uji-123"  # tests/factories.py


def _try(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


@pytest.mark.django_db
def test_five_wrong_passwords_lock_the_account_for_that_address_with_an_indonesian_page(
    client, settings
):
    UserFactory(username="sasaran")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _try(client, "sasaran", "salah").status_code == 200  # the normal form error
    locked = _try(client, "sasaran", "salah")
    assert locked.status_code == 429
    text = locked.content.decode()
    assert "Terlalu banyak percobaan masuk" in text
    assert "15 menit" in text
    # Even the right password is refused while the lock holds: guessing cannot go on.
    again = _try(client, "sasaran", PASSWORD)
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_lock_is_per_username_and_address_so_colleagues_can_still_log_in(client, settings):
    UserFactory(username="sasaran")
    UserFactory(username="rekan")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _try(client, "sasaran", "salah")
    response = _try(client, "rekan", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


@pytest.mark.django_db
def test_a_successful_login_resets_the_failure_count(client, settings):
    UserFactory(username="lupa")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _try(client, "lupa", "salah")
    assert _try(client, "lupa", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _try(client, "lupa", "salah")
    assert _try(client, "lupa", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy_without_inline_scripts(client):
    response = client.get(reverse("login"))
    policy = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_secure_in_production_settings():
    """HTTPS=1 (production) makes both cookies Secure; checked on the settings module itself."""
    import importlib
    import os

    import zi_portal.settings as module

    old = os.environ.get("HTTPS")
    os.environ["HTTPS"] = "1"
    try:
        prod = importlib.reload(module)
        assert (
            prod.SESSION_COOKIE_SECURE and prod.CSRF_COOKIE_SECURE and prod.SESSION_COOKIE_HTTPONLY
        )
        assert prod.SECURE_HSTS_SECONDS >= 31536000
    finally:
        if old is None:
            os.environ.pop("HTTPS")
        else:
            os.environ["HTTPS"] = old
        importlib.reload(module)


def _start_django(**overrides):
    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    env.update(
        DATABASE_URL="sqlite:////tmp/zi-secret-key-check.sqlite3",
        DJANGO_SETTINGS_MODULE="zi_portal.settings",
        **overrides,
    )
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_without_a_secret_key_refuse_to_start():
    refused = _start_django(DEBUG="0")
    assert refused.returncode != 0
    assert "ImproperlyConfigured" in refused.stderr and "SECRET_KEY" in refused.stderr
    # The public key from the repository, set by hand, is no better.
    assert _start_django(DEBUG="0", SECRET_KEY=django_settings.INSECURE_DEFAULT_KEY).returncode != 0
    # The embedded demo (bin/run sets DEBUG=1) and a real key start.
    assert _start_django(DEBUG="1").returncode == 0
    assert _start_django(DEBUG="0", SECRET_KEY="prod-" + "q8Wm3!zX5vB2#nK7" * 3).returncode == 0


@pytest.mark.django_db
def test_behind_a_proxy_the_lock_holds_the_address_the_proxy_appended(settings):
    """Behind the TLS proxy every request arrives from the proxy: without CLIENT_ADDRESS_HEADER one
    person's wrong passwords would lock a username for the whole office; with it the lock holds the
    address the proxy saw, and a forged first entry of the header does not escape it."""
    from django.test import Client

    settings.CLIENT_ADDRESS_HEADER = "X-Forwarded-For"
    UserFactory(username="sasaran")
    proxy = {"REMOTE_ADDR": "172.18.0.2"}
    guesser = Client(**proxy, HTTP_X_FORWARDED_FOR="198.51.100.1")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _try(guesser, "sasaran", "salah")
    assert _try(guesser, "sasaran", PASSWORD).status_code == 429
    forged = Client(**proxy, HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.1")
    assert _try(forged, "sasaran", PASSWORD).status_code == 429
    owner = Client(**proxy, HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert _try(owner, "sasaran", PASSWORD).status_code == 302
