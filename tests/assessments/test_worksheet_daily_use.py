"""The worksheet in daily use (issue 20): filters with counts, the sticky progress bar after a save,
options that say what they mean, Jumlah rows under their %, notes over several lines, errors that
name the question as the page numbers it, and a page that stays small with constant queries."""

import re
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Answer, Question, Track
from review import services as review_services
from tests.factories import best_answers, fill, upload_evidence


def rows(html):
    return set(re.findall(r'class="q(?:row|part)[^"]*" id="q-(\d+)"', html))


def codes(html):
    return set(Question.objects.filter(pk__in=rows(html)).values_list("code", flat=True))


def question(zi, code):
    return Question.objects.get(instrument=zi["instrument"], code=code)


def sheet(client, zi, track="self", **params):
    url = reverse("assessments:worksheet", args=[zi["assessment"].pk, track])
    return client.get(url, params).content.decode()


def save(client, zi, code, track="self", **data):
    url = reverse(
        "assessments:save_answer", args=[zi["assessment"].pk, track, question(zi, code).pk]
    )
    return client.post(url, data, HTTP_HX_REQUEST="true").content.decode()


def filter_count(html, name):
    return int(re.search(rf'class="ws-filter-{name}"[^>]*>[^<]*<span class="badge">(\d+)', html)[1])


def mp_codes(zi):
    return set(
        Question.objects.filter(instrument=zi["instrument"], code__contains="-MP-").values_list(
            "code", flat=True
        )
    )


# --- filters ---------------------------------------------------------------------------------


def test_without_evidence_filter_hides_questions_that_have_evidence_and_counts_the_rest(zi, client):
    with_evidence = question(zi, "PEM-MP-01.a")
    upload_evidence(zi["assessment"], with_evidence, zi["users"]["unit_operator"])
    client.force_login(zi["users"]["unit_operator"])
    html = sheet(client, zi, area="MP", tanpa_dukung=1)
    shown = codes(html)
    assert "PEM-MP-01.b" in shown and "PEM-MP-01.a" not in shown
    # the count beside the filter is the number of questions (groups) it shows
    assert filter_count(html, "tanpa_dukung") == len(re.findall(r'class="qrow[ "]', html))
    assert 'href="?area=TL&amp;tanpa_dukung=1"' in html  # the filter stays on from area to area
    everything = sheet(client, zi, area="MP")
    assert "PEM-MP-01.a" in codes(everything)
    assert filter_count(everything, "tanpa_dukung") == filter_count(html, "tanpa_dukung")


def test_revision_filter_shows_only_questions_with_an_unclosed_request(zi, client):
    asked = question(zi, "PEM-MP-02.b")
    review_services.open_revision(
        assessment=zi["assessment"],
        question=asked,
        by=zi["users"]["inspektorat_admin"],
        note="Lampirkan dokumen rencana yang ditandatangani.",
    )
    client.force_login(zi["users"]["unit_operator"])
    html = sheet(client, zi, area="MP", perbaikan=1)
    assert codes(html) == {"PEM-MP-02.b"}
    assert filter_count(html, "perbaikan") == 1
    assert filter_count(sheet(client, zi, area="TL"), "perbaikan") == 0
    assert "cocok dengan saringan ini" in sheet(client, zi, area="TL", perbaikan=1)


def test_unanswered_filter_counts_a_percent_group_until_every_count_is_entered(zi, client):
    answers = best_answers(zi["instrument"])
    fill(zi["assessment"], Track.SELF, {c: v for c, v in answers.items() if c in mp_codes(zi)})
    Answer.objects.filter(question=question(zi, "REF-MP-01.j2")).update(value="")
    client.force_login(zi["users"]["unit_operator"])
    html = sheet(client, zi, area="MP", belum=1)
    assert codes(html) == {"REF-MP-01.a", "REF-MP-01.j1", "REF-MP-01.j2"}  # the group, whole
    assert filter_count(html, "belum") == 1


# --- the sticky bar ----------------------------------------------------------------------------


