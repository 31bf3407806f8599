"""The TPN observer's own page (issue 20): what the role sees (read-only: units nominated to the TPN,
their TPI results, package, TPN stages) and who records the TPN's results (the Admin Inspektorat);
links only where the rules let the person follow them."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import lifecycle
from assessments.models import Stage, TpnPhase, TpnResult
from tests.factories import WorkUnitFactory, make_assessment


def _nominated(unit, stage=Stage.TPN_REVIEW):
    return make_assessment(unit, stage=stage)


@pytest.fixture
def tpn_world(world):
    admin_user = world["users"]["inspektorat_admin"]
    admin_user.full_name = "Ir. Bambang Wicaksono, M.T."
    admin_user.save()
    reviewed = _nominated(world["own"])
    lifecycle.record_tpn_stage(
        assessment=reviewed,
        phase=TpnPhase.ADMINISTRATION,
        result=TpnResult.PASSED,
        by=admin_user,
        on=datetime.date(2026, 6, 22),
    )
    make_assessment(world["other"])  # in development: not the TPN's business yet
    _nominated(world["foreign"])  # another Pemda's
    return {**world, "reviewed": reviewed}


def test_home_sends_the_tpn_observer_to_its_page(tpn_world, login):
    response = login(tpn_world["users"]["tpn_observer"]).get(reverse("home"))
    assert response.url == reverse("dashboards:tpn")


def test_page_says_what_the_role_sees_and_who_records_tpn_results(tpn_world, login):
    page = (
        login(tpn_world["users"]["tpn_observer"])
        .get(reverse("dashboards:tpn") + "?year=2026")
        .content.decode()
    )
    assert "Pengamat TPN" in page
    assert "Perlu perhatian evaluator" not in page
    assert "hanya membaca" in page
    assert "Hasil TPN dicatat oleh Admin Inspektorat" in page
    assert "Ir. Bambang Wicaksono, M.T." in page  # the person to ask
    assert "Dinas Milik Sendiri" in page  # nominated, in TPN review
    assert "Seleksi administrasi" in page and "Lolos" in page  # its recorded TPN stage
    assert "Dinas Lain" not in page  # still in development
    assert "Dinas Pemda Lain" not in page  # another Pemda's


def test_every_link_on_the_page_opens_for_the_tpn_observer(tpn_world, login):
    import re

    client = login(tpn_world["users"]["tpn_observer"])
    page = client.get(reverse("dashboards:tpn") + "?year=2026").content.decode()
    reviewed = tpn_world["reviewed"]
    links = set(re.findall(r'href="(/[^"#]*)"', page))
    for expected in [
        reverse("assessments:detail", args=[reviewed.pk]),
        reverse("assessments:worksheet", args=[reviewed.pk, "tpi"]),
        reverse("dossier:detail", args=[reviewed.pk]),
    ]:
        assert expected in links
    for link in links - {reverse("logout")}:
        if link.startswith("/static/"):
            continue
        assert client.get(link.replace("&amp;", "&"), follow=True).status_code == 200, link


def test_the_admin_reads_that_it_records_the_results_itself(tpn_world, login):
    page = (
        login(tpn_world["users"]["inspektorat_admin"])
        .get(reverse("dashboards:tpn") + "?year=2026")
        .content.decode()
    )
    assert "Anda sendiri (Admin Inspektorat) mencatat hasil TPN" in page


@pytest.mark.parametrize("role", ["leadership", "unit_operator"])
def test_roles_outside_monitoring_are_refused_with_a_message(tpn_world, login, role):
    response = login(tpn_world["users"][role]).get(reverse("dashboards:tpn"))
    assert response.status_code == 403
    assert "Halaman ini hanya untuk peran tingkat Pemda yang sesuai." in response.content.decode()


def test_page_costs_the_same_queries_for_n_and_3n_nominated_units(world, login):
    client = login(world["users"]["tpn_observer"])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("dashboards:tpn") + "?year=2026").status_code == 200
        return len(queries)

    for _ in range(2):
        _nominated(WorkUnitFactory(pemda=world["pemda"]))
    few = count()
    for _ in range(4):
        _nominated(WorkUnitFactory(pemda=world["pemda"]))
    assert count() == few


def test_monitoring_page_links_the_review_queue_only_for_those_who_may_open_it(tpn_world, login):
    queue = reverse("review:queue")
    url = reverse("dashboards:inspektorat") + "?year=2026"
    tpn_page = login(tpn_world["users"]["tpn_observer"]).get(url).content.decode()
    assert f'href="{queue}?' not in tpn_page
    assert reverse("dashboards:tpn") in tpn_page
    evaluator_page = login(tpn_world["users"]["evaluator"]).get(url).content.decode()
    assert f'href="{queue}?' in evaluator_page


def test_assessment_page_says_who_records_tpn_and_hides_the_queue_link(tpn_world, login):
    page = (
        login(tpn_world["users"]["tpn_observer"])
        .get(reverse("assessments:detail", args=[tpn_world["reviewed"].pk]))
        .content.decode()
    )
    assert "dicatat oleh Admin Inspektorat pada tahap Reviu TPN" in page
    assert f'href="{reverse("review:queue")}?' not in page


def test_the_tpn_worksheet_refusal_says_who_fills_it(tpn_world, login):
    page = (
        login(tpn_world["users"]["tpn_observer"])
        .get(reverse("assessments:worksheet", args=[tpn_world["reviewed"].pk, "tpn"]))
        .content.decode()
    )
    assert "Hasil TPN dicatat oleh Admin Inspektorat Pemda selama tahap Reviu TPN" in page
