"""The Pemda's coat of arms (lambang daerah) as printed on letterheads: an uploaded PNG or SVG.

SVG is parsed with defusedxml (no DTD, no entities) and rebuilt from an explicit allow-list of
drawing elements and attributes: no script, no foreignObject, no <image>, no event handlers, no
style sheets, and every reference (href, url(...)) must point inside the file (#id). A file that
tries any of that is refused with the reason, so nobody wonders why their emblem lost a part.
PNG is decoded with Pillow and saved again, which drops every chunk but the pixels. Either way the
letterhead shows it as an <img> with a data: URI, which a browser or WeasyPrint never scripts."""

import base64
import io
import re
from xml.etree import ElementTree as ET

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_BYTES = 512 * 1024
MAX_PIXELS = 2048
MAX_ELEMENTS = 5000
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"

ELEMENTS = {
    "svg", "g", "defs", "title", "desc", "path", "rect", "circle", "ellipse", "line", "polyline",
    "polygon", "text", "tspan", "linearGradient", "radialGradient", "stop", "clipPath", "mask",
    "use", "symbol",
}  # fmt: skip
# Refused outright (with the reason) rather than silently dropped: each can run code or fetch.
DANGEROUS = {"script", "foreignObject", "image", "iframe", "object", "embed", "audio", "video",
             "style", "a", "animate", "set", "animateTransform", "animateMotion", "handler",
             "feImage"}  # fmt: skip
ATTRIBUTES = {
    "id", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "width", "height", "d",
    "points", "viewBox", "preserveAspectRatio", "transform", "fill", "fill-opacity", "fill-rule",
    "stroke", "stroke-width", "stroke-opacity", "stroke-linecap", "stroke-linejoin",
    "stroke-miterlimit", "stroke-dasharray", "stroke-dashoffset", "opacity", "clip-path",
    "clip-rule", "mask", "offset", "stop-color", "stop-opacity", "gradientUnits",
    "gradientTransform", "spreadMethod", "fx", "fy", "font-family", "font-size", "font-weight",
    "font-style", "text-anchor", "dominant-baseline", "letter-spacing", "dx", "dy", "style",
    "clipPathUnits", "maskUnits", "maskContentUnits", "version", "href", "display", "visibility",
}  # fmt: skip
# Inkscape and Illustrator add their own namespaces (sodipodi, inkscape, rdf): harmless, dropped.
EDITOR_NAMESPACES = ("sodipodi", "inkscape", "purl.org/dc", "creativecommons", "rdf-syntax")
URL = re.compile(r"url\s*\(\s*['\"]?([^)'\"]*)", re.IGNORECASE)
STYLE_FORBIDDEN = re.compile(r"@import|expression\s*\(|javascript:|\\", re.IGNORECASE)


class EmblemError(ValidationError):
    pass


def sanitise(data: bytes, name: str = "") -> tuple[bytes, str]:
    """(clean bytes, "png" or "svg") of an uploaded emblem, or EmblemError with the reason."""
    if len(data) > MAX_BYTES:
        raise EmblemError(
            _("Berkas lambang terlalu besar (paling besar 512 KB)."), code="emblem_size"
        )
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return _png(data), "png"
    head = data[:2048].lstrip().lower()
    if head.startswith(b"<?xml") or head.startswith(b"<svg") or b"<svg" in head:
        return _svg(data), "svg"
    raise EmblemError(_("Lambang harus berkas PNG atau SVG."), code="emblem_type")


def _png(data: bytes) -> bytes:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        with Image.open(io.BytesIO(data)) as img:
            if img.format != "PNG":
                raise EmblemError(_("Lambang harus berkas PNG atau SVG."), code="emblem_type")
            if max(img.size) > MAX_PIXELS:
                raise EmblemError(
                    _("Gambar lambang paling besar %(n)d×%(n)d piksel.") % {"n": MAX_PIXELS},
                    code="emblem_size",
                )
            out = io.BytesIO()
            img.convert("RGBA").save(out, format="PNG", optimize=True)
            return out.getvalue()
    except EmblemError:
        raise
    except Exception:
        raise EmblemError(
            _("Berkas PNG lambang rusak atau tidak dapat dibaca."), code="emblem_bad"
        ) from None