def test_a_save_updates_the_sticky_bar_with_the_areas_and_the_whole_progress(zi, client):
    client.force_login(zi["users"]["unit_operator"])
    page = sheet(client, zi, area="MP")
    assert re.search(r"Manajemen Perubahan: <strong>0/\d+</strong>", page)
    html = save(client, zi, "PEM-MP-01.a", value="Ya")
    bar = html[html.index('id="ws-total"') :]
    assert 'hx-swap-oob="true"' in html[html.index('<div class="card ws-total"') :][:80]
    assert re.search(r"Manajemen Perubahan: <strong>1/\d+</strong>", bar)
    assert re.search(r"Seluruh LKE: <strong>1/\d+</strong>", bar)


def test_the_total_bar_is_sticky():
    css = (Path(__file__).resolve().parents[2] / "static/css/app.css").read_text()
    assert re.search(r"\.ws-total \{[^}]*position: sticky", css)


# --- options, groups, notes -------------------------------------------------------------------


def test_options_carry_their_criteria_text_in_the_label(zi, client):
    client.force_login(zi["users"]["unit_operator"])
    html = sheet(client, zi, area="MP")
    row = html[html.index(f'id="q-{question(zi, "PEM-MP-01.b").pk}"') :]
    row = row[: row.index('<div class="qrow')] if '<div class="qrow' in row else row
    assert "<b>A</b> — Jika dengan prosedur/mekanisme yang jelas dan mewakili seluruh unsur" in row
    assert "<b>C</b> — Jika tidak di seleksi." in row


def test_jumlah_rows_sit_under_their_percent_question_without_repeating_their_label(zi, client):
    client.force_login(zi["users"]["unit_operator"])
    html = sheet(client, zi, area="MP")
    head = html.index(f'id="q-{question(zi, "REF-MP-01.a").pk}"')
    group = html[head : html.index(f'id="q-{question(zi, "REF-MP-01.b").pk}"')]
    assert '<ol class="plain qparts"' in group
    assert '<strong class="qnum">1.a.1</strong> Jumlah Agen Perubahan</p>' in group
    assert "Jumlah Agen Perubahan Jumlah Agen Perubahan" not in html
    assert "- Jumlah Agen Perubahan" not in html
    # one evidence panel for the group, on the % question (evidence is kept per question)
    assert group.count('class="ev-toggle"') == 1
    panel = reverse(
        "evidence:question_panel", args=[zi["assessment"].pk, question(zi, "REF-MP-01.a").pk]
    )
    assert f'hx-get="{panel}"' in group


def test_a_part_larger_than_its_whole_is_saved_with_a_warning_beside_the_group(zi, client):
    client.force_login(zi["users"]["unit_operator"])
    save(client, zi, "REF-MP-01.j1", value="26")
    html = save(client, zi, "REF-MP-01.j2", value="30")
    assert "Tersimpan" in html
    assert "Bagian melebihi keseluruhan: 1.a.2 (30) lebih besar dari 1.a.1 (26)" in html
    assert "115,38%" in html
    assert Answer.objects.get(question=question(zi, "REF-MP-01.j2"), track="self").value == "30"
    assert "Bagian melebihi keseluruhan" in sheet(client, zi, area="MP")  # stays on the page
    html = save(client, zi, "REF-MP-01.j2", value="20")
    assert "Bagian melebihi keseluruhan" not in html


def test_a_note_over_several_lines_is_kept_and_shown_back(zi, client):
    client.force_login(zi["users"]["unit_operator"])
    note = "Tim dibentuk Januari.\nSK ditandatangani kepala unit."
    save(client, zi, "PEM-MP-01.a", value="Ya", note=note)
    stored = Answer.objects.get(question=question(zi, "PEM-MP-01.a"), track="self")
    assert stored.note == note
    html = sheet(client, zi, area="MP")
    pk = question(zi, "PEM-MP-01.a").pk
    assert re.search(
        rf'<textarea name="note" id="q{pk}-note" rows="3"[^>]*>{re.escape(note)}</textarea>', html
    )


# --- errors -------------------------------------------------------------------------------------


def test_an_error_names_the_visible_number_and_stays_by_the_field_with_the_typed_value(zi, client):
    client.force_login(zi["users"]["unit_operator"])
    part = question(zi, "REF-MP-01.j2")
    html = save(client, zi, "REF-MP-01.j2", value="tiga puluh", note="dari laporan")
    assert "REF-MP-01.j2" not in html
    item = html[html.index(f'<li class="qpart has-error" id="q-{part.pk}"') :]
    item = item[: item.index("</li>")]
    assert (
        f'value="tiga puluh" autocomplete="off" aria-invalid="true" aria-describedby="q{part.pk}-state"'
        in item
    )
    assert re.search(
        rf'id="q{part.pk}-state"><span class="error">Pertanyaan 1\.a\.2: jumlah &#x27;tiga puluh&#x27; harus bilangan bulat',
        item,
    )
    assert ">dari laporan</textarea>" in item
    assert not Answer.objects.filter(question=part).exists()


