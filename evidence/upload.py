"""Receiving evidence files: a streaming upload handler and the checks on name and content.

The handler writes each uploaded file to a temporary file chunk by chunk, hashing as it goes,
and stops the upload as soon as a file passes the size limit; nothing is held whole in memory.
The checks decide the file type from its content (libmagic), never from its name.
"""

import hashlib
import unicodedata
import zipfile
from dataclasses import dataclass

import magic
from django.conf import settings
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile, TemporaryFileUploadHandler
from django.utils.translation import gettext as _

from zi_portal.middleware import FORM_OVERHEAD_BYTES
from zi_portal.sizes import human_size

CHUNK_SIZE = 64 * 1024
HEAD_BYTES = 256 * 1024  # enough for libmagic to tell OOXML/ODF containers apart
MAX_NAME_LENGTH = 150
# Files one upload on the evidence page may carry at full size (the page takes several at once;
# the API takes one per request).
PAGE_UPLOAD_FILES = 10

# Detected MIME type -> the type key used in EVIDENCE_ALLOWED_TYPES (also the stored extension).
KNOWN_TYPES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "application/msword": "doc",
    "application/vnd.ms-excel": "xls",
    "application/vnd.ms-powerpoint": "ppt",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
}
MIME_OF = {key: mime for mime, key in KNOWN_TYPES.items()}
LABELS = {
    "pdf": "PDF",
    "jpg": "JPG",
    "png": "PNG",
    "webp": "WebP",
    "doc": "Word (.doc)",
    "docx": "Word (.docx)",
    "xls": "Excel (.xls)",
    "xlsx": "Excel (.xlsx)",
    "ppt": "PowerPoint (.ppt)",
    "pptx": "PowerPoint (.pptx)",
    "odt": "ODF teks (.odt)",
    "ods": "ODF lembar kerja (.ods)",
}
ALIASES = {"jpeg": "jpg", "jpe": "jpg"}

# Containers libmagic cannot always tell apart (a docx whose first zip entry is not
# [Content_Types].xml is just "zip"; an OLE file may be "CDFV2"): the name's extension decides
# among the formats that really use that container, and for zip the parts are checked.
OOXML_PARTS = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
CONTAINERS = {
    "application/zip": frozenset(OOXML_PARTS),
    "application/x-ole-storage": frozenset({"doc", "xls", "ppt"}),
    "application/CDFV2": frozenset({"doc", "xls", "ppt"}),
    "application/vnd.ms-office": frozenset({"doc", "xls", "ppt"}),
}
EXECUTABLES = frozenset(
    {
        "application/x-executable",
        "application/x-pie-executable",
        "application/x-sharedlib",
        "application/x-dosexec",
        "application/x-msdownload",
        "application/x-mach-binary",
        "application/x-elf",
        "application/x-object",
        "application/x-coredump",
        "text/x-shellscript",
        "text/x-msdos-batch",
        "application/x-bytecode.python",
    }
)
FORBIDDEN_NAME_CHARS = frozenset('<>:"|?*')


class RejectedFile(ValueError):
    """A file that may not be stored; the message (Indonesian) is for the person who sent it."""


# --- settings ------------------------------------------------------------------------------


def max_bytes() -> int:
    return int(settings.EVIDENCE_MAX_BYTES)


def allowed_types() -> frozenset:
    return frozenset(
        ALIASES.get(t.strip().lower(), t.strip().lower()) for t in settings.EVIDENCE_ALLOWED_TYPES
    )


def allowed_labels() -> str:
    order = list(LABELS)
    keys = sorted(allowed_types(), key=lambda t: (order.index(t) if t in order else len(order), t))
    return ", ".join(LABELS.get(t, t) for t in keys)


def accept_attribute() -> str:
    """For <input accept>: a hint to the browser only, the server decides from the content."""
    return ",".join(f".{t}" for t in sorted(allowed_types())) + (
        ",.jpeg" if "jpg" in allowed_types() else ""
    )


