"""Each dashboard list page runs the same number of queries for N and 3N units."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return len(ctx.captured_queries), response.content.decode()


@pytest.mark.parametrize("who", ["admin", "evaluator"])
def test_inspektorat_dashboard_query_count_does_not_grow_with_units(
    dash, login, who, django_assert_max_num_queries
):
    client = login(getattr(dash, who))
    url = reverse("dashboards:inspektorat")
    dash.add_units(3)
    few, html = _count(client, url)
    assert html.count("Dinas Dasbor") >= 3
    dash.add_units(6)
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert response.content.decode().count('data-label="Unit kerja"') == 9
    with django_assert_max_num_queries(few):
        client.get(
            url
            + "?q=Dasbor&stage=development&sort=-tpi&basis=self&score_min=10&score_max=100&type=dinas"
        )


def test_inspektorat_rows_fragment_is_constant_too(dash, login, django_assert_max_num_queries):
    client = login(dash.admin)
    url = reverse("dashboards:inspektorat") + "?sort=tahap"
    dash.add_units(2)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="unit-rows")
    few = len(ctx.captured_queries)
    dash.add_units(6)
    with django_assert_max_num_queries(few):
        response = client.get(url, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="unit-rows")
    assert "<html" not in response.content.decode()


def test_leadership_view_query_count_does_not_grow_with_units(
    dash, login, django_assert_max_num_queries
):
    client = login(dash.leader)
    url = reverse("dashboards:leadership")
    dash.add_units(3)
    few, _html = _count(client, url)
    dash.add_units(6)
    with django_assert_max_num_queries(few):
        response = client.get(url)
    # Every unit evaluated by the TPI is ranked (units 0, 2, 4, 6, 8).
    assert response.content.decode().count("Dinas Dasbor 0") >= 1
    ids = "&".join(f"unit={u.pk}" for u in dash.units[:8])
    with django_assert_max_num_queries(few):
        client.get(url + "?year=2026&" + ids)


def test_unit_workspace_query_count_does_not_grow_with_evidence(
    dash, login, django_assert_max_num_queries
):
    from assessments.models import Question
    from evidence import services
    from evidence.models import Status
    from tests.factories import pdf_file

    dash.add_units(1)
    unit, assessment = dash.units[0], dash.assessments[0]
    operator = dash.operators[unit.pk]
    client = login(operator)
    url = reverse("dashboards:unit", args=[unit.pk])
    questions = list(
        Question.objects.filter(instrument=assessment.instrument).order_by("order")[1:13]
    )

    def add(qs):
        for n, q in enumerate(qs):
            item = services.upload_file(
                assessment=assessment,
                question=q,
                uploaded_file=pdf_file(f"b{q.pk}.pdf", f"b{q.pk}"),
                by=operator,
            )
            services.review(
                item=item, by=dash.evaluator, status=Status.REVISION, comment=f"Perbaiki {n}"
            )

    add(questions[:2])
    few, _html = _count(client, url)
    add(questions[2:])
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert response.content.decode().count("Perlu perbaikan") >= 12
