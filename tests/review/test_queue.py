"""The review queue: scope, filters, constant queries, bulk accept in one request."""

import pytest
from django.urls import reverse

from evidence.models import EvidenceItem, Status
from review import services
from tests.factories import AssessmentFactory, WorkUnitFactory


def _pending(assessment, by, n):
    questions = list(assessment.instrument.questions.order_by("order")[:n])
    return EvidenceItem.objects.bulk_create(
        [
            EvidenceItem(
                assessment=assessment,
                question=questions[i % len(questions)],
                kind="link",
                title=f"Notula rapat {i}",
                url="https://jepara.go.id/notula",
                status=Status.PENDING,
                created_by=by,
            )
            for i in range(n)
        ]
    )


@pytest.mark.parametrize("n", [10, 100])
def test_queue_runs_a_constant_number_of_queries(zi, login, django_assert_num_queries, n):
    op = zi["users"]["unit_operator"]
    # spread over several units, like a real week
    units = [WorkUnitFactory(pemda=zi["pemda"]) for _ in range(4)]
    assessments = [zi["assessment"], *(AssessmentFactory(unit=u) for u in units)]
    for i, a in enumerate(assessments):
        _pending(a, op, n // len(assessments) + (i < n % len(assessments)))
    client = login(zi["users"]["inspektorat_admin"])
    client.get(reverse("review:queue"))  # warm the session and role caches
    with django_assert_num_queries(12):
        response = client.get(reverse("review:queue"))
    assert f"{n} data dukung menunggu reviu" in response.content.decode()


def test_bulk_accept_of_100_items_is_one_request(zi, login):
    items = _pending(zi["assessment"], zi["users"]["unit_operator"], 100)
    client = login(zi["users"]["evaluator"])
    response = client.post(
        reverse("review:bulk_accept"), {"item": [i.pk for i in items]}, follow=False
    )
    assert response.status_code == 302
    assert EvidenceItem.objects.filter(status=Status.ACCEPTED).count() == 100


def test_bulk_accept_skips_other_pemda_items_without_naming_them(zi, world, login):
    foreign = AssessmentFactory(unit=world["foreign"])
    theirs = _pending(foreign, world["users"]["foreign_operator"], 2)
    EvidenceItem.objects.filter(pk__in=[i.pk for i in theirs]).update(title="Rahasia Sebelah")
    ours = _pending(zi["assessment"], zi["users"]["unit_operator"], 1)
    client = login(zi["users"]["inspektorat_admin"])
    response = client.post(
        reverse("review:bulk_accept"), {"item": [i.pk for i in theirs + ours]}, follow=True
    )
    assert set(EvidenceItem.objects.filter(status=Status.ACCEPTED)) == set(ours)
    body = response.content.decode()
    assert "1 data dukung diterima" in body and "Rahasia Sebelah" not in body


def test_evaluator_sees_only_assigned_units_and_admin_all(zi, login):
    other = AssessmentFactory(unit=zi["other_unit"])
    _pending(zi["assessment"], zi["users"]["unit_operator"], 1)
    _pending(other, zi["users"]["other_operator"], 2)
    evaluator = zi["users"]["evaluator"]
    services.assign(
        assessment=zi["assessment"],
        user=evaluator,
        role="anggota",
        by=zi["users"]["inspektorat_admin"],
    )
    assert (
        "1 data dukung menunggu reviu"
        in login(evaluator).get(reverse("review:queue")).content.decode()
    )
    admin_page = login(zi["users"]["inspektorat_admin"]).get(reverse("review:queue"))
    assert "3 data dukung menunggu reviu" in admin_page.content.decode()


def test_filters_by_unit_and_age(zi, login):
    other = AssessmentFactory(unit=zi["other_unit"])
    _pending(zi["assessment"], zi["users"]["unit_operator"], 2)
    _pending(other, zi["users"]["other_operator"], 1)
    client = login(zi["users"]["inspektorat_admin"])
    page = client.get(reverse("review:queue"), {"unit": zi["other_unit"].pk})
    assert "1 data dukung menunggu reviu" in page.content.decode()
    page = client.get(reverse("review:queue"), {"age": 7})
    assert "0 data dukung menunggu reviu" in page.content.decode()


@pytest.mark.parametrize("role", ["unit_operator", "leadership", "tpn_observer"])
def test_queue_is_for_the_inspektorat(zi, login, role):
    assert login(zi["users"][role]).get(reverse("review:queue")).status_code == 403


def test_monitoring_page_links_the_waiting_count_to_the_queue(zi, login):
    _pending(zi["assessment"], zi["users"]["unit_operator"], 2)
    page = login(zi["users"]["inspektorat_admin"]).get(reverse("dashboards:inspektorat"))
    assert reverse("review:queue") in page.content.decode()


def test_filters_by_change_area(zi, login):
    items = _pending(zi["assessment"], zi["users"]["unit_operator"], 1)
    area = items[0].question.area_code
    client = login(zi["users"]["inspektorat_admin"])
    assert (
        "1 data dukung menunggu reviu"
        in client.get(reverse("review:queue"), {"area": area}).content.decode()
    )
    other = "SDM" if area != "SDM" else "MP"
    assert (
        "0 data dukung menunggu reviu"
        in client.get(reverse("review:queue"), {"area": other}).content.decode()
    )
