"""QR codes for printed documents and posters: one function per output form, each returning a
``data:`` URI that an <img> in a page or a WeasyPrint PDF can show without fetching anything."""

import base64
import io

import segno


def qr_svg_data_uri(text: str, *, scale: int = 4, border: int = 2, dark: str = "#000") -> str:
    """The QR code of ``text`` (error correction M: survives a fold or a stamp over a corner) as an
    SVG data URI. SVG keeps the modules sharp at any print size."""
    code = segno.make(text, error="m", micro=False)
    out = io.BytesIO()
    code.save(out, kind="svg", scale=scale, border=border, dark=dark, xmldecl=False, svgns=True)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def qr_png_data_uri(text: str, *, scale: int = 8, border: int = 2) -> str:
    """The same as a PNG data URI, for places that cannot show SVG (e-mail clients)."""
    code = segno.make(text, error="m", micro=False)
    out = io.BytesIO()
    code.save(out, kind="png", scale=scale, border=border)
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode("ascii")
