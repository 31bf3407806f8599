import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Membership, Role
from tests.factories import PemdaFactory, UserFactory, WorkUnitFactory, person


@pytest.mark.django_db
def test_login_page_speaks_indonesian(client):
    html = client.get(reverse("login")).content.decode()
    assert "Masuk ke ZI Portal" in html
    assert 'lang="id"' in html


@pytest.mark.django_db
def test_login_then_home_sends_unit_operator_to_own_unit(client):
    unit = WorkUnitFactory(name="Dinas Perhubungan")
    person(Role.UNIT_OPERATOR, unit=unit, username="op")
    response = client.post(
        reverse("login"), {"username": "op", "password": "rahasia-uji-123"}, follow=True
    )
    # The unit's workspace (dashboards app) is its home page.
    assert response.redirect_chain[-1][0] == reverse("dashboards:unit", args=[unit.pk])
    assert "Dinas Perhubungan" in response.content.decode()


@pytest.mark.django_db
def test_wrong_password_gives_indonesian_error(client):
    UserFactory(username="siapa")
    html = client.post(
        reverse("login"), {"username": "siapa", "password": "salah"}
    ).content.decode()
    assert "nama pengguna dan sandi yang benar" in html.lower()


@pytest.mark.django_db
def test_logout_requires_post_and_ends_session(client):
    client.force_login(UserFactory())
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("units:list")).status_code == 302


@pytest.mark.django_db
def test_password_change(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "rahasia-uji-123",
            "new_password1": "Zona-Integritas-2026",
            "new_password2": "Zona-Integritas-2026",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Zona-Integritas-2026")


@pytest.mark.django_db
def test_english_browser_still_gets_indonesian_until_english_is_chosen(client):
    client.force_login(UserFactory())
    html = client.get(reverse("units:list"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="id"' in html and "Unit kerja" in html
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert 'lang="en"' in client.get(reverse("units:list")).content.decode()


@pytest.mark.django_db
def test_unit_role_needs_a_unit_and_pemda_role_must_not_have_one():
    pemda = PemdaFactory()
    with pytest.raises(ValidationError):
        Membership(user=UserFactory(), pemda=pemda, role=Role.UNIT_OPERATOR).full_clean()
    with pytest.raises(ValidationError):
        Membership(
            user=UserFactory(), pemda=pemda, unit=WorkUnitFactory(pemda=pemda), role=Role.EVALUATOR
        ).full_clean()


@pytest.mark.django_db
def test_unit_cannot_be_its_own_ancestor():
    a = WorkUnitFactory()
    b = WorkUnitFactory(pemda=a.pemda, parent=a)
    a.parent = b
    with pytest.raises(ValidationError, match="melingkar"):
        a.full_clean()


@pytest.mark.django_db
def test_inspektorat_admin_role_grants_scoped_admin_access():
    assert person(Role.INSPEKTORAT_ADMIN, pemda=PemdaFactory()).is_staff
    assert not person(Role.EVALUATOR, pemda=PemdaFactory()).is_staff


def test_check_deploy_is_clean_with_production_variables():
    root = Path(__file__).resolve().parents[2]
    env = {
        **os.environ,
        "DEBUG": "0",
        "HTTPS": "1",
        "SECRET_KEY": "prod-" + "x9Kq2!vB7mZ4#tR8wL1pN6sD3fH5jG0cY" * 2,
        "ALLOWED_HOSTS": "zi.jepara.go.id",
        "DATABASE_URL": "sqlite:////tmp/zi-check-deploy.sqlite3",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