def max_request_bytes(files: int = 1) -> int:
    """The largest request body an upload of ``files`` files may send (the rest is refused unread
    by zi_portal.middleware.RequestBodyLimits)."""
    return files * max_bytes() + FORM_OVERHEAD_BYTES


def too_large_message(name: str | None = None) -> str:
    return _("Berkas %(name)s melebihi batas ukuran %(limit)s.") % {
        "name": f"“{name}”" if name else "",
        "limit": human_size(max_bytes()),
    }


# --- names ---------------------------------------------------------------------------------


def strip_invisible(text: str) -> str:
    """Text without control and format characters (Unicode Cc, Cf): NUL, tabs, and the bidi marks
    and overrides U+200E/F, U+202A-202E, U+2066-2069 that make "laporan\u202efdp.exe" show as
    "laporanexe.pdf" — a name must show what it is."""
    return "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cf"))


def clean_name(raw) -> str:
    """The original file name if it is safe to keep and show (invisible characters removed),
    else RejectedFile."""
    name = strip_invisible(raw).strip() if isinstance(raw, str) else ""
    if not name:
        raise RejectedFile(_("Nama berkas kosong."))
    if "/" in name or "\\" in name or name in {".", ".."}:
        raise RejectedFile(
            _("Nama berkas tidak boleh memuat bagian path (/, \\ atau ..): “%(name)s”.")
            % {"name": name[-60:]}
        )
    if any(
        unicodedata.category(c)[0] == "C" or c in FORBIDDEN_NAME_CHARS for c in name
    ):  # Cs, Co, Cn
        raise RejectedFile(
            _(
                "Nama berkas memuat karakter yang tidak diizinkan (karakter kendali atau "
                '< > : " | ? *). Ganti nama berkas lalu unggah lagi.'
            )
        )
    if len(name) > MAX_NAME_LENGTH:
        raise RejectedFile(
            _("Nama berkas terlalu panjang (%(n)d karakter, maksimal %(max)d).")
            % {"n": len(name), "max": MAX_NAME_LENGTH}
        )
    return unicodedata.normalize("NFC", name)


def extension(name: str) -> str:
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return ALIASES.get(ext, ext)


def safe_name(name: str, type_key: str) -> str:
    """The name a file is stored, downloaded and zipped under: invisible characters removed and
    ending in the extension of its detected type, so "laporan.bat" holding a PDF becomes
    "laporan.bat.pdf" (the original name stays readable; the system opens it as a PDF)."""
    name = (
        unicodedata.normalize("NFC", strip_invisible(name)).strip().rstrip(". ")
    )  # Windows drops trailing dots
    if extension(name) == type_key:
        return name
    return f"{name or _('berkas')}.{type_key}"


def served_name(version) -> str:
    """safe_name of a stored version (also of one stored before names were made safe): the stored
    file's own extension is its detected type (evidence.services.storage_name)."""
    return safe_name(version.original_name, extension(version.file.name))


# --- content -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Detected:
    type_key: str  # e.g. "pdf", "docx": also the stored extension
    content_type: str  # the MIME type served on download


def detect(head: bytes, name: str, fileobj=None) -> Detected:
    """The file's type from its first bytes (and, for zip, its parts), checked against the settings."""
    mime = magic.from_buffer(head, mime=True)
    ext = extension(name)
    if mime in EXECUTABLES:
        raise RejectedFile(
            _("Berkas “%(name)s” berisi program (executable), bukan dokumen. Berkas ditolak.")
            % {"name": name}
        )
    key = KNOWN_TYPES.get(mime)
    if key is None and mime in CONTAINERS and ext in CONTAINERS[mime]:
        key = ext
        if mime == "application/zip" and not _is_ooxml(fileobj, key):
            key = None
    if key is None or key not in allowed_types():
        raise RejectedFile(
            _(
                "Jenis berkas “%(name)s” tidak didukung (isi terdeteksi: %(mime)s). Jenis yang diterima: %(allowed)s."
            )
            % {"name": name, "mime": mime, "allowed": allowed_labels()}
        )
    if ext in LABELS and ext != key and not _same_family(ext, key):
        raise RejectedFile(
            _(
                "Isi berkas “%(name)s” adalah %(actual)s, tidak sesuai dengan ekstensinya (.%(ext)s). "
                "Simpan ulang berkas dalam format yang benar."
            )
            % {"name": name, "actual": LABELS.get(key, key), "ext": ext}
        )
    return Detected(key, MIME_OF.get(key, mime))