def _local(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        ns, _sep, local = tag[1:].partition("}")
        return ns, local
    return "", tag


def _refuse(what: str):
    raise EmblemError(
        _("SVG lambang ditolak: memuat %(what)s (skrip, objek asing atau rujukan ke luar berkas).")
        % {"what": what},
        code="emblem_unsafe",
    )


def _check_value(attr: str, value: str) -> None:
    for target in URL.findall(value):
        if not target.strip().startswith("#"):
            _refuse(f'{attr}="{value[:60]}"')
    if attr == "style" and STYLE_FORBIDDEN.search(value):
        _refuse(f'style="{value[:60]}"')


def _svg(data: bytes) -> bytes:
    try:
        root = SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (DefusedXmlException, ET.ParseError, ValueError) as exc:
        raise EmblemError(
            _("SVG lambang tidak dapat dibaca (XML tidak sah atau memuat DTD/entitas): %(e)s")
            % {"e": type(exc).__name__},
            code="emblem_bad",
        ) from None
    if _local(root.tag) != (SVG_NS, "svg"):
        raise EmblemError(_("Berkas ini bukan SVG (elemen akar harus <svg>)."), code="emblem_type")
    count = 0

    def clean(node):
        nonlocal count
        for child in list(node):
            count += 1
            if count > MAX_ELEMENTS:
                raise EmblemError(_("SVG lambang terlalu rumit."), code="emblem_size")
            if not isinstance(child.tag, str):  # comments, processing instructions
                node.remove(child)
                continue
            ns, local = _local(child.tag)
            if local in DANGEROUS:
                _refuse(f"<{local}>")
            if ns != SVG_NS or local not in ELEMENTS:
                node.remove(child)  # metadata, sodipodi:namedview and the like
                continue
            clean_attributes(child)
            clean(child)

    def clean_attributes(el):
        for attr in list(el.attrib):
            value = el.attrib[attr]
            ns, local = _local(attr)
            if local.lower().startswith("on"):
                _refuse(f"{local}=…")
            if local == "href" and ns in ("", XLINK_NS):
                if not value.strip().startswith("#"):
                    _refuse(f'href="{value[:60]}"')
                del el.attrib[attr]
                el.set("href", value.strip())
                continue
            if ns or local not in ATTRIBUTES:
                del el.attrib[attr]
                continue
            _check_value(local, value)

    clean_attributes(root)
    clean(root)
    ET.register_namespace("", SVG_NS)
    return ET.tostring(root, encoding="utf-8", xml_declaration=False)


def data_uri(data: bytes, kind: str) -> str:
    mime = "image/svg+xml" if kind == "svg" else "image/png"
    return f"data:{mime};base64," + base64.b64encode(data).decode("ascii")


def emblem_data_uri(pemda) -> str:
    """The Pemda's stored emblem as a data: URI for an <img>, or "" without one. Sanitised again on
    the way out: a file placed in storage by other means is held to the same rules."""
    if not pemda.emblem:
        return ""
    try:
        with pemda.emblem.open("rb") as f:
            raw = f.read(MAX_BYTES + 1)
        clean, kind = sanitise(raw, pemda.emblem.name)
    except (OSError, ValidationError):
        return ""
    return data_uri(clean, kind)


def store_emblem(*, pemda, upload) -> None:
    """Saves an uploaded emblem (sanitised) as the Pemda's; EmblemError says why one is refused."""
    from django.core.files.base import ContentFile

    clean, kind = sanitise(upload.read(MAX_BYTES + 1), getattr(upload, "name", ""))
    if pemda.emblem:
        pemda.emblem.delete(save=False)
    pemda.emblem.save(f"lambang-{pemda.code}.{kind}", ContentFile(clean), save=True)
