"""The LKE instrument as xlsx: exact round trip, errors located at sheet/row/column with nothing saved,
who may import/export/activate, and versions (an import never changes a version in use)."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import Role
from assessments.instrument_io import load_shipped_spec
from assessments.instrument_xlsx import (
    XLSX_CONTENT_TYPE,
    SheetError,
    XlsxLayoutError,
    export_instrument,
    import_xlsx,
    read_instrument_xlsx,
)
from assessments.models import Assessment, Instrument
from assessments.services import current_instrument
from tests.factories import WorkUnitFactory, make_assessment, person, shipped_instrument
from units.models import Pemda

IMPORT_URL = reverse("assessments:instrument_import")
LIST_URL = reverse("assessments:instrument_list")


@pytest.fixture(autouse=True)
def _one_national_version(db):
    """These tests count versions from the one national LKE they export; the later national version
    the migrations add (LKE-ZI-2024 v2, zero denominators) is not theirs to count."""
    Instrument.objects.filter(pemda__isnull=True).exclude(pk=shipped_instrument().pk).delete()


@pytest.fixture(scope="module")
def shipped_xlsx():
    return export_instrument(load_shipped_spec())


def book(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def saved(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(data: bytes, name="lke-2024.xlsx"):
    return SimpleUploadedFile(name, data, content_type=XLSX_CONTENT_TYPE)


def column(ws, title) -> int:
    return [c.value for c in ws[1]].index(title) + 1


def rows_of(ws, title, value) -> list[int]:
    index = column(ws, title)
    return [r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=index).value == value]


def put(ws, row, title, value):
    ws.cell(row=row, column=column(ws, title), value=value)


def other_pemda():
    return Pemda.objects.get(name="Kabupaten Sebelah")  # the zi fixture's second Pemda


def read(data: bytes):
    return read_instrument_xlsx(io.BytesIO(data))


# --- round trip ----------------------------------------------------------------------------


def test_shipped_instrument_round_trips_exactly(shipped_xlsx):
    spec, errors = read(shipped_xlsx)
    assert errors == []
    assert spec == load_shipped_spec()  # numbers stay the same strings: "22.5", "0.60", "2.50"


def test_nomination_and_other_blocks_round_trip_too():
    spec = load_shipped_spec()
    spec["nomination"] = {
        "bpk_opinions": ["WTP"],
        "min_sakip_grade": "B",
        "revocation_cooldown_years": 2,
        "wbbm_needs_wbk": True,
        "documents": [{"code": "SPTJM", "name": "Surat pernyataan"}],
    }
    spec["calendar"] = {"pengusulan": ["01-01", "02-28"]}
    data = export_instrument(spec)
    assert {"Pengusulan", "Lainnya"} <= set(book(data).sheetnames)
    assert read(data) == (spec, [])


def test_export_refuses_data_the_layout_cannot_carry():
    spec = load_shipped_spec()
    spec["indicators"][0]["note"] = "a key no sheet has a column for"
    with pytest.raises(XlsxLayoutError, match=r"indicators\[0\]\.note"):
        export_instrument(spec)


def test_numbers_typed_with_decimal_comma_or_as_fractions_are_accepted(shipped_xlsx):
    wb = book(shipped_xlsx)
    ws = wb["Pertanyaan"]
    for row in rows_of(ws, "kode indikator", "PEM-MP-01"):
        put(
            ws, row, "bobot indikator", "0,5"
        )  # text, as typed in a spreadsheet with an English locale
    types = wb["Jenis Jawaban"]
    put(types, rows_of(types, "kode", "ABCD")[0], "opsi", "A=1; B=2/3; C=0.33; D=0")
    spec, errors = read(saved(wb))
    assert errors == []
    assert spec["indicators"][0]["weight"] == "0.5"
    assert [o["fraction"] for o in spec["answer_types"]["ABCD"]["options"]] == [
        "1",
        "2/3",
        "0.33",
        "0",
    ]


# --- errors: located, in Indonesian, nothing saved -----------------------------------------


def _indicator_weight(wb, code, value):
    ws = wb["Pertanyaan"]
    for row in rows_of(ws, "kode indikator", code):
        put(ws, row, "bobot indikator", value)


def section_weight_off(wb):
    _indicator_weight(wb, "PEM-MP-01", 1)
    row = rows_of(wb["Komponen"], "kode bagian", "PEMENUHAN")[0]
    return SheetError(
        "Komponen",
        row,
        "bobot bagian",
        "Bagian PEMENUHAN: bobot 30 ≠ jumlah bobot indikatornya 30.5",
    )


def component_weight_off(wb):
    ws = wb["Komponen"]
    rows = rows_of(ws, "kode komponen", "PENGUNGKIT")
    for row in rows:
        put(ws, row, "bobot komponen", 61)
    return SheetError(
        "Komponen",
        rows[0],
        "bobot komponen",
        "Komponen PENGUNGKIT: bobot 61 ≠ jumlah bobot bagiannya 60",
    )


def total_weight_off(wb):
    _indicator_weight(wb, "HSL-PRIMA-01", "18,5")
    ws = wb["Komponen"]
    put(ws, rows_of(ws, "kode bagian", "PRIMA")[0], "bobot bagian", 18.5)
    for row in rows_of(ws, "kode komponen", "HASIL"):
        put(ws, row, "bobot komponen", 41)
    return SheetError("Komponen", None, "bobot komponen", "Total bobot komponen 101 ≠ 100")


def unknown_answer_type(wb):
    ws = wb["Pertanyaan"]
    row = rows_of(ws, "kode pertanyaan", "PEM-MP-01.b")[0]
    put(ws, row, "jenis jawaban", "ABCX")
    return SheetError(
        "Pertanyaan",
        row,
        "jenis jawaban",
        "Pertanyaan PEM-MP-01.b: jenis jawaban 'ABCX' tidak dikenal",
    )


def unknown_answer_kind(wb):
    ws = wb["Jenis Jawaban"]
    row = rows_of(ws, "kode", "NILAI_0_4")[0]
    put(ws, row, "jenis", "skala")
    return SheetError(
        "Jenis Jawaban",
        row,
        "jenis",
        "jenis 'skala' tidak dikenal (pilihan, hitung, jumlah, nilai)",
    )


def duplicate_question_code(wb):
    ws = wb["Pertanyaan"]
    first = rows_of(ws, "kode pertanyaan", "PEM-MP-01.a")[0]
    row = rows_of(ws, "kode pertanyaan", "PEM-MP-01.b")[0]
    put(ws, row, "kode pertanyaan", "PEM-MP-01.a")
    return SheetError(
        "Pertanyaan",
        row,
        "kode pertanyaan",
        f"kode pertanyaan 'PEM-MP-01.a' ganda: sudah dipakai di baris {first}",
    )


def duplicate_indicator_code(wb):
    ws = wb["Pertanyaan"]
    rows = rows_of(ws, "kode indikator", "PEM-MP-03")
    for row in rows:
        put(ws, row, "kode indikator", "PEM-MP-01")
    return SheetError(
        "Pertanyaan",
        rows[0],
        "kode indikator",
        "kode indikator 'PEM-MP-01' ganda: sudah dipakai di baris 2 "
        "(baris satu indikator harus berurutan)",
    )


def non_numeric_weight(wb):
    ws = wb["Pertanyaan"]
    row = rows_of(ws, "kode indikator", "PEM-MP-02")[0]
    put(ws, row, "bobot indikator", "0,5x")
    return SheetError("Pertanyaan", row, "bobot indikator", "'0,5x' bukan angka")


def weight_differs_between_rows(wb):
    ws = wb["Pertanyaan"]
    first, second = rows_of(ws, "kode indikator", "PEM-MP-02")[:2]
    put(ws, second, "bobot indikator", 2)
    return SheetError(
        "Pertanyaan",
        second,
        "bobot indikator",
        f"'2' berbeda dengan baris {first} ('1'): satu indikator harus sama di semua barisnya",
    )


def formula_to_missing_question(wb):
    ws = wb["Pertanyaan"]
    row = rows_of(ws, "kode pertanyaan", "REF-SDM-03.a")[0]
    put(ws, row, "penyebut", "+REF-SDM-03.j9")
    return SheetError(
        "Pertanyaan",
        row,
        "penyebut",
        "Pertanyaan REF-SDM-03.a: rumus merujuk 'REF-SDM-03.j9' yang tidak ada",
    )


def unknown_gate_node(wb):
    ws = wb["Ambang"]
    row = next(
        r for r in rows_of(ws, "predikat", "WBBM") if ws.cell(row=r, column=2).value == "IPKP"
    )
    put(ws, row, "node", "HSL-PRIMA-09")
    return SheetError(
        "Ambang", row, "node", "Ambang WBBM, gerbang IPKP: simpul 'HSL-PRIMA-09' tidak dikenal"
    )


def missing_sheet(wb):
    del wb["Ambang"]
    return SheetError("Ambang", None, "", "lembar 'Ambang' tidak ada di berkas")


def missing_column(wb):
    ws = wb["Pertanyaan"]
    ws.delete_cols(column(ws, "bobot indikator"))
    return SheetError(
        "Pertanyaan",
        None,
        "",
        "kolom wajib tidak ada: bobot indikator. Baris pertama harus "
        "berisi judul kolom: kode indikator, bagian, area, nama indikator, "
        "bobot indikator, kode pertanyaan, label, pertanyaan, kriteria, "
        "jenis jawaban, pembilang, penyebut, survei, petunjuk, data dukung, "
        "pilihan, koreksi, sumber, penyebut nol, alasan penyebut nol.",
    )


ERROR_CASES = [
    section_weight_off,
    component_weight_off,
    total_weight_off,
    unknown_answer_type,
    unknown_answer_kind,
    duplicate_question_code,
    duplicate_indicator_code,
    non_numeric_weight,
    weight_differs_between_rows,
    formula_to_missing_question,
    unknown_gate_node,
    missing_sheet,
    missing_column,
]


@pytest.mark.parametrize("edit", ERROR_CASES, ids=[f.__name__ for f in ERROR_CASES])
def test_each_error_is_reported_at_its_sheet_row_and_column_and_nothing_is_saved(
    zi, shipped_xlsx, edit
):
    wb = book(shipped_xlsx)
    expected = edit(wb)
    before = Instrument.objects.count()
    result = import_xlsx(
        fileobj=upload(saved(wb)), pemda=zi["pemda"], by=zi["users"]["inspektorat_admin"]
    )
    assert expected in result.errors, [str(e) for e in result.errors]
    assert result.instrument is None and not result.created
    assert Instrument.objects.count() == before


def test_error_reads_as_one_indonesian_sentence(shipped_xlsx):
    wb = book(shipped_xlsx)
    row = rows_of(wb["Pertanyaan"], "kode indikator", "PEM-MP-02")[0]
    non_numeric_weight(wb)
    _spec, errors = read(saved(wb))
    assert [str(e) for e in errors] == [
        f"Pertanyaan baris {row}, kolom 'bobot indikator': '0,5x' bukan angka"
    ]


def test_component_and_total_errors_both_reported(shipped_xlsx):
    wb = book(shipped_xlsx)
    component_weight_off(wb)
    _spec, errors = read(saved(wb))
    assert (
        SheetError("Komponen", None, "bobot komponen", "Total bobot komponen 101 ≠ 100") in errors
    )


@pytest.mark.parametrize(
    "name, data, message",
    [
        (
            "lke.xlsx",
            b"kode,nama\nA,B\n",
            "Berkas tidak dapat dibaca sebagai spreadsheet .xlsx. Periksa isinya.",
        ),
        (
            "lke.csv",
            b"kode,nama\n",
            "Format berkas tidak didukung. Unggah berkas .xlsx (hasil unduhan instrumen).",
        ),
        ("lke.xlsx", b"", "Berkas kosong."),
    ],
)
def test_a_file_that_is_not_an_xlsx_is_a_file_level_error(zi, name, data, message):
    before = Instrument.objects.count()
    result = import_xlsx(
        fileobj=upload(data, name), pemda=zi["pemda"], by=zi["users"]["inspektorat_admin"]
    )
    assert result.errors == [SheetError("", None, "", message)]
    assert Instrument.objects.count() == before


def test_import_page_shows_errors_as_a_table(zi, login, shipped_xlsx):
    wb = book(shipped_xlsx)
    expected = non_numeric_weight(wb)
    client = login(zi["users"]["inspektorat_admin"])
    response = client.post(
        IMPORT_URL, {"pemda": zi["pemda"].pk, "file": upload(saved(wb)), "import": "1"}
    )
    assert response.status_code == 200
    assert expected in response.context["result"].errors
    html = response.content.decode()
    assert "&#x27;0,5x&#x27; bukan angka" in html and "bobot indikator" in html
    assert Instrument.objects.count() == 1


# --- versions ------------------------------------------------------------------------------


def _modified(shipped_xlsx) -> bytes:
    wb = book(shipped_xlsx)
    ws = wb["Pertanyaan"]
    put(
        ws,
        rows_of(ws, "kode pertanyaan", "PEM-MP-01.a")[0],
        "pertanyaan",
        "Unit kerja telah membentuk tim ZI",
    )
    return saved(wb)


def test_importing_a_modified_file_creates_version_2_and_leaves_version_1_and_its_assessments(
    zi, login, shipped_xlsx
):
    national = shipped_instrument()
    client = login(zi["users"]["inspektorat_admin"])
    response = client.post(
        IMPORT_URL,
        {"pemda": zi["pemda"].pk, "file": upload(_modified(shipped_xlsx)), "import": "1"},
        follow=True,
    )
    new = Instrument.objects.get(pemda=zi["pemda"])
    assert (new.code, new.version, new.created_by, new.source_name) == (
        "LKE-ZI-2024",
        2,
        zi["users"]["inspektorat_admin"],
        "lke-2024.xlsx",
    )
    assert new.questions.count() == national.questions.count()
    assert new.spec["indicators"][0]["questions"][0]["text"] == "Unit kerja telah membentuk tim ZI"
    national.refresh_from_db()
    assert (national.version, national.spec) == (1, load_shipped_spec())
    assert Assessment.objects.get(pk=zi["assessment"].pk).instrument == national
    assert current_instrument(zi["pemda"]) == new
    other = other_pemda()
    assert current_instrument(other) == national  # another Pemda's new assessments are not affected
    assert "versi 2" in " ".join(str(m) for m in response.context["messages"])


def test_identical_reimport_gives_back_the_existing_version(zi, login, shipped_xlsx):
    client = login(zi["users"]["inspektorat_admin"])
    data = _modified(shipped_xlsx)
    client.post(IMPORT_URL, {"pemda": zi["pemda"].pk, "file": upload(data), "import": "1"})
    response = client.post(
        IMPORT_URL, {"pemda": zi["pemda"].pk, "file": upload(data), "import": "1"}, follow=True
    )
    assert Instrument.objects.filter(code="LKE-ZI-2024").count() == 2
    assert "tidak ada versi baru" in " ".join(str(m) for m in response.context["messages"])


def test_unchanged_national_export_creates_no_pemda_copy(zi, shipped_xlsx):
    result = import_xlsx(
        fileobj=upload(shipped_xlsx), pemda=zi["pemda"], by=zi["users"]["inspektorat_admin"]
    )
    assert result.ok and not result.created and result.instrument == shipped_instrument()
    assert Instrument.objects.count() == 1


def test_check_only_saves_nothing(zi, login, shipped_xlsx):
    client = login(zi["users"]["inspektorat_admin"])
    response = client.post(
        IMPORT_URL, {"pemda": zi["pemda"].pk, "file": upload(_modified(shipped_xlsx)), "check": "1"}
    )
    assert response.status_code == 200
    assert "Belum ada yang disimpan" in response.content.decode()
    assert Instrument.objects.count() == 1


def test_activating_the_national_version_again_keeps_existing_assessments(zi, login, shipped_xlsx):
    admin = zi["users"]["inspektorat_admin"]
    own = import_xlsx(
        fileobj=upload(_modified(shipped_xlsx)), pemda=zi["pemda"], by=admin
    ).instrument
    on_own = make_assessment(WorkUnitFactory(pemda=zi["pemda"]))
    on_own.instrument = own
    on_own.save()
    national = shipped_instrument()
    response = login(admin).post(
        reverse("assessments:instrument_activate", args=[national.pk]), {"pemda": zi["pemda"].pk}
    )
    assert response.status_code == 302
    assert current_instrument(zi["pemda"]) == national
    own.refresh_from_db()
    assert own.active is False and own.history.first().history_user == admin
    on_own.refresh_from_db()
    assert on_own.instrument == own
    login(admin).post(
        reverse("assessments:instrument_activate", args=[own.pk]), {"pemda": zi["pemda"].pk}
    )
    assert current_instrument(zi["pemda"]) == own


def test_a_version_of_another_pemda_cannot_be_activated(zi, login, shipped_xlsx):
    own = import_xlsx(
        fileobj=upload(_modified(shipped_xlsx)),
        pemda=zi["pemda"],
        by=zi["users"]["inspektorat_admin"],
    ).instrument
    foreign = zi["users"]["foreign_admin"]
    other = other_pemda()
    login(foreign).post(
        reverse("assessments:instrument_activate", args=[own.pk]), {"pemda": other.pk}
    )
    assert current_instrument(other) == shipped_instrument()
    assert Instrument.objects.get(pk=own.pk).active


# --- permissions ---------------------------------------------------------------------------

NOT_IMPORTERS = [
    "evaluator",
    "leadership",
    "tpn_observer",
    "unit_head",
    "unit_operator",
    "outsider",
]


@pytest.mark.parametrize("who", NOT_IMPORTERS)
def test_only_inspektorat_admins_can_import(zi, login, who, shipped_xlsx):
    client = login(zi["users"][who])
    assert client.get(IMPORT_URL).status_code == 403
    response = client.post(
        IMPORT_URL,
        {"pemda": zi["pemda"].pk, "file": upload(_modified(shipped_xlsx)), "import": "1"},
    )
    assert response.status_code == 403
    assert Instrument.objects.count() == 1


def test_admin_imports_for_own_pemda_only(zi, login, shipped_xlsx):
    foreign = zi["users"]["foreign_admin"]
    response = login(foreign).post(
        IMPORT_URL,
        {"pemda": zi["pemda"].pk, "file": upload(_modified(shipped_xlsx)), "import": "1"},
    )
    assert response.status_code == 200 and "pemda" in response.context["form"].errors
    assert Instrument.objects.count() == 1
    with pytest.raises(Exception, match="tidak berwenang"):
        import_xlsx(fileobj=upload(_modified(shipped_xlsx)), pemda=zi["pemda"], by=foreign)


def test_admin_of_several_pemdas_chooses_the_pemda(zi, login):
    admin = zi["users"]["inspektorat_admin"]
    other = other_pemda()
    from accounts.services import grant_role

    grant_role(user=admin, role=Role.INSPEKTORAT_ADMIN, pemda=other)
    response = login(admin).get(IMPORT_URL)
    assert set(response.context["form"].fields["pemda"].queryset) == {zi["pemda"], other}


@pytest.mark.parametrize(
    "who, status",
    [
        ("inspektorat_admin", 200),
        ("evaluator", 200),
        ("foreign_admin", 200),
        ("leadership", 403),
        ("unit_operator", 403),
        ("outsider", 403),
    ],
)
def test_who_may_export_the_national_version(zi, login, who, status):
    response = login(zi["users"][who]).get(
        reverse("assessments:instrument_export", args=[shipped_instrument().pk])
    )
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == XLSX_CONTENT_TYPE
        assert 'filename="lke-zi-2024-v1.xlsx"' in response["Content-Disposition"]
        assert read(response.content) == (load_shipped_spec(), [])


@pytest.mark.parametrize(
    "who, status", [("evaluator", 200), ("foreign_admin", 404), ("unit_head", 403)]
)
def test_who_may_export_a_pemda_version(zi, login, shipped_xlsx, who, status):
    own = import_xlsx(
        fileobj=upload(_modified(shipped_xlsx)),
        pemda=zi["pemda"],
        by=zi["users"]["inspektorat_admin"],
    ).instrument
    response = login(zi["users"][who]).get(reverse("assessments:instrument_export", args=[own.pk]))
    assert response.status_code == status


@pytest.mark.parametrize(
    "who, status",
    [("evaluator", 403), ("leadership", 403), ("unit_operator", 403), ("foreign_admin", 404)],
)
def test_only_the_pemda_admin_can_activate(zi, login, who, status):
    national = shipped_instrument()
    response = login(zi["users"][who]).post(
        reverse("assessments:instrument_activate", args=[national.pk]), {"pemda": zi["pemda"].pk}
    )
    # Another Pemda's admin is not told the Pemda exists (404); a colleague is refused (403).
    assert response.status_code == status


def test_activate_requires_post(zi, login):
    response = login(zi["users"]["inspektorat_admin"]).get(
        reverse("assessments:instrument_activate", args=[shipped_instrument().pk])
    )
    assert response.status_code == 405


@pytest.mark.parametrize(
    "who, status",
    [
        ("inspektorat_admin", 200),
        ("evaluator", 200),
        ("leadership", 403),
        ("unit_operator", 403),
        ("outsider", 403),
    ],
)
def test_who_sees_the_instrument_list(zi, login, who, status):
    assert login(zi["users"][who]).get(LIST_URL).status_code == status


# --- list page -----------------------------------------------------------------------------


def test_instrument_list_shows_versions_of_the_pemda_in_constant_queries(
    zi, login, shipped_xlsx, django_assert_max_num_queries
):
    admin = zi["users"]["inspektorat_admin"]
    client = login(admin)
    client.get(LIST_URL)  # warm up session and caches

    def versions(n):
        for i in range(n):
            wb = book(shipped_xlsx)
            put(wb["Instrumen"], 4, "nilai", f"LKE uji {Instrument.objects.count()} {i}")
            import_xlsx(fileobj=upload(saved(wb)), pemda=zi["pemda"], by=admin)

    versions(1)
    with django_assert_max_num_queries(10):
        small = client.get(LIST_URL)
    versions(4)
    for _ in range(3):
        make_assessment(WorkUnitFactory(pemda=zi["pemda"]))
    with django_assert_max_num_queries(10):
        response = client.get(LIST_URL)
    assert len(response.context["instruments"]) == len(small.context["instruments"]) + 4 == 6
    html = response.content.decode()
    assert (
        "dipakai 4 penilaian" in html
    )  # the shipped version: the fixture's assessment and three more
    assert "aktif untuk penilaian baru" in html
    assert "137" in html  # question count
    # A foreign Pemda's versions are not listed.
    assert all(i.pemda_id in (None, zi["pemda"].pk) for i in response.context["instruments"])


def test_evaluator_sees_no_import_or_activate_buttons(zi, login):
    html = login(zi["users"]["evaluator"]).get(LIST_URL).content.decode()
    assert IMPORT_URL not in html and "aktifkan" not in html
    assert reverse("assessments:instrument_export", args=[shipped_instrument().pk]) in html


def test_nav_links_to_instruments_for_inspektorat_only(zi, login):
    assert LIST_URL in login(zi["users"]["evaluator"]).get(LIST_URL).content.decode()
    home = login(zi["users"]["unit_operator"]).get(reverse("units:list")).content.decode()
    assert LIST_URL not in home


# --- management commands -------------------------------------------------------------------


def test_commands_export_then_import_a_new_version(zi, tmp_path, shipped_xlsx):
    path = tmp_path / "lke.xlsx"
    call_command("export_instrument", str(path))
    assert read(path.read_bytes()) == (load_shipped_spec(), [])
    path.write_bytes(_modified(shipped_xlsx))
    call_command("import_instrument", str(path), "--pemda", zi["pemda"].code, "--check")
    assert Instrument.objects.count() == 1
    out = io.StringIO()
    call_command("import_instrument", str(path), "--pemda", zi["pemda"].code, stdout=out)
    assert Instrument.objects.get(pemda=zi["pemda"]).version == 2
    assert "Tersimpan" in out.getvalue()


def test_import_command_prints_row_errors_and_fails(zi, tmp_path, shipped_xlsx):
    wb = book(shipped_xlsx)
    expected = non_numeric_weight(wb)
    path = tmp_path / "lke.xlsx"
    path.write_bytes(saved(wb))
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 kesalahan; tidak ada yang disimpan"):
        call_command("import_instrument", str(path), "--pemda", zi["pemda"].code, stderr=err)
    assert str(expected) in err.getvalue()
    assert Instrument.objects.count() == 1


def test_import_command_as_a_user_checks_their_permission(zi, tmp_path, shipped_xlsx):
    path = tmp_path / "lke.xlsx"
    path.write_bytes(_modified(shipped_xlsx))
    evaluator = person(Role.EVALUATOR, pemda=zi["pemda"])
    with pytest.raises(CommandError, match="tidak berwenang"):
        call_command(
            "import_instrument",
            str(path),
            "--pemda",
            zi["pemda"].code,
            "--user",
            evaluator.username,
        )
