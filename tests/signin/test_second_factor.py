"""Second factor: TOTP enrolment and use, recovery codes used once, the requirement enforced on
every page and the Django admin, and wrong codes locked out like wrong passwords (django-axes)."""

import os
import subprocess
import sys
from pathlib import Path

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from signin.models import PemdaSignIn
from tests.factories import PASSWORD

REPO = Path(__file__).resolve().parents[2]


def sign_in(client, user, password=PASSWORD, next_url=""):
    data = {"username": user.username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post("/masuk/", data)


def signed_in(client):
    return client.session.get("_auth_user_id")


@pytest.fixture
def required(world):
    return PemdaSignIn.objects.create(pemda=world["pemda"], mfa_required=True)


@pytest.fixture
def with_totp(world):
    """The evaluator with an authenticator app (its secret) and ten recovery codes."""
    user = world["users"]["evaluator"]
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    codes = RecoveryCodes.activate(user).get_unused_codes()
    return user, secret, codes


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/unit/", "/laporan/", "/admin/", "/admin/accounts/user/"])
def test_required_factor_is_enforced_on_every_page_and_the_admin(client, world, required, path):
    admin = world["users"]["inspektorat_admin"]
    assert sign_in(client, admin).status_code == 302
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == "/akun/keamanan/"
    page = client.get("/akun/keamanan/").content.decode()
    assert "mewajibkan faktor kedua" in page
    assert "Pasang aplikasi autentikator" in page


@pytest.mark.django_db
def test_factor_is_optional_for_other_roles(client, world, required):
    operator = world["users"]["unit_operator"]
    sign_in(client, operator)
    assert client.get("/unit/").status_code == 200


@pytest.mark.django_db
def test_admin_enrols_totp_then_works(client, world, required):
    evaluator = world["users"]["inspektorat_admin"]
    sign_in(client, evaluator)
    page = client.get("/akun/2fa/totp/activate/")
    assert page.status_code == 200
    secret = page.context["form"].secret
    wrong = client.post("/akun/2fa/totp/activate/", {"code": "000000"})
    assert wrong.status_code == 200 and not Authenticator.objects.filter(user=evaluator).exists()
    response = client.post("/akun/2fa/totp/activate/", {"code": pyotp.TOTP(secret).now()})
    assert response["Location"] == "/akun/2fa/recovery-codes/"
    # The recovery codes made with it are shown at once, without asking the password again.
    codes_page = client.get("/akun/2fa/recovery-codes/")
    assert codes_page.status_code == 200
    assert codes_page.context["unused_codes"]
    assert Authenticator.objects.filter(user=evaluator, type=Authenticator.Type.TOTP).exists()
    # Recovery codes are made with it, and the pages open.
    assert Authenticator.objects.filter(
        user=evaluator, type=Authenticator.Type.RECOVERY_CODES
    ).exists()
    assert client.get("/unit/").status_code == 200
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_sign_in_asks_for_the_authenticator_code(client, with_totp):
    user, secret, _codes = with_totp
    response = sign_in(client, user)
    assert response["Location"] == "/akun/2fa/authenticate/"
    assert signed_in(client) is None
    assert client.get("/unit/").status_code == 302
    page = client.get("/akun/2fa/authenticate/").content.decode()
    assert 'lang="id"' in page and "ZI Portal" in page
    response = client.post("/akun/2fa/authenticate/", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    assert signed_in(client) == str(user.pk)
    assert client.get("/unit/").status_code == 200


@pytest.mark.django_db
def test_recovery_code_works_once(client, with_totp):
    user, _secret, codes = with_totp
    sign_in(client, user)
    client.post("/akun/2fa/authenticate/", {"code": codes[0]})
    assert signed_in(client) == str(user.pk)
    client.post("/keluar/")
    sign_in(client, user)
    refused = client.post("/akun/2fa/authenticate/", {"code": codes[0]})
    assert refused.status_code == 200
    assert signed_in(client) is None
    client.post("/akun/2fa/authenticate/", {"code": codes[1]})
    assert signed_in(client) == str(user.pk)


@pytest.mark.django_db
def test_wrong_codes_lock_the_account_like_wrong_passwords(client, with_totp, settings):
    user, secret, _codes = with_totp
    sign_in(client, user)
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        response = client.post("/akun/2fa/authenticate/", {"code": "123456"})
    # The fifth wrong code gets django-axes' lockout page, as the fifth wrong password does.
    assert response.status_code == 429
    assert "Terlalu banyak percobaan masuk" in response.content.decode()
    # Neither the right code nor the right password gets in now.
    client.post("/akun/2fa/authenticate/", {"code": pyotp.TOTP(secret).now()})
    assert signed_in(client) is None
    locked = sign_in(client, user)
    assert signed_in(client) is None
    assert locked.status_code == 429


@pytest.mark.django_db
def test_admin_password_page_cannot_skip_the_factor(client, with_totp):
    admin, _secret, _codes = with_totp
    admin.is_staff = True
    admin.save()
    # Django's admin form accepts the password…
    grant = client.post(
        "/admin/login/?next=/admin/", {"username": admin.username, "password": PASSWORD}
    )
    assert grant.status_code == 302
    # …but the next page ends that session: the person has a factor and did not use it.
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/")
    assert signed_in(client) is None


@pytest.mark.django_db
def test_api_token_is_unaffected_by_the_factor(world, required, api):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=world["users"]["evaluator"])
    response = api().get("/api/v1/pemda/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200


@pytest.mark.parametrize(("debug", "expected"), [("0", "True"), ("1", "False")])
def test_factor_required_by_default_in_production_only(debug, expected):
    env = {k: v for k, v in os.environ.items() if k != "MFA_REQUIRED"}
    env.update(DEBUG=debug, SECRET_KEY="k" * 60, DJANGO_SETTINGS_MODULE="zi_portal.settings")
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; print(settings.MFA_REQUIRED_DEFAULT)",
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == expected


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/akun/password/reset/", "/akun/email/", "/akun/signup/"])
def test_allauths_own_account_pages_are_not_offered(client, path):
    response = client.get(path)
    assert response.status_code in (302, 404)
    if response.status_code == 302:
        assert response["Location"].startswith("/masuk/")


@pytest.mark.django_db
def test_factor_enrolled_in_another_session_is_asked_for_here(client, world, required):
    admin = world["users"]["inspektorat_admin"]
    sign_in(client, admin)
    TOTP.activate(admin, generate_totp_secret())  # e.g. on the phone's browser meanwhile
    client.get("/akun/keamanan/")
    response = client.get("/unit/")
    assert response["Location"].startswith("/masuk/")
    assert signed_in(client) is None
