"""Moved to tests/factories.py; kept so that tests written against this path still import."""

from tests.factories import (  # noqa: F401
    ELF,
    MZ,
    TINY_SPEC,
    AssessmentFactory,
    image_bytes,
    make_instrument,
    ooxml_bytes,
    pdf_bytes,
    pdf_file,
    plain_zip_bytes,
    png_file,
    post_files,
    upload_url,
    xlsx_bytes,
)
