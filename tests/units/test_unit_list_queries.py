import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from tests.factories import PemdaFactory, WorkUnitFactory, person


def _queries_for_list(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("units:list"))
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_unit_list_query_count_does_not_grow_with_units(client, django_assert_max_num_queries):
    pemda = PemdaFactory()
    parent = WorkUnitFactory(pemda=pemda)
    client.force_login(person(Role.EVALUATOR, pemda=pemda))
    WorkUnitFactory.create_batch(3, pemda=pemda, parent=parent)
    few = _queries_for_list(client)
    WorkUnitFactory.create_batch(45, pemda=pemda, parent=parent)
    many = _queries_for_list(client)
    assert many == few
    with django_assert_max_num_queries(few):
        client.get(reverse("units:list") + "?q=Dinas&type=dinas")
