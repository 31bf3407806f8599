"""Small things of daily use (issue 20): the browser's /favicon.ico answers with an image, and the
lockout page says the account is locked for a while, how long, and whom to ask."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory


@pytest.mark.django_db
def test_favicon_ico_answers_with_an_image(client):
    response = client.get("/favicon.ico", follow=True)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b"<svg" in body


@pytest.mark.django_db
def test_pages_link_the_icon(client):
    page = client.get(reverse("login")).content.decode()
    assert 'rel="icon"' in page and "favicon.svg" in page


@pytest.mark.django_db
def test_lockout_page_says_locked_for_how_long_and_whom_to_ask(client, settings):
    UserFactory(username="sasaran")
    response = None
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(reverse("login"), {"username": "sasaran", "password": "salah"})
    assert response.status_code == 429
    text = response.content.decode()
    assert "dikunci sementara" in text
    assert f"Setelah {settings.AXES_FAILURE_LIMIT} kali kata sandi salah" in text
    assert "selama 15 menit" in text
    assert "Admin Inspektorat" in text
