import pyotp
import pytest
from allauth.mfa.models import Authenticator

from accounts.models import Role
from signin import demo
from signin.models import PemdaSignIn
from tests.factories import PASSWORD, person


@pytest.mark.django_db
def test_demo_shows_the_second_step_without_locking_visitors_out(client, world, settings):
    settings.MFA_REQUIRED_DEFAULT = True  # as in production: the demo Pemda's own row decides
    pemda = world["pemda"]
    evaluator2 = person(Role.EVALUATOR, pemda=pemda, username="evaluator2")
    inspektur = person(Role.INSPEKTORAT_ADMIN, pemda=pemda, username="inspektur")
    demo.seed(pemda)
    demo.seed(pemda)  # bin/run seeds on every start
    assert not PemdaSignIn.objects.get(pemda=pemda).mfa_required
    assert Authenticator.objects.filter(user=evaluator2, type="totp").count() == 1
    # The Admin Inspektorat signs in with the password alone…
    client.post("/masuk/", {"username": inspektur.username, "password": PASSWORD})
    assert client.get("/unit/").status_code == 200
    client.post("/keluar/")
    # …evaluator2 is asked for the code of the README's published secret.
    response = client.post("/masuk/", {"username": "evaluator2", "password": PASSWORD})
    assert response["Location"] == "/akun/2fa/authenticate/"
    code = pyotp.TOTP(demo.DEMO_TOTP_SECRET).now()
    client.post("/akun/2fa/authenticate/", {"code": code})
    assert client.get("/unit/").status_code == 200
