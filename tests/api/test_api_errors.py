"""Bad input is answered with JSON and a clear (Indonesian) message, never a 500 or an HTML page."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    "method, path, body, content_type, status",
    [
        ("post", "/api/v1/assessments/{own}/answers/", "{bukan json", "application/json", 400),
        ("post", "/api/v1/assessments/{own}/answers/", "<xml/>", "application/xml", 415),
        ("get", "/api/v1/assessments/abc/", None, None, 404),
        ("get", "/api/v1/assessments/99999999999999999999/", None, None, 404),
        ("get", "/api/v1/tidak/ada/", None, None, 404),
        (
            "get",
            "/api/v1/units/a%0Ab./",
            None,
            None,
            404,
        ),  # a newline: once past the catch-all (schemathesis)
        ("patch", "/api/v1/assessments/{own}/", "{}", "application/json", 405),
        ("get", "/api/v1/units/?page=abc", None, None, 404),
        ("get", "/api/v1/evidence/?assessment=x", None, None, 400),
    ],
)
def test_bad_requests_get_json_errors(w, api, method, path, body, content_type, status):
    client = api(w["users"]["unit_operator"])
    url = path.format(own=w["assessments"]["own"].pk)
    kwargs = {"data": body, "content_type": content_type} if body is not None else {}
    response = getattr(client, method)(url, **kwargs)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["detail"] and body["code"]


def test_messages_are_indonesian(w, api):
    response = api().get(reverse("api:unit-list"))
    assert response.json()["detail"] == "Data autentikasi tidak diberikan."
