"""API tokens: revoked by a password change, last use shown, an expiry (issue 13, item 9)."""

from datetime import timedelta

from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import UserFactory

PASSWORD = "rahasia-uji-123"  # tests/factories.py


def _usage():
    from api.models import TokenUsage  # imported here so that each test fails on its own without it

    return TokenUsage


def _token_for(user):
    response = Client().post(
        reverse("api:token"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 200, response.content
    return response.json()


def _get(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get(reverse("api:unit-list"))


def test_changing_ones_password_on_the_page_revokes_the_api_token(w):
    user = w["users"]["evaluator"]
    key = _token_for(user)["token"]
    assert _get(key).status_code == 200
    page = Client()
    page.force_login(user)
    response = page.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Baru#Sekali2026",
            "new_password2": "Baru#Sekali2026",
        },
    )
    assert response.status_code == 302
    assert _get(key).status_code == 401
    assert not Token.objects.filter(user=user).exists()


def test_a_password_set_in_the_admin_revokes_the_api_token(w):
    admin, user = w["users"]["inspektorat_admin"], w["users"]["unit_operator"]
    key = _token_for(user)["token"]
    client = Client()
    client.force_login(admin)
    response = client.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {"password1": "Baru#Sekali2026", "password2": "Baru#Sekali2026", "usable_password": "true"},
    )
    assert response.status_code == 302
    assert _get(key).status_code == 401


def test_logging_in_and_saving_a_user_otherwise_keeps_the_token(w, client):
    user = w["users"]["evaluator"]
    key = _token_for(user)["token"]
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302  # logging in may also re-hash the password: not a new one
    user.full_name = "Nama Baru"
    user.save()
    assert _get(key).status_code == 200


def test_a_new_token_expires_and_an_expired_one_is_refused_with_a_message(w, settings):
    settings.API_TOKEN_DAYS = 30
    user = w["users"]["leadership"]
    body = _token_for(user)
    usage = _usage().objects.get(token_id=body["token"])
    assert abs(usage.expires_at - (timezone.now() + timedelta(days=30))) < timedelta(minutes=1)
    assert body["expires_at"] == usage.expires_at.isoformat()

    _usage().objects.filter(pk=usage.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = _get(body["token"])
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert "kedaluwarsa" in response.json()["detail"]
    # Asking again gives a fresh token that works.
    fresh = _token_for(user)["token"]
    assert fresh != body["token"] and _get(fresh).status_code == 200


def test_last_use_is_recorded_at_most_once_a_minute(w):
    user = w["users"]["tpn_observer"]
    key = _token_for(user)["token"]
    assert _usage().objects.get(token_id=key).last_used_at is None
    _get(key)
    first = _usage().objects.get(token_id=key).last_used_at
    assert first is not None and timezone.now() - first < timedelta(seconds=10)
    _get(key)
    assert _usage().objects.get(token_id=key).last_used_at == first  # within the minute: no write
    _usage().objects.filter(token_id=key).update(last_used_at=first - timedelta(minutes=2))
    _get(key)
    assert _usage().objects.get(token_id=key).last_used_at > first


def test_drf_create_token_still_makes_a_working_token_with_the_expiry(w, capsys, settings):
    settings.API_TOKEN_DAYS = 7
    user = UserFactory(username="skrip.rekap")
    call_command("drf_create_token", "skrip.rekap")
    token = Token.objects.get(user=user)
    assert token.key in capsys.readouterr().out
    assert token.usage.expires_at.date() == (timezone.now() + timedelta(days=7)).date()


def test_the_admin_shows_last_use_of_own_pemdas_tokens_only(w):
    own, foreign = w["users"]["unit_operator"], w["users"]["foreign_operator"]
    own_key, foreign_key = _token_for(own)["token"], _token_for(foreign)["token"]
    _get(own_key)
    client = Client()
    client.force_login(w["users"]["inspektorat_admin"])
    html = client.get(reverse("admin:authtoken_tokenproxy_changelist")).content.decode()
    assert own.username in html or own.full_name in html
    assert foreign.full_name not in html and foreign.username not in html
    assert own_key not in html and own_key[:6] in html  # never the whole key
    assert "terakhir dipakai" in html.lower()
    # Revoking a foreign token is not possible from here.
    response = client.post(
        reverse("admin:authtoken_tokenproxy_delete", args=[foreign.pk]), {"post": "yes"}
    )
    assert response.status_code in (302, 404)
    assert Token.objects.filter(key=foreign_key).exists()