def _same_family(ext: str, key: str) -> bool:
    # Office may save a legacy .xls under a modern name and vice versa; both are spreadsheets.
    families = ({"doc", "docx", "odt"}, {"xls", "xlsx", "ods"}, {"ppt", "pptx"})
    return any(ext in f and key in f for f in families)


def _is_ooxml(fileobj, key: str) -> bool:
    """A zip named .docx/.xlsx/.pptx must really hold an Office Open XML package of that kind."""
    if fileobj is None:
        return False
    position = fileobj.tell() if hasattr(fileobj, "tell") else 0
    try:
        fileobj.seek(0)
        with zipfile.ZipFile(fileobj) as zf:  # reads only the central directory
            names = zf.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        fileobj.seek(position)
    return "[Content_Types].xml" in names and any(n.startswith(OOXML_PARTS[key]) for n in names)


def read_head(fileobj) -> bytes:
    fileobj.seek(0)
    head = fileobj.read(HEAD_BYTES)
    fileobj.seek(0)
    return head


def digest(fileobj, limit: int) -> tuple[str, int]:
    """SHA-256 and size, read chunk by chunk; RejectedFile as soon as the size passes ``limit``."""
    sha, size = hashlib.sha256(), 0
    chunks = (
        fileobj.chunks(CHUNK_SIZE)
        if hasattr(fileobj, "chunks")
        else iter(lambda: fileobj.read(CHUNK_SIZE), b"")
    )
    for chunk in chunks:
        size += len(chunk)
        if size > limit:
            raise RejectedFile(too_large_message(getattr(fileobj, "name", None)))
        sha.update(chunk)
    if hasattr(fileobj, "seek"):
        fileobj.seek(0)
    return sha.hexdigest(), size


# --- the upload handler --------------------------------------------------------------------


class HashedTemporaryUploadedFile(TemporaryUploadedFile):
    """A streamed upload whose SHA-256 and size were computed while it was received."""

    sha256: str = ""
    received_bytes: int = 0


class EvidenceUploadHandler(TemporaryFileUploadHandler):
    """Streams each file to a temporary file, hashing every chunk; stops past the size limit.

    Install per view, before the request body is read:
    ``request.upload_handlers.insert(0, EvidenceUploadHandler(request))``.
    """

    chunk_size = CHUNK_SIZE

    def __init__(self, request=None, limit: int | None = None):
        super().__init__(request)
        self.limit = limit if limit is not None else max_bytes()
        self.too_large: str | None = None  # the name of the file that passed the limit

    def new_file(self, *args, **kwargs):
        FileUploadHandler.new_file(self, *args, **kwargs)
        self.file = HashedTemporaryUploadedFile(
            self.file_name, self.content_type, 0, self.charset, self.content_type_extra
        )
        self._sha = hashlib.sha256()
        self._received = 0

    def receive_data_chunk(self, raw_data, start):
        self._received += len(raw_data)
        if self._received > self.limit:
            self.too_large = self.file_name or ""
            # Drop this file; the parser discards the rest of its part chunk by chunk, so the
            # browser gets our answer, not a reset. (StopUpload(connection_reset=False) would make
            # Django read the rest of the body line by line: a part without newlines is one
            # "line", held whole in memory — 200 MiB sent took a worker to ~500 MB.)
            raise SkipFile()
        self._sha.update(raw_data)
        self.file.write(raw_data)
        return None  # consumed: later handlers never see the data

    def file_complete(self, file_size):
        uploaded = super().file_complete(file_size)
        uploaded.sha256 = self._sha.hexdigest()
        uploaded.received_bytes = self._received
        return uploaded
