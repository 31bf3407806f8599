import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evidence import services
from evidence.models import Status
from tests.factories import pdf_file


def _add_items(world, count, start=0):
    """Items spread over the questions, each reviewed with a comment and answered: full panels."""
    assessment, operator, evaluator = (
        world["assessments"]["own"],
        world["users"]["unit_operator"],
        world["users"]["evaluator"],
    )
    codes = ["PEM-MP-01.a", "PEM-MP-01.b", "PEM-PP-01.a", "HSL-BERSIH-01.a"]
    for n in range(start, start + count):
        item = services.upload_file(
            assessment=assessment,
            question=world["q"][codes[n % len(codes)]],
            uploaded_file=pdf_file(f"dokumen {n}.pdf", f"isi {n}"),
            by=operator,
        )
        services.review(item=item, by=evaluator, status=Status.REVISION, comment=f"Perbaiki {n}")
        services.comment(item=item, by=operator, text=f"Siap {n}")
        if n % 3 == 0:
            services.upload_file(
                assessment=assessment,
                question=item.question,
                uploaded_file=pdf_file(f"dokumen {n} v2.pdf", f"isi {n} v2"),
                by=operator,
                replaces=item,
            )
        if n % 5 == 4:
            services.soft_delete(item=item, by=operator)


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("role", ["evaluator", "unit_operator"])
def test_evidence_list_query_count_does_not_grow_with_items(
    world, login, role, django_assert_max_num_queries
):
    client = login(world["users"][role])
    url = reverse("evidence:assessment_list", args=[world["assessments"]["own"].pk])
    _add_items(world, 2)
    few = _count(client, url)
    _add_items(world, 10, start=2)
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert response.content.decode().count('class="ev-item') >= 10
    with django_assert_max_num_queries(few):
        client.get(url + "?status=revision&area=MP")


def test_question_panel_query_count_does_not_grow_with_items(
    world, login, django_assert_max_num_queries
):
    client = login(world["users"]["evaluator"])
    url = reverse(
        "evidence:question_panel",
        args=[world["assessments"]["own"].pk, world["q"]["PEM-MP-01.a"].pk],
    )
    _add_items(world, 2)
    few = _count(client, url)
    _add_items(world, 12, start=2)
    with django_assert_max_num_queries(few):
        client.get(url)


def test_status_filter_shows_only_matching_items(world, login):
    _add_items(world, 4)
    client = login(world["users"]["unit_operator"])
    url = reverse("evidence:assessment_list", args=[world["assessments"]["own"].pk])
    html = client.get(url + "?status=accepted").content.decode()
    assert "dokumen 1.pdf" not in html and "Tidak ada pertanyaan yang cocok" in html
    html = client.get(url + "?status=revision").content.decode()
    assert "dokumen 1.pdf" in html
    html = client.get(url + "?status=none").content.decode()
    assert "dokumen" not in html
