import re

import yaml
from django.urls import reverse
from drf_spectacular.validation import validate_schema

from units.demo import DEMO_PASSWORD


def test_schema_renders_and_is_valid_openapi(client, db):
    response = client.get(reverse("api:schema"), {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)  # raises on an invalid OpenAPI 3 document
    paths = schema["paths"]
    for path in [
        "/api/v1/assessments/{id}/answers/",
        "/api/v1/assessments/{id}/transitions/",
        "/api/v1/evidence/{id}/download/",
        "/api/v1/units/",
        "/api/v1/pemda/",
        "/api/v1/people/",
        "/api/v1/instruments/",
        "/api/v1/assessments/{id}/scores/",
    ]:
        assert path in paths, path
    # Errors are documented as JSON on every operation.
    answers_post = paths["/api/v1/assessments/{id}/answers/"]["post"]["responses"]
    assert {"200", "400", "401", "403", "404", "409"} <= set(answers_post)
    assert (
        "securitySchemes" in schema["components"]
        and "tokenAuth" in schema["components"]["securitySchemes"]
    )


def test_schema_is_also_yaml(client, db):
    response = client.get(reverse("api:schema"))
    assert response.status_code == 200
    assert yaml.safe_load(response.content)["info"]["title"] == "ZI Portal API"


def test_documentation_pages_use_local_assets_only(client, db):
    for name in ("api:docs",):
        page = client.get(reverse(name))
        assert page.status_code == 200
        html = page.content.decode()
        sources = re.findall(r'(?:src|href)="([^"]+)"', html)
        assert sources, name
        assert not [s for s in sources if s.startswith(("http:", "https:", "//"))], sources
        for source in sources:
            if source.startswith("/static/"):
                asset = client.get(source)
                assert asset.status_code == 200, source
    # Swagger UI's start script is a file of its own (no inline script).
    assert "<script>" not in client.get(reverse("api:docs")).content.decode().replace(" ", "")


def test_token_for_a_script(db, client):
    from tests.factories import UserFactory

    UserFactory(username="skrip", password=DEMO_PASSWORD)
    response = client.post(reverse("api:token"), {"username": "skrip", "password": DEMO_PASSWORD})
    assert response.status_code == 200
    token = response.json()["token"]
    assert (
        client.get(reverse("api:unit-list"), HTTP_AUTHORIZATION=f"Token {token}").status_code == 200
    )
    wrong = client.post(reverse("api:token"), {"username": "skrip", "password": "salah"})
    assert wrong.status_code == 400 and wrong.json()["detail"]


def test_token_endpoint_is_throttled_like_the_login_page(db, client, settings):
    """django-axes locks a username+address after repeated wrong passwords; the API says so as JSON."""
    from tests.factories import UserFactory

    UserFactory(username="skrip", password=DEMO_PASSWORD)
    statuses = [
        client.post(reverse("api:token"), {"username": "skrip", "password": "salah"}).status_code
        for _ in range(settings.AXES_FAILURE_LIMIT + 1)
    ]
    assert set(statuses) == {400}
    locked = client.post(reverse("api:token"), {"username": "skrip", "password": DEMO_PASSWORD})
    # Locked out: even the right password is refused now.
    assert locked.status_code == 400
    assert locked["Content-Type"].startswith("application/json") and locked.json()["detail"]
    assert "token" not in locked.json()
