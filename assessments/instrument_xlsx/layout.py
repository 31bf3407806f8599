"""Sheets and columns of the instrument workbook, shared by the export and the assembler
(the layout itself is described in the package docstring)."""

SHEET_HELP = "Petunjuk"
SHEET_INFO = "Instrumen"
SHEET_TYPES = "Jenis Jawaban"
SHEET_AREAS = "Area"
SHEET_COMPONENTS = "Komponen"
SHEET_QUESTIONS = "Pertanyaan"
SHEET_THRESHOLDS = "Ambang"
SHEET_NOMINATION = "Pengusulan"
SHEET_OTHER = "Lainnya"

KV_COLUMNS = ["kunci", "nilai"]
TYPED_KV_COLUMNS = ["kunci", "nilai", "jenis"]
TYPE_COLUMNS = ["kode", "label", "jenis", "opsi", "alternatif", "min", "maks"]
AREA_COLUMNS = ["kode", "nama", "urutan"]
# "PEMENUHAN=4; REFORM=4": the area's declared weight per section (its halves)
AREA_OPTIONAL = ["bobot per bagian"]
COMPONENT_COLUMNS = [
    "kode komponen",
    "nama komponen",
    "bobot komponen",
    "kode bagian",
    "nama bagian",
    "bobot bagian",
]
QUESTION_COLUMNS = [
    "kode indikator",
    "bagian",
    "area",
    "nama indikator",
    "bobot indikator",
    "kode pertanyaan",
    "label",
    "pertanyaan",
    "kriteria",
    "jenis jawaban",
    "pembilang",
    "penyebut",
    "survei",
    "petunjuk",
    "data dukung",
]
# "penyebut nol": not_applicable, full or zero (% questions), with its reason
QUESTION_OPTIONAL = ["pilihan", "koreksi", "sumber", "penyebut nol", "alasan penyebut nol"]
THRESHOLD_COLUMNS = [
    "predikat",
    "kode gerbang",
    "jenis",
    "node",
    "minimal",
    "syarat predikat",
    "label",
]

# Instrumen sheet: key -> path in the spec and the kind of value it holds.
INFO_KEYS = {
    "format": (("format",), "int"),
    "kode": (("code",), "text"),
    "nama": (("name",), "text"),
    "dasar hukum": (("regulation",), "text"),
    "tahun": (("year",), "int"),
    "desimal": (("scoring", "decimals"), "int"),
    "bulatkan indikator": (("scoring", "round_indicators"), "bool"),
    "alternatif pecahan": (("scoring", "fraction_alternative"), "optional"),
    "catatan": (("scoring", "notes"), "text"),
}
REQUIRED_INFO = ("kode", "nama", "tahun")
ANSWER_KINDS = ("pilihan", "hitung", "jumlah", "nilai")
KIND_NAMES = dict(
    zip(("choice", "computed", "count", "value"), ANSWER_KINDS, strict=True)
)  # scoring.answer_kind -> jenis
GATE_KINDS = {
    "simpul": "node",
    "porsi area": "each_area_share",
    "predikat sebelumnya": "prior_designation",
}
VALUE_KINDS = ("teks", "angka", "ya/tidak", "daftar", "json")
# Blocks that have sheets of their own; any other top-level key goes to "Lainnya".
KNOWN_KEYS = {path[0] for path, _kind in INFO_KEYS.values()} | {
    "answer_types",
    "areas",
    "components",
    "indicators",
    "thresholds",
    "nomination",
}

SHEET_ORDER = [
    SHEET_INFO,
    SHEET_TYPES,
    SHEET_AREAS,
    SHEET_COMPONENTS,
    SHEET_QUESTIONS,
    SHEET_THRESHOLDS,
    SHEET_NOMINATION,
    SHEET_OTHER,
]


def comma(text: str) -> str:
    return str(text).replace(".", ",")  # Indonesian decimal comma, as admins read numbers
