"""The LKE instrument as an xlsx workbook: Inspektorat admins export a version, edit it in a
spreadsheet program and import it back as a new version.

Layout, one sheet per part of the canonical JSON (assessments/instruments/lke-2024.json);
row 1 holds the column names, data start on row 2:

  Instrumen      kunci | nilai — format, kode, nama, dasar hukum, tahun, desimal,
                 bulatkan indikator (ya/tidak), alternatif pecahan, catatan
  Jenis Jawaban  kode, label, jenis (pilihan/hitung/jumlah/nilai), opsi ("A=1; B=0,67; C=0,33"),
                 alternatif ("exact_thirds: B=2/3; C=1/3", one per line), min, maks
  Area           kode, nama, urutan
  Komponen       kode komponen, nama komponen, bobot komponen, kode bagian, nama bagian,
                 bobot bagian — one row per bagian, the komponen columns repeated
  Pertanyaan     one row per question: kode indikator, bagian, area, nama indikator,
                 bobot indikator, kode pertanyaan, label, pertanyaan, kriteria, jenis jawaban,
                 pembilang, penyebut ("+REF-SDM-03.j1 -REF-SDM-03.j2"), survei, petunjuk,
                 data dukung (one per line); optional: pilihan ("A. teks" per line), koreksi
                 (one per line), sumber
  Ambang         predikat, kode gerbang, jenis (simpul/porsi area/predikat sebelumnya), node,
                 minimal, syarat predikat, label — one row per gate
  Pengusulan     kunci | nilai | jenis (teks/angka/ya-tidak/daftar/json): the "nomination" block
  Lainnya        kunci | nilai | jenis: every other top-level block (e.g. "calendar")
A first sheet "Petunjuk" explains this to whoever edits the file; the reader ignores it.

Canonical form, which is what makes ``read_instrument_xlsx(export_instrument(spec)) == spec``:
- indicator and question ``order`` are the row order (1, 2, …), so rows can be moved to reorder;
  the rows of one indicator (one komponen, one predikat) must be consecutive;
- a count question (jenis "jumlah") whose kriteria/petunjuk/data dukung are empty carries none
  of those keys; every other question carries all three, empty or not;
- numbers keep their exact text ("2.50" stays "2.50"): weights are written as number cells
  whose format shows those decimals, and read back with at least those decimals. Numbers typed
  as text may use a decimal comma ("0,5") or a fraction ("2/3").
The export proves this on every file it writes and refuses a spec it could not give back whole,
because a later import of that file would silently drop the missing part.

Modules: ``layout`` (sheets and columns), ``export`` (spec → workbook), ``assemble`` (workbook →
spec, located errors, the import as a new version); cells, rows and errors come from
``assessments.xlsx_reader``, which the LKE answer import shares.
"""

from zi_portal.downloads import XLSX_CONTENT_TYPE

from ..xlsx_reader import SheetError
from .assemble import XlsxImport, import_xlsx, read_instrument_xlsx
from .export import XlsxLayoutError, export_instrument

__all__ = [
    "XLSX_CONTENT_TYPE",
    "SheetError",
    "XlsxImport",
    "XlsxLayoutError",
    "export_instrument",
    "import_xlsx",
    "read_instrument_xlsx",
]
