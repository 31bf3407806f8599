"""The Pemda's emblem (lambang) on letterheads: PNG or SVG, and an SVG never carries scripts, foreign
objects or references outside itself into a document."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from units.admin import PemdaForm
from units.emblem import EmblemError, emblem_data_uri, sanitise

SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">{}</svg>'
SHIELD = '<path d="M1 1 L9 1 L5 9 Z" fill="#1d6f42"/>'

HOSTILE = {
    "script": SVG.format("<script>alert(1)</script>" + SHIELD),
    "event handler": SVG.format('<path d="M0 0" onload="alert(1)"/>'),
    "event on root": '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><path d="M0 0"/></svg>',
    "foreignObject": SVG.format(
        '<foreignObject><body xmlns="http://www.w3.org/1999/xhtml"><iframe src="https://x.test"/>'
        "</body></foreignObject>"
    ),
    "external image": SVG.format(
        '<image href="https://evil.test/track.png" width="10" height="10"/>'
    ),
    "xlink image": '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
    '<image xlink:href="file:///etc/passwd"/></svg>',
    "use of an outside file": '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
    '<use xlink:href="https://evil.test/sprite.svg#a"/></svg>',
    "javascript link": SVG.format('<a href="javascript:alert(1)">' + SHIELD + "</a>"),
    "style sheet": SVG.format("<style>@import url(https://evil.test/x.css);</style>" + SHIELD),
    "url() to the outside": SVG.format('<path d="M0 0" fill="url(https://evil.test/p#g)"/>'),
    "style attribute import": SVG.format('<path d="M0 0" style="fill:url(//evil.test/x)"/>'),
    "animation setting href": SVG.format(
        '<a><animate attributeName="href" to="javascript:alert(1)"/></a>'
    ),
}
XML_BOMBS = {
    "entity expansion": '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">'
    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    '<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>',
    "external entity": '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    '<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>',
}


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_svg_is_refused_with_a_reason(name):
    with pytest.raises(EmblemError) as err:
        sanitise(HOSTILE[name].encode())
    assert "SVG lambang ditolak" in err.value.messages[0]


@pytest.mark.parametrize("name", XML_BOMBS)
def test_an_svg_with_a_dtd_or_entities_is_refused_unexpanded(name):
    with pytest.raises(EmblemError) as err:
        sanitise(XML_BOMBS[name].encode())
    assert "DTD/entitas" in err.value.messages[0]


def test_a_clean_svg_keeps_its_drawing_and_loses_editor_clutter():
    inkscape = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd"'
        ' xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" viewBox="0 0 10 10" inkscape:version="1.3">'
        '<sodipodi:namedview id="nv"/><metadata>x</metadata><!-- a comment -->'
        '<defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient></defs>'
        '<path d="M1 1 L9 1 L5 9 Z" fill="url(#g)" inkscape:label="perisai" data-x="1"/></svg>'
    )
    clean, kind = sanitise(inkscape.encode())
    assert kind == "svg"
    text = clean.decode()
    assert 'd="M1 1 L9 1 L5 9 Z"' in text and 'fill="url(#g)"' in text
    for gone in ("sodipodi", "inkscape", "metadata", "comment", "data-x"):
        assert gone not in text


def test_a_png_is_re_encoded_without_its_text_chunks():
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<script>alert(1)</script>")
    raw = io.BytesIO()
    Image.new("RGB", (40, 48), "#1d6f42").save(raw, format="PNG", pnginfo=info)
    clean, kind = sanitise(raw.getvalue())
    assert kind == "png" and b"script" not in clean
    assert Image.open(io.BytesIO(clean)).size == (40, 48)


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"GIF89a" + b"\0" * 20, "PNG atau SVG"),
        (b"\x89PNG\r\n\x1a\n" + b"broken", "rusak"),
        (b"<svg" + b" " * (600 * 1024), "terlalu besar"),
        (b'<html xmlns="http://www.w3.org/1999/xhtml"><svg/></html>', "bukan SVG"),
    ],
)
def test_other_files_are_refused_with_a_clear_message(data, says):
    with pytest.raises(EmblemError) as err:
        sanitise(data)
    assert says in err.value.messages[0]


def test_the_pemda_form_stores_only_the_sanitised_emblem_and_the_letterhead_shows_it(world):
    pemda = world["pemda"]
    upload = SimpleUploadedFile(
        "lambang.svg",
        SVG.format("<title>Lambang</title><metadata>x</metadata>" + SHIELD).encode(),
        content_type="image/svg+xml",
    )
    data = {
        "code": pemda.code,
        "name": pemda.name,
        "kind": pemda.kind,
        "seat": pemda.seat,
        "head_title": pemda.head_title,
        "head_name": pemda.head_name,
        "address": "Jl. Kartini No. 1, Ujiharjo",
        "active": "on",
    }
    form = PemdaForm(data, {"emblem": upload}, instance=pemda)
    assert form.is_valid(), form.errors
    form.save()
    pemda.refresh_from_db()
    assert pemda.emblem.name.endswith(".svg")
    with pemda.emblem.open("rb") as f:
        stored = f.read()
    assert b"metadata" not in stored and b"M1 1 L9 1" in stored
    assert emblem_data_uri(pemda).startswith("data:image/svg+xml;base64,")


def test_the_pemda_form_refuses_a_hostile_svg_next_to_the_field_and_keeps_the_rest(world):
    pemda = world["pemda"]
    upload = SimpleUploadedFile("lambang.svg", HOSTILE["script"].encode())
    data = {
        "code": pemda.code,
        "name": pemda.name,
        "kind": pemda.kind,
        "head_title": pemda.head_title,
        "address": "Jl. Kartini No. 1, Ujiharjo",
    }
    form = PemdaForm(data, {"emblem": upload}, instance=pemda)
    assert not form.is_valid()
    assert "SVG lambang ditolak" in form.errors["emblem"][0]
    assert form["address"].value() == "Jl. Kartini No. 1, Ujiharjo"  # shown again, not lost
