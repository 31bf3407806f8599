import datetime

import pytest
from django.urls import reverse

from accounts.models import Role
from assessments import services as assessment_services
from assessments.models import Answer, Question, Stage, Track
from tests.factories import PemdaFactory, UserFactory, WorkUnitFactory, person


def test_home_sends_each_role_to_its_dashboard(dash, client):
    dash.add_units(1, with_evidence=False)
    unit = dash.units[0]
    tpn = person(Role.TPN_OBSERVER, pemda=dash.pemda)
    expected = {
        dash.admin: reverse("dashboards:inspektorat"),
        dash.evaluator: reverse("dashboards:inspektorat"),
        tpn: reverse("dashboards:tpn"),
        dash.leader: reverse("dashboards:leadership"),
        dash.operators[unit.pk]: reverse("dashboards:unit", args=[unit.pk]),
        UserFactory(): reverse("units:list"),
    }
    for user, url in expected.items():
        client.force_login(user)
        assert client.get(reverse("home")).url == url


def test_inspektorat_dashboard_shows_every_unit_with_stage_scores_and_deadline(dash, login):
    dash.add_units(3)
    idle = WorkUnitFactory(pemda=dash.pemda, name="Kecamatan Belum Mulai")
    html = login(dash.admin).get(reverse("dashboards:inspektorat") + "?year=2026").content.decode()
    for unit in [*dash.units, idle]:
        assert unit.name in html
    assert "Belum dicanangkan" in html
    assert "Pembangunan" in html and "Pencanangan" in html
    assert (
        "Penetapan" in html
    )  # the next deadline of the calendar (the test runs after August or before)
    assert "dashboard-chart-data" in html and "chartjs-4.6.1/chart.umd.min.js" in html
    # Unit 1 got a "revision" review: it is counted; units 0 and 2 have an item awaiting review.
    assert "1 perlu perbaikan" in html
    assert "2 data dukung menunggu reviu" in html


def test_filters_search_and_sort(dash, login):
    dash.add_units(4, with_evidence=False)
    client = login(dash.evaluator)
    url = reverse("dashboards:inspektorat")
    html = client.get(url + "?stage=proclaimed").content.decode()
    assert "Dinas Dasbor 00" in html and "Dinas Dasbor 03" in html and "Dinas Dasbor 01" not in html
    html = client.get(url + "?q=dasbor 02").content.decode()
    assert "Dinas Dasbor 02" in html and "Dinas Dasbor 01" not in html
    # Only units 0 and 2 have a TPI score; sorted highest first, unscored units last.
    html = client.get(url + "?sort=-tpi&score_min=0").content.decode()
    assert "Dinas Dasbor 00" in html and "Dinas Dasbor 02" in html and "Dinas Dasbor 01" not in html
    html = client.get(url + "?sort=-tpi").content.decode()
    assert (
        html.index("Dinas Dasbor 02")
        < html.index("Dinas Dasbor 00")
        < html.index("Dinas Dasbor 01")
    )


def test_bad_filter_values_show_a_message_instead_of_failing(dash, login):
    dash.add_units(1, with_evidence=False)
    bad = "?score_min=abc&score_max=10&year=1900&page=x&sort=zzz"
    response = login(dash.admin).get(reverse("dashboards:inspektorat") + bad)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tulis angka, misalnya 3,5 atau 1.234,5." in html
    response = login(dash.admin).get(
        reverse("dashboards:inspektorat") + "?score_min=90&score_max=10"
    )
    assert "Batas atas harus lebih besar" in response.content.decode()


