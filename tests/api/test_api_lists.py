"""Filtering, ordering and pagination on lists; each list costs the same queries for N or 3N rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from assessments.models import Answer, Question, Track
from evidence import services
from reports.models import Kind
from reports.services import request_report
from tests.factories import AssessmentFactory, WorkUnitFactory, pdf_file, person


def test_units_filter_search_order_and_paginate(w, api):
    pemda = w["pemda"]["own"]
    for n in range(5):
        WorkUnitFactory(pemda=pemda, code=f"PKM-{n}", name=f"Puskesmas Uji {n}", type="puskesmas")
    client = api(w["users"]["evaluator"])
    url = reverse("api:unit-list")

    page = client.get(url, {"type": "puskesmas", "ordering": "-code", "page_size": 2}).json()
    assert page["count"] == 5
    assert [u["code"] for u in page["results"]] == ["PKM-4", "PKM-3"]
    assert "page=2" in page["next"]
    last = client.get(
        url, {"type": "puskesmas", "ordering": "-code", "page_size": 2, "page": 3}
    ).json()
    assert [u["code"] for u in last["results"]] == ["PKM-0"] and last["next"] is None

    found = client.get(url, {"search": "milik"}).json()
    assert [u["name"] for u in found["results"]] == ["Dinas Milik Sendiri"]
    # Filtering never widens the scope: asking for the other Pemda's units gives nothing.
    assert client.get(url, {"pemda": w["pemda"]["foreign"].pk}).json()["count"] == 0


@pytest.mark.parametrize(
    "params, field",
    [
        ({"type": "kapal"}, "type"),
        ({"pemda": "abc"}, "pemda"),
        ({"parent": "0"}, "parent"),
    ],
)
def test_bad_filter_values_are_400_json(w, api, params, field):
    response = api(w["users"]["evaluator"]).get(reverse("api:unit-list"), params)
    assert response.status_code == 400
    assert field in response.json()["errors"] and response.json()["detail"]


def test_page_out_of_range_is_404_json(w, api):
    response = api(w["users"]["evaluator"]).get(reverse("api:unit-list"), {"page": 99})
    assert response.status_code == 404 and response.json()["detail"]


def test_assessment_filters(w, api):
    client = api(w["users"]["inspektorat_admin"])
    url = reverse("api:assessment-list")
    own = w["assessments"]["own"]
    assert [a["id"] for a in client.get(url, {"unit": own.unit_id}).json()["results"]] == [own.pk]
    assert client.get(url, {"stage": ["development", "nominated"]}).json()["count"] == 2
    assert client.get(url, {"stage": "revoked"}).json()["count"] == 0
    assert client.get(url, {"year_min": 2027}).json()["count"] == 0
    names = [a["unit_name"] for a in client.get(url, {"ordering": "unit__name"}).json()["results"]]
    assert names == sorted(names)


def test_evidence_filters(w, api):
    client = api(w["users"]["evaluator"])
    url = reverse("api:evidence-list")
    own = w["assessments"]["own"]
    assert [i["id"] for i in client.get(url, {"assessment": own.pk}).json()["results"]] == [
        w["items"]["own"].pk
    ]
    assert client.get(url, {"question": "PEM-MP-01.a"}).json()["count"] == 2
    assert client.get(url, {"status": "accepted"}).json()["count"] == 0
    services.soft_delete(item=w["items"]["own"], by=w["users"]["unit_operator"])
    assert [i["id"] for i in client.get(url, {"deleted": "true"}).json()["results"]] == [
        w["items"]["own"].pk
    ]
    assert client.get(url, {"deleted": "false"}).json()["count"] == 1


def _count_queries(client, url, **params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200, response.content[:300]
    return len(ctx.captured_queries), response.json()


def _grow(w, n):
    """n more units in Pemda A, each with an assessment, an uploaded file, a member and answers."""
    pemda = w["pemda"]["own"]
    questions = list(
        Question.objects.filter(instrument=w["instrument"], answer_type="YA_TIDAK")[:3]
    )
    for _ in range(n):
        unit = WorkUnitFactory(pemda=pemda)
        operator = person(Role.UNIT_OPERATOR, unit=unit)
        assessment = AssessmentFactory(unit=unit, instrument=w["instrument"])
        services.upload_file(
            assessment=assessment,
            question=questions[0],
            uploaded_file=pdf_file(text=str(unit.pk)),
            by=operator,
        )
        request_report(kind=Kind.LKE_XLSX, by=operator, assessment=assessment)
    own = w["assessments"]["own"]
    answered = Answer.objects.filter(assessment=own).values_list("question_id", flat=True)
    for q in Question.objects.filter(instrument=w["instrument"], answer_type="ABC").exclude(
        pk__in=answered
    )[:n]:
        Answer.objects.create(
            assessment=own,
            question=q,
            track=Track.TPI,
            value="A",
            updated_by=w["users"]["evaluator"],
        )


LISTS = {
    "units": lambda w: reverse("api:unit-list"),
    "assessments": lambda w: reverse("api:assessment-list"),
    "evidence": lambda w: reverse("api:evidence-list"),
    "people": lambda w: reverse("api:person-list"),
    "pemda": lambda w: reverse("api:pemda-list"),
    "instruments": lambda w: reverse("api:instrument-list"),
    "answers": lambda w: reverse("api:assessment-answers", args=[w["assessments"]["own"].pk]),
    "unit people": lambda w: reverse("api:unit-people", args=[w["units"]["own"].pk]),
    "reports": lambda w: reverse("api:report-list"),
}


def test_list_endpoints_run_constant_queries(w, api):
    client = api(w["users"]["inspektorat_admin"])
    client.get(
        reverse("api:pemda-list")
    )  # a token's first use is recorded (a write, once a minute)
    _grow(w, 3)
    small = {name: _count_queries(client, url(w), page_size=500) for name, url in LISTS.items()}
    _grow(w, 6)
    large = {name: _count_queries(client, url(w), page_size=500) for name, url in LISTS.items()}
    for name in LISTS:
        (queries_n, _body_n), (queries_3n, _body_3n) = small[name], large[name]
        assert queries_3n == queries_n, (name, queries_n, queries_3n)
        assert queries_n <= 8, (name, queries_n)
    assert large["units"][1]["count"] == small["units"][1]["count"] + 6
    assert large["evidence"][1]["count"] == small["evidence"][1]["count"] + 6
    assert large["reports"][1]["count"] == small["reports"][1]["count"] + 6
