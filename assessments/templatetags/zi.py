from decimal import ROUND_HALF_UP, Decimal

from django import template

from assessments import selectors
from assessments.models import Stage
from units.nip import format_nip
from zi_portal.formats.numbers import decimal_or_none as _dec
from zi_portal.formats.numbers import score_text
from zi_portal.terbilang import date_in_words
from zi_portal.terbilang import long_date as indonesian_long_date

register = template.Library()

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


@register.filter
def num(value, places=2):
    """A score in Indonesian format: 93,50 (the same text as refusal messages)."""
    return score_text(value, places)


@register.filter
def signed(value, places=2):
    """A difference with its sign: +0,50, −0,25, 0,00 (a track minus the one it is compared with)."""
    d = _dec(value)
    if d is None:
        return "—"
    text = num(abs(d), places)
    rounded = abs(d).quantize(Decimal(1).scaleb(-int(places)), rounding=ROUND_HALF_UP)
    return text if rounded == 0 else ("+" if d > 0 else "\u2212") + text


@register.filter
def percent(share, places=0):
    """A fraction of 1 as a percentage: 0.755 → 75,5%."""
    d = _dec(share)
    return "—" if d is None else f"{num(d * 100, places)}%"


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
def long_date(value):
    """5 Februari 2026, in Indonesian whatever the active language (documents are Indonesian)."""
    return indonesian_long_date(value) if value else ""


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
