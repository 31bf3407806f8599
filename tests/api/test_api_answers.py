import pytest
from django.urls import reverse

from assessments.models import Answer, Stage


def _answers_url(assessment):
    return reverse("api:assessment-answers", args=[assessment.pk])


def test_operator_saves_an_answer_and_reads_it_back(w, api):
    assessment = w["assessments"]["own"]
    client = api(w["users"]["unit_operator"])
    response = client.post(
        _answers_url(assessment),
        {
            "question": "PEM-MP-01.a",
            "track": "self",
            "value": " Ya ",
            "note": "SK tim sudah terbit",
            "revision": 0,
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["created"] is True and body["changed"] is True
    assert body["answer"] == {
        **body["answer"],
        "question": "PEM-MP-01.a",
        "track": "self",
        "value": "Ya",
        "note": "SK tim sudah terbit",
        "revision": 1,
    }
    assert body["answer"]["updated_by"] == w["users"]["unit_operator"].display_name

    listed = client.get(_answers_url(assessment), {"track": "self"}).json()
    assert listed["count"] == 1
    assert listed["results"][0]["value"] == "Ya"
    assert client.get(_answers_url(assessment), {"track": "tpi"}).json()["count"] == 0


def test_put_sets_an_answer_too(w, api):
    response = api(w["users"]["unit_head"]).put(
        _answers_url(w["assessments"]["own"]),
        {"question": "PEM-MP-01.b", "track": "self", "value": "B"},
        format="json",
    )
    assert response.status_code == 200
    assert (
        Answer.objects.get(assessment=w["assessments"]["own"], question__code="PEM-MP-01.b").value
        == "B"
    )


def test_stale_revision_is_a_409_conflict_with_the_current_answer(w, api):
    assessment = w["assessments"]["own"]
    url = _answers_url(assessment)
    head, operator = api(w["users"]["unit_head"]), api(w["users"]["unit_operator"])
    assert (
        head.post(
            url,
            {"question": "PEM-MP-01.a", "track": "self", "value": "Ya", "revision": 0},
            format="json",
        ).status_code
        == 200
    )
    # The operator read revision 0 before the head saved: the write is refused, nothing is lost.
    response = operator.post(
        url,
        {"question": "PEM-MP-01.a", "track": "self", "value": "Tidak", "revision": 0},
        format="json",
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "conflict"
    assert (
        "baru saja diubah oleh" in body["detail"]
        and w["users"]["unit_head"].display_name in body["detail"]
    )
    assert body["current"]["value"] == "Ya" and body["current"]["revision"] == 1
    assert Answer.objects.get(assessment=assessment, track="self").value == "Ya"
    # With the current revision the operator's change goes through.
    response = operator.post(
        url,
        {"question": "PEM-MP-01.a", "track": "self", "value": "Tidak", "revision": 1},
        format="json",
    )
    assert response.status_code == 200 and response.json()["answer"]["revision"] == 2


@pytest.mark.parametrize(
    "payload, field, message",
    [
        ({"question": "PEM-MP-01.a", "track": "self", "value": "Mungkin"}, None, "Mungkin"),
        ({"question": "TIDAK-ADA", "track": "self", "value": "Ya"}, "question", "tidak ada di LKE"),
        ({"question": "PEM-MP-01.a", "track": "mandiri", "value": "Ya"}, "track", ""),
        ({"track": "self", "value": "Ya"}, "question", ""),
        (
            {"question": "PEM-MP-01.a", "track": "self", "value": "Ya", "revision": -1},
            "revision",
            "",
        ),
        ({"question": "PEM-MP-01.a", "track": "self", "value": "x" * 41}, "value", ""),
    ],
)
def test_bad_answers_are_400_with_a_clear_message(w, api, payload, field, message):
    response = api(w["users"]["unit_operator"]).post(
        _answers_url(w["assessments"]["own"]), payload, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] and message in body["detail"]
    if field:
        assert field in body["errors"]
    assert not Answer.objects.exists()


def test_unknown_track_filter_is_400(w, api):
    response = api(w["users"]["evaluator"]).get(
        _answers_url(w["assessments"]["own"]), {"track": "xyz"}
    )
    assert response.status_code == 400
    assert "self, tpi, tpn" in response.json()["detail"]


def test_locked_lke_is_403_with_the_reason(w, api):
    assessment = w["assessments"]["own"]
    assessment.stage = Stage.NOMINATED
    assessment.save()
    response = api(w["users"]["unit_operator"]).post(
        _answers_url(assessment),
        {"question": "PEM-MP-01.a", "track": "self", "value": "Ya"},
        format="json",
    )
    assert response.status_code == 403
    assert "LKE sudah dikunci untuk unit" in response.json()["detail"]


def test_scores_are_recomputed_after_an_api_write(w, api, django_capture_on_commit_callbacks):
    assessment = w["assessments"]["own"]
    client = api(w["users"]["evaluator"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            _answers_url(assessment),
            {"question": "PEM-MP-01.a", "track": "tpi", "value": "Ya"},
            format="json",
        )
    body = client.get(reverse("api:assessment-scores", args=[assessment.pk])).json()
    assert body["pending"] is False  # Celery runs eagerly in tests
    tpi = next(s for s in body["scores"] if s["track"] == "tpi")
    assert tpi["answered"] == 1 and float(tpi["total"]) > 0
    assert {s["track"] for s in body["scores"]} == {"self", "tpi", "tpn"}
