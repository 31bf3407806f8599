import io
import re

from django.core.files.storage import default_storage
from pypdf import PdfReader


def pdf_text(job) -> str:
    """The text of a job's stored PDF, whitespace collapsed (what a reader of the document sees)."""
    with default_storage.open(job.file.name, "rb") as fh:
        reader = PdfReader(io.BytesIO(fh.read()))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def page_count(job) -> int:
    with default_storage.open(job.file.name, "rb") as fh:
        return len(PdfReader(io.BytesIO(fh.read())).pages)
