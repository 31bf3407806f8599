from decimal import Decimal

from django import template

from assessments import selectors
from assessments.models import Stage
from units.nip import format_nip
from zi_portal import formats
from zi_portal.formats import decimal_or_none as _dec
from zi_portal.terbilang import date_in_words

register = template.Library()

SHARE_PLACES = formats.SHARE_PLACES

STAGE_BADGE = {
    Stage.PROCLAIMED: "info",
    Stage.DEVELOPMENT: "info",
    Stage.NOMINATED: "warn",
    Stage.TPN_REVIEW: "warn",
    Stage.DESIGNATED_WBK: "ok",
    Stage.DESIGNATED_WBBM: "ok",
    Stage.NOT_DESIGNATED: "",
    Stage.REVOKED: "bad",
}


# Formatting: each filter is the zi_portal.formats function of the same meaning, nothing more,
# so a page, a message and a PDF print a figure or a date the same way.


@register.filter
def num(value, places=2):
    """A score in the active language's format: 93,50 (the same text as refusal messages)."""
    return formats.number(value, places)


@register.filter
def number(value, places=0):
    """A count or amount with thousands separators: 1.234 (|number:1 → 1.234,5)."""
    return formats.number(value, places, grouping=True)


@register.filter
def signed(value, places=2):
    """A difference with its sign: +0,50, −0,25, 0,00 (a track minus the one it is compared with)."""
    return formats.signed(value, places)


@register.filter
def percent(share, places=SHARE_PLACES):
    """A fraction of 1 as a percentage: 0.755 → 75,5% (|percent:1)."""
    return formats.percent(share, places)


@register.filter
def gate_share(share):
    """A share beside its gate's minimum, rounded down: 59,9% / min. 60%."""
    return formats.gate_share(share)


@register.filter
def shortfall(share):
    """What a share lacks of its gate, rounded up: kurang 0,1%."""
    return formats.shortfall(share)


@register.filter
def long_date(value):
    """5 Februari 2026 (in an English page: 5 February 2026; documents render in Indonesian)."""
    return formats.long_date(value)


@register.filter
def short_date(value):
    """5 Feb 2026, for tables and lists."""
    return formats.short_date(value)


@register.filter
def date_time(value):
    """5 Februari 2026, 14.30."""
    return formats.date_time(value)


@register.filter
def short_date_time(value):
    """5 Feb 2026, 14.30, for tables and lists."""
    return formats.short_date_time(value)


@register.filter
def answer_text(value):
    """A stored answer as people write it, in its input and wherever it is read back: 3.5 → 3,5."""
    return formats.input_text(value)


@register.filter
def low_areas(gate):
    """The areas below an each-area-share gate: "Penguatan Pengawasan: 57,9%; …" (shares as every
    page prints them). Outcomes stored before "low" existed show their ready-made text."""
    low = gate.get("low") if isinstance(gate, dict) else None
    if low is None:
        return "; ".join(gate.get("detail") or ()) if isinstance(gate, dict) else ""
    return "; ".join(f"{a['area']}: {formats.gate_share(a['share'])}" for a in low)


@register.filter
def dot(value):
    """A machine-readable number (dot decimal, never localised) for HTML attributes such as meter values."""
    d = _dec(value)
    return "0" if d is None else f"{d:f}"


@register.filter
def nip(value):
    """An NIP grouped as printed: 19700101 199803 1 001."""
    return format_nip(value)


@register.filter
def date_words(value):
    """Kamis tanggal lima bulan Februari tahun dua ribu dua puluh enam."""
    return date_in_words(value) if value else ""


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def index(sequence, i):
    try:
        return sequence[int(i)]
    except (IndexError, TypeError, ValueError):
        return None


@register.filter
def ratio(part, whole):
    p, w = _dec(part), _dec(whole)
    return (p / w) if p is not None and w else Decimal(0)


@register.filter
def stage_badge(stage):
    return STAGE_BADGE.get(stage, "")


@register.inclusion_tag("assessments/_unit_history.html", takes_context=True)
def unit_history(context, unit):
    user = context["request"].user
    return {
        "unit": unit,
        "years": selectors.unit_history(unit),
        "can_proclaim": user.has_perm("assessments.proclaim", unit),
        "request": context["request"],
    }
