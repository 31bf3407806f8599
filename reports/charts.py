"""Small server-side SVG charts for the PDFs (WeasyPrint draws SVG; no JavaScript in a PDF).

Each function takes plain numbers and returns an SVG string; labels are escaped here."""

from xml.sax.saxutils import escape

from zi_portal.formats import number

FONT = "DejaVu Sans, sans-serif"
INK, MUTED, GRID = "#1f2937", "#6b7280", "#e5e7eb"
FILL, TRACK, MARK = "#1d4ed8", "#dbeafe", "#b91c1c"
PALETTE = ["#1d4ed8", "#059669", "#d97706", "#7c3aed", "#db2777", "#0891b2", "#65a30d", "#9ca3af"]


def _svg(width, height, body, title):
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" font-family="{FONT}" font-size="10">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def _clip(text, limit):
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def wrap(text, width) -> list[str]:
    """Words of ``text`` in lines of at most ``width`` characters (a longer word keeps its own line):
    labels are wrapped, never cut ("Belum dicana…" told the reader nothing)."""
    lines: list[str] = []
    for word in str(text).split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def bars_against_weights(
    rows, *, title="", width=660, label_width=250, row_height=20, threshold=None
):
    """Horizontal bars: each row's score drawn inside a track as long as its weight.

    rows: [(label, score, weight)]. The longest weight spans the plot; ``threshold`` (a share of the
    weight, e.g. 0.6) is marked on every track so the gap to a gate is visible."""
    rows = list(rows)
    # Room right of the longest track for "12,83 / 15,00" in full (about 6 px a character).
    plot = width - label_width - 100
    top = max((float(w or 0) for _l, _s, w in rows), default=0) or 1
    body = []
    for i, (label, score, weight) in enumerate(rows):
        y = i * row_height + 4
        w_len = plot * float(weight or 0) / top
        s_len = min(w_len, plot * float(score or 0) / top)
        x0 = label_width
        body.append(
            f'<text x="{x0 - 6}" y="{y + 11}" text-anchor="end" fill="{INK}">{escape(_clip(label, 46))}</text>'
        )
        body.append(f'<rect x="{x0}" y="{y}" width="{w_len:.1f}" height="14" fill="{TRACK}"/>')
        body.append(f'<rect x="{x0}" y="{y}" width="{s_len:.1f}" height="14" fill="{FILL}"/>')
        if threshold is not None and weight:
            tx = x0 + w_len * float(threshold)
            body.append(
                f'<line x1="{tx:.1f}" y1="{y - 2}" x2="{tx:.1f}" y2="{y + 16}" stroke="{MARK}" stroke-width="1.5"/>'
            )
        body.append(
            f'<text x="{x0 + w_len + 6:.1f}" y="{y + 11}" fill="{MUTED}">'
            f"{number(score)} / {number(weight)}</text>"
        )
    return _svg(width, len(rows) * row_height + 8, body, title)


def columns(rows, *, title="", width=660, height=180, places=0, colors=None):
    """Vertical columns with their value on top: rows [(label, value)]."""
    rows = list(rows)
    left, top_pad = 8, 14
    slot = (width - left * 2) / max(len(rows), 1)
    per_line = max(int(slot / 5.2), 4)  # characters of 8.5 px DejaVu Sans that fit in a slot
    labels = [wrap(label, per_line) for label, _v in rows]
    lines = max((len(ls) for ls in labels), default=1)
    base = height - 14 - 11 * lines
    top = max((float(v or 0) for _l, v in rows), default=0) or 1
    bar = min(46, slot * 0.7)
    body = [f'<line x1="{left}" y1="{base}" x2="{width - left}" y2="{base}" stroke="{GRID}"/>']
    for i, (_label, value) in enumerate(rows):
        h = (base - top_pad) * float(value or 0) / top
        x = left + i * slot + (slot - bar) / 2
        color = (colors or PALETTE)[i % len(colors or PALETTE)]
        body.append(
            f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{color}"/>'
        )
        body.append(
            f'<text x="{x + bar / 2:.1f}" y="{base - h - 3:.1f}" text-anchor="middle" fill="{INK}">'
            f"{number(value, places)}</text>"
        )
        spans = "".join(
            f'<tspan x="{x + bar / 2:.1f}" dy="{0 if n == 0 else 11}">{escape(line)}</tspan>'
            for n, line in enumerate(labels[i])
        )
        body.append(
            f'<text y="{base + 13}" text-anchor="middle" fill="{MUTED}" font-size="8.5">{spans}</text>'
        )
    return _svg(width, height, body, title)


def histogram(values, *, edges, title="", width=660, height=170):
    """Counts of values in [edges[i], edges[i+1]) (the last bin is closed), as columns."""
    counts = [0] * (len(edges) - 1)
    for v in values:
        v = float(v)
        for i in range(len(counts)):
            last = i == len(counts) - 1
            if edges[i] <= v < edges[i + 1] or (last and v == edges[-1]):
                counts[i] += 1
                break
    labels = [f"{number(edges[i], 0)}–{number(edges[i + 1], 0)}" for i in range(len(counts))]
    return columns(
        zip(labels, counts, strict=False), title=title, width=width, height=height, colors=[FILL]
    )
