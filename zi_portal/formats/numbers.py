"""The one way the portal writes a score or a date for people: pages, PDFs and refusal messages
all call these, so a figure reads the same wherever it appears."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.formats import date_format, number_format


def decimal_or_none(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return None


def score_text(value: Any, places: int = 2) -> str:
    """A score in Indonesian format, rounded half-up like the stored figures: 74.995 → 75,00."""
    d = decimal_or_none(value)
    if d is None:
        return "—"
    # number_format alone truncates (74,99).
    places = int(places)
    return number_format(d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP), places)


def long_date(value: Any) -> str:
    """A date as people write it in letters: 3 Februari 2024."""
    return date_format(value, "j F Y")
