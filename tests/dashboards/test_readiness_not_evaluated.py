"""The readiness page says how many units the TPI has not evaluated yet: a unit with self-assessment
answers but no TPI answer is one of them (its stored TPI score exists, with nothing answered)."""

from django.urls import reverse

from assessments.models import Score, Track
from dashboards import selectors


def test_units_without_a_tpi_evaluation_are_counted_as_not_evaluated(dash, login):
    dash.add_units(3)  # units 0 and 2 evaluated by the TPI, unit 1 only self-assessed
    unevaluated = dash.assessments[1]
    assert Score.objects.get(assessment=unevaluated, track=Track.TPI).answered == 0
    assert Score.objects.get(assessment=unevaluated, track=Track.SELF).answered > 0
    assert selectors.readiness(dash.pemda, 2026)["not_evaluated"] == 1
    html = login(dash.leader).get(reverse("dashboards:leadership") + "?year=2026").content.decode()
    assert "1 unit lain belum dievaluasi TPI." in html
