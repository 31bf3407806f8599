"""The LKE worksheet shows evidence: a lazy panel per question and completeness per area."""

import pytest
from django.urls import reverse

from assessments.models import Question


def test_worksheet_offers_each_questions_evidence_panel_and_the_completeness_card(zi, login):  # noqa: F811
    assessment = zi["assessment"]
    page = login(zi["users"]["unit_operator"]).get(
        reverse("assessments:worksheet", args=[assessment.pk, "self"])
    )
    html = page.content.decode()
    assert page.status_code == 200
    question = Question.objects.filter(
        instrument=assessment.instrument, answer_type="YA_TIDAK"
    ).first()
    assert reverse("evidence:question_panel", args=[assessment.pk, question.pk]) in html
    assert reverse("evidence:completeness", args=[assessment.pk]) in html
    assert "js/evidence-upload.js" in html


def test_completeness_card_counts_the_units_evidence(world, login, own_item):
    assessment = world["assessments"]["own"]
    card = login(world["users"]["unit_head"]).get(
        reverse("evidence:completeness", args=[assessment.pk])
    )
    text = card.content.decode()
    assert card.status_code == 200
    assert "Kelengkapan data dukung" in text
    assert "<strong>1</strong> dari 4 pertanyaan" in text
    assert reverse("evidence:assessment_list", args=[assessment.pk]) in text


@pytest.mark.parametrize("role", ["other_operator", "foreign_operator", "outsider"])
def test_completeness_card_is_closed_to_people_outside_the_unit(world, login, role):
    assessment = world["assessments"]["own"]
    response = login(world["users"][role]).get(
        reverse("evidence:completeness", args=[assessment.pk])
    )
    assert response.status_code == 404  # another unit's: as if it did not exist
