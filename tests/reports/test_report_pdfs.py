"""Each PDF renders through the real job pipeline and says what its reader needs (checked with pypdf)."""

from assessments.models import Track
from reports import services
from reports.models import Kind, Status
from tests.factories import evaluation_done, fill
from tests.reports.helpers import page_count, pdf_text


def _render(kind, by, django_capture_on_commit_callbacks, **target):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.request_report(kind=kind, by=by, **target)
    job.refresh_from_db()
    assert job.status == Status.READY, job.error
    return job


def test_charter_names_unit_date_place_signatory_and_witnesses(
    rz, django_capture_on_commit_callbacks
):
    job = _render(
        Kind.CHARTER,
        rz["users"]["unit_operator"],
        django_capture_on_commit_callbacks,
        assessment=rz["assessment"],
    )
    text = pdf_text(job)
    assert "PIAGAM PENCANANGAN" in text
    assert "ZONA INTEGRITAS" in text
    assert "DINAS PENANAMAN MODAL DAN PTSP" in text  # letterhead
    assert "Pada hari ini Kamis tanggal lima bulan Februari tahun dua ribu dua puluh enam" in text
    assert "Pendopo Kabupaten Uji" in text
    assert "Drs. Sutrisno Wibowo, M.Si." in text
    for name in (
        "H. Bupati Contoh, S.Sos.",
        "AKBP Raden Ayu Sekar",
        "Kapolres Uji",
        "Kepala Kejaksaan Negeri Uji",
    ):
        assert name in text
    assert "Saksi-saksi" in text
    assert page_count(job) == 1


def test_charter_of_one_occasion_prints_a_page_per_unit(rz, django_capture_on_commit_callbacks):
    job = _render(
        Kind.CHARTER,
        rz["users"]["leadership"],
        django_capture_on_commit_callbacks,
        pemda=rz["pemda"],
        params={"proclaimed_on": "2026-02-05"},
    )
    text = pdf_text(job)
    assert (
        "DINAS PENANAMAN MODAL DAN PTSP" in text
        and "DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL" in text
    )
    assert "DINAS PEMDA SEBELAH" not in text
    assert page_count(job) == 2


def test_pact_states_the_unit_heads_identity_and_commitments(
    rz, django_capture_on_commit_callbacks
):
    job = _render(
        Kind.PACT, rz["users"]["unit_head"], django_capture_on_commit_callbacks, unit=rz["unit"]
    )
    text = pdf_text(job)
    assert "PAKTA INTEGRITAS" in text
    assert "Drs. Sutrisno Wibowo, M.Si." in text
    assert "19700312 199503 1 002" in text
    assert "Kepala Dinas Penanaman Modal dan PTSP" in text
    assert "pertentangan kepentingan (conflict of interest)" in text
    assert "Ujiharjo," in text


def test_scorecard_of_a_ready_unit_shows_scores_gates_and_verdict(
    evaluated, rz, django_capture_on_commit_callbacks
):
    evaluation_done(evaluated, rz["users"]["evaluator"])  # signed off, evidence accepted
    job = _render(
        Kind.SCORECARD,
        rz["users"]["leadership"],
        django_capture_on_commit_callbacks,
        assessment=evaluated,
    )
    text = pdf_text(job)
    assert "Kartu Skor Zona Integritas — Dinas Penanaman Modal dan PTSP" in text
    assert "Siap diusulkan WBK" in text
    assert "Ambang WBK — Evaluasi TPI" in text
    assert "Nilai Survei Persepsi Korupsi (IPAK)" in text
    assert "Manajemen Perubahan" in text  # area bar label (SVG text)
    assert "Kelengkapan data dukung per area" in text
    assert "Pencanangan bersama" in text  # timeline note
    assert "93,50" in text  # ZI.md boundary example: best Pengungkit + IPAK 3,60 / IPKP 3,20 / B


def test_scorecard_of_an_unready_unit_lists_the_gaps(rz, django_capture_on_commit_callbacks):
    a = rz["assessment"]
    fill(a, Track.SELF, {"PEM-MP-01.a": "Ya"})
    job = _render(
        Kind.SCORECARD,
        rz["users"]["unit_operator"],
        django_capture_on_commit_callbacks,
        assessment=a,
    )
    text = pdf_text(job)
    assert "Belum siap diusulkan WBK" in text
    assert "Evaluasi TPI belum lengkap" in text
    assert "belum" in text


