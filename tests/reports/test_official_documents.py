"""The Piagam, Pakta, recap and scorecard as a signing ceremony needs them (issue 17), read back
from the rendered PDF with pypdf."""

from datetime import date

import pytest

from reports import services
from reports.models import Kind, Status
from tests.reports.helpers import page_count, pdf_text

WITNESSES_8 = [
    ("Ir. Bambang Wicaksono, M.T.", "Inspektur Daerah", "Inspektorat Daerah", "196805121994031004"),
    ("H. Bupati Contoh, S.Sos.", "Bupati Uji", "", ""),
    ("AKBP Raden Ayu Sekar, S.I.K.", "Kepala Kepolisian Resor Uji", "Polres Uji", ""),
    ("Dr. Kajari Teguh, S.H., M.H.", "Kepala Kejaksaan Negeri Uji", "", ""),
    ("Siti Farida, S.H., M.H.", "Kepala Perwakilan", "Ombudsman Republik Indonesia", ""),
    ("Drs. H. Ketua Dewan, M.Si.", "Ketua DPRD Kabupaten Uji", "DPRD Kabupaten Uji", ""),
    ("Prof. Dr. Hakim Adil, S.H.", "Ketua Pengadilan Negeri Uji", "", ""),
    ("Nur Aini, S.E., Ak., CA", "Kepala Perwakilan BPKP", "BPKP Jawa Tengah", "197512302000032001"),
]


def _render(kind, by, capture, **target):
    with capture(execute=True):
        job = services.request_report(kind=kind, by=by, **target)
    job.refresh_from_db()
    assert job.status == Status.READY, job.error
    return job


def _set_witnesses(assessment, rows):
    assessment.witnesses.all().delete()
    for order, (name, position, institution, nip) in enumerate(rows):
        assessment.witnesses.create(
            order=order, name=name, position=position, institution=institution, nip=nip
        )


@pytest.mark.parametrize("count", [1, 2, 4, 5, 7, 8])
def test_piagam_prints_every_witness_with_titles_intact_on_one_page(
    rz, django_capture_on_commit_callbacks, count
):
    a = rz["assessment"]
    _set_witnesses(a, WITNESSES_8[:count])
    job = _render(
        Kind.CHARTER, rz["users"]["unit_head"], django_capture_on_commit_callbacks, assessment=a
    )
    text = pdf_text(job)
    for name, position, _institution, _nip in WITNESSES_8[:count]:
        assert name in text  # commas and academic titles kept: never split into name + "M.T."
        assert position in text
    for name, *_rest in WITNESSES_8[count:]:
        assert name not in text
    assert "NIP 19680512 199403 1 004" in text  # the Inspektur's NIP, grouped
    assert page_count(job) == 1  # eight witnesses still fit the page


def test_piagam_states_the_date_in_words_the_target_and_the_signatory_nip(
    rz, django_capture_on_commit_callbacks
):
    a = rz["assessment"]
    a.target, a.signatory_nip = "WBBM", "197003121995031002"
    a.save()
    job = _render(
        Kind.CHARTER, rz["users"]["unit_head"], django_capture_on_commit_callbacks, assessment=a
    )
    text = pdf_text(job)
    assert "Pada hari ini Kamis tanggal lima bulan Februari tahun dua ribu dua puluh enam" in text
    assert "MENUJU WILAYAH BIROKRASI BERSIH DAN MELAYANI (WBBM)" in text
    assert "menuju Wilayah Birokrasi Bersih dan Melayani (WBBM)" in text
    assert "Wilayah Bebas dari Korupsi (WBK)" not in text
    assert "Drs. Sutrisno Wibowo, M.Si." in text and "NIP 19700312 199503 1 002" in text
    assert "Ujiharjo, 5 Februari 2026" in text  # the seat of the Pemda, then the date


def test_pakta_is_the_standard_form_dated_on_the_proclamation_day(
    rz, django_capture_on_commit_callbacks
):
    unit = rz["unit"]
    unit.head_rank = "Pembina Utama Muda (IV/c)"
    unit.save()
    assert rz["assessment"].proclaimed_on == date(2026, 2, 5)
    job = _render(
        Kind.PACT,
        rz["users"]["unit_head"],
        django_capture_on_commit_callbacks,
        unit=unit,
        year=2026,
    )
    text = pdf_text(job)
    assert "Saya yang bertanda tangan di bawah ini" in text
    assert "Drs. Sutrisno Wibowo, M.Si." in text
    assert "19700312 199503 1 002" in text
    assert "Pangkat/Golongan" in text and "Pembina Utama Muda (IV/c)" in text
    assert "Kepala Dinas Penanaman Modal dan PTSP" in text
    assert "Dinas Penanaman Modal dan PTSP Kabupaten Uji" in text  # instansi
    for point in range(1, 8):
        assert f"{point}. " in text
    assert "Ujiharjo, 5 Februari 2026" in text  # the proclamation date, not the print date
    assert "Pembuat Pernyataan" in text and "METERAI" in text and "Rp10.000" in text
    assert "Menyaksikan" in text and "Bupati Ujiharjo" in text and "Bupati Uji" in text
    assert page_count(job) == 1


