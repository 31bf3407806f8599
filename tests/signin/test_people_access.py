"""The Admin Inspektorat's page of people: factors reset (recorded), API tokens revoked (by them
and by the owner), SSO invitations; only for their own Pemda's people; constant queries."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.utils import timezone
from django.utils.formats import date_format
from rest_framework.authtoken.models import Token

from accounts.models import Role
from signin.models import FactorReset, SsoInvitation
from tests.factories import person


def act(client, who, action):
    return client.post(f"/akun/orang/{who.pk}/", {"action": action})


@pytest.mark.django_db
def test_admin_resets_a_persons_factors_and_it_is_recorded(login, world):
    admin, evaluator = world["users"]["inspektorat_admin"], world["users"]["evaluator"]
    TOTP.activate(evaluator, generate_totp_secret())
    response = act(login(admin), evaluator, "reset_factors")
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=evaluator).exists()
    reset = FactorReset.objects.get(user=evaluator)
    assert reset.by == admin and "TOTP" in reset.kinds
    page = login(evaluator).get("/akun/keamanan/").content.decode()
    assert "Riwayat reset faktor kedua" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "target", "status"),
    [
        ("inspektorat_admin", "evaluator", 302),  # own Pemda
        ("inspektorat_admin", "foreign_evaluator", 404),  # other Pemda
        ("foreign_admin", "evaluator", 404),
        ("evaluator", "unit_operator", 403),  # not an admin
        ("unit_head", "unit_operator", 403),
        ("outsider", "evaluator", 404),  # no role anywhere: nobody is theirs to see
    ],
)
def test_only_the_pemdas_admin_resets_factors(login, world, role, target, status):
    person_ = world["users"][target]
    TOTP.activate(person_, generate_totp_secret())
    response = act(login(world["users"][role]), person_, "reset_factors")
    assert response.status_code == status
    assert Authenticator.objects.filter(user=person_).exists() == (status != 302)


@pytest.mark.django_db
def test_owner_and_admin_revoke_tokens_and_last_use_is_shown(login, world, api):
    operator = world["users"]["unit_operator"]
    token = Token.objects.create(user=operator)
    assert api().get("/api/v1/pemda/", HTTP_AUTHORIZATION=f"Token {token.key}").status_code == 200
    page = login(world["users"]["inspektorat_admin"]).get("/akun/orang/").content.decode()
    assert date_format(timezone.localdate(), "DATE_FORMAT") in page  # "30 November 2026, 09.31"
    act(login(world["users"]["inspektorat_admin"]), operator, "revoke_token")
    assert not Token.objects.filter(user=operator).exists()
    assert api().get("/api/v1/pemda/", HTTP_AUTHORIZATION=f"Token {token.key}").status_code == 401
    # The owner revokes their own on the Keamanan akun page.
    own = Token.objects.create(user=operator)
    client = login(operator)
    assert own.key[:6] in client.get("/akun/keamanan/").content.decode()
    client.post("/akun/keamanan/", {"action": "revoke_token"})
    assert not Token.objects.filter(user=operator).exists()


@pytest.mark.django_db
def test_admin_invites_and_withdraws_sso(login, world):
    admin, head = world["users"]["inspektorat_admin"], world["users"]["unit_head"]
    act(login(admin), head, "invite_sso")
    assert SsoInvitation.objects.get(user=head).invited_by == admin
    act(login(admin), head, "withdraw_sso")
    assert not SsoInvitation.objects.filter(user=head).exists()


@pytest.mark.django_db
def test_people_page_only_for_admins(login, world):
    assert login(world["users"]["evaluator"]).get("/akun/orang/").status_code == 403
    assert login(world["users"]["unit_operator"]).get("/akun/orang/").status_code == 403
    html = login(world["users"]["inspektorat_admin"]).get("/akun/orang/").content.decode()
    assert world["users"]["evaluator"].display_name in html
    assert world["users"]["foreign_evaluator"].display_name not in html


def _people(pemda, n):
    for i in range(n):
        user = person(Role.EVALUATOR, pemda=pemda, nip=f"19800101200501{i:04d}")
        TOTP.activate(user, generate_totp_secret())
        Token.objects.create(user=user)
        SsoInvitation.objects.create(user=user, pemda=pemda)


@pytest.mark.django_db
def test_people_page_queries_do_not_grow_with_people(login, world, django_assert_max_num_queries):
    client = login(world["users"]["inspektorat_admin"])
    _people(world["pemda"], 3)
    with django_assert_max_num_queries(20) as few:
        assert client.get("/akun/orang/").status_code == 200
    _people(world["pemda"], 12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/akun/orang/").status_code == 200