def test_attention_lists_answers_changed_after_the_tpi_answered(
    dash, login, django_capture_on_commit_callbacks
):
    dash.add_units(1, with_evidence=False)
    assessment = dash.assessments[0]  # proclaimed (k=0): still open for the unit
    question = (
        Question.objects.filter(instrument=assessment.instrument, answer_type="YA_TIDAK").first()
        or Answer.objects.filter(assessment=assessment, track=Track.TPI).first().question
    )
    Answer.objects.filter(assessment=assessment, track=Track.TPI, question=question).update(
        updated_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    )
    self_answer = Answer.objects.get(assessment=assessment, track=Track.SELF, question=question)
    with django_capture_on_commit_callbacks(
        execute=True
    ):  # written as save_answer would: scores asked for
        Answer.objects.filter(pk=self_answer.pk).update(
            updated_at=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)
        )
        assessment_services.request_scores(assessment)
    html = login(dash.evaluator).get(reverse("dashboards:inspektorat")).content.decode()
    section = html[html.index("Jawaban mandiri berubah") :]
    assert dash.units[0].name in section[:1500]
    assert "1 jawaban" in section[:1500]


def test_monitoring_is_refused_to_unit_people_and_other_pemdas(dash, client):
    dash.add_units(1, with_evidence=False)
    unit = dash.units[0]
    client.force_login(dash.operators[unit.pk])
    assert client.get(reverse("dashboards:inspektorat")).status_code == 403
    assert client.get(reverse("dashboards:leadership")).status_code == 403
    foreign = person(Role.INSPEKTORAT_ADMIN, pemda=PemdaFactory(name="Kabupaten Lain"))
    client.force_login(foreign)
    html = client.get(
        reverse("dashboards:inspektorat") + f"?pemda={dash.pemda.pk}"
    ).content.decode()
    assert "Kabupaten Lain" in html and unit.name not in html
    assert client.get(reverse("dashboards:unit", args=[unit.pk])).status_code == 404


def test_unit_workspace_shows_own_assessment_and_refuses_other_units(dash, login):
    dash.add_units(2)
    own, other = dash.units
    client = login(dash.operators[own.pk])
    html = client.get(reverse("dashboards:unit", args=[own.pk])).content.decode()
    assert "Penilaian ZI 2026" in html
    assert reverse("assessments:worksheet", args=[dash.assessments[0].pk, "self"]) in html
    assert reverse("evidence:assessment_list", args=[dash.assessments[0].pk]) in html
    assert "Kemajuan per area perubahan" in html and "Manajemen Perubahan" in html
    assert "Riwayat Zona Integritas" in html
    assert client.get(reverse("dashboards:unit", args=[other.pk])).status_code == 404
    # The other unit's review comment is in its own workspace list.
    html = (
        login(dash.operators[other.pk])
        .get(reverse("dashboards:unit", args=[other.pk]))
        .content.decode()
    )
    assert "Perlu perbaikan" in html


def test_leadership_sees_ranking_with_missed_thresholds_and_recap_button(dash, login):
    dash.add_units(3, with_evidence=False)
    html = login(dash.leader).get(reverse("dashboards:leadership")).content.decode()
    ranked = html[html.index("Peringkat nilai TPI") : html.index("Predikat dari tahun ke tahun")]
    assert (
        "Dinas Dasbor 00" in ranked
        and "Dinas Dasbor 02" in ranked
        and "Dinas Dasbor 01" not in ranked
    )
    assert "Evaluasi TPI belum lengkap" in ranked
    assert "minimal" in ranked or "min." in ranked
    assert 'name="kind" value="recap"' in html
    assert reverse("reports:request") in html


def test_designations_over_the_years(dash, login):
    dash.add_units(1, with_evidence=False)
    from tests.factories import make_assessment

    make_assessment(dash.units[0], year=2024, stage=Stage.DESIGNATED_WBK)
    assessment_services.compute_scores(pemda=dash.pemda)
    html = login(dash.leader).get(reverse("dashboards:leadership")).content.decode()
    table = html[html.index("Predikat dari tahun ke tahun") : html.index("Perbandingan tahun")]
    assert "2024" in table and "2026" in table


@pytest.mark.parametrize("param", ["unit=abc", "year=abc", "unit=999999"])
def test_leadership_ignores_bad_parameters(dash, login, param):
    dash.add_units(1, with_evidence=False)
    assert login(dash.leader).get(reverse("dashboards:leadership") + "?" + param).status_code == 200


