"""The comparison view after a save, and the evidence rule in the nomination guard."""

import pytest
from django.urls import reverse

from assessments import lifecycle
from assessments.models import Question, Track
from evidence.models import EvidenceItem, Status
from review.evidence_rule import evidence_gaps
from review.models import ReviewPolicy
from tests.factories import accepted_evidence, best_answers, fill, signed_off_evaluation


def test_saved_tpi_row_keeps_the_self_answer_note_and_signed_difference(zi, login):
    a = zi["assessment"]
    q = Question.objects.get(instrument=a.instrument, code="PEM-MP-01.a")  # Ya/Tidak
    fill(a, Track.SELF, {q.code: "Ya"}, by=zi["users"]["unit_operator"])
    a.answers.filter(track=Track.SELF).update(note="SK ditandatangani Januari")
    client = login(zi["users"]["evaluator"])
    page = client.get(reverse("assessments:worksheet", args=[a.pk, "tpi"]) + "?banding=self")
    save_url = reverse("assessments:save_answer", args=[a.pk, "tpi", q.pk]) + "?banding=self"
    assert save_url in page.content.decode()  # the form posts the comparison along
    response = client.post(save_url, {"value": "Tidak", "note": "SK belum ada", "revision": "0"})
    body = response.content.decode()
    row = body[body.index(f'id="q-{q.pk}"') :]
    row = row[: row.index('class="qrow', 10) if 'class="qrow' in row[10:] else len(row)]
    assert "Pembanding" in row and "SK ditandatangani Januari" in row
    assert "\u22121,00" in row  # TPI 0 minus self 1: one signed figure, not "0,00 vs 1,00"
    assert " vs " not in row
    # and the indicator's own gap beside its title
    assert "selisih" in body[: body.index(f'id="q-{q.pk}"')]


def _nominable(zi):
    a = zi["assessment"]
    fill(a, Track.TPI, best_answers(zi["instrument"]))
    signed_off_evaluation(a)
    return a


def test_nomination_lists_answers_without_accepted_evidence(zi):
    a = _nominable(zi)
    admin = zi["users"]["inspektorat_admin"]
    questions = {q.code: q for q in Question.objects.filter(instrument=a.instrument)}
    # accepted for all but three: one pending, one rejected, one with nothing
    left = evidence_gaps([a])[a.pk].missing[:3]
    accepted_evidence(a, admin, [q for c, q in questions.items() if c not in left])
    EvidenceItem.objects.create(
        assessment=a,
        question=questions[left[0]],
        kind="link",
        title="SK",
        url="https://x.id/",
        status=Status.PENDING,
        created_by=admin,
    )
    EvidenceItem.objects.create(
        assessment=a,
        question=questions[left[1]],
        kind="link",
        title="SK",
        url="https://x.id/",
        status=Status.REJECTED,
        created_by=admin,
    )
    with pytest.raises(lifecycle.TransitionError) as refused:
        lifecycle.nominate(assessment=a, by=admin)
    reasons = " ".join(str(r) for r in refused.value.reasons)
    assert f"1 jawaban TPI belum didukung data dukung: {left[2]}." in reasons
    assert f"belum direviu: {left[0]}." in reasons
    assert f"ditolak atau perlu perbaikan: {left[1]}." in reasons


def test_warn_setting_lets_nomination_through(zi):
    a = _nominable(zi)
    ReviewPolicy.objects.create(pemda=zi["pemda"], tiers=["ketua"], evidence_rule="warn")
    lifecycle.nominate(assessment=a, by=zi["users"]["inspektorat_admin"])


def test_lowest_option_needs_no_evidence(zi):
    a = zi["assessment"]
    fill(a, Track.TPI, {"PEM-MP-01.a": "Tidak", "PEM-MP-01.b": "A"})
    gaps = evidence_gaps([a])[a.pk]
    assert gaps.required == 1 and gaps.missing == ["PEM-MP-01.b"]


def test_kesiapan_lists_missing_evidence_and_sign_off_instead_of_meeting_wbk(zi, login):
    from assessments.services import compute_scores

    a = zi["assessment"]
    fill(a, Track.TPI, best_answers(zi["instrument"]))
    compute_scores([a.pk])
    client = login(zi["users"]["leadership"])
    body = client.get(reverse("dashboards:leadership")).content.decode()
    assert "Memenuhi ambang WBK" not in body
    assert "Evaluasi TPI belum disahkan" in body and "belum didukung data dukung" in body
    signed_off_evaluation(a)
    accepted_evidence(a, zi["users"]["evaluator"])
    body = client.get(reverse("dashboards:leadership")).content.decode()
    assert "Memenuhi ambang WBK" in body


def test_scorecard_verdict_lists_sign_off_and_answers_without_evidence(
    evaluated, rz, django_capture_on_commit_callbacks
):
    from reports import services as report_services
    from reports.models import Kind
    from tests.reports.helpers import pdf_text

    with django_capture_on_commit_callbacks(execute=True):
        job = report_services.request_report(
            kind=Kind.SCORECARD, by=rz["users"]["leadership"], assessment=evaluated
        )
    job.refresh_from_db()
    text = " ".join(pdf_text(job).split())
    assert "Siap diusulkan WBK" not in text
    assert "Evaluasi TPI belum disahkan" in text
    assert "belum didukung data dukung" in text
