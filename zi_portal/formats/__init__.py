"""The one way the portal writes a number, a percentage or a date for people — pages, messages,
PDFs and xlsx all call these (templates through the ``zi`` filters of the same names), so a figure
reads the same wherever it appears: "55,7%", "37,20", "5 Februari 2026", "5 Feb 2026, 14.30".

Text follows the active language (English UI: "5 February 2026", "37.20"). Official documents
(PDF letters, report xlsx) are always Indonesian: they are built inside ``document_language()``.
Machine formats (API JSON, file names, ``value=`` of date inputs, CSV) stay ISO and do not come
here. Reading what people type is ``parse_number`` (zi_portal/formats/parse.py, no Django).

This package is also FORMAT_MODULE_PATH: zi_portal/formats/id/formats.py holds the Indonesian
separators and date formats Django uses for ``localize``."""

import re
from datetime import date, datetime
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils import timezone, translation
from django.utils.formats import date_format, get_format, number_format

from .parse import parse_number

__all__ = [
    "DOCUMENT_LANGUAGE",
    "SHARE_PLACES",
    "date_time",
    "decimal_or_none",
    "document_language",
    "gate_share",
    "input_text",
    "long_date",
    "number",
    "parse_number",
    "percent",
    "score_text",
    "short_date",
    "short_date_time",
    "shortfall",
    "signed",
]

# Letters, recaps and their xlsx are official documents of an Indonesian Pemda.
DOCUMENT_LANGUAGE = "id"

DASH = "—"

# A share of a weight or of questions answered: "55,7%" in pages, messages and PDFs alike.
SHARE_PLACES = 1


def document_language() -> translation.override:
    """Context manager under which a document is built: Indonesian words, month
    names and separators whatever the language of the person who asked for it."""
    return translation.override(DOCUMENT_LANGUAGE)


def decimal_or_none(value: Any) -> Decimal | None:
    if isinstance(value, float):
        value = repr(value)  # what was meant (0.1), not the binary double behind it
    try:
        d = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return None
    return d if d.is_finite() else None


def _rounded(d: Decimal, places: int, rounding: str = ROUND_HALF_UP) -> Decimal:
    # Half-up like the stored figures (number_format alone would truncate 74,995 to 74,99).
    return d.quantize(Decimal(1).scaleb(-places), rounding=rounding)


def number(
    value: Any, places: int = 2, *, grouping: bool = False, rounding: str = ROUND_HALF_UP
) -> str:
    """A figure in the active language's format, rounded half-up: 74.995 → "75,00".
    ``grouping``: thousands separators ("1.234,5") for counts and money; scores never need them."""
    d = decimal_or_none(value)
    if d is None:
        return DASH
    places = int(places)
    return number_format(_rounded(d, places, rounding), places, force_grouping=grouping)


def score_text(value: Any, places: int = 2) -> str:
    """A score: 93,50 (the same text in pages, refusal messages and PDFs)."""
    return number(value, places)


def percent(share: Any, places: int = SHARE_PLACES, *, rounding: str = ROUND_HALF_UP) -> str:
    """A fraction of 1 as a percentage: 0.5572 → "55,7%"."""
    d = decimal_or_none(share)
    return DASH if d is None else f"{number(d * 100, places, rounding=rounding)}%"


def gate_share(share: Any) -> str:
    """A share set against a gate's whole-percent minimum, rounded down: 59,975% is "59,9%" beside
    "minimal 60%", never a missed "60,0%" (and a met share is ≥ the minimum, so never below it)."""
    return percent(share, rounding=ROUND_FLOOR)


def shortfall(share: Any) -> str:
    """What a share lacks, rounded up: a missing 0,025% is "0,1%", never "kurang 0,0%"."""
    return percent(share, rounding=ROUND_CEILING)


def signed(value: Any, places: int = 2) -> str:
    """A difference with its sign: +0,50, −0,25, 0,00."""
    d = decimal_or_none(value)
    if d is None:
        return DASH
    text = number(abs(d), places)
    return text if _rounded(abs(d), int(places)) == 0 else ("+" if d > 0 else "\u2212") + text


def _local(value: Any) -> Any:
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)  # Asia/Jakarta: what the person's clock said
    return value


def _date_text(value: Any, fmt: str) -> str:
    if isinstance(value, str):  # an ISO date kept in JSON (a report job's parameters)
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return value
    if not isinstance(value, date):  # datetime is a date too
        return ""
    return date_format(_local(value), fmt)


def long_date(value: Any) -> str:
    """A date as letters and messages write it: "5 Februari 2026" ("" for none)."""
    return _date_text(value, "j F Y")


def short_date(value: Any) -> str:
    """A date in tables and lists: "5 Feb 2026" (month by name, never an ambiguous 01/03)."""
    return _date_text(value, "j M Y")


def date_time(value: Any) -> str:
    """A moment in messages and histories: "5 Februari 2026, 14.30"."""
    return _date_text(value, "j F Y, H.i")


def short_date_time(value: Any) -> str:
    """A moment in tables and lists: "5 Feb 2026, 14.30"."""
    return _date_text(value, "j M Y, H.i")


_MACHINE_DECIMAL = re.compile(r"-?[0-9]+\.[0-9]+")


def input_text(value: Any) -> str:
    """A stored answer as it is typed back into its input: "3.5" → "3,5" (no thousands separators,
    so what comes back is exactly what ``parse_number`` reads); "A", "12" and "" stay as they are."""
    if value is None:
        return ""
    text = str(value)
    if _MACHINE_DECIMAL.fullmatch(text):
        return text.replace(".", get_format("DECIMAL_SEPARATOR"))
    return text
