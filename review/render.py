"""Renders page images of one untrusted file, run as ``python -m review.render IN OUTDIR KIND`` in
a child process that limits its own CPU time, memory and output first (review.previews.render_pages). An uploaded PDF or
image is hostile input: a decoder bug, a decompression bomb or an endless page costs this child,
never the worker. Writes 1.png, 2.png … into OUTDIR; prints nothing on success."""

from __future__ import annotations

import sys
from pathlib import Path

MAX_PAGES = 3
MAX_SIDE = 1400  # pixels of the longer side of a rendered page
MAX_SOURCE_PIXELS = 40_000_000  # images larger than this are refused, not decoded


def _fit(width: float, height: float) -> float:
    return min(1.0, MAX_SIDE / max(width, height, 1))


def render_pdf(source: Path, outdir: Path) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(source))
    try:
        count = min(len(pdf), MAX_PAGES)
        for index in range(count):
            page = pdf[index]
            width, height = page.get_size()  # points (1/72 inch)
            scale = min(2.0, _fit(width * 2, height * 2) * 2)
            image = page.render(scale=scale).to_pil()
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            image.convert("RGB").save(outdir / f"{index + 1}.png", "PNG", optimize=True)
        return count
    finally:
        pdf.close()


def render_image(source: Path, outdir: Path) -> int:
    from PIL import Image

    # Pillow only warns between 1× and 2× MAX_IMAGE_PIXELS; the size check below refuses those too.
    Image.MAX_IMAGE_PIXELS = MAX_SOURCE_PIXELS
    with Image.open(source) as image:  # reads the header only
        width, height = image.size
        if width * height > MAX_SOURCE_PIXELS:
            raise SystemExit(f"image too large: {width}x{height}")
        image.draft("RGB", (MAX_SIDE, MAX_SIDE))  # JPEG: decode at a reduced size
        image.seek(0)
        frame = image.convert("RGB")
        frame.thumbnail((MAX_SIDE, MAX_SIDE))
        frame.save(outdir / "1.png", "PNG", optimize=True)
    return 1


CPU_SECONDS = 20
MEMORY_BYTES = 768 * 1024 * 1024  # address space (pdfium maps a good deal up front)
OUTPUT_BYTES = 32 * 1024 * 1024  # largest file this process may write


def limit_self() -> None:
    """Limits this process before it reads the untrusted file: set here rather than in a
    preexec_fn, which is unsafe in a parent that runs threads (the web server in eager mode)."""
    import resource

    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_FSIZE, (OUTPUT_BYTES, OUTPUT_BYTES))


def main(argv: list[str]) -> int:
    limit_self()
    source, outdir, kind = Path(argv[1]), Path(argv[2]), argv[3]
    render = render_pdf if kind == "pdf" else render_image
    render(source, outdir)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
