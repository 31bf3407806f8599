"""The worksheet one change area at a time (issues 15 and 20): tabs with answered/total counts,
a filter for unanswered questions, the track's total always on the page, the comparison kept."""

import re

from django.urls import reverse

from assessments.models import Question, Track
from tests.factories import best_answers, fill


def rows(html):
    return set(re.findall(r'class="q(?:row|part)[^"]*" id="q-(\d+)"', html))


def codes_of(zi, pks):
    return set(
        Question.objects.filter(pk__in=[int(pk) for pk in pks]).values_list("code", flat=True)
    )


def test_worksheet_shows_one_area_and_every_question_is_in_exactly_one_area(zi, client):
    client.force_login(zi["users"]["unit_operator"])
    url = reverse("assessments:worksheet", args=[zi["assessment"].pk, "self"])
    first = client.get(url).content.decode()
    tabs = re.findall(r'<li><a href="\?area=(\w+)"', first)
    assert tabs == ["MP", "TL", "SDM", "AKT", "PWS", "PP", "HASIL"]
    assert "Manajemen Perubahan" in first and "Penguatan Pengawasan" in first  # tab names
    seen: list[str] = []
    for tab in tabs:
        html = client.get(url, {"area": tab}).content.decode()
        assert len(html) < 120 * 1024
        seen += rows(html)
    scored = Question.objects.filter(instrument=zi["instrument"]).count()
    assert len(seen) == len(set(seen)) == scored  # each question once, none lost
    assert rows(first) == rows(client.get(url, {"area": "MP"}).content.decode())
    assert codes_of(zi, rows(first)) == set(
        Question.objects.filter(instrument=zi["instrument"], code__contains="-MP-").values_list(
            "code", flat=True
        )
    )


def test_tabs_count_answered_questions_and_the_total_bar_shows_progress(zi, client):
    fill(
        zi["assessment"],
        Track.SELF,
        {c: v for c, v in best_answers(zi["instrument"]).items() if "-MP-" in c},
    )
    client.force_login(zi["users"]["unit_operator"])
    html = client.get(
        reverse("assessments:worksheet", args=[zi["assessment"].pk, "self"]), {"area": "TL"}
    ).content.decode()
    mp = re.search(r'id="tab-progress-mp"[^>]*>(\d+)/(\d+)', html).groups()
    tl = re.search(r'id="tab-progress-tl"[^>]*>(\d+)/(\d+)', html).groups()
    assert mp[0] == mp[1] != "0"  # every Manajemen Perubahan question answered
    assert tl[0] == "0"
    assert re.search(rf'<progress max="\d+" value="{mp[0]}"', html)  # the sticky total bar
    assert 'aria-current="page">Penataan Tatalaksana' in html


def test_unanswered_filter_keeps_only_open_questions_and_says_when_none_are_left(zi, client):
    answers = best_answers(zi["instrument"])
    mp = {c: v for c, v in answers.items() if "-MP-" in c}
    answered = sorted(mp)[: len(mp) // 2]
    fill(zi["assessment"], Track.SELF, {c: mp[c] for c in answered})
    client.force_login(zi["users"]["unit_operator"])
    url = reverse("assessments:worksheet", args=[zi["assessment"].pk, "self"])
    html = client.get(url, {"area": "MP", "belum": "1"}).content.decode()
    shown = codes_of(zi, rows(html))
    assert shown and not shown & set(answered)
    assert "Tampilkan semua pertanyaan" in html
    assert 'href="?area=TL&amp;belum=1"' in html  # the filter stays on from tab to tab
    fill(zi["assessment"], Track.SELF, {c: v for c, v in mp.items() if c not in answered})
    html = client.get(url, {"area": "MP", "belum": "1"}).content.decode()
    assert not rows(html)
    assert "Semua pertanyaan di Manajemen Perubahan sudah terjawab." in html


def test_comparison_is_kept_across_areas(zi, client):
    fill(zi["assessment"], Track.SELF, best_answers(zi["instrument"]))
    client.force_login(zi["users"]["evaluator"])
    html = client.get(
        reverse("assessments:worksheet", args=[zi["assessment"].pk, "tpi"]),
        {"area": "PWS", "banding": "self"},
    ).content.decode()
    assert "Dibandingkan dengan" in html
    assert 'href="?area=PP&amp;banding=self"' in html
    assert "Pembanding" in html and "Penguatan Pengawasan" in html


def test_an_unknown_area_shows_the_first(zi, client):
    client.force_login(zi["users"]["unit_operator"])
    url = reverse("assessments:worksheet", args=[zi["assessment"].pk, "self"])
    assert rows(client.get(url, {"area": "<x>"}).content.decode()) == rows(
        client.get(url).content.decode()
    )


def test_autosave_refreshes_its_tabs_count(zi, client):
    client.force_login(zi["users"]["unit_operator"])
    question = Question.objects.get(instrument=zi["instrument"], code="PEM-MP-01.a")
    html = client.post(
        reverse("assessments:save_answer", args=[zi["assessment"].pk, "self", question.pk]),
        {"value": "Ya"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert re.search(r'id="tab-progress-mp" hx-swap-oob="true">1/\d+', html)