def test_a_refused_choice_keeps_the_option_chosen(zi, client):
    fill(zi["assessment"], Track.SELF, {"PEM-MP-01.b": "A"})
    client.force_login(zi["users"]["unit_operator"])
    pk = question(zi, "PEM-MP-01.b").pk
    html = save(client, zi, "PEM-MP-01.b", value="C", revision="0")  # someone saved meanwhile
    assert "baru saja diubah" in html
    assert re.search(rf'value="C" id="q{pk}-3" checked', html)
    assert not re.search(rf'value="A" id="q{pk}-1" checked', html)


def test_rejecting_evidence_without_a_comment_keeps_the_form_open_with_ditolak(zi, client):
    item = upload_evidence(
        zi["assessment"], question(zi, "PEM-MP-01.a"), zi["users"]["unit_operator"]
    )
    client.force_login(zi["users"]["evaluator"])
    html = client.post(
        reverse("evidence:review", args=[item.pk]),
        {"status": "rejected", "comment": "  "},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert 'class="msg msg-error"' not in html  # not at the top of the panel
    assert '<details class="ev-review" open>' in html
    assert re.search(r'value="rejected" required checked> Ditolak', html)
    comment = html.index(f'id="ev-review-comment-{item.pk}"')
    error = html.index("Tuliskan alasan atau perbaikan yang diminta")
    assert comment < error < html.index("Simpan reviu")  # under the comment field
    item.refresh_from_db()
    assert item.status != "rejected"


# --- size and queries ---------------------------------------------------------------------------


def test_area_view_queries_do_not_grow_with_answers_and_evidence(zi, client):
    answers = best_answers(zi["instrument"])
    ordered = [c for c in sorted(mp_codes(zi)) if c in answers]
    client.force_login(zi["users"]["evaluator"])
    with_evidence: set[str] = set()

    def measure(n):
        Answer.objects.filter(assessment=zi["assessment"]).delete()
        fill(zi["assessment"], Track.SELF, {c: answers[c] for c in ordered[:n]})
        fill(zi["assessment"], Track.TPI, {c: answers[c] for c in ordered[:n]})
        for code in ordered[: n // 5]:  # evidence on a fifth of the answered questions
            if code not in with_evidence:
                upload_evidence(zi["assessment"], question(zi, code), zi["users"]["unit_operator"])
                with_evidence.add(code)
        with CaptureQueriesContext(connection) as queries:
            html = sheet(client, zi, track="tpi", area="MP", banding="self")
        assert html.count('class="history"') >= n  # the answered rows are there
        return len(queries)

    assert measure(5) == measure(15)


@pytest.mark.parametrize("track,who", [("self", "unit_operator"), ("tpi", "evaluator")])
def test_every_area_of_the_demo_instrument_stays_under_120_kb(zi, client, track, who):
    fill(zi["assessment"], Track.SELF, best_answers(zi["instrument"]))
    fill(zi["assessment"], Track.TPI, best_answers(zi["instrument"]))
    client.force_login(zi["users"][who])
    sizes = {}
    for area in ["MP", "TL", "SDM", "AKT", "PWS", "PP", "HASIL"]:
        params = {"area": area} | ({"banding": "self"} if track == "tpi" else {})
        sizes[area] = len(sheet(client, zi, track=track, **params).encode())
    assert max(sizes.values()) < 120 * 1024, sizes


def test_score_remarks_name_questions_by_their_visible_number(zi, client):
    fill(zi["assessment"], Track.SELF, {"REF-MP-01.j1": "0", "REF-MP-01.j2": "0"})
    client.force_login(zi["users"]["unit_operator"])
    html = sheet(client, zi, area="MP")
    assert "Pertanyaan 1.a: penyebut nol, persentase tidak berlaku" in html
    assert "REF-MP-01" not in html.replace('id="ind-ref-mp-01"', "")