def test_pakta_of_a_unit_under_another_is_witnessed_by_the_parent_units_head(
    rz, django_capture_on_commit_callbacks
):
    from tests.factories import WorkUnitFactory

    parent = WorkUnitFactory(
        pemda=rz["pemda"],
        name="Dinas Kesehatan",
        code="OPD-11",
        head_name="dr. Kepala Dinas, M.Kes.",
        head_title="Kepala Dinas Kesehatan",
        head_nip="197105051998032003",
    )
    unit = rz["unit"]
    unit.parent = parent
    unit.save()
    job = _render(
        Kind.PACT, rz["users"]["unit_head"], django_capture_on_commit_callbacks, unit=unit
    )
    text = pdf_text(job)
    assert "dr. Kepala Dinas, M.Kes." in text and "19710505 199803 2 003" in text


def test_recap_has_letterhead_inspektur_signature_and_separate_score_columns(
    rz, django_capture_on_commit_callbacks
):
    from tests.factories import WorkUnitFactory

    WorkUnitFactory(
        pemda=rz["pemda"],
        type="inspektorat",
        name="Inspektorat Daerah",
        code="OPD-03",
        head_name="Ir. Bambang Wicaksono, M.T.",
        head_title="Inspektur Daerah",
        head_nip="196805121994031004",
    )
    pemda = rz["pemda"]
    pemda.address = "Jl. Kartini No. 1, Ujiharjo"
    pemda.save()
    job = _render(
        Kind.RECAP,
        rz["users"]["inspektorat_admin"],
        django_capture_on_commit_callbacks,
        pemda=pemda,
    )
    text = pdf_text(job)
    assert "PEMERINTAH KABUPATEN UJI" in text and "Jl. Kartini No. 1, Ujiharjo" in text
    assert "Nilai mandiri" in text and "Nilai TPI" in text
    assert "Inspektur Daerah," in text
    assert "Ir. Bambang Wicaksono, M.T." in text and "NIP 19680512 199403 1 004" in text


def test_recap_as_xlsx_lists_every_unit_with_both_scores(rz, django_capture_on_commit_callbacks):
    import io

    import openpyxl
    from django.core.files.storage import default_storage

    job = _render(
        Kind.RECAP_XLSX,
        rz["users"]["inspektorat_admin"],
        django_capture_on_commit_callbacks,
        pemda=rz["pemda"],
    )
    assert services.download_name(job).endswith(".xlsx")
    with default_storage.open(job.file.name, "rb") as fh:
        wb = openpyxl.load_workbook(io.BytesIO(fh.read()))
    rows = list(wb["Rekap"].iter_rows(values_only=True))
    assert rows[2][6:8] == ("Nilai mandiri", "Nilai TPI")
    names = {r[2] for r in rows[3:]}
    assert {"Dinas Penanaman Modal dan PTSP", "Dinas Kependudukan dan Pencatatan Sipil"} <= names


def test_scorecard_shows_shares_one_way_with_a_decimal_comma(
    rz, django_capture_on_commit_callbacks
):
    import re

    from assessments.models import Track
    from assessments.scoring import CHOICE, answer_kind
    from tests.factories import best_answers, fill

    # Every answer at its best, but the choices of one change area at their worst on the TPI
    # track: that area's share falls below the gate, which lists it.
    a = rz["assessment"]
    spec = a.instrument.spec
    values = best_answers(a.instrument)
    fill(a, Track.SELF, values)
    worst = dict(values)
    for indicator in spec["indicators"]:
        if indicator.get("area") != spec["indicators"][0].get("area"):
            continue
        for q in indicator["questions"]:
            atype = spec["answer_types"][q["answer_type"]]
            if answer_kind(atype) == CHOICE:
                worst[q["code"]] = atype["options"][-1]["value"]
    fill(a, Track.TPI, worst)
    job = _render(
        Kind.SCORECARD,
        rz["users"]["unit_head"],
        django_capture_on_commit_callbacks,
        assessment=a,
    )
    text = pdf_text(job)
    # The low area's share as every page prints a share (one decimal, a comma): "57,9%".
    assert re.search(r"\d+,\d%", text)
    assert not re.search(r"\d\.\d+%", text)  # never "57.89%"
    assert not re.search(r"\d,\d\d%", text)  # nor "57,89%" beside "55,7%"
    assert not re.search(r"minimal 0,\d\d", text)  # never "0,55, minimal 0,60"
    assert "60%" in text


def _joint_charter_html(rz, extra, django_assert_max_num_queries):
    from assessments.models import Assessment
    from reports import pdf
    from tests.factories import WorkUnitFactory, make_assessment

    for i in range(extra):
        a = make_assessment(
            WorkUnitFactory(pemda=rz["pemda"], name=f"Puskesmas Uji {i}", code=f"PKM-{i:02d}")
        )
        for order, (name, position, institution, nip) in enumerate(WITNESSES_8[:5]):
            a.witnesses.create(
                order=order, name=name, position=position, institution=institution, nip=nip
            )
    with django_assert_max_num_queries(2):  # the assessments, then all their witnesses
        assessments = list(
            Assessment.objects.filter(unit__pemda=rz["pemda"], proclaimed_on=date(2026, 2, 5))
            .select_related("unit__pemda")
            .order_by("unit__code")
        )
        html = pdf.render_html("reports/pdf/charter.html", services.charter_context(assessments))
    return html, len(assessments)


@pytest.mark.parametrize("extra", [3, 9])
def test_the_joint_charter_costs_the_same_queries_for_n_and_3n_units(
    rz, django_assert_max_num_queries, extra
):
    html, pages = _joint_charter_html(rz, extra, django_assert_max_num_queries)
    assert pages == extra + 2 and html.count("PIAGAM PENCANANGAN") == pages
