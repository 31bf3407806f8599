"""A unit's new ZI year starts from the previous one without changing it: answers as drafts
perlu dikonfirmasi (not scored until confirmed), evidence offered per item, open work carried."""

import datetime

import pytest
from django.urls import reverse

from actions import carryover, services
from actions.models import ActionItem, EvidenceReuse, Recommendation, Verdict
from assessments import lifecycle
from assessments.models import Answer, AssessmentSummary, Question, Track
from assessments.services import compute_scores
from tests.factories import action_item, best_answers, fill, make_assessment, upload_evidence


def _snapshot(assessment):
    return {
        "answers": sorted(
            Answer.objects.filter(assessment=assessment).values_list(
                "question__code", "track", "value", "note", "revision", "confirmed", "updated_at"
            )
        ),
        "history": Answer.history.filter(assessment_id=assessment.pk).count(),
        "evidence": sorted(
            assessment.evidence_items.values_list("pk", "title", "status", "updated_at")
        ),
        "recommendations": sorted(
            Recommendation.objects.filter(assessment=assessment).values_list(
                "pk", "verdict", "text"
            )
        ),
        "items": sorted(
            ActionItem.objects.filter(unit=assessment.unit, year=assessment.year).values_list(
                "pk", "year", "completed_on", "progress"
            )
        ),
    }


@pytest.fixture
def last_year(world):
    users = world["users"]
    unit = world["own"]
    old = make_assessment(unit, year=2025)
    values = best_answers(old.instrument)
    fill(old, Track.SELF, values, by=users["unit_operator"])
    q = Question.objects.get(instrument=old.instrument, code="PEM-MP-01.a")
    evidence = upload_evidence(old, q, users["unit_operator"])
    old.stage = "not_designated"  # last year is over
    old.save()
    open_rec = Recommendation.objects.create(
        assessment=old, text="Bentuk agen perubahan per bidang.", created_by=users["evaluator"]
    )
    done_rec = Recommendation.objects.create(
        assessment=old,
        text="Unggah SK Tim Kerja.",
        created_by=users["evaluator"],
        verdict=Verdict.DONE,
    )
    open_item = action_item(
        unit, users["unit_operator"], year=2025, title="Pembangunan agen perubahan"
    )
    done_item = action_item(
        unit, users["unit_operator"], year=2025, completed_on=datetime.date(2025, 5, 1)
    )
    return {
        "world": world,
        "old": old,
        "values": values,
        "evidence": evidence,
        "open_rec": open_rec,
        "done_rec": done_rec,
        "open_item": open_item,
        "done_item": done_item,
    }


def _proclaim_2026(world):
    return lifecycle.proclaim(
        unit=world["own"],
        year=2026,
        proclaimed_on=datetime.date(2026, 2, 5),
        place="Pendopo Kabupaten Uji",
        signatory_name="Kepala Dinas",
        signatory_title="Kepala Dinas Milik Sendiri",
        by=world["users"]["inspektorat_admin"],
    )


def test_starting_a_new_year_copies_answers_as_unconfirmed_drafts_and_changes_nothing_of_last_year(
    last_year,
):
    old = last_year["old"]
    before = _snapshot(old)
    new = _proclaim_2026(last_year["world"])
    copied = {
        a.question.code: a for a in Answer.objects.filter(assessment=new).select_related("question")
    }
    assert {code: a.value for code, a in copied.items()} == last_year["values"]
    assert all(not a.confirmed and a.track == Track.SELF for a in copied.values())
    assert _snapshot(old) == before


def test_unconfirmed_answers_do_not_count_until_confirmed(last_year, login):
    world = last_year["world"]
    new = _proclaim_2026(world)
    compute_scores([new.pk])
    summary = AssessmentSummary.objects.get(assessment=new)
    assert (summary.self_answered, summary.self_total or 0) == (0, 0)

    operator = world["users"]["unit_operator"]
    new.stage = "development"
    new.save()
    n = carryover.confirm_answers(assessment=new, by=operator, indicator_code="PEM-MP-01")
    assert (
        n == Question.objects.filter(instrument=new.instrument, indicator_code="PEM-MP-01").count()
    )
    compute_scores([new.pk])
    summary.refresh_from_db()
    assert summary.self_answered == n and summary.self_total > 0

    # The worksheet shows the rest as perlu dikonfirmasi; confirming all from the page counts all.
    html = login(operator).get(reverse("assessments:worksheet", args=[new.pk, "self"])).content
    assert "perlu dikonfirmasi" in html.decode()
    login(operator).post(reverse("actions:carried", args=[new.pk]), {"action": "confirm"})
    assert not Answer.objects.filter(assessment=new, confirmed=False).exists()


def test_changing_a_carried_answer_confirms_it(last_year):
    from assessments.services import save_answer

    world = last_year["world"]
    new = _proclaim_2026(world)
    answer = Answer.objects.filter(assessment=new).select_related("question").first()
    save_answer(
        assessment=new,
        question=answer.question,
        track=Track.SELF,
        by=world["users"]["unit_operator"],
        value=answer.value,
        note="Masih berlaku tahun ini.",
    )
    answer.refresh_from_db()
    assert answer.confirmed


def test_last_years_evidence_is_offered_item_by_item_never_taken_silently(last_year, login):
    world = last_year["world"]
    new = _proclaim_2026(world)
    reuse = EvidenceReuse.objects.get(assessment=new)
    assert (reuse.source, reuse.state) == (last_year["evidence"], EvidenceReuse.State.PENDING)
    assert not new.evidence_items.exists()
    new.stage = "development"
    new.save()
    login(world["users"]["unit_operator"]).post(
        reverse("actions:carried", args=[new.pk]), {"action": "reuse", "reuse": reuse.pk}
    )
    reuse.refresh_from_db()
    assert reuse.state == EvidenceReuse.State.CONFIRMED


def test_open_items_and_unfinished_recommendations_are_carried_once(last_year):
    world = last_year["world"]
    new = _proclaim_2026(world)
    carried = ActionItem.objects.get(unit=world["own"], year=2026)
    assert carried.carried_from == last_year["open_item"]
    rec = Recommendation.objects.get(assessment=new)
    assert (rec.carried_from, rec.text) == (last_year["open_rec"], last_year["open_rec"].text)
    again = carryover.carry_over(assessment=new, by=world["users"]["inspektorat_admin"])
    assert (again.answers, again.evidence, again.items, again.recommendations) == (0, 0, 0, 0)


def test_a_first_year_has_nothing_to_carry(world):
    new = _proclaim_2026(world)
    assert not Answer.objects.filter(assessment=new).exists()
    assert services.unit_people(world["own"].pk).count() == 2
