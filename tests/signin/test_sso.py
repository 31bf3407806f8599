"""Single sign-on against a real OpenID Connect provider (tests/oidc_provider, started by the
test run): linking by NIP only for invited people, refusals, wrong issuer or audience, sign-out."""

import pytest
from allauth.socialaccount.models import SocialAccount

from signin.models import SsoInvitation
from signin.services import invite_to_sso

NIP_SARI = "198503122010012001"
NIP_OPERATOR = "199001012015032002"


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


@pytest.fixture
def sari(world):
    """The evaluator, with her NIP in the portal and invited to SSO by the Admin Inspektorat."""
    evaluator = world["users"]["evaluator"]
    evaluator.nip = NIP_SARI
    evaluator.email = "sari@ujikab.go.id"
    evaluator.save()
    invite_to_sso(user=evaluator, pemda=world["pemda"], by=world["users"]["inspektorat_admin"])
    return evaluator


@pytest.mark.django_db
def test_login_page_offers_the_pemda_sso_button(client, sso):
    html = client.get("/masuk/").content.decode()
    assert "SSO Kabupaten Uji" in html
    assert "/akun/oidc/uji/login/" in html


@pytest.mark.django_db
def test_invited_person_signs_in_and_is_linked_by_nip(browser_for, sso, sari):
    response = browser_for.sign_in("sari")
    assert response.status_code == 302, response.content[:800]
    assert signed_in_user_id(browser_for.client) == str(sari.pk)
    assert SocialAccount.objects.filter(user=sari, provider="uji").exists()
    assert SsoInvitation.objects.get(user=sari).linked_at is not None
    # Roles stay the portal's: the evaluator's membership, nothing new.
    assert list(sari.memberships.values_list("role", flat=True)) == ["evaluator"]
    page = browser_for.client.get("/", follow=True)
    assert page.status_code == 200


@pytest.mark.django_db
def test_second_sign_in_uses_the_link(browser_for, sso, sari, client):
    browser_for.sign_in("sari")
    client.post("/keluar/")
    browser_for.provider.cookies.clear()
    browser_for.sign_in("sari")
    assert signed_in_user_id(client) == str(sari.pk)
    assert SocialAccount.objects.filter(user=sari).count() == 1


@pytest.mark.django_db
def test_unknown_person_is_refused_and_nobody_is_created(browser_for, sso, sari, django_user_model):
    people = django_user_model.objects.count()
    response = browser_for.sign_in("budi")
    assert response.status_code == 403
    assert "belum ditautkan" in response.content.decode()
    assert signed_in_user_id(browser_for.client) is None
    assert django_user_model.objects.count() == people
    assert not SocialAccount.objects.exists()


@pytest.mark.django_db
def test_matching_nip_without_invitation_is_refused(browser_for, sso, world):
    operator = world["users"]["unit_operator"]
    operator.nip = NIP_OPERATOR
    operator.save()
    response = browser_for.sign_in("rina")
    assert response.status_code == 403
    assert "Minta Admin Inspektorat mengundang" in response.content.decode()
    assert signed_in_user_id(browser_for.client) is None


@pytest.mark.django_db
def test_email_outside_allowed_domains_is_refused(browser_for, sso, sari):
    response = browser_for.sign_in("asing")
    assert response.status_code == 403
    assert "asing@gmail.com" in response.content.decode()
    assert signed_in_user_id(browser_for.client) is None


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["palsu.iss", "palsu.aud"])
def test_id_token_of_wrong_issuer_or_audience_is_refused(browser_for, sso, sari, who):
    response = browser_for.sign_in(who)
    assert response.status_code == 403
    assert "Masuk dengan SSO gagal" in response.content.decode()
    assert signed_in_user_id(browser_for.client) is None
    assert not SocialAccount.objects.exists()


@pytest.mark.django_db
def test_issuer_configured_elsewhere_is_refused(browser_for, sso, sari, oidc_provider):
    # The portal expects another issuer than the one that signs: the tokens' "iss" must match.
    sso.oidc_issuer = oidc_provider.issuer.replace("127.0.0.1", "localhost")
    sso.save()
    response = browser_for.sign_in("sari")
    assert response.status_code == 403
    assert signed_in_user_id(browser_for.client) is None


@pytest.mark.django_db
def test_sign_out_ends_portal_and_provider_sessions(browser_for, sso, sari, oidc_provider):
    browser_for.sign_in("sari")
    response = browser_for.client.post("/keluar/")
    assert response.status_code == 302
    assert response["Location"].startswith(f"{oidc_provider.issuer}/end-session")
    assert "id_token_hint=" in response["Location"]
    assert browser_for.client.get("/unit/").status_code == 302  # portal session over
    assert browser_for.follow_at_provider(response["Location"]) == "/masuk/"
    # The provider asks for the password again: its session ended too.
    again = browser_for.client.post("/akun/oidc/uji/login/", {"next": "/"})
    step = browser_for.follow_at_provider(again["Location"])
    assert not isinstance(step, str) and "/login/" in step.url


@pytest.mark.django_db
def test_password_sign_in_is_refused_where_local_passwords_are_off(client, sso, sari, api):
    from tests.factories import PASSWORD

    sso.local_passwords = False
    sso.save()
    html = client.post("/masuk/", {"username": sari.username, "password": PASSWORD}).content
    assert "masuk dengan tombol SSO" in html.decode()
    assert signed_in_user_id(client) is None
    # Scripts cannot take an API token with the password either.
    response = api().post("/api/v1/token/", {"username": sari.username, "password": PASSWORD})
    assert response.status_code == 400


@pytest.mark.django_db
def test_provider_configured_from_the_environment(
    browser_for, settings, world, oidc_provider, sari
):
    """No PemdaSignIn row: the OIDC_* variables name the Pemda and its provider (README)."""
    settings.OIDC_PEMDA_CODE = world["pemda"].code
    settings.OIDC_ISSUER = oidc_provider.issuer
    settings.OIDC_CLIENT_ID = oidc_provider.client_id
    settings.OIDC_CLIENT_SECRET = oidc_provider.client_secret
    settings.OIDC_SLUG = "uji"
    settings.OIDC_EMAIL_DOMAINS = "ujikab.go.id"
    assert "/akun/oidc/uji/login/" in browser_for.client.get("/masuk/").content.decode()
    browser_for.sign_in("sari")
    assert signed_in_user_id(browser_for.client) == str(sari.pk)


@pytest.mark.django_db
def test_sso_person_without_password_enrols_the_required_factor(browser_for, sso, sari):
    import pyotp

    sso.mfa_required = True
    sso.save()
    sari.set_unusable_password()
    sari.save()
    client = browser_for.client
    browser_for.sign_in("sari")
    assert client.get("/unit/")["Location"] == "/akun/keamanan/"
    # No password to confirm: the first factor is enrolled right after signing in.
    secret = client.get("/akun/2fa/totp/activate/").context["form"].secret
    client.post("/akun/2fa/totp/activate/", {"code": pyotp.TOTP(secret).now()})
    assert client.get("/unit/").status_code == 200


@pytest.mark.django_db
def test_sso_sign_in_still_asks_for_the_second_factor(browser_for, sso, sari):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(sari, generate_totp_secret())
    response = browser_for.sign_in("sari")
    assert response["Location"] == "/akun/2fa/authenticate/"
    assert signed_in_user_id(browser_for.client) is None
