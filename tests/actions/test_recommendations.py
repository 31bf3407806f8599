"""Recommendations: who records them, who follows up, who judges; and an action item from a
recommendation, a revision request or a missed gate in one click, keeping the link."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from actions import services
from actions.models import ActionItem, Recommendation, Source, Verdict
from assessments.models import Question
from assessments.services import compute_scores
from review import services as review_services


def _rec(act, **kw):
    return services.add_recommendation(
        assessment=act["assessment"],
        by=act["evaluator"],
        text="Lengkapi SK Tim Kerja ZI dengan uraian tugas per area.",
        due_on=datetime.date(2026, 12, 31),
        **kw,
    )


@pytest.mark.parametrize(
    ("who", "source", "allowed"),
    [
        ("evaluator", Source.TPI, True),
        ("admin", Source.TPI, True),
        ("admin", Source.TPN, True),
        ("evaluator", Source.TPN, False),  # the TPN's are entered by the Admin Inspektorat
        ("operator", Source.TPI, False),
        ("head", Source.TPI, False),
        ("leadership", Source.TPI, False),
        ("tpn", Source.TPI, False),
    ],
)
def test_who_records_a_recommendation(act, who, source, allowed):
    def add():
        return services.add_recommendation(
            assessment=act["assessment"], by=act[who], text="Perbaiki SOP", source=source
        )

    if allowed:
        assert add().source == source
    else:
        with pytest.raises(PermissionDenied):
            add()


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("operator", True),
        ("head", True),
        ("evaluator", False),
        ("admin", False),
        ("leadership", False),
        ("other_operator", False),
    ],
)
def test_only_the_unit_follows_up(act, who, allowed):
    rec = _rec(act)
    if allowed:
        services.follow_up(recommendation=rec, by=act[who], response="SK sudah direvisi.")
        assert rec.follow_ups.get().by == act[who]
    else:
        with pytest.raises(PermissionDenied):
            services.follow_up(recommendation=rec, by=act[who], response="SK sudah direvisi.")


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("evaluator", True),
        ("admin", True),
        ("operator", False),
        ("head", False),
        ("leadership", False),
        ("tpn", False),
    ],
)
def test_only_the_tpi_gives_the_verdict(act, who, allowed):
    rec = _rec(act)
    services.follow_up(recommendation=rec, by=act["operator"], response="SK sudah direvisi.")
    if allowed:
        services.judge_recommendation(recommendation=rec, by=act[who], verdict=Verdict.DONE)
        rec.refresh_from_db()
        assert (rec.verdict, rec.verdict_by, rec.is_open) == (Verdict.DONE, act[who], False)
    else:
        with pytest.raises(PermissionDenied):
            services.judge_recommendation(recommendation=rec, by=act[who], verdict=Verdict.DONE)


def test_a_verdict_needs_a_follow_up_and_not_feasible_needs_a_reason(act):
    rec = _rec(act)
    with pytest.raises(services.ActionError) as refused:
        services.judge_recommendation(recommendation=rec, by=act["evaluator"], verdict="selesai")
    assert refused.value.code == "no_follow_up"
    with pytest.raises(services.ActionError) as refused:
        services.judge_recommendation(
            recommendation=rec, by=act["evaluator"], verdict=Verdict.NOT_FEASIBLE
        )
    assert refused.value.field == "reason"
    services.judge_recommendation(
        recommendation=rec,
        by=act["evaluator"],
        verdict=Verdict.NOT_FEASIBLE,
        reason="Kewenangan ada di BKPSDM, bukan unit.",
    )
    services.judge_recommendation(recommendation=rec, by=act["evaluator"], verdict=Verdict.NOT_YET)
    assert Recommendation.objects.get().is_open


def test_the_page_keeps_a_refused_reason_form_with_its_message(act, login):
    rec = _rec(act)
    client = login(act["evaluator"])
    url = reverse("actions:recommendations", args=[act["assessment"].pk])
    response = client.post(url, {"action": "verdict", "rec": rec.pk, "verdict": "tidak_dapat"})
    assert response.status_code == 400
    assert "Tuliskan alasan mengapa rekomendasi tidak dapat ditindaklanjuti." in (
        response.content.decode()
    )


def test_another_pemdas_recommendations_are_not_found(act, login):
    url = reverse("actions:recommendations", args=[act["assessment"].pk])
    assert login(act["foreign"]).get(url).status_code == 404
    assert login(act["other_operator"]).get(url).status_code == 404
    assert login(act["tpn"]).get(url).status_code == 200


def test_item_from_a_recommendation_keeps_its_link(act, login):
    q = Question.objects.get(instrument=act["instrument"], code="PEM-MP-01.a")
    rec = _rec(act, question=q)
    response = login(act["operator"]).post(
        reverse("actions:item_from", args=["rekomendasi", rec.pk])
    )
    item = ActionItem.objects.get()
    assert response.url == item.get_absolute_url()
    assert (item.recommendation, item.question, item.area_code) == (rec, q, "MP")
    assert (item.responsible, item.due_on) == (act["operator"], datetime.date(2026, 12, 31))


def test_item_from_a_revision_request_keeps_its_link(act):
    q = Question.objects.get(instrument=act["instrument"], code="PEM-MP-01.a")
    rr = review_services.open_revision(
        assessment=act["assessment"],
        question=q,
        by=act["evaluator"],
        note="SK belum ditandatangani.",
    )
    item = services.item_from_revision(revision_request=rr, by=act["operator"])
    assert (item.revision_request, item.question, item.indicator_code) == (rr, q, "PEM-MP-01")


def test_item_from_a_missed_gate_keeps_its_code(act, login):
    a = act["assessment"]
    compute_scores([a.pk])
    a.refresh_from_db()
    missed = a.summary.tpi_missed["WBK"]
    assert missed, "an empty TPI track misses the WBK gates"
    gate = missed[0]
    response = login(act["operator"]).post(
        reverse("actions:item_from", args=["syarat", a.pk]), {"gate": gate["code"]}
    )
    assert response.status_code == 302
    item = ActionItem.objects.get()
    assert item.gate_code == gate["code"]
    assert gate["label"] in item.title
    # A gate that is not missed is refused, with the reason shown.
    response = login(act["operator"]).post(
        reverse("actions:item_from", args=["syarat", a.pk]), {"gate": "tidak-ada"}, follow=True
    )
    assert "sudah terpenuhi atau tidak dikenal" in response.content.decode()
    assert ActionItem.objects.count() == 1
