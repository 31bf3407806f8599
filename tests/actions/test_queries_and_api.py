"""Lists cost the same number of queries for 10 and 100 rows; the API answers with the pages'
permissions (another Pemda's objects are 404, a read-only role gets 403)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions import services
from actions.models import ActionItem, MonevEntry, Recommendation, Verdict
from tests.factories import action_item


def _grow(act, n):
    for i in range(n):
        item = action_item(act["unit"], act["operator"], title=f"Kegiatan {i}")
        MonevEntry.objects.create(
            item=item, quarter=1, progress=10, narrative="Berjalan", reported_by=act["operator"]
        )
        rec = Recommendation.objects.create(
            assessment=act["assessment"], text=f"Rekomendasi {i}", created_by=act["evaluator"]
        )
        rec.follow_ups.create(response="Sudah", by=act["operator"])
        ActionItem.objects.filter(pk=item.pk).update(recommendation=rec)


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


@pytest.mark.parametrize("page", ["plan", "recommendations", "workspace", "monitoring"])
def test_pages_run_a_constant_number_of_queries_for_10_and_100_items(
    act, login, page, django_assert_max_num_queries
):
    url = {
        "plan": reverse("actions:plan", args=[act["unit"].pk, 2026]) + "?triwulan=1",
        "recommendations": reverse("actions:recommendations", args=[act["assessment"].pk]),
        "workspace": reverse("dashboards:unit", args=[act["unit"].pk]),
        "monitoring": reverse("dashboards:inspektorat") + "?year=2026",
    }[page]
    who = "admin" if page == "monitoring" else "operator"
    client = login(act[who])
    _grow(act, 10)
    few, html = _queries(client, url)
    if page in ("plan", "recommendations"):
        assert html.count("Kegiatan 9") + html.count("Rekomendasi 9") >= 1
    _grow(act, 90)
    with django_assert_max_num_queries(few):
        client.get(url)


@pytest.mark.parametrize("endpoint", ["recommendation", "action-item", "monev"])
def test_api_lists_run_a_constant_number_of_queries(
    act, api, endpoint, django_assert_max_num_queries
):
    client = api(act["admin"])
    url = reverse(f"api:{endpoint}-list")
    _grow(act, 10)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    _grow(act, 90)
    with django_assert_max_num_queries(len(ctx.captured_queries)):
        body = client.get(url, {"page_size": 100}).json()
    assert body["count"] == 100


def test_api_follows_the_pages_permissions(act, api):
    rec = services.add_recommendation(
        assessment=act["assessment"], by=act["evaluator"], text="Perbaiki SOP pengaduan."
    )
    # The unit cannot record one; the TPI can.
    body = {"assessment": act["assessment"].pk, "text": "Susun survei internal."}
    assert api(act["operator"]).post(reverse("api:recommendation-list"), body).status_code == 403
    assert api(act["evaluator"]).post(reverse("api:recommendation-list"), body).status_code == 201
    # Follow-up by the unit, verdict by the TPI; the other way round is 403.
    follow = reverse("api:recommendation-follow-up", args=[rec.pk])
    verdict = reverse("api:recommendation-verdict", args=[rec.pk])
    assert api(act["evaluator"]).post(follow, {"response": "x"}).status_code == 403
    assert api(act["operator"]).post(follow, {"response": "SOP direvisi."}).status_code == 200
    assert api(act["operator"]).post(verdict, {"verdict": "selesai"}).status_code == 403
    response = api(act["evaluator"]).post(verdict, {"verdict": "tidak_dapat"})
    assert response.status_code == 400
    assert "reason" in response.json() or "alasan" in str(response.json()).lower()
    assert api(act["evaluator"]).post(verdict, {"verdict": "selesai"}).json()["verdict"] == (
        Verdict.DONE
    )
    # Another Pemda sees nothing of it.
    assert (
        api(act["foreign"]).get(reverse("api:recommendation-detail", args=[rec.pk])).status_code
        == 404
    )
    assert api(act["foreign"]).post(follow, {"response": "x"}).status_code == 404


def test_api_items_and_monev(act, api):
    data = {
        "unit": act["unit"].pk,
        "year": 2026,
        "area_code": "PP",
        "title": "Inovasi layanan antar jemput dokumen",
        "expected_output": "SOP layanan dan laporan uji coba",
        "responsible": act["operator"].pk,
        "start_on": "2026-02-01",
        "due_on": "2026-03-01",
        "status": "selesai",  # read-only: the status comes from the dates
    }
    assert api(act["evaluator"]).post(reverse("api:action-item-list"), data).status_code == 403
    response = api(act["operator"]).post(reverse("api:action-item-list"), data)
    assert response.status_code == 201, response.content
    created = response.json()
    item = ActionItem.objects.get(pk=created["id"])
    assert created["status"] == item.status == "terlambat"  # due 1 March, not completed
    monev = {"item": item.pk, "quarter": 1, "progress": 50, "narrative": "Uji coba di 2 desa."}
    assert api(act["leadership"]).post(reverse("api:monev-list"), monev).status_code == 403
    response = api(act["operator"]).post(reverse("api:monev-list"), monev)
    assert response.status_code == 201, response.content
    entry = response.json()["id"]
    comment = reverse("api:monev-comment", args=[entry])
    assert api(act["operator"]).post(comment, {"comment": "x"}).status_code == 403
    assert api(act["evaluator"]).post(comment, {"comment": "Tambahkan foto."}).status_code == 200
    assert api(act["foreign"]).get(reverse("api:monev-detail", args=[entry])).status_code == 404
    assert (
        api(act["other_operator"])
        .get(reverse("api:action-item-detail", args=[item.pk]))
        .status_code
        == 404
    )
