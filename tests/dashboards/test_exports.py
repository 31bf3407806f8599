"""The monitoring table and Kesiapan as xlsx and CSV: every filtered row, constant queries, the
people who see the page and nobody else, numbers that stay numbers; and the print view."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dashboards.selectors import next_deadline


def _get(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return response, len(ctx.captured_queries)


def _xlsx_rows(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    return rows[0], rows[1:], wb


def _csv_rows(response):
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for UTF-8
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    return rows[0], rows[1:]


def _export(name, fmt, query=""):
    return reverse(f"dashboards:{name}", args=[fmt]) + query


def test_monitoring_export_holds_every_filtered_row_with_constant_queries(dash, login, monkeypatch):
    monkeypatch.setattr("dashboards.views.PAGE_SIZE", 2)  # the page shows 2; the export all
    client = login(dash.admin)
    dash.add_units(3)
    response, few = _get(client, _export("inspektorat_export", "xlsx"))
    header, rows, _wb = _xlsx_rows(response)
    assert sorted(r[1] for r in rows) == [f"Dinas Dasbor {k:02d}" for k in range(3)]
    dash.add_units(6)
    response, many = _get(client, _export("inspektorat_export", "xlsx"))
    _header, rows, _wb = _xlsx_rows(response)
    assert len(rows) == 9
    assert many == few
    response, csv_queries = _get(client, _export("inspektorat_export", "csv"))
    assert csv_queries == few
    assert len(_csv_rows(response)[1]) == 9


def test_monitoring_export_applies_the_filters_of_the_page(dash, login):
    client = login(dash.admin)
    dash.add_units(4)  # units 0 and 3 proclaimed, 1 and 2 in development
    response, _n = _get(
        client, _export("inspektorat_export", "csv", "?stage=proclaimed&sort=-nama")
    )
    _header, rows = _csv_rows(response)
    assert [r[1] for r in rows] == ["Dinas Dasbor 03", "Dinas Dasbor 00"]
    response, _n = _get(client, _export("inspektorat_export", "xlsx", "?q=Dasbor 02"))
    assert [r[1] for r in _xlsx_rows(response)[1]] == ["Dinas Dasbor 02"]


def test_monitoring_xlsx_keeps_numbers_and_dates_and_names_the_filters(dash, login):
    client = login(dash.admin)
    dash.add_units(2)
    response, _n = _get(client, _export("inspektorat_export", "xlsx", "?stage=proclaimed"))
    assert 'filename="pemantauan-zi-kabupaten-dasbor-' in response["Content-Disposition"]
    header, rows, wb = _xlsx_rows(response)
    col = {title: i for i, title in enumerate(header)}
    (row,) = rows  # unit 00: proclaimed, self and TPI answers
    assert row[col["Unit kerja"]] == "Dinas Dasbor 00"
    assert isinstance(row[col["Nilai mandiri"]], int | float) and row[col["Nilai mandiri"]] > 0
    assert isinstance(row[col["Nilai TPI"]], int | float)
    assert isinstance(row[col["Pertanyaan bernilai"]], int)
    deadline = next_deadline(dash.pemda, 2026)  # the calendar's next phase end, as on the page
    expected = datetime.datetime.combine(deadline.ends_on, datetime.time()) if deadline else None
    assert row[col["Tanggal tenggat"]] == expected
    cell = wb.worksheets[0].cell(row=2, column=col["Nilai mandiri"] + 1)
    assert cell.number_format == "0.00"
    about = dict(wb["Keterangan"].iter_rows(min_row=2, values_only=True))
    assert about["Pemda"] == "Kabupaten Dasbor"
    assert about["Tahap"] == "Pencanangan"


def test_monitoring_csv_writes_decimal_commas_that_read_back_as_the_page_scores(dash, login):
    client = login(dash.admin)
    dash.add_units(1)
    page = client.get(reverse("dashboards:inspektorat")).content.decode()
    response, _n = _get(client, _export("inspektorat_export", "csv"))
    header, rows = _csv_rows(response)
    score = rows[0][header.index("Nilai mandiri")]
    assert "," in score and "." not in score
    assert Decimal(score.replace(",", ".")) > 0
    assert f">{score}<" in page  # the same text as the page's cell


def test_monitoring_export_ignores_another_pemda_given_in_the_query(dash, world, login):
    dash.add_units(2)
    client = login(world["users"]["foreign_admin"])
    response, _n = _get(
        client, _export("inspektorat_export", "csv", f"?pemda={dash.pemda.pk}&q=Dasbor")
    )
    assert "Dasbor" not in response.content.decode("utf-8-sig").split("\r\n", 1)[1]
    assert _csv_rows(response)[1] == []


@pytest.mark.parametrize(
    "page,export",
    [("inspektorat", "inspektorat_export"), ("leadership", "leadership_export")],
)
@pytest.mark.parametrize(
    "who",
    [
        "inspektorat_admin",
        "evaluator",
        "leadership",
        "tpn_observer",
        "unit_head",
        "unit_operator",
        "foreign_operator",
        "outsider",
    ],
)
def test_exactly_who_sees_the_page_may_export_it(world, login, page, export, who):
    client = login(world["users"][who])
    seen = client.get(reverse(f"dashboards:{page}")).status_code
    for fmt in ("xlsx", "csv"):
        assert client.get(reverse(f"dashboards:{export}", args=[fmt])).status_code == seen
    assert seen in (200, 403)


def test_anonymous_people_are_sent_to_sign_in(client):
    response = client.get(_export("inspektorat_export", "xlsx"))
    assert response.status_code == 302 and "/masuk/" in response["Location"]


def test_an_unknown_format_is_not_found(dash, login):
    client = login(dash.admin)
    assert client.get(_export("inspektorat_export", "pdf")).status_code == 404


def test_readiness_export_ranks_every_evaluated_unit_with_what_it_misses(dash, login):
    client = login(dash.leader)
    dash.add_units(3)  # units 0 and 2 evaluated by the TPI
    response, few = _get(client, _export("leadership_export", "xlsx"))
    header, rows, _wb = _xlsx_rows(response)
    col = {title: i for i, title in enumerate(header)}
    assert [r[col["Peringkat"]] for r in rows] == [1, 2]
    assert {r[col["Unit kerja"]] for r in rows} == {"Dinas Dasbor 00", "Dinas Dasbor 02"}
    assert all(isinstance(r[col["Nilai TPI"]], int | float) for r in rows)
    # Not signed off by the TPI: what the page lists as blocking is written out.
    assert all("Evaluasi TPI belum" in r[col["Yang belum terpenuhi"]] for r in rows)
    assert all(r[col["Memenuhi ambang"]] == "Belum" for r in rows)
    dash.add_units(6)
    response, many = _get(client, _export("leadership_export", "csv"))
    assert len(_csv_rows(response)[1]) == 5
    assert many == few


def test_print_view_lists_every_filtered_unit_with_constant_queries(dash, login, monkeypatch):
    monkeypatch.setattr("dashboards.views.PAGE_SIZE", 2)
    client = login(dash.admin)
    dash.add_units(3)
    paged = client.get(reverse("dashboards:inspektorat")).content.decode()
    assert paged.count('data-label="Unit kerja"') == 2
    response, few = _get(client, reverse("dashboards:inspektorat") + "?semua=1")
    assert response.content.decode().count('data-label="Unit kerja"') == 3
    dash.add_units(6)
    response, many = _get(client, reverse("dashboards:inspektorat") + "?semua=1&stage=")
    assert response.content.decode().count('data-label="Unit kerja"') == 9
    assert many == few


def test_export_and_print_links_carry_the_filters(dash, login):
    client = login(dash.admin)
    dash.add_units(1)
    html = client.get(
        reverse("dashboards:inspektorat") + "?stage=development&page=1",
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="unit-rows",
    ).content.decode()
    assert _export("inspektorat_export", "xlsx", '?stage=development"') in html
    assert _export("inspektorat_export", "csv", '?stage=development"') in html
    assert "?stage=development&amp;semua=1&amp;cetak=1" in html


def test_readiness_print_view_ranks_every_unit_on_one_page(dash, login, monkeypatch):
    monkeypatch.setattr("dashboards.views.PAGE_SIZE", 1)
    client = login(dash.leader)
    dash.add_units(3)  # units 0 and 2 evaluated by the TPI
    url = reverse("dashboards:leadership")
    paged = client.get(url).content.decode()
    assert paged.count('data-label="Peringkat"') == 1
    assert reverse("dashboards:leadership_export", args=["csv"]) + "?pemda=" in paged
    every = client.get(url + "?semua=1").content.decode()
    assert every.count('data-label="Peringkat"') == 2


def test_an_area_share_gate_reads_in_the_export_as_on_kesiapan():
    """A share just under its minimum is rounded down, as the page prints it: never "60,0% / min.
    60%" for a gate that was missed."""
    from dashboards.selectors import gate_text

    gate = {
        "kind": "each_area_share",
        "label": "Setiap area",
        "actual": "0.59975",
        "required": "0.6",
    }
    assert gate_text(gate) == "Setiap area: 59,9% / min. 60%"
