"""Redis (the cache) unreachable: people still log in and see their pages, from the database."""

import pytest
from django.urls import reverse

from zi_portal.cache import cache_config


@pytest.fixture
def unreachable_cache(settings):
    # The same configuration production gets from CACHE_URL, pointed at a port nobody listens on.
    settings.CACHES = {"default": cache_config("rediscache://127.0.0.1:9/1")}


def test_login_and_dashboard_work_while_the_cache_is_unreachable(
    dash, client, unreachable_cache, caplog
):
    dash.add_units(1, with_evidence=False)
    dash.evaluator.set_password("Rahasia#2026")
    dash.evaluator.save()

    response = client.post(
        reverse("login"),
        {"username": dash.evaluator.username, "password": "Rahasia#2026"},
        follow=True,
    )
    assert response.status_code == 200 and response.wsgi_request.user.is_authenticated

    page = client.get(reverse("dashboards:inspektorat"))  # session read from the database
    assert page.status_code == 200
    assert dash.units[0].name in page.content.decode()
    assert (
        "Error 111 connecting to 127.0.0.1:9" in caplog.text or "Connection refused" in caplog.text
    )
