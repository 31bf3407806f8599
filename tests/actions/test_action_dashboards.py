"""Where the action plan shows up on the home pages."""

import datetime

from django.urls import reverse
from django.utils import timezone

from actions.models import Recommendation
from assessments.models import Track
from assessments.services import compute_scores
from tests.factories import action_item, best_answers, fill


def test_the_workspace_lists_items_due_in_the_next_30_days(act, login):
    today = timezone.localdate()
    action_item(
        act["unit"],
        act["operator"],
        title="Reviu standar pelayanan",
        start=today - datetime.timedelta(days=10),
        due=today + datetime.timedelta(days=20),
    )
    action_item(
        act["unit"],
        act["operator"],
        title="Survei internal integritas",
        start=today - datetime.timedelta(days=10),
        due=today + datetime.timedelta(days=45),
    )
    html = login(act["operator"]).get(reverse("dashboards:unit", args=[act["unit"].pk]))
    html = html.content.decode()
    assert "Reviu standar pelayanan" in html
    assert "Survei internal integritas" not in html


def test_kesiapan_shows_open_recommendations_next_to_missed_gates(act, login):
    a = act["assessment"]
    values = best_answers(a.instrument)
    fill(a, Track.TPI, dict(list(values.items())[:40]))
    compute_scores([a.pk])
    for text in ("Perbaiki SOP", "Lengkapi SKM"):
        Recommendation.objects.create(assessment=a, text=text, created_by=act["evaluator"])
    Recommendation.objects.create(
        assessment=a, text="Selesai", created_by=act["evaluator"], verdict="selesai"
    )
    html = login(act["leadership"]).get(reverse("dashboards:leadership") + "?year=2026")
    assert "2 rekomendasi belum selesai" in html.content.decode()
