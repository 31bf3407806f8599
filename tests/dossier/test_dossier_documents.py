"""The surat usulan, SPTJM and LHE render through the report jobs and say what their reader needs
(text checked with pypdf)."""

from assessments.models import Track
from dossier import services
from evidence import services as evidence_services
from reports.models import Kind, Status
from reports.services import render_job
from tests.factories import fill, make_assessment, upload_evidence
from tests.reports.helpers import pdf_text


def _render(assessment, kind, by):
    job = render_job(services.request_document(assessment=assessment, kind=kind, by=by))
    assert job.status == Status.READY, job.error
    return job


def _name_unit(unit, name, head="", nip="", title=""):
    unit.name, unit.head_name, unit.head_nip, unit.head_title = name, head, nip, title
    unit.save()


def test_surat_usulan_lists_every_unit_of_the_year_with_its_target(dz):
    admin = dz["admin"]
    pemda = dz["pemda"]
    pemda.head_title, pemda.head_name = "Bupati", "H. Darmanto Wibisono, S.Pd."
    pemda.save()
    _name_unit(dz["own"], "Dinas Penanaman Modal dan PTSP")
    _name_unit(dz["other"], "Dinas Kependudukan dan Pencatatan Sipil")
    other = make_assessment(dz["other"])
    services.open_dossier(assessment=dz["assessment"], target="WBK", by=admin)
    services.open_dossier(assessment=other, target="WBBM", by=admin)
    make_assessment(dz["foreign"])  # another Pemda: never in this letter
    job = _render(dz["assessment"], Kind.SURAT_USULAN, admin)
    text = pdf_text(job)
    assert "Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi" in text
    assert "Menuju WBK dan WBBM Tahun 2026" in text
    assert "Dinas Penanaman Modal dan PTSP WBK" in text
    assert "Dinas Kependudukan dan Pencatatan Sipil WBBM" in text
    assert "Dinas Pemda Lain" not in text
    assert "Bupati Uji," in text and "H. Darmanto Wibisono, S.Pd." in text
    assert job.params == {"units": {str(dz["assessment"].pk): "WBK", str(other.pk): "WBBM"}}


def test_sptjm_is_made_out_to_the_unit_head_for_signature(dz):
    _name_unit(
        dz["own"],
        "Dinas Penanaman Modal dan PTSP",
        head="Drs. Sutrisno Wibowo, M.Si.",
        nip="197003121995031002",
        title="Kepala Dinas Penanaman Modal dan PTSP",
    )
    services.open_dossier(assessment=dz["assessment"], target="WBK", by=dz["admin"])
    text = pdf_text(_render(dz["assessment"], Kind.SPTJM, dz["operator"]))
    assert "SURAT PERNYATAAN TANGGUNG JAWAB MUTLAK" in text
    assert "Menuju WBK Tahun 2026" in text
    assert "Drs. Sutrisno Wibowo, M.Si." in text
    assert "197003121995031002" in text
    assert "Kepala Dinas Penanaman Modal dan PTSP" in text
    assert "(meterai)" in text


def test_lhe_reports_scores_gaps_findings_and_recommendations(dz):
    a, admin = dz["assessment"], dz["admin"]
    fill(a, Track.SELF, {"PEM-MP-01.a": "Ya", "PEM-MP-01.b": "Ya"})
    # The TPI answered PEM-MP-01.b "Tidak" where the unit said "Ya": a finding.
    a.answers.filter(track=Track.TPI, question__code="PEM-MP-01.b").update(value="Tidak")
    q = a.instrument.questions.get(code="PEM-MP-01.a")
    item = upload_evidence(a, q, dz["operator"], name="SK Tim ZI tanpa tanda tangan.pdf")
    evidence_services.review(
        item=item, by=dz["users"]["evaluator"], status="rejected", comment="Belum ditandatangani"
    )
    dossier = services.open_dossier(assessment=a, target="WBK", by=admin)
    services.update_details(
        dossier=dossier,
        by=admin,
        video_url="",
        recommendations="Tetapkan SK Tim Kerja ZI yang ditandatangani.\nLaksanakan survei IPKP.",
    )
    admin.full_name, admin.nip = "Ir. Bambang Wicaksono, M.T.", "196805121994031004"
    admin.save()
    text = pdf_text(_render(a, Kind.LHE, admin))
    assert "LAPORAN HASIL EVALUASI" in text
    assert "Manajemen Perubahan" in text and "Penguatan Pengawasan" in text
    assert "Penilaian mandiri" in text and "Evaluasi TPI" in text
    assert "WBK" in text and "WBBM" in text and "Kekurangan" in text
    findings = text[text.index("3. Temuan") : text.index("4. Rekomendasi")]
    assert (
        "PEM-MP-01.b Penentuan anggota Tim dipilih melalui prosedur/mekanisme yang jelas Ya Tidak"
        in findings
    )
    assert "PEM-MP-01.a" not in findings.split("Data dukung yang belum diterima")[0]
    assert "SK Tim ZI tanpa tanda tangan.pdf Ditolak" in text
    assert "Tetapkan SK Tim Kerja ZI yang ditandatangani." in text
    assert "Laksanakan survei IPKP." in text
    assert "Ir. Bambang Wicaksono, M.T." in text and "196805121994031004" in text