def test_regional_recap_lists_every_unit_by_stage_and_rank(
    rz, evaluated, django_capture_on_commit_callbacks
):
    from assessments.services import compute_scores

    compute_scores(pemda=rz["pemda"])
    job = _render(
        Kind.RECAP,
        rz["users"]["leadership"],
        django_capture_on_commit_callbacks,
        pemda=rz["pemda"],
        year=2026,
    )
    text = pdf_text(job)
    assert "Rekap Zona Integritas — Kabupaten Uji 2026" in text
    assert "Sepuluh besar" in text
    assert (
        "Dinas Penanaman Modal dan PTSP" in text
        and "Dinas Kependudukan dan Pencatatan Sipil" in text
    )
    assert "Dinas Pemda Sebelah" not in text
    assert (
        "1 Dinas Penanaman Modal dan PTSP Pembangunan 93,50" in text
    )  # ranked first with its TPI score
    assert "Unit per tahap" in text and "Penetapan per tahun" in text


def test_recap_counts_units_not_yet_proclaimed(rz, django_capture_on_commit_callbacks):
    from tests.factories import WorkUnitFactory

    WorkUnitFactory(
        pemda=rz["pemda"], name="Kecamatan Tanpa Pencanangan", code="KEC-09", type="kecamatan"
    )  # no assessment
    job = _render(
        Kind.RECAP,
        rz["users"]["inspektorat_admin"],
        django_capture_on_commit_callbacks,
        pemda=rz["pemda"],
    )
    text = pdf_text(job)
    # Counted by type, not listed row by row (issue 17: 54 such units filled 3½ pages of dashes).
    assert "1 unit kerja belum dicanangkan: 1 kecamatan" in text
    assert "Kecamatan Tanpa Pencanangan" not in text
    assert job.year == 2026  # defaults to the latest ZI year of the Pemda


def test_a_url_in_a_report_template_is_refused_cleanly_and_nothing_is_fetched(tmp_path):
    """The installed WeasyPrint (70) expects a URLFetcher: a bare function made any URL raise instead of being skipped."""
    import http.server
    import threading

    from reports.pdf import html_to_pdf

    hits = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the stdlib's name)
            hits.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    secret = tmp_path / "secret.css"
    secret.write_text("body { background: red }")
    port = server.server_address[1]
    try:
        pdf = html_to_pdf(
            f'<html><head><link rel="stylesheet" href="file://{secret}">'
            f'<link rel="stylesheet" href="file:///etc/passwd"></head><body>'
            f'<img src="http://127.0.0.1:{port}/x.png"><img src="http://127.0.0.1:1/x.png">'
            f'<p style="background: url(http://127.0.0.1:{port}/bg.png)">Laporan</p></body></html>'
        )
    finally:
        server.shutdown()
        server.server_close()
    assert pdf.startswith(b"%PDF")
    assert hits == []


def test_a_long_recap_rendered_in_parts_reads_as_one_document(
    rz, evaluated, monkeypatch, django_capture_on_commit_callbacks
):
    """A Pemda's recap is laid out a part at a time (bounded memory, issue 15); the reader still gets
    one document: title and summary once at the start, every unit once with its rank running on, the
    signature once at the end, "Halaman X dari Y" counting the whole file and the verification code
    on every page."""
    import io

    from django.core.files.storage import default_storage
    from pypdf import PdfReader

    from assessments.services import compute_scores
    from reports.models import VerifiedDocument
    from tests.factories import WorkUnitFactory, make_assessment

    compute_scores(pemda=rz["pemda"])
    for n in range(1, 8):
        unit = WorkUnitFactory(pemda=rz["pemda"], name=f"Puskesmas Bagian {n}", code=f"PKM-{n:02d}")
        make_assessment(unit)
    monkeypatch.setattr(services, "RECAP_PART_ROWS", 3)
    parts = services.recap_parts(services.recap_context(rz["pemda"], 2026))
    assert len(parts) == 3  # 9 proclaimed units in parts of 3

    job = _render(
        Kind.RECAP,
        rz["users"]["inspektorat_admin"],
        django_capture_on_commit_callbacks,
        pemda=rz["pemda"],
        year=2026,
    )
    with default_storage.open(job.file.name, "rb") as fh:
        reader = PdfReader(io.BytesIO(fh.read()))
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    total = len(pages)
    assert total >= 3
    code = VerifiedDocument.objects.get(job=job).code
    display = "-".join(code[i : i + 4] for i in range(0, len(code), 4))
    for number, text in enumerate(pages, 1):
        assert text.count(f"Halaman {number} dari {total}") == 1, (number, text[-200:])
        assert display in text, f"page {number} without its verification code"
    whole = " ".join(pages)
    assert whole.count("Rekap Zona Integritas — Kabupaten Uji 2026") == 1
    for n in range(1, 8):
        assert whole.count(f"Puskesmas Bagian {n} ") == 1
    assert whole.count("Unit kerja yang dicanangkan") == 1
    # the signature closes the last page only
    assert whole.count("1 OPD-01 Dinas Penanaman Modal dan PTSP Pembangunan") == 1  # ranked first
    signed_at = f"{rz['pemda'].seat or rz['pemda'].name}, "
    assert signed_at in pages[-1] and not any(signed_at in p for p in pages[:-1])
    assert reader.metadata.title.startswith("Rekap Zona Integritas")
