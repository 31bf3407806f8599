import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from units.models import WorkUnit

HEADER = [
    "kode",
    "nama",
    "jenis",
    "kode_induk",
    "singkatan",
    "nama_kepala",
    "jabatan_kepala",
    "alamat",
    "aktif",
]


def csv_file(rows, name="unit.csv", sep=","):
    lines = [sep.join(HEADER)] + [sep.join(r) for r in rows]
    return SimpleUploadedFile(
        name, ("\n".join(lines) + "\n").encode("utf-8"), content_type="text/csv"
    )


def xlsx_file(rows, name="unit.xlsx"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    for row in rows:
        ws.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile(name, buf.getvalue())


GOOD_ROWS = [
    (
        "D-11",
        "Dinas Kesehatan",
        "dinas",
        "",
        "Dinkes",
        "dr. Budi",
        "Kepala Dinas",
        "Jl. Kartini 1",
        "ya",
    ),
    ("P-01", "Puskesmas Bangsri I", "Puskesmas", "D-11", "PKM Bangsri I", "", "", "", "ya"),
    ("K-01", "Kecamatan Bangsri", "KECAMATAN", "", "", "", "", "", "tidak"),
]


def _post(client, uploaded, pemda, action="import"):
    return client.post(reverse("units:import"), {"pemda": pemda.pk, "file": uploaded, action: "1"})


@pytest.mark.parametrize("make_file", [csv_file, xlsx_file])
def test_admin_imports_a_unit_list_with_parents(world, login, make_file):
    client = login(world["users"]["inspektorat_admin"])
    response = _post(client, make_file(GOOD_ROWS), world["pemda_a"])
    assert response.status_code == 200
    assert "Impor selesai: 3 unit baru" in response.content.decode()
    puskesmas = WorkUnit.objects.get(pemda=world["pemda_a"], code="P-01")
    assert puskesmas.parent.name == "Dinas Kesehatan"
    assert puskesmas.type == "puskesmas"
    assert WorkUnit.objects.get(pemda=world["pemda_a"], code="K-01").active is False


def test_semicolon_separated_csv_is_accepted(world, login):
    client = login(world["users"]["inspektorat_admin"])
    _post(client, csv_file(GOOD_ROWS, sep=";"), world["pemda_a"])
    assert (
        WorkUnit.objects.filter(pemda=world["pemda_a"], code__in=["D-11", "P-01", "K-01"]).count()
        == 3
    )


def test_import_updates_existing_unit_by_code(world, login):
    client = login(world["users"]["inspektorat_admin"])
    rows = [("A-01", "Dinas Milik Sendiri (nama baru)", "dinas", "", "", "", "", "", "ya")]
    html = _post(client, csv_file(rows), world["pemda_a"]).content.decode()
    assert "1 diperbarui" in html
    world["own"].refresh_from_db()
    assert world["own"].name == "Dinas Milik Sendiri (nama baru)"


def test_bad_rows_are_reported_per_row_and_nothing_is_saved(world, login):
    client = login(world["users"]["inspektorat_admin"])
    before = WorkUnit.objects.count()
    rows = [
        ("N-01", "Dinas Baik", "dinas", "", "", "", "", "", "ya"),  # line 2: fine on its own
        ("N-02", "Unit Aneh", "kantor", "", "", "", "", "", "ya"),  # line 3: unknown type
        ("N-03", "", "badan", "", "", "", "", "", "ya"),  # line 4: no name
        (
            "N-04",
            "Puskesmas Yatim",
            "puskesmas",
            "X-99",
            "",
            "",
            "",
            "",
            "ya",
        ),  # line 5: unknown parent
        ("N-05", "Badan Ragu", "badan", "", "", "", "", "", "mungkin"),  # line 6: bad flag
    ]
    response = _post(client, csv_file(rows), world["pemda_a"])
    html = response.content.decode()
    assert "Impor dibatalkan" in html
    assert "Jenis &#x27;kantor&#x27; tidak dikenal" in html
    assert "Wajib diisi" in html
    assert "Unit induk dengan kode &#x27;X-99&#x27; tidak ditemukan" in html
    assert "bukan &#x27;mungkin&#x27;" in html
    report = response.context["report"]
    assert {(e.row, e.column) for e in report.row_errors} == {
        (3, "jenis"),
        (4, "nama"),
        (5, "kode_induk"),
        (6, "aktif"),
    }
    assert WorkUnit.objects.count() == before


def test_duplicate_code_in_file_is_refused(world, login):
    client = login(world["users"]["inspektorat_admin"])
    rows = [GOOD_ROWS[0], ("D-11", "Dinas Kembar", "dinas", "", "", "", "", "", "ya")]
    report = _post(client, csv_file(rows), world["pemda_a"]).context["report"]
    assert [(e.row, e.column) for e in report.row_errors] == [(3, "kode")]
    assert not WorkUnit.objects.filter(code="D-11").exists()


def test_parent_cannot_come_from_another_pemda(world, login):
    client = login(world["users"]["inspektorat_admin"])
    rows = [("N-10", "Puskesmas Lintas", "puskesmas", world["foreign"].code, "", "", "", "", "ya")]
    report = _post(client, csv_file(rows), world["pemda_a"]).context["report"]
    assert report.row_errors and report.row_errors[0].column == "kode_induk"


def test_check_only_saves_nothing(world, login):
    client = login(world["users"]["inspektorat_admin"])
    html = _post(client, csv_file(GOOD_ROWS), world["pemda_a"], action="check").content.decode()
    assert "Berkas valid: 3 unit baru" in html
    assert not WorkUnit.objects.filter(code="D-11").exists()


@pytest.mark.parametrize(
    "uploaded,message",
    [
        (SimpleUploadedFile("unit.pdf", b"%PDF-1.4"), "Format berkas tidak didukung"),
        (
            SimpleUploadedFile("unit.xlsx", b"bukan spreadsheet"),
            "tidak dapat dibaca sebagai spreadsheet",
        ),
        (
            SimpleUploadedFile("unit.csv", b"nama,alamat\nDinas X,Jl. Y\n"),
            "Kolom wajib tidak ada: kode, jenis",
        ),
        (SimpleUploadedFile("unit.csv", b"kode,nama,jenis\n"), "tidak berisi baris data"),
        (
            SimpleUploadedFile("unit.csv", "kode,nama,jenis\nA,Dinas Ä,dinas\n".encode("latin-1")),
            "UTF-8",
        ),
    ],
)
def test_unusable_files_get_a_clear_message(world, login, uploaded, message):
    client = login(world["users"]["inspektorat_admin"])
    html = _post(client, uploaded, world["pemda_a"]).content.decode()
    assert message in html


def test_admin_cannot_import_into_another_pemda(world, login):
    client = login(world["users"]["inspektorat_admin"])
    response = _post(client, csv_file(GOOD_ROWS), world["pemda_b"])
    assert (
        "Masukkan pilihan yang valid" in response.content.decode()
    )  # the Pemda is not offered at all
    assert not WorkUnit.objects.filter(code="D-11").exists()
