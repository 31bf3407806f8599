"""Who may write the TPN track and who may start development: role × action, through the services
that every page and the API call (accounts/rules.py decides)."""

import pytest
from django.core.exceptions import PermissionDenied

from assessments import lifecycle, services
from assessments.models import Answer, Assessment, Question, Stage, Track, Transition

EVERY_ROLE = [
    "inspektorat_admin",
    "evaluator",
    "leadership",
    "tpn_observer",
    "unit_head",
    "unit_operator",
    "other_operator",
    "foreign_admin",
    "outsider",
]


def _in_stage(zi, stage):  # noqa: F811
    Assessment.objects.filter(pk=zi["assessment"].pk).update(stage=stage)
    return Assessment.objects.get(pk=zi["assessment"].pk)


@pytest.mark.parametrize("role", EVERY_ROLE)
def test_only_the_inspektorat_admin_records_the_tpn_result_during_tpn_review(zi, role):  # noqa: F811
    """The TPN panel's answers are typed in by the Inspektorat admin; evaluators, leadership and
    the TPN observer read them but may not write them."""
    assessment = _in_stage(zi, Stage.TPN_REVIEW)
    question = Question.objects.get(instrument=assessment.instrument, code="PEM-MP-01.a")
    user = zi["users"][role]

    def save():
        return services.save_answer(
            assessment=assessment, question=question, track=Track.TPN, by=user, value="Ya"
        )

    if role == "inspektorat_admin":
        save()
        assert Answer.objects.get(assessment=assessment, track=Track.TPN).value == "Ya"
    else:
        with pytest.raises(PermissionDenied):
            save()
        assert not Answer.objects.filter(assessment=assessment, track=Track.TPN).exists()


@pytest.mark.parametrize("role", EVERY_ROLE)
def test_development_is_started_by_the_inspektorat_or_the_unit_head_never_an_operator(zi, role):  # noqa: F811
    assessment = _in_stage(zi, Stage.PROCLAIMED)
    user = zi["users"][role]
    if role in ("inspektorat_admin", "evaluator", "unit_head"):
        lifecycle.start_development(assessment=assessment, by=user)
        assert Assessment.objects.get(pk=assessment.pk).stage == Stage.DEVELOPMENT
        assert Transition.objects.get(assessment=assessment, name="start_development").by == user
    else:
        with pytest.raises(PermissionDenied):
            lifecycle.start_development(assessment=assessment, by=user)
        assert Assessment.objects.get(pk=assessment.pk).stage == Stage.PROCLAIMED
        assert not Transition.objects.filter(assessment=assessment).exists()


def test_the_operator_is_not_offered_the_start_development_button(zi):  # noqa: F811
    assessment = _in_stage(zi, Stage.PROCLAIMED)
    assert [
        s.name for s in lifecycle.available_steps(assessment, zi["users"]["unit_operator"])
    ] == []
    assert [s.name for s in lifecycle.available_steps(assessment, zi["users"]["unit_head"])] == [
        "start_development"
    ]