def test_chart_data_counts_every_scored_unit_once(dash, login):
    import json
    import re

    dash.add_units(4, with_evidence=False)
    html = login(dash.admin).get(reverse("dashboards:inspektorat")).content.decode()
    raw = re.search(
        r'<script id="dashboard-chart-data" type="application/json">(.*?)</script>', html, re.S
    ).group(1)
    data = json.loads(raw)
    assert sum(data["distribution"]["self"]) == 4  # every unit answered its self-assessment
    assert sum(data["distribution"]["tpi"]) == 2  # units 0 and 2 were evaluated
    assert len(data["areas"]["labels"]) == 6 and all(v is not None for v in data["areas"]["self"])
    assert data["series"]["tpi"] == "Evaluasi TPI"


def test_dashboard_shows_each_change_on_the_next_visit(
    dash, login, django_capture_on_commit_callbacks
):
    """Every kind of change shows on the next visit: evidence, reviews, stages, and a saved answer
    once its recompute has run (the figures come from the summary that recompute keeps)."""
    from assessments import lifecycle
    from evidence import services as evidence_services
    from evidence.models import Status
    from tests.factories import pdf_file

    dash.add_units(2, with_evidence=False)
    client = login(dash.evaluator)
    url = reverse("dashboards:inspektorat") + "?year=2026"

    def page():
        return client.get(url).content.decode()

    def row(html, unit):
        return html.split(f">{unit.name}</a>", 1)[1].split("</tr>", 1)[0]

    def tpi_cell():
        return row(page(), dash.units[0]).split('data-label="Nilai TPI"', 1)[1].split("</td>", 1)[0]

    html = page()
    assert "0 data dukung menunggu reviu" in html
    assert ">Pencanangan<" in row(html, dash.units[0])
    assert "—" not in tpi_cell()

    proclaimed = dash.assessments[0]
    question = Question.objects.filter(instrument=proclaimed.instrument).order_by("order").first()
    item = evidence_services.upload_file(
        assessment=proclaimed,
        question=question,
        by=dash.operators[dash.units[0].pk],
        uploaded_file=pdf_file("Notulen.pdf", "Notulen"),
    )
    assert "1 data dukung menunggu reviu" in page()

    evidence_services.review(
        item=item, by=dash.evaluator, status=Status.REVISION, comment="Belum ditandatangani"
    )
    html = page()
    assert "0 data dukung menunggu reviu" in html and "1 perlu perbaikan" in html

    lifecycle.start_development(assessment=proclaimed, by=dash.admin)
    assert ">Pembangunan<" in row(page(), dash.units[0])

    # An answer saved, the page seen while its recompute waits in the queue, then the worker runs:
    # the new score shows on the next visit.
    answer = (
        Answer.objects.filter(assessment=proclaimed, track=Track.TPI, value="Ya")
        .select_related("question")
        .first()
    )
    assessment_services.save_answer(
        assessment=proclaimed,
        question=answer.question,
        track=Track.TPI,
        by=dash.evaluator,
        value="Tidak",
    )
    waiting = tpi_cell()
    assessment_services.compute_scores([proclaimed.pk])
    assert tpi_cell() != waiting

    with django_capture_on_commit_callbacks(execute=True):
        Answer.objects.filter(assessment=proclaimed, track=Track.TPI).delete()
        assessment_services.request_scores(proclaimed)
    assessment_services.compute_scores([proclaimed.pk])
    assert "—" in tpi_cell()  # no TPI answers any more, so no TPI score


