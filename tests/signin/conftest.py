"""The OpenID Connect provider the sign-in tests talk to: tests/oidc_provider started as a real
HTTP server on a free port. If it does not start, the tests fail (they are never skipped)."""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

REPO = Path(__file__).resolve().parents[2]
CLIENT_ID = "zi-portal-uji"
CLIENT_SECRET = "rahasia-klien-uji"
SLUG = "uji"
# The portal side runs in Django's test client, whose host is "testserver".
CALLBACK = f"http://testserver/akun/oidc/{SLUG}/login/callback/"
AFTER_LOGOUT = "http://testserver/masuk/"
PASSWORD = "sandi-sso-uji"

NIP_SARI = "198503122010012001"
NIP_UNKNOWN = "197001011990031009"
NIP_OPERATOR = "199001012015032002"
PEOPLE = [
    {"username": "sari", "email": "sari@ujikab.go.id", "nip": NIP_SARI},
    {"username": "budi", "email": "budi@ujikab.go.id", "nip": NIP_UNKNOWN},
    {"username": "rina", "email": "rina@ujikab.go.id", "nip": NIP_OPERATOR},
    {"username": "asing", "email": "asing@gmail.com", "nip": NIP_SARI},
    {"username": "palsu.iss", "email": "sari@ujikab.go.id", "nip": NIP_SARI, "tamper": "iss"},
    {"username": "palsu.aud", "email": "sari@ujikab.go.id", "nip": NIP_SARI, "tamper": "aud"},
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Provider:
    client_id = CLIENT_ID
    client_secret = CLIENT_SECRET

    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"
        self.issuer = f"{self.base}/openid"


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory):
    folder = tmp_path_factory.mktemp("oidc-provider")
    users = [{**p, "password": PASSWORD} for p in PEOPLE]
    (folder / "users.json").write_text(json.dumps(users))
    (folder / "config.json").write_text(
        json.dumps(
            {
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "redirect_uris": [CALLBACK],
                "post_logout_redirect_uris": [AFTER_LOGOUT],
                "users": users,
            }
        )
    )
    port = _free_port()
    provider = Provider(port)
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        PYTHONPATH=str(REPO),
        OIDC_TEST_DB=str(folder / "provider.sqlite3"),
        OIDC_TEST_USERS=str(folder / "users.json"),
        OIDC_TEST_SITE_URL=provider.base,
    )
    log = open(folder / "provider.log", "w+")
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.oidc_provider.serve", str(port), str(folder / "config.json")],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            if requests.get(f"{provider.issuer}/.well-known/openid-configuration", timeout=2).ok:
                break
        except requests.ConnectionError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            log.seek(0)
            pytest.fail(f"Penyedia OIDC uji tidak mau jalan:\n{log.read()[-3000:]}")
        time.sleep(0.2)
    yield provider
    process.terminate()
    process.wait(timeout=10)
    log.close()


@pytest.fixture
def sso(world, oidc_provider):
    """The test Pemda signs in through the test provider; e-mail only from ujikab.go.id."""
    from signin.models import PemdaSignIn

    return PemdaSignIn.objects.create(
        pemda=world["pemda"],
        mfa_required=False,
        oidc_enabled=True,
        oidc_name="SSO Kabupaten Uji",
        oidc_slug=SLUG,
        oidc_issuer=oidc_provider.issuer,
        oidc_client_id=CLIENT_ID,
        oidc_client_secret=CLIENT_SECRET,
        oidc_claim="nip",
        allowed_email_domains="ujikab.go.id",
    )


class Browser:
    """The person's browser: the portal through Django's test client, the provider over HTTP."""

    def __init__(self, client):
        self.client = client
        self.provider = requests.Session()

    def _to_portal(self, location):
        while not location.startswith("http://testserver"):
            response = self.provider.get(location, allow_redirects=False, timeout=10)
            if response.status_code == 200 and 'name="csrfmiddlewaretoken"' in response.text:
                return response  # the provider's sign-in page
            assert response.status_code in (301, 302), (response.status_code, response.text[:500])
            location = requests.compat.urljoin(location, response.headers["Location"])
        return location.removeprefix("http://testserver")

    def sign_in(self, username, password=PASSWORD):
        """SSO from the portal's button to the portal's answer to the provider's callback."""
        start = self.client.post(f"/akun/oidc/{SLUG}/login/", {"next": "/"})
        assert start.status_code == 302, start.content[:500]
        step = self._to_portal(start["Location"])
        if not isinstance(step, str):
            token = step.text.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
            posted = self.provider.post(
                step.url,
                data={
                    "csrfmiddlewaretoken": token,
                    "username": username,
                    "password": password,
                    "next": requests.utils.unquote(step.url.split("next=", 1)[1]),
                },
                headers={"Referer": step.url},
                allow_redirects=False,
                timeout=10,
            )
            assert posted.status_code == 302, posted.text[:500]
            step = self._to_portal(requests.compat.urljoin(step.url, posted.headers["Location"]))
        return self.client.get(step)

    def follow_at_provider(self, location):
        return self._to_portal(location)


@pytest.fixture
def browser_for(client):
    return Browser(client)