def test_a_dashboard_is_never_someone_elses_page(dash):
    """Two evaluators ask for the same dashboard: each gets the page with their own name and CSRF
    token, and a message waiting for one of them is shown to that person only, once."""
    from django.contrib.messages import constants
    from django.test import Client

    dash.add_units(1, with_evidence=False)
    other = person(Role.EVALUATOR, pemda=dash.pemda, full_name="Rahmat Hidayat, S.E.")
    dash.evaluator.full_name = "Sri Wahyuni, S.H."
    dash.evaluator.save()
    url = reverse("dashboards:inspektorat")
    first, second = Client(), Client()
    first.force_login(dash.evaluator)
    second.force_login(other)
    for _ in range(2):  # a second visit too (the CSRF cookie is set by the first)
        mine, theirs = first.get(url).content.decode(), second.get(url).content.decode()
        assert "Sri Wahyuni" in mine and "Rahmat Hidayat" not in mine
        assert "Rahmat Hidayat" in theirs and "Sri Wahyuni" not in theirs
        token = first.cookies["csrftoken"].value
        assert second.cookies["csrftoken"].value != token

    # A message queued for the first evaluator (as after a review) appears once, then is gone.
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import CookieStorage

    encoded = CookieStorage(None)._encode([Message(constants.SUCCESS, "Hasil reviu disimpan.")])
    first.cookies[CookieStorage.cookie_name] = encoded
    assert "Hasil reviu disimpan." in first.get(url).content.decode()
    assert "Hasil reviu disimpan." not in first.get(url).content.decode()


def test_a_role_taken_away_closes_the_dashboard_at_once(dash, login):
    from accounts.models import Membership

    client = login(dash.evaluator)
    url = reverse("dashboards:inspektorat")
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    Membership.objects.filter(user=dash.evaluator).delete()  # e.g. moved to another office
    assert client.get(url).status_code == 403


def test_kesiapan_loads_the_units_to_compare_when_the_list_is_opened(dash, login):
    """A large Pemda's list of units to compare (1,000 checkboxes) is not built on every visit: it
    comes when opened (htmx), or inline with ?pilih=1 without scripts, with the compared ones ticked."""
    dash.add_units(3, with_evidence=False)
    client = login(dash.leader)
    url = reverse("dashboards:leadership")
    html = client.get(url).content.decode()
    assert 'name="unit"' not in html  # the default comparison is shown, the list is not
    assert 'hx-trigger="toggle once"' in html and "Tampilkan daftar unit" in html
    chosen = dash.units[1]
    part = client.get(
        url, {"part": "units", "unit": chosen.pk}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "<html" not in part and part.count('name="unit"') == len(dash.units)
    assert f'value="{chosen.pk}" checked' in part
    inline = client.get(url, {"pilih": "1", "unit": chosen.pk}).content.decode()
    assert f'value="{chosen.pk}" checked' in inline and inline.count('name="unit"') == 3


def test_unit_home_shows_the_hasil_rows_with_their_three_items(dash, login):
    """Both Hasil sections count their answers and score like the change areas, each with its
    items (IPAK and capaian kinerja; IPKP) beneath: not "0/0" and "—" next to a full LKE."""
    import re

    dash.add_units(1)  # every question answered: IPAK 3,60, capaian B, IPKP 3,20
    unit = dash.units[0]
    html = login(dash.operators[unit.pk]).get(reverse("dashboards:unit", args=[unit.pk]))
    rows = [
        re.sub(r"<[^>]+>|\s+", " ", row).split()
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html.content.decode(), re.S)
    ]
    text = [" ".join(r) for r in rows]

    def row(name):
        return next(t for t in text if t.startswith(name) or t.startswith(f"↳ {name}"))

    assert "2/2" in row("Hasil · Birokrasi yang bersih dan akuntabel")
    assert "19,50 / 22,50" in row("Hasil · Birokrasi yang bersih dan akuntabel")
    assert "1/1" in row("Hasil · Pelayanan publik yang prima")
    assert "14,00 / 17,50" in row("Hasil · Pelayanan publik yang prima")
    assert "1/1" in row("Nilai Survey Persepsi Korupsi")
    assert "15,75 / 17,50" in row("Nilai Survey Persepsi Korupsi")
    assert "3,75 / 5,00" in row("Capaian Kinerja Lebih Baik")
    assert "14,00 / 17,50" in row("Nilai Persepsi Kualitas Pelayanan")
    assert not any("0/0" in t for t in text)
